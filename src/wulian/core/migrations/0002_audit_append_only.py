"""The audit chain is append-only at the database: on PostgreSQL a trigger rejects UPDATE,
DELETE and TRUNCATE on the audit table for every role (the owner can only get round it by
disabling the trigger, which is itself a DDL change outside daily operations). The head row
that serialises appends is created here so that the first append never races to create it."""

from django.db import migrations

PG_PROTECT = """
CREATE OR REPLACE FUNCTION wulian_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS wulian_audit_no_update_delete ON core_auditevent;
CREATE TRIGGER wulian_audit_no_update_delete
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION wulian_audit_append_only();

DROP TRIGGER IF EXISTS wulian_audit_no_truncate ON core_auditevent;
CREATE TRIGGER wulian_audit_no_truncate
    BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION wulian_audit_append_only();
"""

PG_UNPROTECT = """
DROP TRIGGER IF EXISTS wulian_audit_no_update_delete ON core_auditevent;
DROP TRIGGER IF EXISTS wulian_audit_no_truncate ON core_auditevent;
DROP FUNCTION IF EXISTS wulian_audit_append_only();
"""

SQLITE_PROTECT = """
CREATE TRIGGER IF NOT EXISTS wulian_audit_no_update BEFORE UPDATE ON core_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS wulian_audit_no_delete BEFORE DELETE ON core_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""

SQLITE_UNPROTECT = """
DROP TRIGGER IF EXISTS wulian_audit_no_update;
DROP TRIGGER IF EXISTS wulian_audit_no_delete;
"""


def protect(apps, schema_editor):
    sql = {"postgresql": PG_PROTECT, "sqlite": SQLITE_PROTECT}.get(schema_editor.connection.vendor)
    if sql:
        if schema_editor.connection.vendor == "sqlite":
            for statement in sql.strip().split("END;"):
                if statement.strip():
                    schema_editor.execute(statement + "END;")
        else:
            schema_editor.execute(sql, params=None)


def unprotect(apps, schema_editor):
    sql = {"postgresql": PG_UNPROTECT, "sqlite": SQLITE_UNPROTECT}.get(
        schema_editor.connection.vendor
    )
    if sql:
        for statement in sql.strip().split(";"):
            if statement.strip():
                schema_editor.execute(statement)


def create_head(apps, schema_editor):
    AuditHead = apps.get_model("core", "AuditHead")
    AuditHead.objects.get_or_create(id=1, defaults={"seq": 0, "hash": "0" * 64})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(protect, unprotect),
        migrations.RunPython(create_head, migrations.RunPython.noop),
    ]
