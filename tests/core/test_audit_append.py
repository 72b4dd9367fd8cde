"""The database refuses an audit append that does not extend the chain (issue 22, ADR 0015):
each bad insert below is tried as the application would try it — on SQLite through its own
connection, on PostgreSQL as the role `wulian dbrole grant` sets up — and refused."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from wulian.core import audit
from wulian.core.models import AuditEvent, AuditHead

pytestmark = pytest.mark.django_db

# PostgreSQL checks the unique seq before the trigger runs, SQLite after.
REFUSED = r"audit append refused|duplicate key"
HEAD_REFUSED = "audit head moves only with an append"
INSERT = "INSERT INTO core_auditevent (body, prev_hash, hash) VALUES (%s, %s, %s)"


def chain(n: int = 3) -> None:
    for i in range(n):
        audit.record(action="test.thing.changed", target=("test.thing", i, f"事项{i}"))


def body(seq: int, action: str = "test.thing.forged", at: str = "2026-01-01T00:00:00.000000+00:00"):
    return audit.canonical(
        seq, at, None, "", None, action, "success", "", "", "", "", "", "", ""
    ).decode()


def appended(seq: int, prev_hash: str, **kw) -> tuple[str, str, str]:
    text = body(seq, **kw)
    return text, prev_hash, audit.chain_hash(prev_hash, text)


def bad_appends(seq: int, head_hash: str) -> dict[str, tuple[str, str, str]]:
    """What someone holding the application's credentials could insert, head at (seq, hash)."""
    nxt = seq + 1
    good_body = body(nxt)
    no_seq = good_body.replace(f',"seq":{nxt},', ",")
    return {
        "a hash that is no SM3 digest": (good_body, head_hash, "forged"),
        "a hash equal to prev_hash": (good_body, head_hash, head_hash),
        "a wrong prev_hash": appended(nxt, "f" * 64),
        "a gap in seq (+1000)": appended(seq + 1000, head_hash),
        "seq 0": appended(0, head_hash),
        "a negative seq": appended(-5, head_hash),
        "a duplicate seq": appended(seq, head_hash),
        "no seq at all": (no_seq, head_hash, audit.chain_hash(head_hash, no_seq)),
    }


def head() -> tuple[int, str]:
    h = AuditHead.objects.get(id=1)
    return h.seq, h.hash


def raw(statement: str, params: list | tuple = ()) -> None:
    with connection.cursor() as c:
        c.execute(statement, list(params))


@pytest.mark.parametrize("case", list(bad_appends(1, "0" * 64)))
def test_the_database_refuses_an_append_that_does_not_extend_the_chain(case):
    chain(3)
    before = head()
    count = AuditEvent.objects.count()
    refused = pytest.raises(DatabaseError, match=REFUSED)
    with refused, transaction.atomic():
        raw(INSERT, bad_appends(*before)[case])
    assert head() == before
    assert AuditEvent.objects.count() == count
    audit.record(action="test.thing.changed")  # the chain still takes the next append
    assert audit.verify().ok


def test_a_raw_append_that_extends_the_chain_moves_the_head_and_blocks_nothing():
    """Issue 22, case 3: a correctly chained raw insert used to leave the head behind, and the
    next audited change then failed on the unique seq."""
    chain(3)
    seq, head_hash = head()
    raw(INSERT, appended(seq + 1, head_hash))
    assert head()[0] == seq + 1
    event = audit.record(action="test.thing.changed")
    assert event.seq == seq + 2
    assert audit.verify().ok


def test_an_append_with_a_well_formed_but_wrong_hash_is_left_to_verify():
    """The database cannot compute SM3 (ADR 0015): it takes a 64-hex hash that extends the head
    on trust, and `wulian audit verify` names the event."""
    chain(3)
    seq, head_hash = head()
    text = body(seq + 1)
    raw(INSERT, (text, head_hash, "a" * 64))
    result = audit.verify()
    assert (result.first_break.seq, result.first_break.kind) == (seq + 1, "modified")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_audithead SET seq = seq + 1000",
        "UPDATE core_audithead SET hash = 'f'",
        "UPDATE core_audithead SET seq = 0, hash = '0000000000000000000000000000000000000000"
        "000000000000000000000000'",
        "DELETE FROM core_audithead",
        "INSERT INTO core_audithead (id, seq, hash) VALUES (2, 0, 'x')",
    ],
)
def test_the_head_row_moves_only_with_an_append(statement):
    chain(3)
    before = head()
    with pytest.raises(DatabaseError, match=HEAD_REFUSED), transaction.atomic():
        raw(statement)
    assert head() == before


@pytest.mark.django_db(transaction=True)
def test_the_application_role_cannot_append_outside_the_chain_on_postgresql():
    """As the role `wulian dbrole grant` sets up: every bad insert of issue 22 and every change
    of the head row is refused; a correct append is taken and moves the head."""
    if connection.vendor != "postgresql":
        pytest.skip("database roles are a PostgreSQL matter")
    import psycopg

    chain(3)
    role = "wulian_app_append_test"
    with connection.cursor() as c:
        c.execute(f"DROP ROLE IF EXISTS {role}")
        c.execute(f"CREATE ROLE {role} LOGIN")
    try:
        call_command("dbrole", "grant", role)
        params = connection.get_connection_params()
        with psycopg.connect(
            dbname=connection.settings_dict["NAME"],
            host=params.get("host") or "127.0.0.1",
            port=params.get("port") or 5432,
            user=role,
            autocommit=True,
        ) as app:
            seq, head_hash = app.execute("SELECT seq, hash FROM core_audithead").fetchone()
            for case, values in bad_appends(seq, head_hash).items():
                with pytest.raises(psycopg.Error, match=REFUSED):
                    app.execute(INSERT, values)
                assert app.execute("SELECT seq FROM core_audithead").fetchone()[0] == seq, case
            for statement in (
                "UPDATE core_audithead SET seq = seq + 1000",
                "UPDATE core_audithead SET hash = 'f'",
                "DELETE FROM core_audithead",
                "TRUNCATE core_audithead",
                "INSERT INTO core_audithead (id, seq, hash) VALUES (2, 0, 'x')",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    app.execute(statement)
            with app.transaction():  # the application's own path: lock, append
                app.execute("SELECT seq FROM core_audithead WHERE id = 1 FOR UPDATE")
                app.execute(INSERT, appended(seq + 1, head_hash))
            assert app.execute("SELECT seq FROM core_audithead").fetchone()[0] == seq + 1
        assert audit.record(action="test.thing.changed").seq == seq + 2
        assert audit.verify().ok
    finally:
        with connection.cursor() as c:
            c.execute(f"DROP OWNED BY {role}")
            c.execute(f"DROP ROLE IF EXISTS {role}")
