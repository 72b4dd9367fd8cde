"""The audit chain. Every service calls `record()` inside its transaction; the event is
appended to an append-only hash chain:

    hash = SM3(prev_hash ‖ canonical JSON of the event)

The canonical JSON has sorted keys, no spaces, UTF-8, NFC-normalised strings and the UTC time
with microseconds. The row stores it as `body` — the exact bytes hashed — and the database
generates every queried column (seq, at, action, target …) from it, so `verify()` reads four
columns and hashes, and an event can never show one thing while its hash covers another.

`verify()` walks the chain and names the first event that was modified, deleted, inserted or
reordered; checked against the latest signed checkpoint (`wulian.core.checkpoints`), it also
catches a truncated tail.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from wulian.core import context
from wulian.core.models import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64
_SM3 = hashlib.new("sm3")
_str = json.encoder.encode_basestring  # C-accelerated JSON string encoder (ensure_ascii=False)


def sm3_hex(data: bytes) -> str:
    h = _SM3.copy()
    h.update(data)
    return h.hexdigest()


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_nfc(v) for v in value]
    return value


def canonical_json(value: Any) -> str:
    """Canonical JSON text of a value ('' for None): sorted keys, no spaces, NFC strings."""
    if value is None:
        return ""
    return json.dumps(
        _nfc(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def at_text(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


# %-formatting one template is the fastest way to build the event's JSON in CPython.
_TEMPLATE = (
    '{"action":%s,"actor":%s,"actor_label":%s,"after":%s,"at":%s,"before":%s,"ip":%s,'
    '"org":%s,"outcome":%s,"request_id":%s,"seq":%d,"target_id":%s,"target_label":%s,'
    '"target_type":%s}'
)


def canonical(
    seq: int,
    at: str,
    actor: int | None,
    actor_label: str,
    org: int | None,
    action: str,
    outcome: str,
    target_type: str,
    target_id: str,
    target_label: str,
    before: str,
    after: str,
    request_id: str,
    ip: str,
) -> bytes:
    """The canonical JSON of one event, keys in sorted order, built without a dict (this is
    the hot loop of `wulian audit verify`, which must read 200,000 events/s)."""
    return (
        _TEMPLATE
        % (
            _str(action),
            "null" if actor is None else int(actor),
            _str(actor_label),
            after or "null",
            _str(at),
            before or "null",
            _str(ip),
            "null" if org is None else int(org),
            _str(outcome),
            _str(request_id),
            seq,
            _str(target_id),
            _str(target_label),
            _str(target_type),
        )
    ).encode()


def chain_hash(prev_hash: str, body: str) -> str:
    return sm3_hex(prev_hash.encode() + body.encode())


def _target_fields(target: Any) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk), str(target)[:200]
    if isinstance(target, tuple) and len(target) == 3:
        kind, pk, label = target
        return str(kind), str(pk), str(label)[:200]
    raise TypeError(f"audit target must be a model instance or (type, id, label): {target!r}")


# Any constant: the key of the transaction lock under which the chain's first head is made.
_HEAD_CREATION_LOCK = 0x57554C49414E


def _first_head() -> AuditHead:
    """The head row of an empty chain, made once. Two first appends at the same moment would
    both miss the row; the second's insert would then meet the first's committed event and be
    refused by the head guard (not a unique-key error that a retry could absorb). So on
    PostgreSQL the first head is made under a transaction lock: whoever waits for it finds the
    row when the lock is released. SQLite's IMMEDIATE transactions serialise this already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_HEAD_CREATION_LOCK])
    head = AuditHead.objects.select_for_update().filter(id=1).first()
    if head is None:
        AuditHead.objects.create(id=1, seq=0, hash=GENESIS_HASH)
        head = AuditHead.objects.select_for_update().get(id=1)
    return head


def record(
    *,
    action: str,
    actor: Any = None,
    target: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    organisation_id: int | None = None,
    outcome: str = "success",
) -> AuditEvent:
    """Append one event to the chain. Call it inside the service's transaction, so that the
    event and the change it records commit or roll back together."""
    user = getattr(actor, "user", actor)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    ctx = context.current()
    target_type, target_id, target_label = (_nfc(v) for v in _target_fields(target))
    with transaction.atomic():
        # The head row is the chain's lock: appends are serialised, so seq is gapless and the
        # chain never forks, on PostgreSQL (row lock) and SQLite (IMMEDIATE transactions).
        head = AuditHead.objects.select_for_update().filter(id=1).first()
        if head is None:
            head = _first_head()
        body = canonical(
            head.seq + 1,
            at_text(timezone.now()),
            user.pk if user is not None else None,
            _nfc((user.get_username() if user is not None else "")[:150]),
            organisation_id,
            action,
            outcome,
            target_type,
            target_id,
            target_label,
            canonical_json(before),
            canonical_json(after),
            ctx.request_id[:64],
            ctx.ip[:45],
        ).decode()
        ev = AuditEvent(body=body, prev_hash=head.hash, hash=chain_hash(head.hash, body))
        # The database checks that the event extends the head and moves the head to it in the
        # same statement (ADR 0015): no append, ours or anyone's, can leave the two apart.
        ev.save(force_insert=True)
    return ev


def event(
    actor: Any,
    action: str,
    target: Any,
    organisation_id: int | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    outcome: str = "success",
) -> AuditEvent:
    """`record` said in one line, as a service says it after every change: who, what, on
    which record, for which organisation — then what it was and what it became. The same
    event as `record`'s (issue 12: the 200 keyword blocks a service repeated)."""
    return record(
        action=action,
        actor=actor,
        target=target,
        before=before,
        after=after,
        organisation_id=organisation_id,
        outcome=outcome,
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, as (old values, new values)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


# --- Verification -------------------------------------------------------------------------


# What a checkpoint records in the chain (ADR 0015): every signed checkpoint is itself an event.
CHECKPOINT_ACTION = "core.audit.checkpoint_signed"
# An event after a checkpoint may carry a time a little before it (clocks of several machines);
# one dated earlier than this before the newest checkpoint was added after it, back-dated.
CLOCK_TOLERANCE_SECONDS = 60
# Problems of the table as a whole rather than of one event.
TABLE_KINDS = {"outside", "head", "checkpoint_missing", "unsigned"}


@dataclass(frozen=True)
class Break:
    seq: int
    # modified | deleted | inserted | reordered | inserted_or_reordered | truncated | rewritten
    # | extended | outside | head | checkpoint_missing | unsigned
    kind: str
    detail: str

    def __str__(self) -> str:
        if self.kind in TABLE_KINDS:
            return f"{self.kind} — {self.detail}"
        return f"event #{self.seq}: {self.kind} — {self.detail}"


@dataclass
class VerifyResult:
    events: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    first_break: Break | None = None
    warnings: list[str] | None = None
    checkpoint_seq: int | None = None
    # Events after the newest signed checkpoint (and its own event), and how long the oldest of
    # them has waited for a signature; None when the checkpoints were not consulted.
    unsigned_events: int | None = None
    unsigned_seconds: float | None = None

    @property
    def ok(self) -> bool:
        return self.first_break is None


# What the walk reads: the sequence number, the time in a form that compares cheaply (to warn
# when it goes backwards), prev_hash ‖ body as the exact bytes to hash (one buffer, no text
# decoding and re-encoding in Python), and the stored hash.
_COLUMNS = {
    "sqlite": "seq, at || '', CAST(prev_hash || body AS BLOB), hash",
    "postgresql": "seq, (extract(epoch FROM at) * 1000000)::bigint,"
    " convert_to(prev_hash || body, 'UTF8'), hash",
}


def _rows(start_after: int, batch: int, end: int | None) -> Iterator[tuple[Any, ...]]:
    table = AuditEvent._meta.db_table
    columns = _COLUMNS[connection.vendor]
    last = start_after
    with connection.cursor() as cursor:
        while True:
            if end is None:
                cursor.execute(
                    f"SELECT {columns} FROM {table} WHERE seq > %s ORDER BY seq LIMIT %s",  # noqa: S608
                    [last, batch],
                )
            else:
                cursor.execute(
                    f"SELECT {columns} FROM {table} WHERE seq > %s AND seq <= %s "  # noqa: S608
                    "ORDER BY seq LIMIT %s",
                    [last, end, batch],
                )
            rows = cursor.fetchall()
            if not rows:
                return
            yield from rows
            last = rows[-1][0]


def _with_seq(body: str, seq: int) -> str:
    """The body as it would read with another sequence number. The top-level "seq" is the last
    ',"seq":' in the text: only string values (escaped quotes) follow it."""
    start = body.rfind(',"seq":') + len(',"seq":')
    end = body.index(",", start)
    return body[:start] + str(seq) + body[end:]


def _hashes_as(row: tuple[Any, ...], seq: int) -> bool:
    _seq, _at, link, row_hash = row
    link = bytes(link).decode()
    return chain_hash(link[:64], _with_seq(link[64:], seq)) == row_hash


def _diagnose(row: tuple[Any, ...]) -> Break:
    """A row whose hash does not match: say whether it was edited in place, or whether the
    rows were renumbered to hide a deletion, an insertion or a swap."""
    seq = row[0]
    if _hashes_as(row, seq + 1):
        nxt = next(_rows(seq, 1, seq + 1), None)
        if nxt is not None and _hashes_as(nxt, seq):
            return Break(seq, "reordered", f"events #{seq} and #{seq + 1} were swapped")
        return Break(
            seq,
            "deleted",
            f"event #{seq} was removed and the events after it renumbered to hide the gap",
        )
    if _hashes_as(row, seq - 1):
        return Break(
            seq - 1,
            "inserted",
            f"event #{seq - 1} was inserted: the events after it were renumbered to make room",
        )
    return Break(seq, "modified", "its content does not match its hash (changed after writing)")


def verify_range(
    *,
    after_seq: int = 0,
    prev_hash: str = GENESIS_HASH,
    end_seq: int | None = None,
    batch: int = 20_000,
) -> VerifyResult:
    """Walk the chain from after_seq (whose hash is prev_hash) to end_seq or the end."""
    result = VerifyResult(head_seq=after_seq, head_hash=prev_hash, warnings=[])
    expected = after_seq + 1
    count = 0
    h0 = _SM3
    last_at: Any = None
    last_link = prev_hash.encode()
    for row in _rows(after_seq, batch, end_seq):
        seq, at, link, row_hash = row
        if seq != expected:
            result.first_break = Break(
                expected,
                "deleted",
                f"events #{expected}–#{seq - 1} are missing"
                if seq - 1 > expected
                else f"event #{expected} is missing",
            )
            break
        h = h0.copy()
        h.update(link)
        digest = h.hexdigest()
        if digest != row_hash:
            result.first_break = _diagnose(row)
            break
        if link[:64] != last_link:
            result.first_break = Break(
                seq,
                "inserted_or_reordered",
                f"it does not follow event #{seq - 1}: an event was inserted, replaced or "
                "reordered here, or the chain before it was rewritten",
            )
            break
        if last_at is not None and at < last_at:
            result.warnings.append(f"event #{seq}: its time is earlier than event #{seq - 1}'s")
        last_at = at
        last_link = digest.encode()
        expected += 1
        count += 1
    result.events = count
    result.head_seq = expected - 1
    result.head_hash = last_link.decode()
    return result


def _verify_chunk(bounds: tuple[int, str, int | None]) -> VerifyResult:
    from django.db import connections

    after_seq, prev_hash, end_seq = bounds
    try:
        return verify_range(after_seq=after_seq, prev_hash=prev_hash, end_seq=end_seq)
    finally:
        connections.close_all()


def verify_parallel(*, workers: int, min_per_worker: int = 50_000) -> VerifyResult:
    """The chain split into `workers` contiguous ranges, each walked by its own process; the
    ranges meet at stored hashes, so the result is the same as a serial walk. Only for data
    that is committed (the processes read through their own connections)."""
    import multiprocessing

    from django.db import connections

    bounds = AuditEvent.objects.order_by("seq").values_list("seq", flat=True)
    first, last = (
        bounds.first(),
        AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first(),
    )
    if first is None or last - first < min_per_worker * workers:
        return verify_range()
    step = (last - first + 1) // workers
    cuts = [first - 1 + step * i for i in range(1, workers)]
    hashes = dict(AuditEvent.objects.filter(seq__in=cuts).values_list("seq", "hash"))
    if len(hashes) != len(cuts):  # a boundary event is missing: let the serial walk name it
        return verify_range()
    starts = [(0, GENESIS_HASH)] + [(c, hashes[c]) for c in cuts]
    ends: list[int | None] = [*cuts, None]
    chunks = [(a, h, e) for (a, h), e in zip(starts, ends, strict=True)]
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        parts = pool.map(_verify_chunk, chunks)
    total = VerifyResult(warnings=[])
    for part in parts:
        total.events += part.events
        total.warnings.extend(part.warnings or [])
        total.head_seq, total.head_hash = part.head_seq, part.head_hash
        if part.first_break is not None:
            total.first_break = part.first_break
            break
    return total


def _outside_rows(limit: int = 20) -> list[tuple[int, int | None]]:
    """Rows the walk (seq 1, 2, …) never reaches: no seq, or a seq below 1."""
    return list(
        AuditEvent.objects.filter(models.Q(seq__isnull=True) | models.Q(seq__lt=1))
        .order_by("id")
        .values_list("id", "seq")[:limit]
    )


def _ids(rows: list[tuple[int, int | None]]) -> str:
    return ", ".join(f"id {pk} (seq {'none' if seq is None else seq})" for pk, seq in rows)


def _check_table(result: VerifyResult) -> Break | None:
    """After a clean walk: every row is in the chain, and the head row is its last event."""
    outside = _outside_rows()
    if outside:
        return Break(
            outside[0][1] or 0,
            "outside",
            f"rows that no chain covers: {_ids(outside)}"
            f"{' …' if len(outside) == 20 else ''}. They were inserted directly into the table "
            "(before migration core.0004, or with its triggers lifted — which only the database "
            "owner can do). Keep a copy for the investigation; `wulian audit verify` fails "
            "until the owner removes them with the triggers set aside.",
        )
    head = AuditHead.objects.filter(id=1).values_list("seq", "hash").first()
    if head is None:
        if result.head_seq == 0:
            return None
        return Break(
            result.head_seq,
            "head",
            f"the head row is missing while the chain runs to #{result.head_seq}: every audited "
            "change is refused. Run `wulian audit repair-head` as the database owner after "
            "finding out who removed it.",
        )
    head_seq, head_hash = head
    if (head_seq, head_hash) == (result.head_seq, result.head_hash):
        return None
    if head_seq < result.head_seq:
        beyond = list(
            AuditEvent.objects.filter(seq__gt=head_seq).order_by("seq").values_list("id", "seq")
        )
        return Break(
            head_seq + 1,
            "head",
            f"the head row says #{head_seq} but the chain runs to #{result.head_seq}: "
            f"{_ids(beyond[:20])}{' …' if len(beyond) > 20 else ''} were appended without moving "
            "it (before migration core.0004, or with its triggers lifted), and every audited "
            "change is refused until it moves. Check those events, then run `wulian audit "
            "repair-head` as the database owner.",
        )
    if head_seq > result.head_seq:
        return Break(
            result.head_seq + 1,
            "truncated",
            f"the chain ends at #{result.head_seq} but the head row says #{head_seq} "
            f"({head_hash[:16]}…): events #{result.head_seq + 1}–#{head_seq} were removed. "
            "Restore them from a backup; the signed checkpoints tell which backup is intact.",
        )
    return Break(
        head_seq,
        "rewritten",
        f"the head row's hash for #{head_seq} ({head_hash[:16]}…) is not the last event's "
        f"({result.head_hash[:16]}…): the tail was rewritten and the hashes recomputed. "
        "Restore from a backup; the signed checkpoints bound where the rewrite began.",
    )


def _checkpoint_events() -> list[tuple[int, dict[str, Any]]]:
    rows = AuditEvent.objects.filter(action=CHECKPOINT_ACTION).values_list("seq", "after")
    return [(seq, json.loads(after) if after else {}) for seq, after in rows.order_by("seq")]


def _check_checkpoints(result: VerifyResult, ordered: list[Any]) -> Break | None:
    """Against the exported checkpoints: a cut tail (the newest), a rewritten chain (each,
    oldest first, which bounds where the rewrite began), and a file missing for a checkpoint
    the chain records."""
    if ordered:
        latest = ordered[-1]
        result.checkpoint_seq = latest.seq
        if result.head_seq < latest.seq:
            return Break(
                result.head_seq + 1,
                "truncated",
                f"the chain ends at #{result.head_seq} but checkpoint #{latest.seq} was signed "
                f"at {latest.at}: events #{result.head_seq + 1}–#{latest.seq} were removed",
            )
        stored = dict(
            AuditEvent.objects.filter(seq__in=[c.seq for c in ordered]).values_list("seq", "hash")
        )
        previous = 0
        for cp in ordered:
            if stored.get(cp.seq) != cp.head_hash:
                if cp is not latest:
                    cp.check_signature()  # only the newest was checked on reading
                return Break(
                    cp.seq,
                    "rewritten",
                    f"the chain differs from checkpoint #{cp.seq} ({cp.at}): events between "
                    f"#{previous + 1} and #{cp.seq} were changed and the hashes recomputed",
                )
            previous = cp.seq
    files = {(cp.seq, cp.head_hash) for cp in ordered}
    missing = [
        (seq, data)
        for seq, data in _checkpoint_events()
        if (data.get("seq"), data.get("head_hash")) not in files
    ]
    if missing:
        seq, data = missing[0]
        return Break(
            seq,
            "checkpoint_missing",
            f"event #{seq} records checkpoint #{data.get('seq')} signed at {data.get('at')} "
            f"(file {data.get('file', '?')}), but no such file is in the checkpoint directory"
            f"{f' ({len(missing)} checkpoints in all)' if len(missing) > 1 else ''}: the files "
            "were deleted or moved, or verify reads the wrong directory "
            "(WULIAN_AUDIT_CHECKPOINT_DIR). Without them a cut or rewritten tail goes unseen.",
        )
    return None


def _check_coverage(result: VerifyResult, ordered: list[Any], now: datetime) -> Break | None:
    """How much of the tail no signature covers yet, and whether that exceeds the bounds: the
    events after the newest checkpoint can be cut, rewritten or extended unseen until the next
    one is signed."""
    from django.conf import settings

    latest = ordered[-1] if ordered else None
    covered = latest.seq if latest else 0
    nxt = AuditEvent.objects.filter(seq=covered + 1, action=CHECKPOINT_ACTION).first()
    if latest is not None and nxt is not None and nxt.after_data.get("seq") == latest.seq:
        covered += 1  # the checkpoint's own event
    result.unsigned_events = max(0, result.head_seq - covered)
    result.unsigned_seconds = 0.0
    if result.unsigned_events:
        first_at = AuditEvent.objects.filter(seq__gt=covered).order_by("seq")[:1].get().at
        result.unsigned_seconds = max(0.0, (now - first_at).total_seconds())
        if latest is not None:
            signed_at = datetime.fromisoformat(latest.at)
            seq, earliest = (
                AuditEvent.objects.filter(seq__gt=covered)
                .order_by("at", "seq")
                .values_list("seq", "at")[:1]
                .get()
            )
            if (signed_at - earliest).total_seconds() > CLOCK_TOLERANCE_SECONDS:
                return Break(
                    seq,
                    "extended",
                    f"it is dated {earliest.isoformat()}, before checkpoint #{latest.seq} "
                    f"was signed ({latest.at}), yet follows it: it was added to the tail "
                    "afterwards, back-dated",
                )
    max_events = settings.AUDIT_UNSIGNED_MAX_EVENTS
    max_seconds = settings.AUDIT_UNSIGNED_MAX_SECONDS
    over_events = max_events and result.unsigned_events > max_events
    over_seconds = max_seconds and result.unsigned_seconds > max_seconds
    if over_events or over_seconds:
        return Break(
            covered + 1,
            "unsigned",
            f"{result.unsigned_events} events (#{covered + 1}–#{result.head_seq}) over "
            f"{result.unsigned_seconds:.0f} s are not covered by a signed checkpoint (bound: "
            f"{max_events or '∞'} events, {max_seconds or '∞'} s). Until one is signed they "
            "can be cut, rewritten or extended unseen. Is `wulian worker` running with the "
            "signing key (it signs every minute and every "
            f"{settings.AUDIT_CHECKPOINT_EVENTS} events)? `wulian audit checkpoint` signs now; "
            "if the worker runs, compare the tail with a backup.",
        )
    return None


def verify(
    *,
    checkpoints: list[Any] | None = None,
    workers: int = 1,
    now: datetime | None = None,
) -> VerifyResult:
    """Verify the whole chain and account for every row of the table: rows the walk cannot
    reach, and a head row that is not the last event, are failures.

    With the exported checkpoints (a list, empty when there are none; None to leave them out)
    it also catches a truncated tail (against the newest), a chain rewritten with recomputed
    hashes (against each, oldest first, which bounds where the rewrite began), a checkpoint
    the chain records but whose file is gone, and a tail that has waited longer for a
    signature than the bounds allow (AUDIT_UNSIGNED_MAX_EVENTS / _SECONDS)."""
    result = verify_parallel(workers=workers) if workers > 1 else verify_range()
    if not result.ok:
        return result
    result.first_break = _check_table(result)
    if result.first_break is not None or checkpoints is None:
        return result
    ordered = sorted(checkpoints, key=lambda c: (c.seq, c.at))
    result.first_break = _check_checkpoints(result, ordered) or _check_coverage(
        result, ordered, now or timezone.now()
    )
    return result


class ChainBroken(Exception):
    pass


def head_repair() -> tuple[tuple[int, str], tuple[int, str]]:
    """Set the head row to the last event of the chain — for the database owner, after the
    investigation `verify` asks for, when events were appended without moving the head (before
    migration core.0004, or with its triggers lifted) or the head row was removed. Refused while
    the chain itself does not verify: that would hide the break. The repair is itself an event.
    Returns the head before and after."""
    from wulian.core import dbprotect

    with transaction.atomic():
        walked = verify_range()
        if not walked.ok:
            raise ChainBroken(f"the chain does not verify ({walked.first_break}); not repaired")
        current = AuditHead.objects.filter(id=1).values_list("seq", "hash").first()
        before = current or (0, GENESIS_HASH)
        target = (walked.head_seq, walked.head_hash)
        if before != target:
            with dbprotect.head_set_aside(connection):
                AuditHead.objects.update_or_create(
                    id=1, defaults={"seq": target[0], "hash": target[1]}
                )
        if before != target:
            record(
                action="core.audit.head_repaired",
                target=("core.audithead", 1, "#1"),
                before={"seq": before[0], "hash": before[1]},
                after={"seq": target[0], "hash": target[1]},
            )
    return before, AuditHead.objects.filter(id=1).values_list("seq", "hash").get()
