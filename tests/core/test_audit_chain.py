"""The audit chain: every tampering case names the right event (reference §4.3)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from wulian.core import audit, checkpoints
from wulian.core.models import AuditEvent

pytestmark = pytest.mark.django_db

N = 12


@pytest.fixture
def audit_keys(settings, tmp_path):
    settings.AUDIT_SIGNING_KEY_FILE = str(tmp_path / "keys" / "audit.key")
    settings.AUDIT_VERIFY_KEY_FILE = str(tmp_path / "keys" / "audit.pub")
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    checkpoints.keygen()
    return tmp_path


def make_chain(n: int = N) -> list[AuditEvent]:
    return [
        audit.record(
            action="test.thing.changed",
            target=("test.thing", i, f"事项{i}"),
            before={"状态": "待办", "n": i},
            after={"状态": "已办", "n": i + 1},
        )
        for i in range(1, n + 1)
    ]


def unprotect() -> None:
    """Act as an attacker with write access to the database: lift the append-only triggers
    (the test transaction is rolled back afterwards, triggers included)."""
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        else:
            c.execute("DROP TRIGGER IF EXISTS wulian_audit_no_update")
            c.execute("DROP TRIGGER IF EXISTS wulian_audit_no_delete")


def sql(statement: str, params: list | None = None) -> None:
    with connection.cursor() as c:
        c.execute(statement, params or [])


def test_an_untouched_chain_verifies():
    make_chain()
    result = audit.verify()
    assert result.ok, result.first_break
    assert result.events == N
    assert result.head_seq == AuditEvent.objects.order_by("-seq").first().seq


def test_editing_an_event_names_it():
    events = make_chain()
    unprotect()
    sql("UPDATE core_auditevent SET after = %s WHERE seq = %s", ['{"状态":"未办"}', events[4].seq])
    result = audit.verify()
    assert (result.first_break.seq, result.first_break.kind) == (events[4].seq, "modified")


def test_editing_the_actor_or_target_of_an_event_names_it():
    events = make_chain()
    unprotect()
    sql("UPDATE core_auditevent SET target_id = '999' WHERE seq = %s", [events[7].seq])
    assert audit.verify().first_break.seq == events[7].seq


def test_deleting_an_event_names_the_gap():
    events = make_chain()
    unprotect()
    sql("DELETE FROM core_auditevent WHERE seq = %s", [events[3].seq])
    result = audit.verify()
    assert (result.first_break.seq, result.first_break.kind) == (events[3].seq, "deleted")


def test_deleting_and_renumbering_to_hide_the_gap_is_caught():
    events = make_chain()
    unprotect()
    k = events[3].seq
    sql("DELETE FROM core_auditevent WHERE seq = %s", [k])
    for seq in range(k + 1, events[-1].seq + 1):
        sql("UPDATE core_auditevent SET seq = %s WHERE seq = %s", [seq - 1, seq])
    result = audit.verify()
    assert (result.first_break.seq, result.first_break.kind) == (k, "deleted")


def test_swapping_two_events_is_caught():
    events = make_chain()
    unprotect()
    k = events[5].seq
    sql("UPDATE core_auditevent SET seq = -1 WHERE seq = %s", [k])
    sql("UPDATE core_auditevent SET seq = %s WHERE seq = %s", [k, k + 1])
    sql("UPDATE core_auditevent SET seq = %s WHERE seq = -1", [k + 1])
    result = audit.verify()
    assert (result.first_break.seq, result.first_break.kind) == (k, "reordered")


def test_inserting_a_forged_event_is_caught():
    events = make_chain()
    unprotect()
    k = events[5].seq
    for seq in range(events[-1].seq, k, -1):
        sql("UPDATE core_auditevent SET seq = %s WHERE seq = %s", [seq + 1, seq])
    forged = AuditEvent.objects.get(seq=k)
    forged.pk = None
    forged.seq = k + 1
    forged.action = "test.thing.forged"
    forged.prev_hash = events[5].hash
    forged.hash = audit.chain_hash(forged.prev_hash, forged)
    forged.save(force_insert=True)
    result = audit.verify()
    assert (result.first_break.seq, result.first_break.kind) == (k + 1, "inserted")


def test_truncating_the_tail_is_caught_only_against_the_checkpoint(audit_keys):
    events = make_chain()
    checkpoints.checkpoint_create(reason="manual")
    unprotect()
    sql("DELETE FROM core_auditevent WHERE seq > %s", [events[8].seq])
    assert audit.verify().ok, "the chain alone cannot see a cut tail: that is why we anchor"
    result = audit.verify(checkpoints=checkpoints.exported_checkpoints())
    assert (result.first_break.seq, result.first_break.kind) == (events[9].seq, "truncated")


def test_rewriting_the_chain_with_recomputed_hashes_is_caught_by_the_checkpoint(audit_keys):
    events = make_chain()
    checkpoints.checkpoint_create(reason="manual")
    unprotect()
    prev = events[2].hash
    for ev in AuditEvent.objects.filter(seq__gt=events[2].seq).order_by("seq"):
        if ev.seq == events[3].seq:
            ev.after = '{"状态":"伪造"}'
        ev.prev_hash = prev
        ev.hash = audit.chain_hash(prev, ev)
        sql(
            "UPDATE core_auditevent SET after=%s, prev_hash=%s, hash=%s WHERE seq=%s",
            [ev.after, ev.prev_hash, ev.hash, ev.seq],
        )
        prev = ev.hash
    assert audit.verify().ok
    result = audit.verify(checkpoints=checkpoints.exported_checkpoints())
    assert result.first_break.kind == "rewritten"
    assert result.first_break.seq == events[-1].seq


def test_a_forged_checkpoint_file_is_refused(audit_keys):
    make_chain(3)
    cp = checkpoints.checkpoint_create(reason="manual")
    forged = audit_keys / "checkpoints" / "checkpoint-999999999999-forged.json"
    forged.write_text(
        f'{{"seq": 999999999999, "head_hash": "{"0" * 64}", "at": "2026-01-01T00:00:00",'
        f' "signature": "{cp.signature}", "public_key": "{cp.public_key}"}}'
    )
    with pytest.raises(checkpoints.CheckpointError, match="signature"):
        checkpoints.exported_checkpoints()


def test_the_database_refuses_to_update_or_delete_audit_events():
    make_chain(2)
    for statement in (
        "UPDATE core_auditevent SET action = 'x'",
        "DELETE FROM core_auditevent",
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            sql(statement)
    assert AuditEvent.objects.filter(action="test.thing.changed").count() == 2


def test_a_rolled_back_change_leaves_no_event_and_no_gap():
    make_chain(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(action="test.thing.changed")
        raise RuntimeError("the business change failed")
    make_chain(1)
    assert audit.verify().ok


@hsettings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    position=st.integers(min_value=0, max_value=5),
    column=st.sampled_from(["action", "actor_label", "target_label", "before", "ip", "at"]),
)
def test_any_single_edit_is_detected_at_its_event(position, column):
    with transaction.atomic():
        events = make_chain(6)
        unprotect()
        seq = events[position].seq
        value = "2020-01-01 00:00:00" if column == "at" else '{"x":1}'
        if connection.vendor == "postgresql" and column == "at":
            value = "2020-01-01 00:00:00+00"
        sql(f"UPDATE core_auditevent SET {column} = %s WHERE seq = %s", [value, seq])  # noqa: S608
        result = audit.verify_range(after_seq=events[0].seq - 1)
        assert result.first_break is not None and result.first_break.seq == seq
        transaction.set_rollback(True)


def test_verify_command_exits_non_zero_and_names_the_event(audit_keys, capsys):
    events = make_chain(4)
    call_command("audit", "checkpoint")
    call_command("audit", "verify")
    assert "OK:" in capsys.readouterr().out
    unprotect()
    sql("UPDATE core_auditevent SET action = 'x' WHERE seq = %s", [events[1].seq])
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1
    assert f"event #{events[1].seq}: modified" in capsys.readouterr().err


def test_the_console_script_is_installed():
    out = subprocess.run(
        [sys.executable, "-m", "wulian", "help", "audit"],
        capture_output=True,
        text=True,
        check=False,
        env={"SECRET_KEY": "x", "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 0, out.stderr
    assert "verify" in out.stdout


@pytest.mark.django_db(transaction=True)
def test_parallel_verify_agrees_with_the_serial_walk():
    """Worker processes read committed data through their own connections."""
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("an in-memory SQLite test database is not visible to other processes")
    events = make_chain(40)
    result = audit.verify_parallel(workers=2, min_per_worker=5)
    assert result.ok and result.events == 40 and result.head_hash == events[-1].hash
    unprotect()
    sql("UPDATE core_auditevent SET action = 'x' WHERE seq = %s", [events[30].seq])
    broken = audit.verify_parallel(workers=2, min_per_worker=5)
    assert (broken.first_break.seq, broken.first_break.kind) == (events[30].seq, "modified")


@pytest.mark.django_db(transaction=True)
def test_the_application_role_cannot_update_or_delete_audit_rows_on_postgresql():
    """Deployments run the web under a role granted by `wulian dbrole grant`: it may insert
    audit events but never change or remove them (the grants), whatever the triggers say."""
    if connection.vendor != "postgresql":
        pytest.skip("database roles are a PostgreSQL matter")
    import psycopg

    make_chain(2)
    role = "wulian_app_test"
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
            assert app.execute("SELECT count(*) FROM core_auditevent").fetchone()[0] == 2
            for statement in (
                "UPDATE core_auditevent SET action = 'x'",
                "DELETE FROM core_auditevent",
                "TRUNCATE core_auditevent",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    app.execute(statement)
    finally:
        with connection.cursor() as c:
            c.execute(f"DROP OWNED BY {role}")
            c.execute(f"DROP ROLE IF EXISTS {role}")
