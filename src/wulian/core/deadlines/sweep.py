"""The deadline sweep: send each due reminder and escalation exactly once.

Runs every minute by itself (`wulian worker` inside `make run`, or Celery beat at scale), and
once by hand with `wulian sweep`. However often it runs, and when two runs overlap:

1. it claims open deadlines whose next point is due, in batches, with
   `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (a second sweep takes other rows instead of
   waiting); on SQLite the IMMEDIATE transaction serialises the two runs;
2. for each deadline it inserts a `DeadlinePoint` row per point dealt with — unique on
   (deadline, point) — then the outbox messages and the audit event, all in one savepoint of
   the batch's transaction: either all of them commit or none does, and a second insert of the
   same point fails instead of sending twice;
3. it moves the deadline's `next_point_at` past the points dealt with, so the row leaves the
   sweep's index.

When several points fell due together (the sweep was stopped, or a deadline was opened late),
only the latest is sent — the escalation if it is due, otherwise the latest reminder — and the
earlier ones are recorded as skipped.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wulian.core import audit, jobs
from wulian.core.deadlines import rules
from wulian.core.deadlines.choices import DeadlineState, PointOutcome
from wulian.core.deadlines.models import Deadline, DeadlinePoint
from wulian.core.deadlines.services import desk_users
from wulian.core.notifications import outbox

log = logging.getLogger(__name__)

BATCH_SIZE = 200


def remaining_text(delta_seconds: float) -> str:
    """A duration in Chinese: '2 天 3 小时', '5 小时 20 分钟', '12 分钟'."""
    minutes = max(0, int(delta_seconds // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return (_("%(d)d 天 %(h)d 小时") if hours else _("%(d)d 天")) % {"d": days, "h": hours}
    if hours:
        return (_("%(h)d 小时 %(m)d 分钟") if mins else _("%(h)d 小时")) % {"h": hours, "m": mins}
    return _("%(m)d 分钟") % {"m": mins}


# Deadline kinds whose reminders and escalation their app words itself (who answers for the
# deadline and who is told of a miss need other words than "the unit has not finished"):
# kind → function(deadline, point, now) → (title, body). Registered from the AppConfig.
_MESSAGES: dict[str, Callable[[Deadline, dict[str, Any], datetime], tuple[str, str]]] = {}


def word_messages(
    kind: str, messages: Callable[[Deadline, dict[str, Any], datetime], tuple[str, str]]
) -> None:
    """Declare that the reminders and escalation of deadlines of `kind` are worded by
    `messages(deadline, point, now)` — point["kind"] is "reminder" or "escalation"; the
    recipients stay the sweep's (responsible person or organisation; assigner and escalate_to)."""
    _MESSAGES[kind] = messages


def _local(at: datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


def _message(deadline: Deadline, point: dict[str, Any], now: datetime) -> tuple[str, str]:
    rule = rules.Rule(deadline.rule_kind, deadline.rule_amount).describe()
    if point["kind"] == "escalation":
        title = _("逾期督办：%(title)s") % {"title": deadline.title}
        body = _(
            "“%(title)s”（期限 %(rule)s）已于 %(due)s 到期，承办单位%(org)s尚未办结，已逾期 "
            "%(late)s。请督促办理。"
        ) % {
            "title": deadline.title,
            "rule": rule,
            "due": _local(deadline.due_at),
            "org": deadline.responsible_org.display_name,
            "late": remaining_text((now - deadline.due_at).total_seconds()),
        }
    else:
        title = _("期限提醒：%(title)s") % {"title": deadline.title}
        body = _("“%(title)s”（期限 %(rule)s）将于 %(due)s 到期，还剩 %(left)s。") % {
            "title": deadline.title,
            "rule": rule,
            "due": _local(deadline.due_at),
            "left": remaining_text((deadline.due_at - now).total_seconds()),
        }
    return title, body


def _recipients(
    deadline: Deadline, point: dict[str, Any], users: dict[int, list[Any]]
) -> list[Any]:
    if point["kind"] == "escalation":
        org_ids = [deadline.assigner_org_id, *(o.pk for o in deadline.escalate_to.all())]
        return [u for oid in org_ids for u in users.get(oid, [])]
    if deadline.responsible_user is not None and deadline.responsible_user.is_active:
        return [deadline.responsible_user]
    if deadline.responsible_role:
        return users.get((deadline.responsible_org_id, deadline.responsible_role), [])
    return users.get(deadline.responsible_org_id, [])


def _process(
    deadline: Deadline, now: datetime, done: set[str], users: dict[int, list[Any]]
) -> Counter:
    counts: Counter = Counter()
    points = rules.loaded(deadline.schedule)
    due = [p for p in points if p["at"] <= now and p["point"] not in done]
    escalations = [p for p in due if p["kind"] == "escalation"]
    reminders = [p for p in due if p["kind"] == "reminder"]
    if escalations:
        send, skip = escalations[-1], reminders + escalations[:-1]
    elif reminders:
        send, skip = reminders[-1], reminders[:-1]
    else:
        send, skip = None, []
    pending = [p for p in points if p["point"] not in done and p not in due]
    try:
        with transaction.atomic():
            DeadlinePoint.objects.bulk_create(
                [
                    DeadlinePoint(
                        deadline=deadline,
                        point=p["point"],
                        scheduled_at=p["at"],
                        outcome=PointOutcome.SKIPPED,
                    )
                    for p in skip
                ]
                + (
                    [
                        DeadlinePoint(
                            deadline=deadline,
                            point=send["point"],
                            scheduled_at=send["at"],
                            outcome=PointOutcome.SENT,
                        )
                    ]
                    if send
                    else []
                )
            )
            if send is not None:
                action = (
                    "deadlines.deadline.escalated"
                    if send["kind"] == "escalation"
                    else "deadlines.deadline.reminded"
                )
                recipients = _recipients(deadline, send, users)
                title, body = _MESSAGES.get(deadline.kind, _message)(deadline, send, now)
                record = deadline.record
                audit.event(
                    None,
                    action,
                    record if record is not None else deadline,
                    deadline.assigner_org_id,
                    after={
                        "deadline": deadline.pk,
                        "kind": deadline.kind,
                        "point": send["point"],
                        "scheduled_at": send["at"],
                        "due_at": deadline.due_at,
                        "skipped": [p["point"] for p in skip],
                        "recipients": sorted(u.pk for u in recipients),
                    },
                )
                outbox.enqueue(
                    kind=action,
                    recipients=recipients,
                    title=title,
                    body=body,
                    url=deadline.link,
                    dedupe=f"deadline:{deadline.pk}:{send['point']}",
                )
                counts["escalated" if send["kind"] == "escalation" else "reminded"] += 1
            counts["skipped"] += len(skip)
            Deadline.objects.filter(pk=deadline.pk).update(
                next_point=pending[0]["point"] if pending else "",
                next_point_at=pending[0]["at"] if pending else None,
            )
    except IntegrityError:
        # Another sweep recorded one of these points first: it has sent it; nothing to do.
        counts["already_sent"] += 1
    return counts


def _batch(now: datetime, size: int, failed: set[int], seen: set[int], totals: Counter) -> int:
    with transaction.atomic():
        qs = Deadline.objects.filter(state=DeadlineState.OPEN, next_point_at__lte=now)
        if failed:
            qs = qs.exclude(pk__in=failed)
        qs = qs.order_by("next_point_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            # Lock only the deadline rows, not the joined organisations and users.
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        batch = list(qs.select_related("responsible_org", "responsible_user")[:size])
        if not batch:
            return 0
        prefetch_related_objects(batch, "escalate_to", "record")
        done: dict[int, set[str]] = {}
        for deadline_id, point in DeadlinePoint.objects.filter(
            deadline_id__in=[d.pk for d in batch]
        ).values_list("deadline_id", "point"):
            done.setdefault(deadline_id, set()).add(point)
        org_ids = {d.responsible_org_id for d in batch} | {d.assigner_org_id for d in batch}
        org_ids |= {o.pk for d in batch for o in d.escalate_to.all()}
        users: dict[Any, list[Any]] = dict(desk_users(org_ids))
        for role in {d.responsible_role for d in batch if d.responsible_role}:
            holders = desk_users({d.responsible_org_id for d in batch}, role=role)
            users.update({(org_id, role): found for org_id, found in holders.items()})
        for deadline in batch:
            if deadline.pk in seen:
                # Processed already in this run yet still due: a bug; do not loop on it.
                log.error("deadline %s still due after processing; skipped", deadline.pk)
                failed.add(deadline.pk)
                continue
            seen.add(deadline.pk)
            try:
                totals.update(_process(deadline, now, done.get(deadline.pk, set()), users))
            except Exception:
                log.exception("deadline sweep failed for deadline %s", deadline.pk)
                failed.add(deadline.pk)
                totals["failed"] += 1
        totals["deadlines"] += len(batch)
        return len(batch)


@jobs.job("deadlines.sweep", every_seconds=60)
def sweep(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Send every due reminder and escalation once. Returns counts for the log."""
    now = now or timezone.now()
    totals: Counter = Counter()
    failed: set[int] = set()
    seen: set[int] = set()
    with translation.override(settings.LANGUAGE_CODE):
        while _batch(now, batch_size, failed, seen, totals):
            pass
    return {
        k: totals[k]
        for k in ("deadlines", "reminded", "escalated", "skipped", "already_sent", "failed")
    }


@jobs.job("deadlines.provisional", every_seconds=3600)
def provisional() -> dict[str, int]:
    """Recount provisional deadlines whose years have been completed since they were opened."""
    from wulian.core.deadlines.services import provisional_reconcile

    with translation.override(settings.LANGUAGE_CODE):
        return {"moved": provisional_reconcile()}
