"""The audit interface. Every service calls `record()` inside its transaction; the event is
appended to a hash chain: hash = SM3(prev_hash ‖ canonical JSON of the event).

Foundation II adds checkpoints, verification and database-level protection on top of this.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from wulian.core import context
from wulian.core.models import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64


def sm3_hex(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def canonical(event: dict[str, Any]) -> bytes:
    """A stable byte form of an event: sorted keys, no spaces, UTF-8."""
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_body(ev: AuditEvent) -> dict[str, Any]:
    return {
        "seq": ev.seq,
        "at": ev.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": ev.actor_id,
        "actor_label": ev.actor_label,
        "org": ev.organisation_id_at_time,
        "action": ev.action,
        "outcome": ev.outcome,
        "target_type": ev.target_type,
        "target_id": ev.target_id,
        "target_label": ev.target_label,
        "before": ev.before,
        "after": ev.after,
        "request_id": ev.request_id,
        "ip": ev.ip,
    }


def chain_hash(prev_hash: str, ev: AuditEvent) -> str:
    return sm3_hex(prev_hash.encode() + canonical(event_body(ev)))


def _target_fields(target: Any) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk), str(target)[:200]
    if isinstance(target, tuple) and len(target) == 3:
        kind, pk, label = target
        return str(kind), str(pk), str(label)[:200]
    raise TypeError(f"audit target must be a model instance or (type, id, label): {target!r}")


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


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
    """Append one event to the chain. Call it inside the service's transaction."""
    user = getattr(actor, "user", actor)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    ctx = context.current()
    target_type, target_id, target_label = _target_fields(target)
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(
            id=1, defaults={"seq": 0, "hash": GENESIS_HASH}
        )
        ev = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            actor=user,
            actor_label=(user.get_username() if user is not None else "")[:150],
            organisation_id_at_time=organisation_id,
            action=action,
            outcome=outcome,
            target_type=target_type,
            target_id=target_id,
            target_label=target_label,
            before=_jsonable(before) if before is not None else None,
            after=_jsonable(after) if after is not None else None,
            request_id=ctx.request_id[:64],
            ip=ctx.ip[:45],
            prev_hash=head.hash,
        )
        ev.hash = chain_hash(head.hash, ev)
        ev.save(force_insert=True)
        head.seq, head.hash = ev.seq, ev.hash
        head.save(update_fields=["seq", "hash"])
    return ev


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, as (old values, new values)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
