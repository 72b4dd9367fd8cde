"""Writes to deadlines and the holiday calendar.

A record's app opens a deadline inside its own service (e.g. when a suggestion is assigned):

    deadline_open(
        actor=actor, record=suggestion, kind="contact", title="联系领衔代表",
        rule=Rule.hours(48), responsible_org=unit, assigner_org=office,
        manage_action="suggestions.suggestion.assign",
        escalate_after=WorkingDays(1), escalate_to=[supervision_office, stationed_group],
    )

Every service: access check → transaction → lock the row → validate → save → audit (and the
outbox messages it announces) in the same transaction. Audit events of a deadline target the
record it belongs to, so that they appear on that record's trail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, records, versioned
from wulian.core.access import Actor
from wulian.core.choices import OFFICE_ROLES
from wulian.core.deadlines import rules, seed, statutory, workcalendar
from wulian.core.deadlines.choices import (
    LIVE_STATES,
    DayKind,
    DeadlineState,
    Decision,
    EscalateUnit,
    RuleKind,
)
from wulian.core.deadlines.models import (
    CalendarDay,
    CalendarYear,
    Deadline,
    DeadlinePoint,
    ExtensionRequest,
)
from wulian.core.deadlines.rules import Rule, WorkingDays
from wulian.core.deadlines.selectors import live_deadline
from wulian.core.errors import (
    ConcurrentEdit,
    ConfirmationNeeded,
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import Organisation
from wulian.core.notifications import outbox
from wulian.core.selectors import seat_holders

MAX_AMOUNT = {RuleKind.HOURS: 24 * 366, RuleKind.WORKING_DAYS: 500, RuleKind.MONTHS: 60}
MAX_REMINDERS = 5
SCHEDULE_FIELDS = [
    "due_at",
    "escalate_at",
    "schedule",
    "next_point",
    "next_point_at",
    "provisional",
]
CLOSE_FIELDS = ["state", "paused_at", "closed_at", "closed_by", "next_point", "next_point_at"]


# --- Helpers --------------------------------------------------------------------------------


def _stale() -> ConcurrentEdit:
    return ConcurrentEdit(_("该期限已被他人修改，您的操作未执行。请刷新页面查看最新内容后再操作。"))


def _fmt(at: datetime | None) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at else ""


def _lock(deadline_id: int, version: int | None = None) -> Deadline:
    try:
        deadline = Deadline.objects.select_for_update().get(pk=deadline_id)
    except Deadline.DoesNotExist:
        raise ValidationFailed(_("期限不存在或已被删除。")) from None
    if version is not None and deadline.version != version:
        raise _stale()
    return deadline


def _require_state(deadline: Deadline, *states: str) -> None:
    if deadline.state not in states:
        raise TransitionNotAllowed(
            _("该期限当前状态为“%(state)s”，不能执行此操作。")
            % {"state": deadline.get_state_display()}
        )


def _rule(deadline: Deadline) -> Rule:
    return Rule(deadline.rule_kind, deadline.rule_amount)


def _snapshot(deadline: Deadline) -> dict[str, Any]:
    return {
        "deadline": deadline.pk,
        "kind": deadline.kind,
        "state": deadline.state,
        "due_at": deadline.due_at,
    }


def _audit(
    action: str, actor: Actor | None, deadline: Deadline, record: Any = None, **kw: Any
) -> None:
    record = record if record is not None else deadline.record
    audit.record(
        action=action,
        actor=actor,
        target=record if record is not None else deadline,
        organisation_id=kw.pop("organisation_id", deadline.assigner_org_id),
        **kw,
    )


def desk_users(org_ids: Iterable[int], *, role: str = "") -> dict[int, list[Any]]:
    """Active desk staff (staff, leader, clue officer, liaison) of each organisation — or only
    the holders of `role` — with one query: {organisation id: [user, …]}."""
    return seat_holders(org_ids, [role] if role else OFFICE_ROLES)


def responsible_users(deadline: Deadline) -> list[Any]:
    """Who answers for a deadline: its responsible person, or the responsible organisation's
    desk staff (only the holders of `responsible_role` where the deadline names one)."""
    if deadline.responsible_user is not None and deadline.responsible_user.is_active:
        return [deadline.responsible_user]
    org_id = deadline.responsible_org_id
    return desk_users([org_id], role=deadline.responsible_role).get(org_id, [])


def _users_of(*org_ids: int) -> list[Any]:
    by_org = desk_users(org_ids)
    return [u for oid in org_ids for u in by_org.get(oid, [])]


def _counts_working_days(deadline: Deadline) -> bool:
    return (
        deadline.rule_kind == RuleKind.WORKING_DAYS
        or deadline.escalate_after_unit == EscalateUnit.WORKING_DAYS
    )


def _provisional(deadline: Deadline) -> bool:
    """Whether the due date rests on a year the calendar does not hold complete: a working-day
    rule counted (from the start, or by a pause's shift) into such a year. An extension's date
    is a date a person chose, not a count."""
    if deadline.generation and not deadline.paused_working_days:
        return False
    return rules.provisional(_rule(deadline), deadline.start, deadline.due_at)


def reschedule(deadline: Deadline) -> None:
    """Recompute the escalation time, the stored schedule, the sweep's next point and whether
    the due date is provisional (not saved). Points already dealt with (sent or skipped) are
    not scheduled again."""
    deadline.provisional = _provisional(deadline)
    deadline.escalate_at = rules.escalate_at(
        deadline.due_at, deadline.escalate_after_amount, deadline.escalate_after_unit
    )
    points = rules.schedule(
        rule=_rule(deadline),
        start=deadline.start,
        original_due=deadline.original_due_at,
        due=deadline.due_at,
        reminder_points=list(deadline.reminder_points),
        escalate=deadline.escalate_at,
        generation=deadline.generation,
    )
    done = (
        set(DeadlinePoint.objects.filter(deadline=deadline).values_list("point", flat=True))
        if deadline.pk
        else set()
    )
    deadline.schedule = rules.stored(points)
    pending = [p for p in points if p["point"] not in done]
    deadline.next_point = pending[0]["point"] if pending else ""
    deadline.next_point_at = pending[0]["at"] if pending else None


def _as_due(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return rules.at_local(value, rules.END_OF_DAY)


def _escalate_after(value: timedelta | WorkingDays | None) -> tuple[int, str]:
    if value is None:
        return 0, EscalateUnit.HOURS
    if isinstance(value, WorkingDays):
        if value.n < 0:
            raise ValueError("escalate_after must not be negative")
        return value.n, EscalateUnit.WORKING_DAYS
    hours, rest = divmod(value.total_seconds(), 3600)
    if rest or hours < 0:
        raise ValueError("escalate_after must be a whole, non-negative number of hours")
    return int(hours), EscalateUnit.HOURS


def _check_points(points: Sequence[int]) -> list[int]:
    values = sorted(set(points))
    if len(values) > MAX_REMINDERS or any(
        not isinstance(p, int) or not 0 < p < 100 for p in values
    ):
        raise ValidationFailed(
            _("提醒节点须为 1 到 99 之间的百分比，最多 %(n)d 个。") % {"n": MAX_REMINDERS},
            field_errors={"reminder_points": [_("提醒节点须为 1 到 99 之间的百分比。")]},
        )
    return values


# --- Deadlines ------------------------------------------------------------------------------


def deadline_open(
    *,
    actor: Actor,
    record: Any,
    kind: str,
    title: str,
    rule: Rule,
    responsible_org: Organisation,
    assigner_org: Organisation,
    manage_action: str | None = None,
    start: datetime | None = None,
    responsible_user: Any = None,
    responsible_role: str = "",
    reminder_points: Sequence[int] = (50, 80),
    escalate_after: timedelta | WorkingDays | None = None,
    escalate_to: Iterable[Organisation] = (),
    url: str = "",
) -> Deadline:
    """Start the clock on `record`. `manage_action` is the record app's action that governs
    the deadline (default `<app_label>.<model>.manage`); the actor must hold it on the record.
    `kind` names which of the record's deadlines this is: one live deadline per kind."""
    manage_action = manage_action or f"{records.record_label(record)}.manage"
    if manage_action not in access.registered_actions():
        raise LookupError(f"no access rule is registered for {manage_action!r}")
    access.require(actor, manage_action, record)
    records.require_view(actor, record)
    if rule.kind not in MAX_AMOUNT:
        raise ValueError(f"unknown rule kind {rule.kind!r}")
    if not 0 < rule.amount <= MAX_AMOUNT[rule.kind]:
        raise ValidationFailed(
            _("期限长度须在 1 到 %(max)d 之间。") % {"max": MAX_AMOUNT[rule.kind]},
            field_errors={"rule_amount": [_("期限长度超出范围。")]},
        )
    if not kind.strip() or not title.strip():
        raise ValidationFailed(_("请填写期限类别和事项名称。"))
    points = _check_points(reminder_points)
    esc_amount, esc_unit = _escalate_after(escalate_after)
    start = start or timezone.now()
    due = rules.due_at(rule, start)  # provisional in a year the calendar does not hold complete
    escalate_orgs = list({o.pk: o for o in escalate_to}.values())
    if not url:
        get_url = getattr(record, "get_absolute_url", None)
        url = get_url() if callable(get_url) else ""
    deadline = Deadline(
        **records.reference(record),
        kind=kind.strip()[:40],
        title=title.strip()[:200],
        url=url[:500],
        manage_action=manage_action,
        assigner_org=assigner_org,
        responsible_org=responsible_org,
        responsible_user=responsible_user,
        responsible_role=responsible_role,
        rule_kind=rule.kind,
        rule_amount=rule.amount,
        start=start,
        due_at=due,
        original_due_at=due,
        reminder_points=points,
        escalate_after_amount=esc_amount,
        escalate_after_unit=esc_unit,
        opened_by=getattr(access.as_actor(actor), "user", None),
    )
    reschedule(deadline)
    with transaction.atomic():
        try:
            with transaction.atomic():
                deadline.save(force_insert=True)
        except IntegrityError:
            raise RuleViolation(
                _("该记录已有一个进行中的同类期限（%(kind)s），请先办结或取消它。") % {"kind": kind}
            ) from None
        if escalate_orgs:
            deadline.escalate_to.set(escalate_orgs)
        _audit(
            "deadlines.deadline.opened",
            actor,
            deadline,
            record,
            after={
                **_snapshot(deadline),
                "title": deadline.title,
                "rule": [rule.kind, rule.amount],
                "start": start,
                "responsible_org": responsible_org.pk,
                "assigner_org": assigner_org.pk,
                "reminder_points": points,
                "escalate_at": deadline.escalate_at,
                "escalate_to": [o.pk for o in escalate_orgs],
            },
        )
    return deadline


def deadline_pause(
    *, actor: Actor, deadline_id: int, version: int | None = None, reason: str = ""
) -> Deadline:
    """Stop the clock (e.g. while waiting on an outside party). No reminder is sent while
    paused; resuming moves the due date by the paused time."""
    with transaction.atomic():
        deadline = _lock(deadline_id, version)
        access.require(actor, "deadlines.deadline.manage", deadline)
        _require_state(deadline, DeadlineState.OPEN)
        before = _snapshot(deadline)
        now = timezone.now()
        versioned.save(deadline, state=DeadlineState.PAUSED, paused_at=now)
        _audit(
            "deadlines.deadline.paused",
            actor,
            deadline,
            before=before,
            after={**_snapshot(deadline), "paused_at": now, "reason": reason[:500]},
        )
        outbox.enqueue(
            kind="deadlines.deadline.paused",
            recipients=responsible_users(deadline),
            title=_("期限已暂停计时：%(title)s") % {"title": deadline.title},
            body=reason[:500],
            url=deadline.link,
            dedupe=f"deadline:{deadline.pk}:paused:{deadline.version}",
        )
    return deadline


def deadline_resume(*, actor: Actor, deadline_id: int, version: int | None = None) -> Deadline:
    """Restart the clock; the due date moves by the paused time in the rule's own units
    (working days for a working-day rule, calendar days for a month rule, time for hours)."""
    with transaction.atomic():
        deadline = _lock(deadline_id, version)
        access.require(actor, "deadlines.deadline.manage", deadline)
        _require_state(deadline, DeadlineState.PAUSED)
        before = _snapshot(deadline)
        now = timezone.now()
        assert deadline.paused_at is not None
        new_due, (shift, unit) = rules.shift_after_pause(
            _rule(deadline), deadline.due_at, deadline.paused_at, now
        )
        deadline.paused_total += now - deadline.paused_at
        if unit == "working_days":
            deadline.paused_working_days += int(shift)
        deadline.paused_at = None
        deadline.state = DeadlineState.OPEN
        deadline.due_at = new_due
        reschedule(deadline)
        deadline.version += 1
        deadline.save(
            update_fields=[
                *SCHEDULE_FIELDS,
                "state",
                "paused_at",
                "paused_total",
                "paused_working_days",
                "version",
                "updated_at",
            ]
        )
        _audit(
            "deadlines.deadline.resumed",
            actor,
            deadline,
            before=before,
            after={**_snapshot(deadline), "shift": [shift, unit]},
        )
        outbox.enqueue(
            kind="deadlines.deadline.resumed",
            recipients=responsible_users(deadline),
            title=_("期限已恢复计时：%(title)s") % {"title": deadline.title},
            body=_("截止时间：%(due)s") % {"due": _fmt(deadline.due_at)},
            url=deadline.link,
            dedupe=f"deadline:{deadline.pk}:resumed:{deadline.version}",
        )
    return deadline


def meet_live(*, actor: Actor, record: Any, kind: str) -> Deadline | None:
    """The record's live deadline of `kind` met, if it has one: the step it waited for was
    taken (issue 12: each service looked it up and met it the same way)."""
    deadline = live_deadline(record, kind)
    if deadline is not None:
        deadline_meet(actor=actor, deadline_id=deadline.pk)
    return deadline


def deadline_meet(*, actor: Actor, deadline_id: int, version: int | None = None) -> Deadline:
    """Close the deadline: met when closed by the due time (a paused clock counts as stopped
    when it was paused), missed when closed after it."""
    with transaction.atomic():
        deadline = _lock(deadline_id, version)
        access.require(actor, "deadlines.deadline.meet", deadline)
        _require_state(deadline, *LIVE_STATES)
        before = _snapshot(deadline)
        now = timezone.now()
        stopped_at = deadline.paused_at or now
        deadline.state = (
            DeadlineState.MET if stopped_at <= deadline.due_at else DeadlineState.MISSED
        )
        deadline.paused_at = None
        deadline.closed_at = now
        deadline.closed_by = getattr(access.as_actor(actor), "user", None)
        deadline.next_point, deadline.next_point_at = "", None
        deadline.version += 1
        deadline.save(update_fields=[*CLOSE_FIELDS, "version", "updated_at"])
        _audit(
            f"deadlines.deadline.{deadline.state}",
            actor,
            deadline,
            before=before,
            after={**_snapshot(deadline), "closed_at": now},
        )
        _settle_messages(deadline)
    return deadline


def _settle_messages(deadline: Deadline) -> None:
    """The work is done (or no longer asked): the messages that asked for it are read."""
    outbox.settle(url=deadline.link, user_ids=[u.pk for u in responsible_users(deadline)])


def deadline_cancel(
    *, actor: Actor, deadline_id: int, version: int | None = None, reason: str = ""
) -> Deadline:
    with transaction.atomic():
        deadline = _lock(deadline_id, version)
        access.require(actor, "deadlines.deadline.manage", deadline)
        _require_state(deadline, *LIVE_STATES)
        before = _snapshot(deadline)
        deadline.state = DeadlineState.CANCELLED
        deadline.paused_at = None
        deadline.closed_at = timezone.now()
        deadline.closed_by = getattr(access.as_actor(actor), "user", None)
        deadline.next_point, deadline.next_point_at = "", None
        deadline.version += 1
        deadline.save(update_fields=[*CLOSE_FIELDS, "version", "updated_at"])
        _audit(
            "deadlines.deadline.cancelled",
            actor,
            deadline,
            before=before,
            after={**_snapshot(deadline), "reason": reason[:500]},
        )
        _settle_messages(deadline)
    return deadline


# --- Extensions -----------------------------------------------------------------------------

# Deadline kinds whose extensions belong to the record's own app (its limits, its notices, its
# ledger): the app registers them from its AppConfig.ready() and calls the extension services
# with `owner=True` from its own service; the generic pages (and any other caller) are refused.
_OWNED_KINDS: set[str] = set()


def own_extensions(*kinds: str) -> None:
    """Declare that extensions of these deadline kinds go through the record's own app."""
    _OWNED_KINDS.update(kinds)


def extensions_owned(deadline: Deadline) -> bool:
    return deadline.kind in _OWNED_KINDS


def _require_owner(deadline: Deadline, owner: bool) -> None:
    if not owner and extensions_owned(deadline):
        raise RuleViolation(
            _("该期限的延期须在所属事项的页面上申请和审批：%(url)s") % {"url": deadline.link}
        )


def extension_request(
    *,
    actor: Actor,
    deadline_id: int,
    new_due: datetime | date,
    reason: str,
    version: int | None = None,
    owner: bool = False,
) -> ExtensionRequest:
    """The handler (the responsible organisation) asks for a later due date. `owner`: called
    by the service of the app that owns this kind's extensions (`own_extensions`)."""
    new_due_at = _as_due(new_due)
    with transaction.atomic():
        deadline = _lock(deadline_id, version)
        actor = access.require(actor, "deadlines.extension.request", deadline)
        _require_owner(deadline, owner)
        _require_state(deadline, *LIVE_STATES)
        errors: dict[str, list[str]] = {}
        if not reason.strip():
            errors["reason"] = [_("请说明延期理由。")]
        if new_due_at <= deadline.due_at:
            errors["new_due"] = [
                _("申请延至的时间须晚于当前截止时间（%(due)s）。") % {"due": _fmt(deadline.due_at)}
            ]
        if errors:
            raise ValidationFailed(_("延期申请未提交，请按提示更正。"), field_errors=errors)
        request = ExtensionRequest(
            deadline=deadline,
            requested_by=actor.user,
            due_before=deadline.due_at,
            new_due_at=new_due_at,
            reason=reason.strip(),
        )
        try:
            with transaction.atomic():
                request.save(force_insert=True)
        except IntegrityError:
            raise RuleViolation(_("该期限已有一份待审批的延期申请，请等待交办单位审批。")) from None
        _audit(
            "deadlines.deadline.extension_requested",
            actor,
            deadline,
            organisation_id=deadline.responsible_org_id,
            after={
                **_snapshot(deadline),
                "extension": request.pk,
                "new_due_at": new_due_at,
                "reason": request.reason[:500],
            },
        )
        outbox.enqueue(
            kind="deadlines.deadline.extension_requested",
            recipients=_users_of(deadline.assigner_org_id),
            title=_("延期申请待审批：%(title)s") % {"title": deadline.title},
            body=_("申请由 %(old)s 延至 %(new)s。理由：%(reason)s")
            % {"old": _fmt(deadline.due_at), "new": _fmt(new_due_at), "reason": request.reason},
            url=deadline.link,
            dedupe=f"deadline:{deadline.pk}:extension:{request.pk}:requested",
        )
    return request


def _decide(
    actor: Actor, extension_id: int, owner: bool = False
) -> tuple[ExtensionRequest, Deadline, access.Actor]:
    deadline_id = (
        ExtensionRequest.objects.filter(pk=extension_id)
        .values_list("deadline_id", flat=True)
        .first()
    )
    if deadline_id is None:
        raise ValidationFailed(_("延期申请不存在。"))
    deadline = _lock(deadline_id)  # the deadline first, as every other service locks it
    request = ExtensionRequest.objects.select_for_update().get(pk=extension_id)
    actor = access.require(actor, "deadlines.extension.decide", deadline)
    _require_owner(deadline, owner)
    if request.decision != Decision.PENDING:
        raise TransitionNotAllowed(
            _("该延期申请已处理（%(decision)s）。") % {"decision": request.get_decision_display()}
        )
    _require_state(deadline, *LIVE_STATES)
    return request, deadline, actor


def _move(deadline: Deadline, due_at: datetime) -> None:
    """An extension takes effect: the new due date, the reminders and escalation rescheduled
    from it (a new generation of reminder points: each is sent once for the new date)."""
    deadline.due_at = due_at
    deadline.generation += 1
    reschedule(deadline)
    deadline.version += 1
    deadline.save(update_fields=[*SCHEDULE_FIELDS, "generation", "version", "updated_at"])


def extension_approve(
    *, actor: Actor, extension_id: int, note: str = "", owner: bool = False
) -> ExtensionRequest:
    """The assigner approves: the due date becomes the requested one, and the reminders of the
    new schedule are new points (sent again, once each)."""
    with transaction.atomic():
        request, deadline, actor = _decide(actor, extension_id, owner)
        now = timezone.now()
        if request.new_due_at <= now:
            raise ValidationFailed(
                _("申请延至的时间（%(due)s）已过，不能同意。请退回，由承办单位重新申请。")
                % {"due": _fmt(request.new_due_at)}
            )
        before = _snapshot(deadline)
        request.decision = Decision.APPROVED
        request.decided_by = actor.user
        request.decided_at = now
        request.decision_note = note.strip()
        request.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
        _move(deadline, request.new_due_at)
        _audit(
            "deadlines.deadline.extension_approved",
            actor,
            deadline,
            before=before,
            after={**_snapshot(deadline), "extension": request.pk, "note": note[:500]},
        )
        outbox.enqueue(
            kind="deadlines.deadline.extension_approved",
            recipients=[request.requested_by, *responsible_users(deadline)],
            title=_("延期申请已同意：%(title)s") % {"title": deadline.title},
            body=_("新的截止时间：%(due)s") % {"due": _fmt(deadline.due_at)},
            url=deadline.link,
            dedupe=f"deadline:{deadline.pk}:extension:{request.pk}:decided",
        )
    return request


def extension_grant(
    *,
    actor: Actor,
    deadline_id: int,
    new_due: datetime | date,
    reason: str,
    note: str = "",
    owner: bool = False,
) -> ExtensionRequest:
    """The assigner moves the due date on its own decision, without a request of the handler;
    the request and its approval are recorded together (decided by the actor). For an owning
    app that extends the deadlines going with one whose extension it has just approved (a
    merged suggestion's with its primary's). Refused while a request of the handler waits."""
    new_due_at = _as_due(new_due)
    with transaction.atomic():
        deadline = _lock(deadline_id)
        actor = access.require(actor, "deadlines.extension.decide", deadline)
        _require_owner(deadline, owner)
        _require_state(deadline, *LIVE_STATES)
        now = timezone.now()
        errors: dict[str, list[str]] = {}
        if not reason.strip():
            errors["reason"] = [_("请说明延期理由。")]
        if new_due_at <= deadline.due_at or new_due_at <= now:
            errors["new_due"] = [
                _("延至的时间须晚于当前截止时间（%(due)s）和现在。")
                % {"due": _fmt(deadline.due_at)}
            ]
        if errors:
            raise ValidationFailed(_("未延期，请按提示更正。"), field_errors=errors)
        if deadline.extensions.filter(decision=Decision.PENDING).exists():
            raise RuleViolation(
                _("该期限有一份待审批的延期申请，请先审批该申请：%(url)s") % {"url": deadline.link}
            )
        before = _snapshot(deadline)
        request = ExtensionRequest.objects.create(
            deadline=deadline,
            requested_by=actor.user,
            due_before=deadline.due_at,
            new_due_at=new_due_at,
            reason=reason.strip(),
            decision=Decision.APPROVED,
            decided_by=actor.user,
            decided_at=now,
            decision_note=note.strip(),
        )
        _move(deadline, new_due_at)
        _audit(
            "deadlines.deadline.extension_approved",
            actor,
            deadline,
            before=before,
            after={
                **_snapshot(deadline),
                "extension": request.pk,
                "granted": True,
                "reason": request.reason[:500],
                "note": note[:500],
            },
        )
        outbox.enqueue(
            kind="deadlines.deadline.extension_approved",
            recipients=responsible_users(deadline),
            title=_("期限已延长：%(title)s") % {"title": deadline.title},
            body=_("新的截止时间：%(due)s") % {"due": _fmt(deadline.due_at)},
            url=deadline.link,
            dedupe=f"deadline:{deadline.pk}:extension:{request.pk}:decided",
        )
    return request


def extension_refuse(
    *, actor: Actor, extension_id: int, note: str, owner: bool = False
) -> ExtensionRequest:
    with transaction.atomic():
        request, deadline, actor = _decide(actor, extension_id, owner)
        if not note.strip():
            raise ValidationFailed(
                _("请填写不同意延期的理由。"), field_errors={"note": [_("请填写审批意见。")]}
            )
        request.decision = Decision.REFUSED
        request.decided_by = actor.user
        request.decided_at = timezone.now()
        request.decision_note = note.strip()
        request.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
        _audit(
            "deadlines.deadline.extension_refused",
            actor,
            deadline,
            after={**_snapshot(deadline), "extension": request.pk, "note": note[:500]},
        )
        outbox.enqueue(
            kind="deadlines.deadline.extension_refused",
            recipients=[request.requested_by],
            title=_("延期申请未获同意：%(title)s") % {"title": deadline.title},
            body=_("截止时间仍为 %(due)s。审批意见：%(note)s")
            % {"due": _fmt(deadline.due_at), "note": request.decision_note},
            url=deadline.link,
            dedupe=f"deadline:{deadline.pk}:extension:{request.pk}:decided",
        )
    return request


# --- The holiday calendar -------------------------------------------------------------------


def _calendar_actor(actor: Actor | None) -> Any:
    """`None` is the server's operator at the command line (`wulian calendar import`);
    everyone else needs the system administrator's right."""
    if actor is None:
        return None
    return access.require(actor, "deadlines.calendar.manage")


def _bump(year: CalendarYear) -> None:
    CalendarYear.objects.filter(pk=year.pk).update(revision=year.revision + 1)
    year.revision += 1
    workcalendar.invalidate()


def _year_for_update(year: int, *, create: bool) -> CalendarYear:
    if create:
        CalendarYear.objects.get_or_create(year=year)
    try:
        return CalendarYear.objects.select_for_update().get(year=year)
    except CalendarYear.DoesNotExist:
        raise ValidationFailed(_("日历中没有 %(year)d 年。") % {"year": year}) from None


def calendar_day_add(*, actor: Actor | None, day: date, kind: str, name: str = "") -> CalendarDay:
    actor = _calendar_actor(actor)
    if kind not in DayKind.values:
        raise ValidationFailed(_("请选择日期类型。"), field_errors={"kind": [_("请选择类型。")]})
    if not 2000 <= day.year <= 2100:
        raise ValidationFailed(
            _("日期超出范围。"), field_errors={"day": [_("请填写 2000—2100 年之间的日期。")]}
        )
    errors: dict[str, list[str]] = {}
    if kind == DayKind.MAKEUP_WORKDAY and day.weekday() < 5:
        errors["day"] = [_("调休上班日应为周六或周日；周一至周五本来就是工作日。")]
    if errors:
        raise ValidationFailed(_("未添加，请按提示更正。"), field_errors=errors)
    with transaction.atomic():
        year = _year_for_update(day.year, create=True)
        if CalendarDay.objects.filter(date=day).exists():
            raise ValidationFailed(
                _("%(day)s 已在日历中，请先删除原记录再添加。") % {"day": day.isoformat()},
                field_errors={"day": [_("该日期已录入。")]},
            )
        entry = CalendarDay.objects.create(
            calendar_year=year,
            date=day,
            kind=kind,
            name=name.strip()[:60],
            created_by=getattr(actor, "user", None),
        )
        _bump(year)
        audit.event(
            actor,
            "deadlines.calendar.day_added",
            year,
            after={"date": day, "kind": kind, "name": entry.name},
        )
    return entry


def calendar_day_remove(*, actor: Actor | None, day_id: int) -> None:
    actor = _calendar_actor(actor)
    with transaction.atomic():
        entry = CalendarDay.objects.select_for_update().filter(pk=day_id).first()
        if entry is None:
            raise ValidationFailed(_("该日期已不在日历中。"))
        year = _year_for_update(entry.date.year, create=False)
        before = {"date": entry.date, "kind": entry.kind, "name": entry.name}
        entry.delete()
        _bump(year)
        audit.event(actor, "deadlines.calendar.day_removed", year, before=before)


def _missing_statutory_days(entry: CalendarYear) -> list[str]:
    """The days off the law fixes (补假 aside) that the year's entries do not hold as holidays."""
    entered = set(entry.days.filter(kind=DayKind.HOLIDAY).values_list("date", flat=True))
    return [
        f"{d.isoformat()} {name}"
        for d, name in sorted(statutory.holidays(entry.year).items())
        if "补假" not in name and d not in entered
    ]


# A year has at least seven days off (one for each of 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节
# and 国庆节; the law gives 13 since 2025, 11 before): fewer entered is no year's notice.
MIN_HOLIDAYS = 7


def calendar_year_check(*, actor: Actor | None, year: int) -> list[str]:
    """What marking `year` complete would need confirmed — the warnings about unusual entries
    (no day off entered, a day off the law fixes missing) — or the refusal: the year is
    complete already, or it is implausible (fewer than MIN_HOLIDAYS days off entered: a year
    with one day entered is not finished, whatever the person confirms)."""
    actor = _calendar_actor(actor)
    entry = CalendarYear.objects.filter(year=year).first()
    if entry is None:
        raise ValidationFailed(_("日历中没有 %(year)d 年。") % {"year": year})
    if entry.complete:
        raise TransitionNotAllowed(_("%(year)d 年已标记为完整。") % {"year": year})
    return _year_warnings(entry)


def _year_warnings(entry: CalendarYear) -> list[str]:
    year = entry.year
    holidays = entry.days.filter(kind=DayKind.HOLIDAY).count()
    if holidays < MIN_HOLIDAYS:
        raise ValidationFailed(
            _(
                "%(year)d 年只录入了 %(n)d 天法定节假日，不像完整的一年：每年至少有元旦、春节、"
                "清明节、劳动节、端午节、中秋节、国庆节共 %(min)d 个以上的假日。请按国务院办公厅"
                "通知录入全年的放假和调休安排后再标记完整。"
            )
            % {"year": year, "n": holidays, "min": MIN_HOLIDAYS}
        )
    missing = _missing_statutory_days(entry)
    if missing:
        return [
            _(
                "%(year)d 年的录入中没有以下法定节假日：%(days)s。请核对国务院办公厅通知；"
                "如确实如此，请勾选“确认标记完整”后再提交。"
            )
            % {"year": year, "days": "、".join(missing)}
        ]
    return []


def calendar_year_complete(
    *, actor: Actor | None, year: int, confirm: bool = False
) -> CalendarYear:
    """Mark a year complete: from now on working days in it are counted on the table, and
    every live deadline counted provisionally on it is recomputed in the same transaction.
    A year without a day off the law fixes needs `confirm`; an implausible one (fewer than
    MIN_HOLIDAYS days off entered) is refused (`calendar_year_check`)."""
    actor = _calendar_actor(actor)
    with transaction.atomic():
        entry = _year_for_update(year, create=False)
        if entry.complete:
            raise TransitionNotAllowed(_("%(year)d 年已标记为完整。") % {"year": year})
        warnings = _year_warnings(entry)
        if warnings and not confirm:
            raise ConfirmationNeeded(warnings[0])
        entry.complete = True
        entry.completed_at = timezone.now()
        entry.completed_by = getattr(actor, "user", None)
        entry.save(update_fields=["complete", "completed_at", "completed_by", "updated_at"])
        _bump(entry)
        audit.event(
            actor,
            "deadlines.calendar.year_completed",
            entry,
            after={"year": year, "days": entry.days.count(), "confirmed": confirm},
        )
        provisional_recompute(actor=actor, years=[year])
    return entry


def calendar_year_import(*, actor: Actor | None, year: int) -> CalendarYear:
    """Import a year from the installed `chinesecalendar` package and mark it complete.
    Refused when the package does not cover the year or the table already has days in it."""
    actor = _calendar_actor(actor)
    if year not in seed.package_years():
        years = seed.package_years()
        raise ValidationFailed(
            _(
                "已安装的 chinesecalendar %(version)s 只包含 %(first)d—%(last)d 年，没有 "
                "%(year)d 年。请升级该软件包，或在“节假日日历”页面按国务院办公厅通知手工录入。"
            )
            % {
                "version": seed.package_version(),
                "first": years[0],
                "last": years[-1],
                "year": year,
            }
        )
    with transaction.atomic():
        entry = _year_for_update(year, create=True)
        if entry.days.exists():
            raise RuleViolation(
                _("%(year)d 年已有录入的日期，未导入。如需重新导入，请先逐条删除。")
                % {"year": year}
            )
        rows = seed.package_days(year)
        user = getattr(actor, "user", None)
        CalendarDay.objects.bulk_create(
            CalendarDay(calendar_year=entry, date=d, kind=k, name=n, created_by=user)
            for d, k, n in rows
        )
        entry.complete = True
        entry.source = f"{seed.SOURCE} {seed.package_version()}"
        entry.completed_at = timezone.now()
        entry.completed_by = user
        entry.save(update_fields=["complete", "source", "completed_at", "completed_by"])
        _bump(entry)
        audit.event(
            actor,
            "deadlines.calendar.year_imported",
            entry,
            after={"year": year, "days": len(rows), "source": entry.source},
        )
        provisional_recompute(actor=actor, years=[year])
    return entry


# --- Provisional deadlines ------------------------------------------------------------------

# Deadline kinds whose record keeps its own copy of the due date (an assignment's 签收或退回
# 截止): kind → function(deadline), called when a recomputation moves the due date.
_MOVED: dict[str, Callable[[Deadline], None]] = {}
# Apps' own working-day dates that are not deadlines (a supervision order's report date):
# function(actor, years) → how many it moved, called in the completing transaction.
_YEAR_HOOKS: list[Callable[[Any, list[int]], int]] = []


def on_moved(kind: str, fn: Callable[[Deadline], None]) -> None:
    """Keep a record's copy of a deadline's due date in step when the calendar moves it."""
    _MOVED[kind] = fn


def on_year_completed(fn: Callable[[Any, list[int]], int]) -> None:
    """Recompute an app's own provisional working-day dates when a year is completed."""
    _YEAR_HOOKS.append(fn)


def _year_span(years: list[int]) -> tuple[datetime, datetime]:
    return (
        rules.at_local(date(min(years), 1, 1), time.min),
        rules.at_local(date(max(years), 12, 31), rules.END_OF_DAY),
    )


def provisional_recompute(*, actor: Actor | None, years: Iterable[int]) -> int:
    """Recount every live deadline whose working days reach into `years` (just completed):
    its due date from the start, the rule and the paused working days; its reminders and
    escalation from that. Each moved due date is an audit event and the responsible people are
    told the new date; points already sent are not sent again; met, missed and cancelled
    deadlines are never touched; a due date is never moved before the end of today (nobody is
    made overdue by the calendar) nor, when already passed, earlier than it was. Runs inside
    the caller's transaction. Returns how many due dates moved."""
    years = sorted(set(years))
    if not years:
        return 0
    workcalendar.invalidate()
    first, last = _year_span(years)
    end_of_today = rules.at_local(timezone.localdate(), rules.END_OF_DAY)
    moved = 0
    deadlines = (
        Deadline.objects.select_for_update()
        .filter(state__in=LIVE_STATES, start__lte=last, escalate_at__gte=first)
        .filter(
            Q(rule_kind=RuleKind.WORKING_DAYS) | Q(escalate_after_unit=EscalateUnit.WORKING_DAYS)
        )
        .order_by("pk")
    )
    for deadline in deadlines:
        before = _snapshot(deadline)
        old_due, was_provisional = deadline.due_at, deadline.provisional
        if was_provisional and deadline.rule_kind == RuleKind.WORKING_DAYS:
            start_day = rules.local_date(deadline.start)
            deadline.original_due_at = rules.due_at(_rule(deadline), deadline.start)
            if not deadline.generation:
                day = workcalendar.add_working_days(
                    start_day, deadline.rule_amount + deadline.paused_working_days
                )
                # Never earlier than the end of today, nor than a due date already passed: the
                # calendar makes nobody overdue, and an overdue deadline stays as late as it was.
                floor = min(old_due, end_of_today)
                deadline.due_at = max(rules.at_local(day, rules.END_OF_DAY), floor)
        reschedule(deadline)
        deadline.version += 1
        deadline.save(update_fields=[*SCHEDULE_FIELDS, "original_due_at", "version", "updated_at"])
        if deadline.due_at == old_due:
            continue
        moved += 1
        _audit(
            "deadlines.deadline.recalculated",
            None,
            deadline,
            before=before,
            after={**_snapshot(deadline), "years": years, "provisional": deadline.provisional},
        )
        outbox.enqueue(
            kind="deadlines.deadline.recalculated",
            recipients=responsible_users(deadline),
            title=_("期限已按 %(years)s 年节假日安排重新计算：%(title)s")
            % {"years": "、".join(str(y) for y in years), "title": deadline.title},
            body=_("新的截止时间：%(due)s（原暂定为 %(old)s）。")
            % {"due": _fmt(deadline.due_at), "old": _fmt(old_due)},
            url=deadline.link,
            dedupe=f"deadline:{deadline.pk}:recalculated:{deadline.version}",
        )
        hook = _MOVED.get(deadline.kind)
        if hook is not None:
            hook(deadline)
    for fn in _YEAR_HOOKS:
        moved += fn(actor, years)
    return moved


def provisional_reconcile() -> int:
    """Recompute provisional deadlines whose years are complete by now (a process that still
    held the old calendar may have opened one while a year was being completed). Run by the
    `deadlines.provisional` job; returns how many due dates moved."""
    workcalendar.invalidate()
    cal = workcalendar.snapshot()
    years: set[int] = set()
    rows = Deadline.objects.filter(provisional=True, state__in=LIVE_STATES).values_list(
        "start", "due_at"
    )
    for start, due in rows.iterator():
        span = range(rules.local_date(start).year, rules.local_date(due).year + 1)
        years.update(y for y in span if cal.is_complete(y))
    if not years:
        return 0
    with transaction.atomic():
        return provisional_recompute(actor=None, years=sorted(years))
