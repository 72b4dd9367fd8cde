"""The audit event becomes its hashed bytes: `body` holds the canonical JSON that was hashed,
and every queried column is generated from it by the database (ADR 0009). Existing events keep
their hashes: their body is rebuilt from their columns exactly as they were hashed."""

from django.db import migrations, models

import wulian.core.models
from wulian.core import dbprotect

PG_TIME_FUNCTION = """
CREATE OR REPLACE FUNCTION wulian_audit_time(text) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    -- The audit body's time always carries its UTC offset ('…+00:00'), so the result depends
    -- on nothing but the text: immutable in fact, as a generated column requires.
    AS $$ SELECT $1::timestamptz $$;
"""

OLD_COLUMNS = [
    "seq", "at", "actor", "actor_label", "organisation_id_at_time", "action", "outcome",
    "target_type", "target_id", "target_label", "before", "after", "request_id", "ip",
]  # fmt: skip


def set_aside(apps, schema_editor):
    dbprotect.unprotect(schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_TIME_FUNCTION)


def protect(apps, schema_editor):
    dbprotect.protect(schema_editor)


def fill_bodies(apps, schema_editor):
    """The body of each existing event: the canonical JSON its hash was computed over."""
    from datetime import UTC

    from wulian.core.audit import at_text, canonical

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, seq, at, actor_id, actor_label, organisation_id_at_time, action, outcome,"
            " target_type, target_id, target_label, before, after, request_id, ip"
            " FROM core_auditevent ORDER BY seq"
        )
        rows = cursor.fetchall()
        for row in rows:
            pk, seq, at, *rest = row
            if isinstance(at, str):  # SQLite hands back text
                from django.utils.dateparse import parse_datetime

                at = parse_datetime(at)
            if at.tzinfo is None:
                at = at.replace(tzinfo=UTC)
            body = canonical(seq, at_text(at), *rest).decode()
            cursor.execute("UPDATE core_auditevent SET body = %s WHERE id = %s", [body, pk])


def generated(key, kind, field, **options):
    return models.GeneratedField(
        expression=wulian.core.models._FromBody(key, kind, field),
        output_field=field,
        db_persist=True,
        **options,
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]

    operations = [
        migrations.RunPython(set_aside, protect),
        migrations.AddField(
            model_name="auditevent", name="body", field=models.TextField(default="")
        ),
        migrations.RunPython(fill_bodies, migrations.RunPython.noop),
        migrations.AlterField(model_name="auditevent", name="body", field=models.TextField()),
        migrations.RemoveIndex(model_name="auditevent", name="core_audite_target__c28945_idx"),
        *[migrations.RemoveField(model_name="auditevent", name=name) for name in OLD_COLUMNS],
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=generated("seq", "int", models.BigIntegerField(), unique=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="at",
            field=generated("at", "time", models.DateTimeField(), db_index=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_id",
            field=generated("actor", "int", models.BigIntegerField(null=True)),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_label",
            field=generated("actor_label", "text", models.CharField(max_length=150)),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="organisation_id_at_time",
            field=generated("org", "int", models.BigIntegerField(null=True)),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="action",
            field=generated("action", "text", models.CharField(max_length=100), db_index=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="outcome",
            field=generated("outcome", "text", models.CharField(max_length=16)),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="target_type",
            field=generated("target_type", "text", models.CharField(max_length=60)),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="target_id",
            field=generated("target_id", "text", models.CharField(max_length=64)),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="target_label",
            field=generated("target_label", "text", models.CharField(max_length=200)),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="before",
            field=generated("before", "json", models.TextField()),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="after",
            field=generated("after", "json", models.TextField()),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="request_id",
            field=generated("request_id", "text", models.CharField(max_length=64)),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="ip",
            field=generated("ip", "text", models.CharField(max_length=45)),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["target_type", "target_id", "seq"], name="audit_target_seq"),
        ),
        migrations.RunPython(protect, set_aside),
    ]
