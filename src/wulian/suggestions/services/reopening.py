"""After the deputy's 不满意: the congress office reassigns (重新交办) and the re-reply month
runs from there; a second 不满意 keeps the suggestion 督办中 until its supervision order ends.

Sources (docs/adr/0019, "Suggestions"):
- Re-handling: Huangshi government rule [CN6] 第二十七条 — the unit "在1个月内再次作出书面答复"
  after the deputy says 不满意; the month runs from when the congress office hands the
  suggestion back to the unit (issue 14: the reassignment, not the verdict — the unit cannot
  start before it is told, and the office decides whether the same unit re-handles it).
- The office's own limit to reassign: SUGGESTION_REASSIGN_WORKING_DAYS (default 5, the limit a
  municipal rule [CN5] sets for assigning a suggestion raised between sessions; local choice).
- Issue 13 item 9: the deputy is told the suggestion is reopened and by when; while a
  不满意督办 order is open the status reads 督办中, not 已办结.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.deadlines import rules as deadline_rules
from wulian.core.deadlines.models import Deadline
from wulian.core.deadlines.rules import Rule
from wulian.core.deadlines.selectors import live_deadline
from wulian.core.errors import TransitionNotAllowed
from wulian.core.models import Organisation
from wulian.core.selectors import users_holding
from wulian.suggestions.choices import (
    DEADLINE_REASSIGN,
    DEADLINE_REREPLY,
    Step,
    SupervisionKind,
    SupervisionState,
)
from wulian.suggestions.models import Suggestion, SupervisionOrder
from wulian.suggestions.services._common import (
    MAX_NOTE,
    S,
    _day,
    _digest,
    _get,
    _lead_deputy_users,
    _lock,
    _meet,
    _notify,
    _office_users,
    _open,
    _oversight_orgs,
    _require_state,
    _snapshot,
    _text,
    _title,
)


def rereply_due_estimate(reassign_due: datetime) -> datetime:
    """The latest the re-reply falls due if the office reassigns on its last day."""
    return deadline_rules.due_at(Rule.months(settings.SUGGESTION_REREPLY_MONTHS), reassign_due)


def open_reassignment(actor: Actor, s: Suggestion, now: datetime) -> Deadline:
    """Inside the verdict's transaction (不满意 after the first reply): the congress office is
    to reassign within SUGGESTION_REASSIGN_WORKING_DAYS working days; the deputy is told the
    suggestion is reopened and by when (the reassignment, and the re-reply at the latest)."""
    office = Organisation.objects.get(pk=s.office_id)
    deadline = _open(
        actor,
        s,
        kind=DEADLINE_REASSIGN,
        title=(_("重新交办代表建议 %(t)s（代表不满意）") % {"t": _title(s)})[:200],
        rule=Rule.working_days(settings.SUGGESTION_REASSIGN_WORKING_DAYS),
        start=now,
        responsible_org=office,
        assigner_org=office,
    )
    s.reassigned_at = None
    s.reply_due_at = None
    _notify(
        s,
        kind="suggestions.suggestion.reopened",
        recipients=_lead_deputy_users(s),
        title=reopened_message(deadline.due_at),
        occurrence="reopened:deputy",
    )
    return deadline


def reopened_message(reassign_due: datetime) -> str:
    """What the deputy is told after 不满意 (the notification and the page's message)."""
    return _(
        "您的建议已重新办理：人大常委会代表工委将于 %(reassign)s 前重新交办，承办单位在重新交办后 "
        "%(n)d 个月内再次答复您（最迟 %(due)s）。"
    ) % {
        "reassign": _day(reassign_due),
        "n": settings.SUGGESTION_REREPLY_MONTHS,
        "due": _day(rereply_due_estimate(reassign_due)),
    }


def suggestion_reassign(
    *, actor: Actor, suggestion_id: int, version: int, note: str = ""
) -> Suggestion:
    """The congress office reassigns a reopened suggestion (重新交办) to its lead unit: the
    re-reply clock (SUGGESTION_REREPLY_MONTHS months) starts now, on the lead unit, escalated
    to the supervision office and the stationed group; the office's reassignment limit is met.
    The lead unit and the deputy are told the re-reply's due date.

    Who: congress staff (`suggestions.suggestion.review`, the office that reviews and
    assigns). Refusals: AccessDenied, ConcurrentEdit (stale version), TransitionNotAllowed
    (not reopened, or already reassigned), ValidationFailed (a note over the limit)."""
    actor = access.require(actor, "suggestions.suggestion.review", _get(suggestion_id))
    note = _text(note, "note", _("交办说明"), required=False, limit=MAX_NOTE)
    with transaction.atomic():
        s = _lock(suggestion_id, version)
        _require_state(s, Step.REASSIGN)
        if s.reassigned_at is not None:
            raise TransitionNotAllowed(
                _("该建议已于 %(d)s 重新交办，承办单位正在重新办理。")
                % {"d": _day(s.reassigned_at)}
            )
        before = _snapshot(s)
        now = timezone.now()
        met = _meet(actor, s, DEADLINE_REASSIGN)
        lead_unit = Organisation.objects.get(pk=s.lead_unit_id)
        rereply = _open(
            actor,
            s,
            kind=DEADLINE_REREPLY,
            title=(_("重新办理并答复代表建议 %(t)s") % {"t": _title(s)})[:200],
            rule=Rule.months(settings.SUGGESTION_REREPLY_MONTHS),
            start=now,
            responsible_org=lead_unit,
            assigner_org=Organisation.objects.get(pk=s.office_id),
            escalate_to=_oversight_orgs(),
        )
        versioned.save(s, reassigned_at=now, reply_due_at=rereply.due_at)
        audit.event(
            actor,
            "suggestions.suggestion.reassigned",
            s,
            s.office_id,
            before=before,
            after={
                **_snapshot(s),
                "reply_due_at": s.reply_due_at,
                "reassign_deadline": met.state if met is not None else None,
                "note_sm3": _digest(note),
            },
        )
        due = _day(rereply.due_at)
        _notify(
            s,
            kind="suggestions.suggestion.reassigned",
            recipients=[*users_holding([s.lead_unit_id]), *_office_users(s)],
            title=_("代表建议 %(t)s 已重新交办，请于 %(due)s 前再次答复")
            % {"t": _title(s), "due": due},
            body=note,
            occurrence=f"reassigned:{s.reply_round}",
        )
        _notify(
            s,
            kind="suggestions.suggestion.reassigned",
            recipients=_lead_deputy_users(s),
            title=_("您的建议 %(t)s 已重新交办%(unit)s，将于 %(due)s 前再次答复")
            % {"t": _title(s), "unit": lead_unit.name, "due": due},
            occurrence=f"reassigned:{s.reply_round}:deputy",
        )
    return s


def supervised_until_closed(order: SupervisionOrder, now: datetime) -> bool:
    """A 不满意督办 order ended (supervision_close): a suggestion 督办中 is now closed (已办结)."""
    if order.kind != SupervisionKind.UNSATISFACTORY or order.state != SupervisionState.CLOSED:
        return False
    s = Suggestion.objects.select_for_update().get(pk=order.suggestion_id)
    if s.status != S.SUPERVISED:
        return False
    versioned.save(s, status=S.CLOSED, closed_at=now)
    return True


def verdict_done(verdict: object) -> str:
    """The page's message after the verdict (the step's `done`): what happens next, to whom."""
    from wulian.suggestions.choices import Satisfaction

    s = Suggestion.objects.get(pk=verdict.suggestion_id)  # type: ignore[attr-defined]
    if verdict.overall != Satisfaction.UNSATISFIED:  # type: ignore[attr-defined]
        return _("感谢您的评价。")
    if s.status == S.REOPENED:
        deadline = live_deadline(s, DEADLINE_REASSIGN)
        if deadline is not None:
            return _("感谢您的评价。") + reopened_message(deadline.due_at)
    order = (
        SupervisionOrder.objects.filter(
            suggestion=s,
            kind=SupervisionKind.UNSATISFACTORY,
            state__in=[SupervisionState.ISSUED, SupervisionState.RESPONDED],
        )
        .order_by("-id")
        .first()
    )
    if order is not None:
        return _(
            "感谢您的评价。您的建议已转入联合督办（督办中）：承办单位须在 %(due)s 前报告办理情况，"
            "督办结束后办结。"
        ) % {"due": _day(order.due_at)}
    return _("感谢您的评价。")
