"""Joint supervision (联督): orders issued, answered, closed, escalated; the periodic
escalation of overdue replies."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.choices import OrgKind
from wulian.core.deadlines import rules as deadline_rules
from wulian.core.deadlines.rules import Rule
from wulian.core.errors import (
    RuleViolation,
    TransitionNotAllowed,
)
from wulian.core.models import Organisation
from wulian.core.notifications import outbox
from wulian.core.selectors import users_holding
from wulian.suggestions.choices import (
    SupervisionKind,
    SupervisionState,
)
from wulian.suggestions.models import (
    Assignment,
    Suggestion,
    SupervisionOrder,
)
from wulian.suggestions.policies import (
    DESK_ROLES,
    assigning_org_ids,
)
from wulian.suggestions.services import reopening
from wulian.suggestions.services._common import (
    MAX_NOTE,
    S,
    _day,
    _digest,
    _fail,
    _found,
    _get,
    _gov_office_users,
    _lock,
    _locked,
    _notify,
    _office_users,
    _text,
    _title,
)

# --- Supervision (联督) ---------------------------------------------------------------------


def _issue_order(
    s: Suggestion,
    *,
    actor: Actor | None,
    kind: str,
    issued_by_org_id: int,
    to_unit_id: int,
    requirements: str,
    automatic: bool = False,
    due_on: date | None = None,
) -> SupervisionOrder | None:
    """Issue a supervision order inside the caller's transaction (no access check here). An
    automatic order that already exists live (same suggestion and kind) is not issued twice."""
    now = timezone.now()
    rule = Rule.working_days(settings.SUGGESTION_SUPERVISION_WORKING_DAYS)
    due = (
        deadline_rules.at_local(due_on, deadline_rules.END_OF_DAY)
        if due_on
        else deadline_rules.due_at(rule, now)
    )
    # An automatic order (a second 不满意, a missed deadline) is the platform's, not a person's.
    user = None if automatic else getattr(access.as_actor(actor), "user", None)
    try:
        with transaction.atomic():
            order = SupervisionOrder.objects.create(
                suggestion=s,
                kind=kind,
                issued_by_org_id=issued_by_org_id,
                issued_by=user if getattr(user, "is_authenticated", False) else None,
                issued_at=now,
                to_unit_id=to_unit_id,
                requirements=requirements,
                due_at=due,
                due_provisional=not due_on and deadline_rules.provisional(rule, now, due),
            )
    except IntegrityError:
        if automatic:
            return None
        raise RuleViolation(
            _("该建议已有一份进行中的同类督办（%(kind)s），请先结束它。")
            % {"kind": SupervisionKind(kind).label}
        ) from None
    outbox.announce(
        actor,
        "suggestions.supervision.issued",
        s,
        issued_by_org_id,
        after={
            "order": order.pk,
            "kind": kind,
            "to_unit": to_unit_id,
            "due_at": due,
            "automatic": automatic,
            "requirements_sm3": _digest(requirements),
        },
        recipients=[
            *users_holding([to_unit_id]),
            *_office_users(s),
            *_gov_office_users(),
            *users_holding(
                Organisation.objects.filter(
                    kind=OrgKind.STATIONED_GROUP, is_active=True
                ).values_list("pk", flat=True),
                DESK_ROLES,
            ),
        ],
        title=_("%(kind)s：代表建议 %(t)s") % {"kind": order.get_kind_display(), "t": _title(s)},
        body=requirements,
        dedupe=f"suggestion:{s.pk}:order:{order.pk}",
    )
    return order


def supervision_issue(
    *,
    actor: Actor,
    suggestion_id: int,
    kind: str,
    requirements: str,
    issued_by_org_id: int | None = None,
    to_unit_id: int | None = None,
    due_on: date | None = None,
) -> SupervisionOrder:
    """Congress staff or the supervision office issue a supervision order (督办) to the lead
    unit (or a named unit) of an assigned suggestion: overdue, unsatisfactory, concentrated
    or key. The unit reports within SUGGESTION_SUPERVISION_WORKING_DAYS working days."""
    s = _get(suggestion_id)
    actor = access.require(actor, "suggestions.suggestion.supervise", s)
    if kind not in SupervisionKind.values:
        raise _fail(_("请选择督办类型。"), "kind")
    requirements = _text(requirements, "requirements", _("督办要求"), limit=MAX_NOTE)
    mine = assigning_org_ids(actor)
    org_id = issued_by_org_id or (min(mine) if len(mine) == 1 else None)
    if org_id is None or int(org_id) not in mine:
        raise _fail(_("请选择以哪个单位的名义督办。"), "issued_by_org")
    if due_on is not None and due_on <= timezone.localdate():
        raise _fail(_("报告截止日期须晚于今天。"), "due_on")
    with transaction.atomic():
        s = _lock(suggestion_id)
        if s.status in (S.SUBMITTED, S.NOT_ACCEPTED, S.WITHDRAWN, S.ACCEPTED):
            raise TransitionNotAllowed(
                _("该建议当前为“%(state)s”，尚未交办，不能督办。")
                % {"state": s.get_status_display()}
            )
        unit_id = to_unit_id or s.lead_unit_id
        if unit_id is None:
            raise _fail(_("请选择被督办单位。"), "to_unit")
        if not Assignment.objects.filter(suggestion=s, unit_id=unit_id).exists():
            raise _fail(_("被督办单位须为该建议的承办单位。"), "to_unit")
        order = _issue_order(
            s,
            actor=actor,
            kind=kind,
            issued_by_org_id=int(org_id),
            to_unit_id=int(unit_id),
            requirements=requirements,
            due_on=due_on,
        )
        assert order is not None
    return order


def _lock_order(order_id: int, version: int) -> SupervisionOrder:
    return _locked(
        SupervisionOrder.objects.select_for_update(),
        order_id,
        version,
        missing=_("督办不存在。"),
        stale=_("该督办已被他人处理，您的操作未执行。请刷新页面后再操作。"),
    )


def _order(order_id: int) -> SupervisionOrder:
    return _found(
        SupervisionOrder.objects.select_related("suggestion"), order_id, _("督办不存在。")
    )


def supervision_respond(
    *, actor: Actor, order_id: int, version: int, response: str
) -> SupervisionOrder:
    """The supervised unit reports how it handled the matter."""
    actor = access.require(actor, "suggestions.supervisionorder.respond", _order(order_id))
    response = _text(response, "response", _("办理情况报告"))
    with transaction.atomic():
        order = _lock_order(order_id, version)
        if order.state != SupervisionState.ISSUED:
            raise TransitionNotAllowed(
                _("该督办当前为“%(state)s”，不能再报告。") % {"state": order.get_state_display()}
            )
        versioned.save(
            order,
            state=SupervisionState.RESPONDED,
            response=response,
            responded_at=timezone.now(),
            responded_by=actor.user,
        )
        s = order.suggestion
        outbox.announce(
            actor,
            "suggestions.supervision.responded",
            s,
            order.to_unit_id,
            before={"order": order.pk, "state": SupervisionState.ISSUED},
            after={
                "order": order.pk,
                "state": order.state,
                "on_time": order.responded_at <= order.due_at,
                "response_sm3": _digest(response),
            },
            recipients=users_holding([order.issued_by_org_id], DESK_ROLES),
            title=_("督办事项已报告：代表建议 %(t)s") % {"t": _title(s)},
            dedupe=f"suggestion:{s.pk}:order:{order.pk}:responded",
        )
    return order


def supervision_close(
    *, actor: Actor, order_id: int, version: int, note: str = ""
) -> SupervisionOrder:
    """The issuing side ends a supervision order after the unit's report."""
    actor = access.require(actor, "suggestions.supervisionorder.close", _order(order_id))
    note = _text(note, "note", _("说明"), required=False, limit=MAX_NOTE)
    with transaction.atomic():
        order = _lock_order(order_id, version)
        if order.state != SupervisionState.RESPONDED:
            raise TransitionNotAllowed(
                _("被督办单位报告办理情况后才能结束督办（当前为“%(state)s”）。")
                % {"state": order.get_state_display()}
            )
        versioned.save(
            order, state=SupervisionState.CLOSED, closed_at=timezone.now(), closed_by=actor.user
        )
        # A suggestion 督办中 after a second 不满意 is closed with its order (reopening).
        suggestion_closed = reopening.supervised_until_closed(order, order.closed_at)
        audit.event(
            actor,
            "suggestions.supervision.closed",
            order.suggestion,
            order.issued_by_org_id,
            before={"order": order.pk, "state": SupervisionState.RESPONDED},
            after={
                "order": order.pk,
                "state": order.state,
                "note_sm3": _digest(note),
                "suggestion_closed": suggestion_closed,
            },
        )
    return order


def supervision_escalate(
    *, actor: Actor, order_id: int, version: int, note: str
) -> SupervisionOrder:
    """Congress staff escalate a supervision order to the CDI (通报市纪委): the CDI's staff are
    told and may see the suggestion from now on. A possible violation by an official is then
    drafted as a clue (the clues app, with this suggestion as its source)."""
    actor = access.require(actor, "suggestions.suggestion.escalate", _order(order_id).suggestion)
    note = _text(note, "note", _("通报说明"), limit=MAX_NOTE)
    with transaction.atomic():
        order = _lock_order(order_id, version)
        if order.escalated_to_cdi_at is not None:
            raise TransitionNotAllowed(_("该督办已通报市纪委。"))
        s = _lock(order.suggestion_id)
        now = timezone.now()
        versioned.save(
            order, escalated_to_cdi_at=now, escalated_by=actor.user, escalation_note=note
        )
        first = s.escalated_to_cdi_at is None
        if first:
            versioned.save(s, escalated_to_cdi_at=now)
        audit.event(
            actor,
            "suggestions.supervision.escalated",
            s,
            s.office_id,
            after={"order": order.pk, "kind": order.kind, "note_sm3": _digest(note)},
        )
        cdi = Organisation.objects.filter(kind=OrgKind.CDI, is_active=True).values_list(
            "pk", flat=True
        )
        _notify(
            s,
            kind="suggestions.supervision.escalated",
            recipients=users_holding(list(cdi), DESK_ROLES),
            title=_("人大常委会通报代表建议办理中的突出问题：%(t)s") % {"t": _title(s)},
            body=note,
            occurrence=f"escalated:{order.pk}",
        )
    return order


def overdue_escalate(*, now: datetime | None = None, limit: int = 1000) -> int:
    """The periodic job: a reply or re-reply deadline that passed without a reply escalates to
    joint supervision (an automatic 逾期督办 order to the lead unit, once per suggestion while
    it is live). Safe to run twice at once (the unique live-order constraint)."""
    now = now or timezone.now()
    due = list(
        Suggestion.objects.filter(
            status__in=[S.ASSIGNED, S.HANDLING, S.REOPENED],
            reply_due_at__lt=now,
            lead_unit__isnull=False,
        )
        # A merged suggestion's first reply is its primary's (the primary's order covers it).
        .exclude(merged_into__isnull=False, reply_round=0)
        .exclude(
            supervision_orders__kind=SupervisionKind.OVERDUE,
            supervision_orders__state__in=[SupervisionState.ISSUED, SupervisionState.RESPONDED],
        )
        .order_by("reply_due_at")[:limit]
    )
    issued = 0
    for s in due:
        with transaction.atomic():
            locked = Suggestion.objects.select_for_update().get(pk=s.pk)
            if locked.status not in (S.ASSIGNED, S.HANDLING, S.REOPENED):
                continue
            order = _issue_order(
                locked,
                actor=None,
                kind=SupervisionKind.OVERDUE,
                issued_by_org_id=locked.office_id,
                to_unit_id=locked.lead_unit_id,
                requirements=_("答复期限已过仍未答复，转入联合督办。请说明原因并尽快答复代表。"),
                automatic=True,
            )
            issued += order is not None
    return issued


def orders_recompute(actor: Actor | None, years: list[int]) -> int:
    """Supervision orders whose report date was counted provisionally: recounted on the
    completed calendar (never before the end of today), each move audited and told to the
    unit (`deadlines.services.on_year_completed`). Returns how many moved."""
    rule = Rule.working_days(settings.SUGGESTION_SUPERVISION_WORKING_DAYS)
    end_of_today = deadline_rules.at_local(timezone.localdate(), deadline_rules.END_OF_DAY)
    moved = 0
    orders = (
        SupervisionOrder.objects.select_for_update()
        .filter(due_provisional=True, state=SupervisionState.ISSUED)
        .select_related("suggestion")
        .order_by("pk")
    )
    for order in orders:
        before = {"order": order.pk, "due_at": order.due_at}
        due = max(deadline_rules.due_at(rule, order.issued_at), min(order.due_at, end_of_today))
        order.due_provisional = deadline_rules.provisional(rule, order.issued_at, due)
        changed = due != order.due_at
        order.due_at = due
        order.version += 1
        order.save(update_fields=["due_at", "due_provisional", "version"])
        if not changed:
            continue
        moved += 1
        s = order.suggestion
        outbox.announce(
            actor,
            "suggestions.supervision.recalculated",
            s,
            order.issued_by_org_id,
            before=before,
            after={"order": order.pk, "due_at": due, "years": years},
            recipients=users_holding([order.to_unit_id]),
            title=_("督办报告截止时间已按节假日安排重新计算：代表建议 %(t)s") % {"t": _title(s)},
            body=_("新的报告截止时间：%(due)s。") % {"due": _day(due)},
            dedupe=f"suggestion:{s.pk}:order:{order.pk}:recalculated:{order.version}",
        )
    return moved
