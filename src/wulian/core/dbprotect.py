"""The audit table is append-only at the database: triggers refuse UPDATE, DELETE and (on
PostgreSQL) TRUNCATE for every role. Installed by migration core.0002; tests that must empty
the database between tests (live server, concurrency) set them aside for the flush only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

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


def protect(schema_editor: Any) -> None:
    sql = {"postgresql": PG_PROTECT, "sqlite": SQLITE_PROTECT}.get(schema_editor.connection.vendor)
    if sql:
        if schema_editor.connection.vendor == "sqlite":
            for statement in sql.strip().split("END;"):
                if statement.strip():
                    schema_editor.execute(statement + "END;")
        else:
            schema_editor.execute(sql, params=None)


def unprotect(schema_editor: Any) -> None:
    sql = {"postgresql": PG_UNPROTECT, "sqlite": SQLITE_UNPROTECT}.get(
        schema_editor.connection.vendor
    )
    if sql:
        for statement in sql.strip().split(";"):
            if statement.strip():
                schema_editor.execute(statement)


APP_TABLE_GRANTS = "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"
APP_SEQUENCE_GRANTS = "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"
APP_AUDIT_REVOKE = "REVOKE UPDATE, DELETE, TRUNCATE ON core_auditevent FROM {role}"


def grant_app_role(connection: Any, role: str) -> None:
    """PostgreSQL: give the web application's role what it needs on every table, and on the
    audit table only SELECT and INSERT. Run by the owner role after each migration
    (`wulian dbrole grant ROLE`)."""
    if connection.vendor != "postgresql":
        raise ValueError("database roles are a PostgreSQL matter")
    quoted = connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        cursor.execute(APP_TABLE_GRANTS.format(role=quoted))
        cursor.execute(APP_SEQUENCE_GRANTS.format(role=quoted))
        cursor.execute(APP_AUDIT_REVOKE.format(role=quoted))


@contextmanager
def set_aside(connection: Any) -> Iterator[None]:
    """Lift the protection for the duration of the block, then install it again (whatever
    state it was left in)."""
    with connection.schema_editor(atomic=False) as editor:
        unprotect(editor)
    try:
        yield
    finally:
        with connection.schema_editor(atomic=False) as editor:
            protect(editor)
