"""Reads of the judicial link, scoped by the access rules in the database, with the joins a page
needs (a list costs the same number of queries for 1 row as for 1,000).

Sealing: before a batch's review opens, no page but the sealed result (organiser and witness)
names who sits on which case; the panel seats do not exist yet. Blind review: a reviewer's
page shows his own scores only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from wulian.core import access, compiled
from wulian.core.access import Actor
from wulian.core.choices import ExpertCategory
from wulian.core.models import AuditEvent, Organisation
from wulian.judicial.choices import (
    BatchState,
    DrawState,
    Grade,
    InvitationState,
    SuggestionState,
)
from wulian.judicial.filters import (
    BatchFilter,
    CaseFilter,
    ExpertFilter,
    PetitionFilter,
    SuggestionFilter,
)
from wulian.judicial.models import (
    Case,
    CourtSuggestion,
    Draw,
    Expert,
    Invitation,
    Mechanism,
    PanelSeat,
    Petition,
    Problem,
    ReviewBatch,
    Score,
)
from wulian.judicial.policies import congress_desk, sees_misconduct
from wulian.judicial.services.review import Consensus, consensus

# --- Lists --------------------------------------------------------------------------------


def expert_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet:
    qs = access.scope(actor, "judicial.expert.view", Expert.objects.all())
    qs = ExpertFilter(filters or {}, queryset=qs).qs
    return qs.select_related("profile__person").order_by("-id")


def case_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet:
    qs = access.scope(actor, "judicial.case.view", Case.objects.all())
    qs = CaseFilter(filters or {}, queryset=qs).qs
    return qs.select_related("court", "batch").order_by("-id")


def batch_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet:
    qs = access.scope(actor, "judicial.batch.view", ReviewBatch.objects.all())
    qs = BatchFilter(filters or {}, queryset=qs).qs
    return (
        qs.select_related("organiser_org", "witness_org")
        .annotate(n_cases=Count("cases", distinct=True))
        .order_by("-id")
    )


def suggestion_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet:
    qs = access.scope(actor, "judicial.courtsuggestion.view", CourtSuggestion.objects.all())
    qs = SuggestionFilter(filters or {}, queryset=qs).qs
    return (
        qs.select_related("addressee", "batch")
        .annotate(
            n_mechanisms=Count("mechanisms", distinct=True),
            n_corrected=Count("corrected_cases", distinct=True),
        )
        .order_by("-id")
    )


def petition_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet:
    qs = access.scope(actor, "judicial.petition.view", Petition.objects.all())
    qs = PetitionFilter(filters or {}, queryset=qs).qs
    return qs.defer("petitioner_phone").select_related("organisation").order_by("-id")


def timeline(record: Any, *, exclude: tuple[str, ...] = (), limit: int = 100) -> list[AuditEvent]:
    # The statement is built once per process and kind of record (core.compiled).
    return compiled.objects(
        f"judicial.timeline.{limit}",
        lambda label, pk, exclude: (
            AuditEvent.objects.filter(target_type=label, target_id=pk)
            .exclude(action__in=exclude)
            .order_by("-seq")[:limit]
        ),
        label=record._meta.label_lower,
        pk=str(record.pk),
        exclude=list(exclude),
    )


# --- Cases --------------------------------------------------------------------------------


@dataclass
class ScoreRow:
    seat: PanelSeat
    score: Score | None


@dataclass
class CaseView:
    case: Case
    seats: list[PanelSeat] = field(default_factory=list)
    score_rows: list[ScoreRow] = field(default_factory=list)  # what the actor may see
    my_seat: PanelSeat | None = None
    consensus: Consensus | None = None
    sees_scores: bool = False
    sees_reviewers: bool = False  # their names (never for the reviewed court)


def case_view(*, actor: Actor, case: Case) -> CaseView:
    """The case page: the panel once the review is open, the scores the actor may see (all
    for the organiser and the witness, his own for a reviewer), the consensus."""
    view = CaseView(case=case)
    batch = case.batch
    if batch is None or batch.state not in (BatchState.REVIEWING, BatchState.CLOSED):
        return view
    seats = compiled.objects(
        "judicial.case_view.seats",
        lambda pk: (
            PanelSeat.objects.filter(case_id=pk)
            .select_related("expert__profile__person")
            .order_by("position")
        ),
        pk=case.pk,
    )
    scores = {
        s.seat_id: s
        for s in compiled.objects(
            "judicial.case_view.scores",
            lambda pk: Score.objects.filter(seat__case_id=pk),
            pk=case.pk,
        )
    }
    view.seats = seats
    actor = access.as_actor(actor)
    view.sees_scores = access.can(actor, "judicial.review.view_scores", case)
    view.sees_reviewers = access.can(actor, "judicial.case.view_reviewers", case)
    for seat in seats:
        if seat.expert.profile.person_id == actor.person_id:
            view.my_seat = seat
        if view.sees_scores or seat.expert.profile.person_id == actor.person_id:
            view.score_rows.append(ScoreRow(seat=seat, score=scores.get(seat.pk)))
    if view.sees_scores:
        view.consensus = consensus(
            [s.total for s in scores.values()],
            seats=len(seats),
            max_points=batch.max_points,
            threshold=batch.disagreement_points,
        )
    return view


def paper_seats(case: Case) -> QuerySet:
    """The seats of `case` whose paper score sheet the organiser may enter: no score yet, or
    a paper sheet not yet co-signed (to correct it)."""
    return (
        PanelSeat.objects.filter(case=case)
        .filter(Q(score__isnull=True) | Q(score__on_paper=True, score__cosigned_at__isnull=True))
        .select_related("expert__profile__person")
        .order_by("position")
    )


def cosign_seats(case: Case) -> QuerySet:
    """The seats of `case` whose paper score sheet waits for the witness's co-signature."""
    return (
        PanelSeat.objects.filter(case=case, score__on_paper=True, score__cosigned_at__isnull=True)
        .select_related("expert__profile__person")
        .order_by("position")
    )


@dataclass(frozen=True)
class ExclusionRow:
    """One exclusion of a frozen draw list, as the witness reads it."""

    ref: str
    name: str
    category: str
    case: str  # the case number, or "" for the whole batch
    rule: str  # the rule's label
    detail: str  # what matched (names of the case's participants only)


def draw_exclusions(manifest: Any) -> list[ExclusionRow]:
    """Every expert the frozen list excluded, by name, with the rule and what matched — in the
    manifest's order (one query for the names)."""
    from wulian.judicial.draw import CATEGORY_LABELS, RULE_LABELS

    refs = {e.expert_ref for e in manifest.exclusions}
    ids = [int(r[1:]) for r in refs if r.startswith("E") and r[1:].isdecimal()]
    experts = {
        e.ref: e for e in Expert.objects.select_related("profile__person").filter(pk__in=ids)
    }
    rows = []
    for e in manifest.exclusions:
        expert = experts.get(e.expert_ref)
        rows.append(
            ExclusionRow(
                ref=e.expert_ref,
                name=expert.profile.person.name if expert else e.expert_ref,
                category=CATEGORY_LABELS.get(expert.profile.category, "") if expert else "",
                case=e.case_ref or "",
                rule=RULE_LABELS.get(e.rule, e.rule),
                detail=e.detail,
            )
        )
    return rows


# Problem events whose details only those who may see misconduct findings get.
PROBLEM_EVENTS = ("judicial.problem.recorded",)


def problems_seen(*, actor: Actor) -> QuerySet:
    """Every problem the actor may see (a misconduct finding: the CDI side and the batch's
    organiser), oldest first."""
    return access.scope(actor, "judicial.problem.view", Problem.objects.all()).order_by("id")


def case_problems(*, actor: Actor, case: Case) -> list[Problem]:
    """The problems found in `case` that the actor may see: a misconduct finding only for the
    CDI side and the batch's organiser."""
    return list(access.scope(actor, "judicial.problem.view", case.problems.all()).order_by("id"))


def case_timeline(*, actor: Actor, case: Case) -> list[AuditEvent]:
    """The case's trail; the recording of a misconduct finding is left out for those who may
    not see it (its very existence is confidential, like a clue's)."""
    events = timeline(case)
    if sees_misconduct(access.as_actor(actor), case):
        return events
    return [
        e
        for e in events
        if not (e.action in PROBLEM_EVENTS and (e.after_data or {}).get("is_misconduct"))
    ]


# --- Batches ------------------------------------------------------------------------------


@dataclass
class CaseRow:
    case: Case
    scored: int
    seats: int
    consensus: Consensus | None


def batch_cases(*, actor: Actor, batch: ReviewBatch) -> list[CaseRow]:
    """The batch's cases with their scoring progress (the organiser and the witness also see
    the disagreement flags). Three queries, whatever the number of cases."""
    cases = list(
        batch.cases.select_related("court")
        .annotate(
            n_seats=Count("seats", distinct=True),
            n_scored=Count("seats__score", distinct=True),
        )
        .order_by("id")
    )
    sees = access.can(actor, "judicial.batch.manage", batch) or (
        batch.witness_org_id in access.as_actor(actor).office_org_ids()
    )
    totals: dict[int, list[int]] = {}
    if sees:
        for case_id, total in Score.objects.filter(seat__case__batch=batch).values_list(
            "seat__case_id", "total"
        ):
            totals.setdefault(case_id, []).append(total)
    return [
        CaseRow(
            case=c,
            scored=c.n_scored,
            seats=c.n_seats,
            consensus=consensus(
                totals.get(c.pk, []),
                seats=c.n_seats,
                max_points=batch.max_points,
                threshold=batch.disagreement_points,
            )
            if sees
            else None,
        )
        for c in cases
    ]


def batch_draws(*, batch: ReviewBatch) -> list[Draw]:
    return list(
        Draw.objects.filter(batch=batch)
        .select_related("replaces", "pool_version")
        .annotate(n_inputs=Count("inputs"))
        .order_by("id")
    )


@dataclass(frozen=True)
class InvitationCounts:
    invited: int
    accepted: int
    declined: int


def invitation_counts(*, draw: Draw) -> InvitationCounts:
    counts = dict(
        Invitation.objects.filter(draw=draw)
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    return InvitationCounts(
        invited=counts.get(InvitationState.INVITED, 0),
        accepted=counts.get(InvitationState.ACCEPTED, 0),
        declined=counts.get(InvitationState.DECLINED, 0),
    )


# --- An expert's own business -------------------------------------------------------------


@dataclass
class MyReviews:
    invitations: list[Invitation]
    seats: list[PanelSeat]


def my_reviews(*, actor: Actor) -> MyReviews:
    """The invitations an expert has to answer or has answered (no case details) and the
    cases he sits on once the review is open, with his own scores."""
    person_id = access.as_actor(actor).person_id
    if person_id is None:
        return MyReviews([], [])
    invitations = list(
        Invitation.objects.filter(
            expert__profile__person_id=person_id,
            draw__state=DrawState.SEALED,
        )
        .select_related("draw__batch")
        .order_by("-id")
    )
    seats = list(
        PanelSeat.objects.filter(expert__profile__person_id=person_id)
        .select_related("case__court", "case__batch")
        .prefetch_related(Prefetch("score", queryset=Score.objects.all()))
        .order_by("-case__batch_id", "case_id")
    )
    return MyReviews(invitations=invitations, seats=seats)


# --- The forms' choices --------------------------------------------------------------------


def desk_orgs(ids: frozenset[int]) -> QuerySet:
    """The active organisations among `ids` (a person's desks), as a form offers them."""
    return Organisation.objects.filter(pk__in=ids, is_active=True).order_by("sort_order", "code")


def linkable_cases() -> QuerySet:
    """The cases a petition may be linked to (the latest 500, as the pages offer them)."""
    latest = Case.objects.order_by("-id").values_list("pk", flat=True)[:500]
    return Case.objects.filter(pk__in=list(latest)).order_by("-id")


def batch_choices(actor: Actor, batch: ReviewBatch | None = None) -> dict[str, QuerySet]:
    """What a batch's form offers: the person's congress-side desks (and the batch's own) as
    its organiser, and the ungraded cases in no other batch (the latest 500)."""
    desks = congress_desk(access.as_actor(actor)) | ({batch.organiser_org_id} if batch else set())
    qs = Case.objects.filter(grade="")
    qs = (
        qs.filter(Q(batch__isnull=True) | Q(batch=batch))
        if batch
        else qs.filter(batch__isnull=True)
    )
    latest = list(qs.order_by("-id").values_list("pk", flat=True)[:500])
    return {
        "organisers": desk_orgs(frozenset(desks)),
        "cases": Case.objects.filter(pk__in=latest).order_by("-id"),
    }


def batch_problems(batch: ReviewBatch) -> QuerySet:
    """The problems a suggestion may cite: the batch's, misconduct findings excepted (those go
    to the CDI as clues)."""
    return (
        Problem.objects.filter(case__batch=batch, is_misconduct=False)
        .select_related("case")
        .order_by("case_id", "id")
    )


def suggestion_cases(s: CourtSuggestion) -> QuerySet:
    """The cases a suggestion's results may name as corrected: its addressee's in the batch."""
    return Case.objects.filter(batch=s.batch_id, court=s.addressee_id).order_by("id")


def petition_choices(actor: Actor) -> dict[str, QuerySet]:
    """What a petition's registration offers: the person's congress-side desks as the
    registering office, and the cases to link (the page and the API alike)."""
    return {
        "registrars": desk_orgs(congress_desk(access.as_actor(actor))),
        "cases": linkable_cases(),
    }


# --- Figures ------------------------------------------------------------------------------


@dataclass
class Figure:
    label: str
    value: int
    url_name: str
    query: str = ""


@dataclass
class BatchAborts:
    """A batch's draws that someone asked to abort, and those the witness's confirmation
    aborted (a run of aborts is for the witness to see, ADR 0008)."""

    batch_id: int
    title: str
    year: int
    requested: int
    confirmed: int
    url: str


@dataclass
class Figures:
    year: int | None
    experts_by_category: list[Figure]
    experts_total: Figure
    draws: Figure
    draws_abort_requested: Figure
    draws_aborted: Figure
    aborts_by_batch: list[BatchAborts]
    cases_reviewed: Figure
    by_grade: list[Figure]
    suggestions: Figure
    adopted: Figure
    cases_corrected: Figure
    mechanisms: Figure
    petitions: Figure


def figures(*, actor: Actor, year: int | None = None) -> Figures:
    """The link's figures; each with the list (and its filter) that shows the records behind
    it. A fixed number of queries."""
    access.require(actor, "judicial.figures.view")
    return count_figures(year)


def count_figures(year: int | None = None) -> Figures:
    """The figures over every record (the door is the caller's: `figures` for a person, the
    annual report's for its readers)."""
    y = f"year={year}&" if year else ""
    by_cat = dict(
        Expert.objects.values_list("profile__category")
        .annotate(n=Count("id"))
        .values_list("profile__category", "n")
    )
    experts = [
        Figure(str(label), by_cat.get(value, 0), "judicial:expert_list", f"category={value}")
        for value, label in ExpertCategory.choices
    ]
    draws = Draw.objects.all()
    cases = Case.objects.exclude(grade="")
    suggestions = CourtSuggestion.objects.exclude(state=SuggestionState.DRAFT)
    petitions = Petition.objects.all()
    mechanisms = Mechanism.objects.all()
    corrected = Case.objects.filter(corrected_by__isnull=False)
    if year:
        draws = draws.filter(batch__year=year)
        cases = cases.filter(batch__year=year)
        suggestions = suggestions.filter(batch__year=year)
        petitions = petitions.filter(received_on__year=year)
        mechanisms = mechanisms.filter(suggestion__batch__year=year)
        corrected = corrected.filter(batch__year=year)
    draw_counts = draws.aggregate(
        total=Count("id", filter=Q(state=DrawState.SEALED)),
        abort_requested=Count("id", filter=Q(abort_requested_at__isnull=False)),
        aborted=Count("id", filter=Q(state=DrawState.ABORTED)),
    )
    aborts_by_batch = [
        BatchAborts(
            batch_id=row["batch_id"],
            title=row["batch__title"],
            year=row["batch__year"],
            requested=row["requested"],
            confirmed=row["confirmed"],
            url=reverse("judicial:batch_detail", args=[row["batch_id"]]),
        )
        for row in draws.filter(abort_requested_at__isnull=False)
        .values("batch_id", "batch__title", "batch__year")
        .annotate(requested=Count("id"), confirmed=Count("id", filter=Q(state=DrawState.ABORTED)))
        .order_by("-batch__year", "batch_id")
    ]
    grades = dict(cases.values_list("grade").annotate(n=Count("id")).values_list("grade", "n"))
    sugg = suggestions.aggregate(
        total=Count("id"), adopted=Count("id", filter=Q(state=SuggestionState.ADOPTED))
    )
    return Figures(
        year=year,
        experts_by_category=experts,
        experts_total=Figure("", sum(by_cat.values()), "judicial:expert_list"),
        draws=Figure("", draw_counts["total"], "judicial:batch_list", y.rstrip("&")),
        draws_abort_requested=Figure(
            "", draw_counts["abort_requested"], "judicial:draw_list", f"{y}abort=requested"
        ),
        draws_aborted=Figure(
            "", draw_counts["aborted"], "judicial:draw_list", f"{y}state={DrawState.ABORTED}"
        ),
        aborts_by_batch=aborts_by_batch,
        cases_reviewed=Figure("", sum(grades.values()), "judicial:case_list", y.rstrip("&")),
        by_grade=[
            Figure(str(label), grades.get(value, 0), "judicial:case_list", f"{y}grade={value}")
            for value, label in Grade.choices
        ],
        suggestions=Figure("", sugg["total"], "judicial:suggestion_list", f"{y}sent=1"),
        adopted=Figure(
            "", sugg["adopted"], "judicial:suggestion_list", f"{y}state={SuggestionState.ADOPTED}"
        ),
        cases_corrected=Figure("", corrected.count(), "judicial:case_list", f"{y}corrected=1"),
        mechanisms=Figure("", mechanisms.count(), "judicial:suggestion_list", f"{y}mechanisms=1"),
        petitions=Figure("", petitions.count(), "judicial:petition_list", y.rstrip("&")),
    )
