"""`wulian audit verify` accounts for every row of the audit table and for the tail after the
newest checkpoint (issue 22; issue 11, item 6)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from tests.core.test_audit_chain import edited, make_chain, set_head, sql, unprotect
from wulian.core import audit, checkpoints, dbprotect
from wulian.core.models import AuditCheckpoint, AuditEvent, AuditHead

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
INSERT = "INSERT INTO core_auditevent (body, prev_hash, hash) VALUES (%s, %s, %s)"


@pytest.fixture
def audit_keys(settings, tmp_path):
    settings.AUDIT_SIGNING_KEY_FILE = str(tmp_path / "keys" / "audit.key")
    settings.AUDIT_VERIFY_KEY_FILE = str(tmp_path / "keys" / "audit.pub")
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    settings.AUDIT_UNSIGNED_MAX_EVENTS = 50
    settings.AUDIT_UNSIGNED_MAX_SECONDS = 300
    checkpoints.keygen()
    return tmp_path


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def head() -> tuple[int, str]:
    return AuditHead.objects.values_list("seq", "hash").get(id=1)


def last() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()


def forged(seq: int, prev_hash: str, at: str = "2026-01-01T00:00:00.000000+00:00"):
    text = audit.canonical(
        seq, at, None, "", None, "test.thing.forged", "success", "", "", "", "", "", "", ""
    ).decode()
    return [text, prev_hash, audit.chain_hash(prev_hash, text)]


def reprotect() -> None:
    """The triggers back in place (the owner after the investigation, or migration core.0004
    on a table where such rows were left before it)."""
    from django.db import connection

    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")
            c.execute("ALTER TABLE core_audithead ENABLE TRIGGER USER")
        else:
            for statement in dbprotect.SQLITE_CHAIN:
                c.execute(statement)


def verified(**kw) -> audit.VerifyResult:
    return audit.verify(checkpoints=checkpoints.exported_checkpoints(), **kw)


# --- Every row of the table (issue 22) --------------------------------------------------------


@pytest.mark.parametrize("seq", [0, -3])
def test_a_forged_event_outside_one_to_head_is_reported_by_id(seq):
    """Issue 22, case 2: verify walked seq > 0 only, so a row with seq 0 dated 2026-01-01 was
    in the table and no chain covered it. (Inserted with the triggers lifted, as before
    migration core.0004.)"""
    make_chain(3)
    unprotect()
    sql(INSERT, forged(seq, "0" * 64))
    row = AuditEvent.objects.get(seq=seq)
    result = audit.verify()
    assert result.first_break.kind == "outside"
    assert f"id {row.pk} (seq {seq})" in str(result.first_break)


def test_a_row_without_a_sequence_number_is_reported_by_id():
    make_chain(2)
    unprotect()
    text = '{"action":"test.thing.forged"}'
    sql(INSERT, [text, "0" * 64, audit.chain_hash("0" * 64, text)])
    row = AuditEvent.objects.get(seq__isnull=True)
    assert f"id {row.pk} (seq none)" in str(audit.verify().first_break)


def test_events_appended_without_moving_the_head_are_named_and_the_head_can_be_repaired(
    capsys,
):
    """Issue 22, case 3: a correctly chained insert that left the head behind blocked every
    later audited change while verify passed. Verify now names the rows and the way out."""
    make_chain(3)
    unprotect()
    seq, head_hash = head()
    sql(INSERT, forged(seq + 1, head_hash, at="2026-12-06T09:00:00.000000+00:00"))
    stray = last()
    result = audit.verify()
    assert result.first_break.kind == "head"
    assert f"the head row says #{seq} but the chain runs to #{seq + 1}" in str(result.first_break)
    assert f"id {stray.pk} (seq {seq + 1})" in str(result.first_break)
    assert "wulian audit repair-head" in str(result.first_break)

    reprotect()
    call_command("audit", "repair-head")
    assert head()[0] == seq + 2  # the head, then the repair's own event
    assert last().action == "core.audit.head_repaired"
    assert audit.record(action="test.thing.changed").seq == seq + 3
    assert audit.verify().ok


def test_repair_head_refuses_while_the_chain_is_broken():
    events = make_chain(4)
    unprotect()
    sql(
        "UPDATE core_auditevent SET body = %s WHERE seq = %s",
        [edited(events[1].body, ip="x"), events[1].seq],
    )
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="does not verify"):
        call_command("audit", "repair-head")


def test_a_cut_tail_with_the_head_left_behind_is_reported_as_truncated():
    make_chain(5)
    seq, head_hash = head()
    unprotect()
    sql("DELETE FROM core_auditevent WHERE seq > %s", [seq - 2])
    result = audit.verify()
    assert (result.first_break.kind, result.first_break.seq) == ("truncated", seq - 1)
    assert f"the head row says #{seq} ({head_hash[:16]}" in str(result.first_break)


def test_a_head_whose_hash_is_not_the_last_events_is_reported_as_rewritten():
    make_chain(3)
    unprotect()
    sql("UPDATE core_audithead SET hash = %s", ["e" * 64])
    result = audit.verify()
    assert (result.first_break.kind, result.first_break.seq) == ("rewritten", head()[0])


# --- The tail after the newest checkpoint (issue 11, item 6) -------------------------------------


def test_a_checkpoint_is_an_event_and_covers_the_chain(audit_keys, clock):
    make_chain(4)
    cp = checkpoints.checkpoint_create(reason="manual")
    event = last()
    assert (event.seq, event.action) == (cp.seq + 1, audit.CHECKPOINT_ACTION)
    assert event.after_data["seq"] == cp.seq and event.after_data["head_hash"] == cp.head_hash
    assert os.path.exists(audit_keys / "checkpoints" / event.after_data["file"])
    result = verified()
    assert result.ok, result.first_break
    assert (result.unsigned_events, result.unsigned_seconds) == (0, 0)


def test_deleting_the_checkpoint_files_is_a_failure_not_a_warning(audit_keys, clock, capsys):
    make_chain(3)
    checkpoints.checkpoint_create(reason="manual")
    for path in (audit_keys / "checkpoints").iterdir():
        path.chmod(0o644)
        path.unlink()
    result = verified()
    assert result.first_break.kind == "checkpoint_missing"
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify", "--workers", "1")
    assert exit_info.value.code == 1
    assert "checkpoint_missing" in capsys.readouterr().err


def test_deleting_the_newest_checkpoint_file_is_a_failure(audit_keys, clock):
    make_chain(3)
    checkpoints.checkpoint_create(reason="manual")
    clock.shift(timedelta(seconds=90))
    make_chain(2)
    checkpoints.checkpoint_create(reason="manual")
    newest = sorted((audit_keys / "checkpoints").iterdir())[-1]
    newest.unlink()
    result = verified()
    assert (result.first_break.kind, result.first_break.seq) == ("checkpoint_missing", last().seq)


def _signed_then_more(clock, *, after: int = 6) -> tuple[AuditCheckpoint, list[AuditEvent]]:
    make_chain(3)
    cp = checkpoints.checkpoint_create(reason="manual")
    clock.shift(timedelta(seconds=30))
    return cp, make_chain(after)


def test_a_tail_cut_after_the_newest_checkpoint_fails_once_the_bound_has_passed(audit_keys, clock):
    cp, tail = _signed_then_more(clock)
    assert verified().ok
    unprotect()
    sql("DELETE FROM core_auditevent WHERE seq > %s", [tail[2].seq])
    set_head(tail[2].seq)
    clock.shift(timedelta(minutes=10))  # no checkpoint since: the worker was stopped
    result = verified()
    assert result.first_break.kind == "unsigned"
    assert (result.unsigned_events, result.unsigned_seconds) == (3, 600)
    assert f"#{cp.seq + 2}–#{tail[2].seq}" in str(result.first_break)


def test_a_tail_rewritten_after_the_newest_checkpoint_fails_once_the_bound_has_passed(
    audit_keys, clock
):
    _cp, tail = _signed_then_more(clock)
    unprotect()
    prev = tail[0].prev_hash
    for ev in AuditEvent.objects.filter(seq__gte=tail[0].seq).order_by("seq"):
        text = edited(ev.body, after={"状态": "伪造"})
        new_hash = audit.chain_hash(prev, text)
        sql(
            "UPDATE core_auditevent SET body=%s, prev_hash=%s, hash=%s WHERE seq=%s",
            [text, prev, new_hash, ev.seq],
        )
        prev = new_hash
    set_head(tail[-1].seq)
    assert verified().ok, "inside the bound the rewrite cannot be seen: that is the bound"
    clock.shift(timedelta(minutes=10))
    result = verified()
    assert result.first_break.kind == "unsigned"
    assert result.unsigned_events == len(tail)


def test_a_tail_extended_after_the_newest_checkpoint_fails_once_the_bound_has_passed(
    audit_keys, clock
):
    _cp, tail = _signed_then_more(clock)
    seq, head_hash = head()
    sql(INSERT, forged(seq + 1, head_hash, at=audit.at_text(T0 + timedelta(seconds=40))))
    clock.shift(timedelta(minutes=6))
    result = verified()
    assert result.first_break.kind == "unsigned"
    assert result.unsigned_events == len(tail) + 1


def test_a_back_dated_event_after_the_newest_checkpoint_fails_at_once(audit_keys, clock):
    _signed_then_more(clock)
    seq, head_hash = head()
    sql(INSERT, forged(seq + 1, head_hash, at="2026-01-01T00:00:00.000000+00:00"))
    result = verified()
    assert (result.first_break.kind, result.first_break.seq) == ("extended", seq + 1)


def test_more_unsigned_events_than_the_bound_fail(audit_keys, clock, settings):
    settings.AUDIT_UNSIGNED_MAX_EVENTS = 5
    _signed_then_more(clock, after=6)
    result = verified()
    assert result.first_break.kind == "unsigned"
    assert result.unsigned_events == 6


def test_a_chain_never_signed_fails_once_the_bound_has_passed(audit_keys, clock, capsys):
    make_chain(2)
    call_command("audit", "verify", "--workers", "1")
    captured = capsys.readouterr()
    assert "no checkpoint has been signed yet" in captured.err
    assert "not yet covered by a signature: 2 events, 0 s" in captured.out
    clock.shift(timedelta(minutes=6))
    with pytest.raises(SystemExit):
        call_command("audit", "verify", "--workers", "1")
    assert "unsigned" in capsys.readouterr().err


def test_checkpoints_come_every_minute_and_every_n_events_but_not_for_their_own_event(
    audit_keys, clock, settings
):
    settings.AUDIT_CHECKPOINT_EVENTS = 5
    make_chain(2)
    first = checkpoints.checkpoint_if_due()
    assert first is not None and first.seq == 2
    clock.shift(timedelta(minutes=5))
    assert checkpoints.checkpoint_if_due() is None, "only its own event since: nothing to sign"
    make_chain(1)
    assert checkpoints.checkpoint_if_due() is not None, "a minute has passed and the chain moved"
    make_chain(4)
    assert checkpoints.checkpoint_if_due() is None, "4 events within the minute"
    make_chain(1)
    assert checkpoints.checkpoint_if_due().reason == "periodic", "5 events"
    assert verified().ok


# --- The embedded tier says what its checkpoints are worth ------------------------------------


def test_the_audit_page_says_when_checkpoints_share_the_databases_disk(
    personas, client_of, settings, tmp_path
):
    from django.db import connection
    from django.urls import reverse

    if connection.vendor != "sqlite":
        pytest.skip("the embedded tier is SQLite")
    settings.VAR_DIR = tmp_path
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "audit-checkpoints")
    settings.AUDIT_CHECKPOINT_SYSLOG = ""
    client = client_of(personas.auditadmin)
    page = client.get(reverse("core:audit_list")).content.decode()
    assert 'data-checkpoints="same-disk"' in page
    assert "WULIAN_AUDIT_CHECKPOINT_DIR" in page
    settings.AUDIT_CHECKPOINT_SYSLOG = "loghost:514"
    page = client.get(reverse("core:audit_list")).content.decode()
    assert 'data-checkpoints="same-disk"' not in page
