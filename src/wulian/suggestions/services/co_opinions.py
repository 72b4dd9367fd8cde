"""The co-units' opinions (会办意见) and their time limit: a co-unit sends its opinion to the lead
unit within SUGGESTION_OPINION_MONTHS months of its assignment (a deadline on the assignment,
reminded before and escalated after, as every deadline is); the lead unit replies once every
co-unit's opinion has come, its time limit has passed (the reply records which are missing) or
the congress office has waived it (`opinion_waive`, with a reason)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, compiled, punctuation, versioned
from wulian.core.access import Actor
from wulian.core.deadlines import rules as deadline_rules
from wulian.core.deadlines.choices import LIVE_STATES
from wulian.core.deadlines.models import Deadline
from wulian.core.deadlines.rules import Rule
from wulian.core.errors import ConcurrentEdit, RuleViolation, TransitionNotAllowed
from wulian.core.models import Organisation
from wulian.core.selectors import users_holding
from wulian.suggestions.choices import (
    ACTIVE_ASSIGNMENT,
    DEADLINE_OPINION,
    AssignmentRole,
    SuggestionStatus,
)
from wulian.suggestions.models import Assignment, CoUnitOpinion, OpinionWaiver, Suggestion
from wulian.suggestions.services._common import (
    MAX_NOTE,
    _cancel,
    _digest,
    _found,
    _lock,
    _notify,
    _open,
    _text,
    _title,
)

S = SuggestionStatus
# The states in which co-units give opinions (and the office may waive one).
OPINION_STATES = (S.ASSIGNED, S.HANDLING, S.REOPENED)


def opinion_rule() -> Rule:
    return Rule.months(settings.SUGGESTION_OPINION_MONTHS)


def open_opinion_deadline(actor: Actor, s: Suggestion, a: Assignment, start: datetime) -> Deadline:
    """A co-unit's time limit for its opinion, from its assignment (or from the reopening, for
    the re-handling round): reminders to the co-unit's desks; at the end the congress office
    and the lead unit are told (the lead unit may then reply without it)."""
    return _open(
        actor,
        a,
        kind=DEADLINE_OPINION,
        title=(_("向主办单位提交会办意见 %(t)s") % {"t": _title(s)})[:200],
        rule=opinion_rule(),
        start=start,
        responsible_org=Organisation.objects.get(pk=a.unit_id),
        assigner_org=Organisation.objects.get(pk=s.office_id),
        escalate_to=list(
            Organisation.objects.filter(
                pk__in=Assignment.objects.filter(
                    suggestion=s, role=AssignmentRole.LEAD, status__in=ACTIVE_ASSIGNMENT
                ).values("unit_id")
            )
        ),
        url=s.get_absolute_url(),
    )


@dataclass(frozen=True)
class Awaited:
    """A co-unit's opinion the lead unit has not got for the coming round: until when it is
    due, and whether that time has passed (the lead unit may then reply without it)."""

    assignment: Assignment
    due_at: datetime
    lapsed: bool

    @property
    def unit(self) -> Any:
        return self.assignment.unit


def awaited_opinions(s: Suggestion, now: datetime | None = None) -> list[Awaited]:
    """The active co-units whose opinion for the coming round has neither come nor been
    waived, each with its due date: its live opinion deadline's; else counted from its
    assignment, or for a reopened suggestion's round from the reopening (the deputy's 不满意:
    no clock is opened on the units' assignments by the deputy's verdict, so that round has
    the same time limit without reminders), or for an assignment made before the time limit
    existed from its assignment."""
    now = now or timezone.now()
    round_ = s.reply_round + 1
    # The page asks this on every view: each statement is built once (core.compiled).
    done = {
        r[0]
        for r in compiled.rows(
            "suggestions.awaited.opinions",
            lambda pk, round_: CoUnitOpinion.objects.filter(
                suggestion_id=pk, round=round_
            ).values_list("assignment_id"),
            pk=s.pk,
            round_=round_,
        )
    } | {
        r[0]
        for r in compiled.rows(
            "suggestions.awaited.waivers",
            lambda pk, round_: OpinionWaiver.objects.filter(
                suggestion_id=pk, round=round_
            ).values_list("assignment_id"),
            pk=s.pk,
            round_=round_,
        )
    }
    owing = [
        a
        for a in compiled.objects(
            "suggestions.awaited.owing",
            lambda pk: (
                Assignment.objects.filter(
                    suggestion_id=pk, role=AssignmentRole.CO, status__in=ACTIVE_ASSIGNMENT
                )
                .select_related("unit")
                .order_by("id")
            ),
            pk=s.pk,
        )
        if a.pk not in done
    ]
    if not owing:
        return []
    due = dict(
        compiled.rows(
            "suggestions.awaited.due",
            lambda ct, owing: Deadline.objects.filter(
                content_type_id=ct,
                object_id__in=owing,
                kind=DEADLINE_OPINION,
                state__in=LIVE_STATES,
            ).values_list("object_id", "due_at"),
            ct=ContentType.objects.get_for_model(Assignment).pk,
            owing=[a.pk for a in owing],
        )
    )
    rows = []
    for a in owing:
        start = max(a.assigned_at, s.verdict_at) if round_ > 1 and s.verdict_at else a.assigned_at
        at = due.get(a.pk) or deadline_rules.due_at(opinion_rule(), start)
        rows.append(Awaited(assignment=a, due_at=at, lapsed=now > at))
    return rows


def _when(at: datetime) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M}"


def require_opinions(s: Suggestion) -> list[Awaited]:
    """Before a reply: refused while a co-unit's opinion is awaited within its time limit
    (saying whose, and until when); else the opinions still missing after their time limit,
    which the reply records."""
    awaited = awaited_opinions(s)
    waiting = [w for w in awaited if not w.lapsed]
    if waiting:
        raise RuleViolation(
            _(
                "还未收到会办单位的意见：%(units)s。会办意见送达、会办期限届满或人大代表工委"
                "免除后才能答复。"
            )
            % {
                "units": punctuation.join(
                    _("%(unit)s（会办期限至 %(due)s）")
                    % {"unit": w.unit.name, "due": _when(w.due_at)}
                    for w in waiting
                )
            }
        )
    return awaited


def close_missing(actor: Actor, awaited: list[Awaited]) -> list[dict[str, Any]]:
    """At the reply: the lapsed co-units' opinion deadlines end (the reply no longer waits);
    what the reply records of them."""
    for w in awaited:
        _cancel(actor, w.assignment, DEADLINE_OPINION, _("会办期限已过，主办单位已答复"))
    return [
        {"unit": w.assignment.unit_id, "name": w.unit.name, "due_at": w.due_at.isoformat()}
        for w in awaited
    ]


def opinion_waive(*, actor: Actor, assignment_id: int, version: int, reason: str) -> OpinionWaiver:
    """The congress office waives a co-unit's opinion for the coming round (免除会办意见), with
    its reason: the lead unit no longer waits for it. The co-unit's opinion deadline ends, the
    lead unit and the co-unit are told."""
    a = _found(Assignment.objects.all(), assignment_id, _("交办记录不存在。"))
    actor = access.require(actor, "suggestions.assignment.waive", a)
    reason = _text(reason, "reason", _("免除理由"), limit=MAX_NOTE)
    with transaction.atomic():
        s = _lock(a.suggestion_id)
        a = Assignment.objects.select_for_update().select_related("unit").get(pk=assignment_id)
        if a.version != version:
            raise ConcurrentEdit(
                _("该会办交办已被他人处理或修改，您的操作未执行。请刷新页面后再操作。")
            )
        if a.role != AssignmentRole.CO or a.status not in ACTIVE_ASSIGNMENT:
            raise TransitionNotAllowed(_("只能免除正在会办的单位的会办意见。"))
        if s.status not in OPINION_STATES:
            raise TransitionNotAllowed(
                _("该建议当前为“%(state)s”，不能免除会办意见。") % {"state": s.get_status_display()}
            )
        round_ = s.reply_round + 1
        if CoUnitOpinion.objects.filter(assignment=a, round=round_).exists():
            raise RuleViolation(
                _("%(unit)s本轮的会办意见已提交，无需免除。") % {"unit": a.unit.name}
            )
        now = timezone.now()
        try:
            with transaction.atomic():
                waiver = OpinionWaiver.objects.create(
                    suggestion=s,
                    assignment=a,
                    round=round_,
                    reason=reason,
                    waived_by=actor.user,
                    waived_at=now,
                )
        except IntegrityError:
            raise RuleViolation(
                _("%(unit)s本轮的会办意见已免除。") % {"unit": a.unit.name}
            ) from None
        versioned.save(a)
        _cancel(actor, a, DEADLINE_OPINION, _("人大代表工委免除会办意见"))
        audit.event(
            actor,
            "suggestions.opinion.waived",
            s,
            s.office_id,
            after={
                "waiver": waiver.pk,
                "assignment": a.pk,
                "unit": a.unit_id,
                "round": round_,
                "reason_sm3": _digest(reason),
            },
        )
        _notify(
            s,
            kind="suggestions.opinion.waived",
            recipients=users_holding([u for u in (s.lead_unit_id, a.unit_id) if u]),
            title=_("人大代表工委免除了%(unit)s对代表建议 %(t)s 的会办意见")
            % {"unit": a.unit.name, "t": _title(s)},
            body=_("免除理由：%(r)s") % {"r": reason},
            occurrence=f"waived:{waiver.pk}",
        )
    return waiver


def opinion_messages(deadline: Deadline, point: dict[str, Any], now: datetime) -> tuple[str, str]:
    """The sweep's words for a co-unit's opinion deadline (`sweep.word_messages`): before the
    end, a reminder to the co-unit; at the end the congress office and the lead unit are told
    what may happen now."""
    from wulian.core.deadlines.sweep import remaining_text

    unit = deadline.responsible_org.display_name
    if point["kind"] == "escalation":
        return (
            _("会办单位未按期提交会办意见：%(title)s") % {"title": deadline.title},
            _(
                "%(unit)s未在交办后 %(n)d 个月内（%(due)s 前）向主办单位提交会办意见。"
                "主办单位现在可以答复代表，答复将注明未收到该单位的意见；"
                "人大代表工委也可以在建议页面免除该意见。"
            )
            % {"unit": unit, "n": deadline.rule_amount, "due": _when(deadline.due_at)},
        )
    return (
        _("请提交会办意见：%(title)s") % {"title": deadline.title},
        _("请在 %(due)s 前向主办单位提交会办意见，还剩 %(left)s。逾期后主办单位将不再等待。")
        % {
            "due": _when(deadline.due_at),
            "left": remaining_text((deadline.due_at - now).total_seconds()),
        },
    )
