"""我的待办 of the judicial link: experts (invitations to answer, cases to score), organisers
and witnesses (draws waiting for a step), courts and procuratorates (suggestions and petitions
to answer). Each provider costs a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from wulian.core import todos
from wulian.core.access import Actor
from wulian.core.deadlines.choices import LIVE_STATES
from wulian.core.deadlines.models import Deadline
from wulian.judicial.choices import (
    DEADLINE_PETITION,
    BatchState,
    DrawState,
    InvitationState,
    PetitionState,
    SuggestionState,
    WitnessRole,
)
from wulian.judicial.models import (
    CourtSuggestion,
    Draw,
    Invitation,
    PanelSeat,
    Petition,
    WitnessInput,
)
from wulian.judicial.policies import congress_desk, court_desk, witness_desk


@todos.provider
def _expert_todos(actor: Actor) -> list[todos.TodoItem]:
    if actor.person_id is None:
        return []
    items: list[todos.TodoItem] = []
    mine = reverse("judicial:my_reviews")
    invited = Invitation.objects.filter(
        expert__profile__person_id=actor.person_id,
        state=InvitationState.INVITED,
        draw__state=DrawState.SEALED,
    ).count()
    if invited:
        items.append(
            todos.TodoItem(
                title=_("评查邀请待确认（%(n)d 项）") % {"n": invited},
                url=mine,
                source=_("司法监督"),
                status=_("请接受或谢绝"),
                tone="warning",
            )
        )
    seats = (
        PanelSeat.objects.filter(
            expert__profile__person_id=actor.person_id,
            case__batch__state=BatchState.REVIEWING,
            score__isnull=True,
        )
        .select_related("case")
        .order_by("case_id")
    )
    for seat in seats:
        items.append(
            todos.TodoItem(
                title=_("案件评分：%(n)s") % {"n": seat.case.number},
                url=reverse("judicial:score", args=[seat.pk]),
                source=_("司法监督"),
                status=_("待评分"),
            )
        )
    return items


# A request to abort that the witness has neither confirmed nor refused.
ABORT_PENDING = Q(abort_requested_at__isnull=False, abort_refused_at__isnull=True) & ~Q(
    state=DrawState.ABORTED
)


@todos.provider
def _abort_todos(actor: Actor) -> list[todos.TodoItem]:
    """The witness co-signs (or refuses) the organiser's request to abort a draw: the draw's
    own witness once he has entered his dice, any desk member of the group before."""
    witness = witness_desk(actor)
    if not witness:
        return []
    draws = (
        Draw.objects.filter(ABORT_PENDING, batch__witness_org_id__in=witness)
        .exclude(abort_requested_by_id=actor.user.pk)
        .annotate(
            witness_person=Subquery(
                WitnessInput.objects.filter(draw=OuterRef("pk"), role=WitnessRole.WITNESS).values(
                    "person_id"
                )[:1]
            )
        )
        .order_by("id")
    )
    return [
        todos.TodoItem(
            title=_("专家抽取 %(id)s 申请作废") % {"id": d.code},
            url=d.get_absolute_url(),
            source=_("司法监督"),
            status=_("待见证人确认或拒绝"),
            tone="warning",
        )
        for d in draws
        if d.witness_person in (None, actor.person_id)
    ]


@todos.provider
def _draw_todos(actor: Actor) -> list[todos.TodoItem]:
    organiser, witness = congress_desk(actor), witness_desk(actor)
    if not organiser and not witness:
        return []
    draws = (
        Draw.objects.filter(state__in=[DrawState.FROZEN, DrawState.COMMITTED])
        .exclude(ABORT_PENDING)
        .filter(Q(batch__organiser_org_id__in=organiser) | Q(batch__witness_org_id__in=witness))
        .select_related("batch")
        .annotate(
            n_inputs=Count("inputs", distinct=True),
            mine=Count("inputs", filter=Q(inputs__person_id=actor.person_id), distinct=True),
        )
        .order_by("id")
    )
    items = []
    for draw in draws:
        runs = draw.batch.organiser_org_id in organiser
        if draw.state == DrawState.FROZEN:
            if not runs:
                continue
            status = _("待承诺服务器随机数")
        elif draw.n_inputs >= 2:
            if not runs:
                continue
            status = _("见证随机数已齐，待抽取")
        elif not draw.mine:
            status = _("待录入见证随机数")
        else:
            continue
        items.append(
            todos.TodoItem(
                title=_("专家抽取 %(id)s") % {"id": draw.code},
                url=draw.get_absolute_url(),
                source=_("司法监督"),
                status=status,
                tone="warning",
            )
        )
    return items


@todos.provider
def _court_todos(actor: Actor) -> list[todos.TodoItem]:
    courts = court_desk(actor)
    if not courts:
        return []
    items = [
        todos.TodoItem(
            title=_("答复意见建议：%(t)s") % {"t": s.title},
            url=s.get_absolute_url(),
            source=_("司法监督"),
            status=_("待答复"),
        )
        for s in CourtSuggestion.objects.filter(
            addressee_id__in=courts, state=SuggestionState.SENT
        ).order_by("id")
    ]
    petitions = list(
        Petition.objects.filter(organisation_id__in=courts, state=PetitionState.ROUTED).order_by(
            "id"
        )
    )
    dues = dict(
        Deadline.objects.filter(
            content_type__app_label="judicial",
            content_type__model="petition",
            object_id__in=[p.pk for p in petitions],
            kind=DEADLINE_PETITION,
            state__in=LIVE_STATES,
        ).values_list("object_id", "due_at")
    )
    items += [
        todos.TodoItem(
            title=_("办理涉法涉诉信访 %(n)s") % {"n": p.number},
            url=p.get_absolute_url(),
            source=_("司法监督"),
            due=dues.get(p.pk),
            status=_("待办结"),
        )
        for p in petitions
    ]
    return items
