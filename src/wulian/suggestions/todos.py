"""我的待办 from deputies' suggestions: what waits on each person here and has no deadline of
its own (deadlines — assignment, receipt, contact, reply, re-reply — are listed by the
deadlines app's provider, with the time left). One query per kind of item, whatever the
number of items.

- congress staff: submissions to review, accepted suggestions to assign, sent-back ones to
  re-assign, co-units' send-backs to settle (replace or drop the co-unit), joint assignments
  prepared by the supervision office to confirm, supervision reports to read and close;
- the supervision office: joint assignments prepared by congress staff to confirm, reports on
  its own supervision orders;
- a handling unit: opinions it owes the lead unit as co-unit, supervision orders to report
  on, campaign opinions to complete;
- congress staff also: answered suggestions whose deputy let the verdict's time limit pass
  (follow up, record the paper 征询意见表);
- a deputy: replies to rate, with the verdict's due date (the verdict deadline is listed here,
  not by the deadlines app's provider: `listed_by_app`);
- the stationed group: suggestions under supervision (for a joint follow-up visit);
- CDI staff: suggestions escalated to the CDI.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.access import Actor
from wulian.core.choices import CONGRESS_SIDE
from wulian.core.deadlines.choices import DeadlineState
from wulian.core.deadlines.models import Deadline
from wulian.core.todos import TodoItem, home_panel, provider
from wulian.suggestions.choices import (
    CO_REPLACE_STATES,
    DEADLINE_VERDICT,
    AssignmentRole,
    AssignmentStatus,
    BatchState,
    OpinionState,
    SuggestionStatus,
    SupervisionState,
)
from wulian.suggestions.models import (
    Assignment,
    AssignmentBatch,
    CampaignOpinion,
    CoUnitOpinion,
    OpinionWaiver,
    Suggestion,
    SupervisionOrder,
)
from wulian.suggestions.policies import (
    congress_org_ids,
    gov_office_org_ids,
    is_cdi_staff,
    is_deputy,
    stationed_org_ids,
)

LIMIT = 200
S = SuggestionStatus
LIVE_ORDER = [SupervisionState.ISSUED, SupervisionState.RESPONDED]


def _item(title: str, url: str, status: str, tone: str = "neutral") -> TodoItem:
    return TodoItem(title=title, url=url, source=_("代表建议"), status=status, tone=tone)


def _to_countersign(items: list[TodoItem], batches: Any, title: str) -> None:
    """The joint assignments the other side proposed (`batches`), waiting for this side's
    countersignature; `title` counts a batch's suggestions."""
    for batch in batches.filter(state=BatchState.PROPOSED).order_by("id")[:LIMIT]:
        items.append(
            _item(
                title % {"n": len(batch.items)},
                batch.get_absolute_url(),
                batch.get_state_display(),
                "warning",
            )
        )


def _reports_to_review(items: list[TodoItem], offices: Any) -> None:
    """The supervision orders `offices` issued whose report has come in."""
    for order in (
        SupervisionOrder.objects.filter(
            state=SupervisionState.RESPONDED, issued_by_org_id__in=offices
        )
        .select_related("suggestion")
        .order_by("responded_at", "id")[:LIMIT]
    ):
        items.append(
            _item(
                _("审阅督办报告并结束督办：%(s)s") % {"s": _label(order.suggestion)},
                order.get_absolute_url(),
                order.get_state_display(),
            )
        )


def _label(s: Suggestion) -> str:
    from django.utils.translation import get_language

    if (get_language() or "").startswith("en"):
        return f"{s.number_label} “{s.title}”"
    return f"{s.number_label}《{s.title}》"


def _verdict_clocks() -> QuerySet:
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Suggestion),
        kind=DEADLINE_VERDICT,
        state=DeadlineState.OPEN,
    )


def _with_verdict_due(qs: QuerySet) -> QuerySet:
    """Answered suggestions with the due date of their running verdict clock (None: no clock —
    answered before it existed — or a paused one)."""
    clock = _verdict_clocks().filter(object_id=OuterRef("pk")).order_by("-id")
    return qs.filter(status=S.ANSWERED).annotate(
        verdict_due=Subquery(clock.values("due_at")[:1]),
        verdict_provisional=Subquery(clock.values("provisional")[:1]),
    )


def _congress(actor: Actor, items: list[TodoItem]) -> None:
    offices = congress_org_ids(actor)
    if not offices:
        return
    # The plain status list is sugg_waiting_idx's condition, so that PostgreSQL sees it may
    # use that index (it cannot prove it from the OR below; it walked 900,000 rows instead).
    waiting = (
        Suggestion.objects.filter(
            status__in=[S.SUBMITTED, S.SENT_BACK, S.ACCEPTED], office_id__in=offices
        )
        .filter(~Q(status=S.ACCEPTED) | Q(raised_during="session"))
        .only("id", "number", "title", "status")
        .order_by("id")
    )
    titles = {
        S.SUBMITTED: (_("审查代表建议 %(s)s"), "neutral"),
        S.ACCEPTED: (_("交办代表建议 %(s)s"), "neutral"),
        S.SENT_BACK: (_("重新交办被退回的建议 %(s)s"), "warning"),
    }
    for s in list(waiting[:LIMIT]):
        title, tone = titles[s.status]
        items.append(
            _item(title % {"s": _label(s)}, s.get_absolute_url(), s.get_status_display(), tone)
        )
    # From the clocks that passed (the office answers for them), not from every answered
    # suggestion.
    passed = _verdict_clocks().filter(responsible_org_id__in=offices, due_at__lt=timezone.now())
    late = _with_verdict_due(Suggestion.objects.filter(pk__in=passed.values("object_id"))).order_by(
        "verdict_due", "id"
    )
    for s in late[:LIMIT]:
        items.append(
            TodoItem(
                title=_("跟进代表逾期未反馈的征询意见表：%(s)s") % {"s": _label(s)},
                url=s.get_absolute_url(),
                source=_("代表建议"),
                due=s.verdict_due,
                provisional=bool(s.verdict_provisional),
                status=_("评价逾期"),
                tone="danger",
            )
        )
    for a in (
        Assignment.objects.filter(
            role=AssignmentRole.CO,
            status=AssignmentStatus.SENT_BACK,
            settled_at__isnull=True,
            suggestion__office_id__in=offices,
            suggestion__status__in=CO_REPLACE_STATES,
        )
        .select_related("suggestion", "unit")
        .order_by("sent_back_at", "id")[:LIMIT]
    ):
        items.append(
            _item(
                _("会办单位%(unit)s退回了建议 %(s)s，请更换或不再指定会办单位")
                % {"unit": a.unit.name, "s": _label(a.suggestion)},
                a.get_absolute_url() + f"#replace-{a.pk}",
                a.get_status_display(),
                "warning",
            )
        )
    batches = AssignmentBatch.objects.filter(proposed_org__kind="gov_supervision_office")
    _to_countersign(items, batches, _("会签政务督查室拟定的联合交办（%(n)d 件）"))
    _reports_to_review(items, offices)


def _gov_office(actor: Actor, items: list[TodoItem]) -> None:
    offices = gov_office_org_ids(actor)
    if not offices:
        return
    batches = AssignmentBatch.objects.filter(proposed_org__kind__in=sorted(CONGRESS_SIDE))
    _to_countersign(items, batches, _("会签人大拟定的联合交办（%(n)d 件）"))
    _reports_to_review(items, offices)


def _unit(actor: Actor, items: list[TodoItem]) -> None:
    units = actor.office_org_ids()
    if not units:
        return
    given = CoUnitOpinion.objects.filter(
        assignment=OuterRef("pk"), round=OuterRef("suggestion__reply_round") + 1
    )
    owed = (
        Assignment.objects.filter(
            unit_id__in=units,
            role=AssignmentRole.CO,
            status=AssignmentStatus.RECEIVED,
            suggestion__status__in=[S.HANDLING, S.REOPENED],
        )
        .exclude(Exists(given))
        .exclude(
            Exists(
                OpinionWaiver.objects.filter(
                    assignment=OuterRef("pk"), round=OuterRef("suggestion__reply_round") + 1
                )
            )
        )
        .select_related("suggestion")
        .order_by("id")[:LIMIT]
    )
    for a in owed:
        items.append(
            _item(
                _("向主办单位提交会办意见：%(s)s") % {"s": _label(a.suggestion)},
                a.get_absolute_url(),
                a.suggestion.get_status_display(),
            )
        )
    for order in (
        SupervisionOrder.objects.filter(state=SupervisionState.ISSUED, to_unit_id__in=units)
        .select_related("suggestion")
        .order_by("due_at", "id")[:LIMIT]
    ):
        items.append(
            TodoItem(
                title=_("报告督办事项办理情况：%(s)s") % {"s": _label(order.suggestion)},
                url=order.get_absolute_url(),
                source=_("代表建议"),
                due=order.due_at,
                status=order.get_kind_display(),
                tone="danger",
            )
        )
    for opinion in (
        CampaignOpinion.objects.filter(state=OpinionState.ASSIGNED, unit_id__in=units)
        .select_related("campaign")
        .order_by("assigned_at", "id")[:LIMIT]
    ):
        items.append(
            _item(
                _("办理代表收集的意见：%(c)s 第 %(n)d 号")
                % {"c": opinion.campaign.name, "n": opinion.number},
                opinion.get_absolute_url(),
                opinion.get_state_display(),
            )
        )


def _deputy(actor: Actor, items: list[TodoItem]) -> None:
    if not is_deputy(actor):
        return
    now = timezone.now()
    for s in _with_verdict_due(Suggestion.objects.filter(lead_deputy_id=actor.person_id)).order_by(
        "replied_at", "id"
    )[:LIMIT]:
        late = s.verdict_due is not None and s.verdict_due < now
        items.append(
            TodoItem(
                title=_("评价建议的答复：%(s)s") % {"s": _label(s)},
                url=s.get_absolute_url(),
                source=_("代表建议"),
                due=s.verdict_due,
                provisional=bool(s.verdict_provisional),
                status=_("评价逾期") if late else s.get_status_display(),
                tone="danger" if late else "warning",
            )
        )


def _watchers(actor: Actor, items: list[TodoItem]) -> None:
    if stationed_org_ids(actor):
        for s in Suggestion.objects.filter(
            Exists(SupervisionOrder.objects.filter(suggestion=OuterRef("pk"), state__in=LIVE_ORDER))
        ).order_by("id")[:LIMIT]:
            items.append(
                _item(
                    _("关注督办中的建议（可联合回访）：%(s)s") % {"s": _label(s)},
                    s.get_absolute_url(),
                    s.get_status_display(),
                )
            )
    if is_cdi_staff(actor):
        for s in Suggestion.objects.filter(escalated_to_cdi_at__isnull=False).order_by(
            "-escalated_to_cdi_at", "-id"
        )[:LIMIT]:
            items.append(
                _item(
                    _("人大常委会通报的建议办理问题：%(s)s") % {"s": _label(s)},
                    s.get_absolute_url(),
                    s.get_status_display(),
                    "warning",
                )
            )


@provider
def suggestion_todos(actor: Actor) -> list[TodoItem]:
    items: list[TodoItem] = []
    if not actor.is_authenticated:
        return items
    _congress(actor, items)
    _gov_office(actor, items)
    _unit(actor, items)
    _deputy(actor, items)
    _watchers(actor, items)
    return items


# How many of the deputy's own suggestions the home page lists (the ledger has them all).
HOME_SUGGESTIONS = 5


@home_panel
def deputy_home(actor: Actor) -> str:
    """A deputy's home starts with 提出建议 and their own suggestions, newest first (on a phone
    it is the first thing they see). Two queries; nothing for anyone else."""
    from django.template.loader import render_to_string

    from wulian.core import access
    from wulian.suggestions.policies import is_deputy
    from wulian.suggestions.selectors import suggestion_list

    if not is_deputy(actor):
        return ""
    qs = suggestion_list(actor=actor, filters={})
    mine = list(qs[: HOME_SUGGESTIONS + 1])
    return render_to_string(
        "suggestions/_deputy_home.html",
        {
            "mine": mine[:HOME_SUGGESTIONS],
            "more": len(mine) > HOME_SUGGESTIONS,
            "can_submit": access.can(actor, "suggestions.suggestion.submit"),
        },
    )
