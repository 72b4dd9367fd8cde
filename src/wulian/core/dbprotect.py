"""The audit table is append-only at the database: triggers refuse UPDATE, DELETE and (on
PostgreSQL) TRUNCATE for every role. Installed by migration core.0002; tests that must empty
the database between tests (live server, concurrency) set them aside for the flush only.

Since migration core.0004 the database also refuses an append that does not extend the chain
(ADR 0015): an inserted event must carry seq = head.seq + 1 and prev_hash = head.hash, and a
hash that is an SM3 digest; the same statement moves the head row to it. The head row itself
moves only that way — one step, to the event that follows it — and cannot be deleted or
created again while events exist. Whether the hash really is SM3(prev_hash ‖ body) is left
to `wulian audit verify` (SM3 stays in the application)."""

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


# --- The chain's shape: every append extends the head, and moves it (ADR 0015) ----------------

PG_CHAIN = """
CREATE OR REPLACE FUNCTION wulian_audit_append() RETURNS trigger AS $$
DECLARE
    head_seq bigint;
    head_hash text;
BEGIN
    SELECT seq, hash INTO head_seq, head_hash FROM core_audithead WHERE id = 1 FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'audit append refused: the chain has no head row'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.seq IS DISTINCT FROM head_seq + 1 THEN
        RAISE EXCEPTION 'audit append refused: seq % does not follow the head (#%)',
            coalesce(NEW.seq::text, 'null'), head_seq USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.prev_hash IS DISTINCT FROM head_hash THEN
        RAISE EXCEPTION 'audit append refused: prev_hash is not the hash of the head (#%)',
            head_seq USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.hash !~ '^[0-9a-f]{64}$' OR NEW.hash = NEW.prev_hash THEN
        RAISE EXCEPTION 'audit append refused: hash is not an SM3 digest of a new event'
            USING ERRCODE = 'check_violation';
    END IF;
    UPDATE core_audithead SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS wulian_audit_append ON core_auditevent;
CREATE TRIGGER wulian_audit_append
    AFTER INSERT ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION wulian_audit_append();

CREATE OR REPLACE FUNCTION wulian_audit_head_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.id = OLD.id AND (
            (NEW.seq = OLD.seq AND NEW.hash = OLD.hash)
            OR (NEW.seq = OLD.seq + 1 AND EXISTS (
                SELECT 1 FROM core_auditevent
                WHERE seq = NEW.seq AND hash = NEW.hash AND prev_hash = OLD.hash))
        ) THEN
            RETURN NEW;
        END IF;
    ELSIF TG_OP = 'INSERT' THEN
        IF NEW.id = 1 AND NEW.seq = 0 AND NEW.hash = repeat('0', 64)
                AND NOT EXISTS (SELECT 1 FROM core_auditevent) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'the audit head moves only with an append: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS wulian_audit_head_guard ON core_audithead;
CREATE TRIGGER wulian_audit_head_guard
    BEFORE INSERT OR UPDATE OR DELETE ON core_audithead
    FOR EACH ROW EXECUTE FUNCTION wulian_audit_head_guard();

DROP TRIGGER IF EXISTS wulian_audit_head_no_truncate ON core_audithead;
CREATE TRIGGER wulian_audit_head_no_truncate
    BEFORE TRUNCATE ON core_audithead
    FOR EACH STATEMENT EXECUTE FUNCTION wulian_audit_head_guard();
"""

PG_UNCHAIN = """
DROP TRIGGER IF EXISTS wulian_audit_append ON core_auditevent;
DROP TRIGGER IF EXISTS wulian_audit_head_guard ON core_audithead;
DROP TRIGGER IF EXISTS wulian_audit_head_no_truncate ON core_audithead;
DROP FUNCTION IF EXISTS wulian_audit_append();
DROP FUNCTION IF EXISTS wulian_audit_head_guard();
"""

# SQLite: the checks run before the insert (the generated seq is read from the body, as the
# column is), the head moves after it. A REPLACE conflict resolution would delete the row it
# collides with without firing DELETE triggers, so an insert that collides is refused first.
SQLITE_CHAIN = [
    """CREATE TRIGGER IF NOT EXISTS wulian_audit_append_check BEFORE INSERT ON core_auditevent
BEGIN
    SELECT RAISE(ABORT, 'audit append refused: the chain has no head row')
        WHERE NOT EXISTS (SELECT 1 FROM core_audithead WHERE id = 1);
    SELECT RAISE(ABORT, 'audit append refused: it would replace an existing event')
        WHERE EXISTS (SELECT 1 FROM core_auditevent WHERE id = NEW.id OR hash = NEW.hash);
    SELECT RAISE(ABORT, 'audit append refused: seq does not follow the head')
        WHERE json_extract(NEW.body, '$.seq') IS NOT
            (SELECT seq + 1 FROM core_audithead WHERE id = 1);
    SELECT RAISE(ABORT, 'audit append refused: prev_hash is not the hash of the head')
        WHERE NEW.prev_hash IS NOT (SELECT hash FROM core_audithead WHERE id = 1);
    SELECT RAISE(ABORT, 'audit append refused: hash is not an SM3 digest of a new event')
        WHERE length(NEW.hash) != 64 OR NEW.hash GLOB '*[^0-9a-f]*'
            OR NEW.hash = NEW.prev_hash;
END""",
    """CREATE TRIGGER IF NOT EXISTS wulian_audit_append_move AFTER INSERT ON core_auditevent
BEGIN
    UPDATE core_audithead SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
END""",
    """CREATE TRIGGER IF NOT EXISTS wulian_audit_head_update BEFORE UPDATE ON core_audithead
WHEN NOT (NEW.id = OLD.id AND (
    (NEW.seq = OLD.seq AND NEW.hash = OLD.hash)
    OR (NEW.seq = OLD.seq + 1 AND EXISTS (
        SELECT 1 FROM core_auditevent
        WHERE seq = NEW.seq AND hash = NEW.hash AND prev_hash = OLD.hash))))
BEGIN
    SELECT RAISE(ABORT, 'the audit head moves only with an append: UPDATE is not allowed');
END""",
    """CREATE TRIGGER IF NOT EXISTS wulian_audit_head_delete BEFORE DELETE ON core_audithead
BEGIN
    SELECT RAISE(ABORT, 'the audit head moves only with an append: DELETE is not allowed');
END""",
    """CREATE TRIGGER IF NOT EXISTS wulian_audit_head_insert BEFORE INSERT ON core_audithead
WHEN NOT (NEW.id = 1 AND NEW.seq = 0 AND NEW.hash = printf('%064d', 0)
    AND NOT EXISTS (SELECT 1 FROM core_auditevent))
BEGIN
    SELECT RAISE(ABORT, 'the audit head moves only with an append: INSERT is not allowed');
END""",
]

SQLITE_UNCHAIN = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "wulian_audit_append_check",
        "wulian_audit_append_move",
        "wulian_audit_head_update",
        "wulian_audit_head_delete",
        "wulian_audit_head_insert",
    )
]


def guard_chain(schema_editor: Any) -> None:
    """Install the append and head triggers (migration core.0004)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CHAIN, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_CHAIN:
            schema_editor.execute(statement, params=None)


def unguard_chain(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UNCHAIN, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_UNCHAIN:
            schema_editor.execute(statement, params=None)


APP_TABLE_GRANTS = "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"
APP_SEQUENCE_GRANTS = "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"
APP_AUDIT_REVOKE = "REVOKE UPDATE, DELETE, TRUNCATE ON core_auditevent FROM {role}"
# UPDATE stays: an append locks the head row (SELECT … FOR UPDATE needs it); the head's trigger
# lets an UPDATE only move it one step, to the event that follows it.
APP_HEAD_REVOKE = "REVOKE INSERT, DELETE, TRUNCATE ON core_audithead FROM {role}"


def grant_app_role(connection: Any, role: str) -> None:
    """PostgreSQL: give the web application's role what it needs on every table, and on the
    audit table only SELECT and INSERT (and on its head row no INSERT, DELETE or TRUNCATE).
    Run by the owner role after each migration
    (`wulian dbrole grant ROLE`)."""
    if connection.vendor != "postgresql":
        raise ValueError("database roles are a PostgreSQL matter")
    quoted = connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        cursor.execute(APP_TABLE_GRANTS.format(role=quoted))
        cursor.execute(APP_SEQUENCE_GRANTS.format(role=quoted))
        cursor.execute(APP_AUDIT_REVOKE.format(role=quoted))
        cursor.execute(APP_HEAD_REVOKE.format(role=quoted))


@contextmanager
def set_aside(connection: Any) -> Iterator[None]:
    """Lift the protection for the duration of the block, then install it again (whatever
    state it was left in)."""
    with connection.schema_editor(atomic=False) as editor:
        unprotect(editor)
        unguard_chain(editor)
    try:
        yield
    finally:
        with connection.schema_editor(atomic=False) as editor:
            protect(editor)
            guard_chain(editor)


@contextmanager
def head_set_aside(connection: Any) -> Iterator[None]:
    """The head row's guard lifted for the block, inside the caller's transaction (the
    owner's `wulian audit repair-head`; the application's role may not alter the table)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_audithead DISABLE TRIGGER wulian_audit_head_guard")
            yield
            cursor.execute("ALTER TABLE core_audithead ENABLE TRIGGER wulian_audit_head_guard")
        else:
            for statement in SQLITE_UNCHAIN[2:]:
                cursor.execute(statement)
            yield
            for statement in SQLITE_CHAIN[2:]:
                cursor.execute(statement)
