"""The audit chain is append-only at the database: on PostgreSQL a trigger rejects UPDATE,
DELETE and TRUNCATE on the audit table for every role (the owner can only get round it by
disabling the trigger, which is itself a DDL change outside daily operations). The head row
that serialises appends is created here so that the first append never races to create it."""

from django.db import migrations

from wulian.core import dbprotect


def protect(apps, schema_editor):
    dbprotect.protect(schema_editor)


def unprotect(apps, schema_editor):
    dbprotect.unprotect(schema_editor)


def create_head(apps, schema_editor):
    AuditHead = apps.get_model("core", "AuditHead")
    AuditHead.objects.get_or_create(id=1, defaults={"seq": 0, "hash": "0" * 64})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(protect, unprotect),
        migrations.RunPython(create_head, migrations.RunPython.noop),
    ]
