"""Reads of 联评, scoped by access (ADR 0028)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from wulian.core import access, records
from wulian.core.activities.models import Activity, ActivityRecordLink
from wulian.core.clues.models import Clue
from wulian.core.deadlines.models import Deadline
from wulian.core.rectification.choices import RectificationState
from wulian.core.rectification.models import Finding, Rectification
from wulian.evaluation.models import Evaluation, EvaluationClue, TeamMember


def evaluation_list(*, actor: Any, filters: Any = None) -> QuerySet:
    qs = Evaluation.objects.select_related("department", "working_body").order_by("-year", "id")
    year = (filters or {}).get("year") if filters is not None else None
    if year and str(year).isdigit():
        qs = qs.filter(year=int(year))
    department = (filters or {}).get("department") if filters is not None else None
    if department and str(department).isdigit():
        qs = qs.filter(department_id=int(department))
    return access.scope(actor, "evaluation.evaluation.view", qs)


# What the evaluation page shows of the records it names (the bench: the whole rows of ten
# joined tables — the poll's result, the activities' texts — made the SQL and the row decoding
# the page's largest cost).
PAGE_RELATED = {
    "department": ("name", "short_name", "kind", "parent_id"),
    "working_body": ("name", "short_name", "kind", "parent_id"),
    "stationed_group": ("name", "short_name", "kind", "parent_id"),
    "cdi": ("name", "short_name", "kind", "parent_id"),
    "poll": ("title",),
    "talk": ("title",),
    "bulletin": ("title",),
    "decision": ("text", "meeting"),
    "decision__meeting": ("activity",),
    "decision__meeting__activity": ("title",),
}


# The team in one query, with the names the page shows (a person's encrypted fields — ID and
# telephone numbers — are neither read nor decrypted).
_TEAM = (
    TeamMember.objects.select_related("person", "organisation")
    .only(
        "id",
        "evaluation_id",
        "role",
        "person_id",
        "organisation_id",
        "person__name",
        "organisation__name",
        "organisation__short_name",
    )
    .order_by("id")
)


def evaluation_for_page(pk: int) -> Evaluation | None:
    own = [f.name for f in Evaluation._meta.concrete_fields]
    related = [f"{path}__{name}" for path, names in PAGE_RELATED.items() for name in names]
    return (
        Evaluation.objects.select_related(*PAGE_RELATED)
        .only(*own, *related)
        .prefetch_related(Prefetch("team", queryset=_TEAM))
        .filter(pk=pk)
        .first()
    )


def department_history(*, actor: Any, evaluation: Evaluation) -> list[Evaluation]:
    """The department's evaluations of the other years the actor may see, newest first, with
    their results (one query): what the congress found before and whether it asked for a
    re-evaluation."""
    return list(
        evaluation_list(actor=actor)
        .select_related(None)
        .filter(department_id=evaluation.department_id)
        .exclude(pk=evaluation.pk)
        .only(
            "id",
            "year",
            "title",
            "stage",
            "grade",
            "score",
            "conduct_grade",
            "consequence",
            "consequence_reason",
        )
        .order_by("-year")
    )


def activities(evaluation: Evaluation) -> list[Activity]:
    ids = ActivityRecordLink.objects.filter(**records.reference(evaluation)).values("activity_id")
    # What the page lists of each (its participants are on the activity's own page).
    return list(
        Activity.objects.filter(pk__in=ids)
        .only("id", "kind", "title", "starts_at", "state")
        .order_by("starts_at", "id")
    )


def rectifications(evaluation: Evaluation) -> list[Rectification]:
    findings = Finding.objects.filter(**records.reference(evaluation))
    return list(
        Rectification.objects.filter(finding__in=findings)
        .select_related("finding", "responsible_org")
        .only(
            "id",
            "state",
            "finding_id",
            "responsible_org_id",
            "finding__title",
            "responsible_org__name",
            "responsible_org__short_name",
        )
        .order_by("id")
    )


def deadlines(evaluation: Evaluation) -> list[Deadline]:
    return list(Deadline.objects.filter(**records.reference(evaluation)).order_by("id"))


def clue_links(*, actor: Any, evaluation: Evaluation) -> list[EvaluationClue]:
    """The evaluation's clues the actor may see (and no count of the others)."""
    seen = access.scope(actor, "clues.clue.view", Clue.objects.all()).values("pk")
    # Its number only (made of its id and year): a clue's encrypted fields are neither shown
    # nor decrypted here.
    return list(
        EvaluationClue.objects.filter(evaluation=evaluation, clue_id__in=seen)
        .select_related("clue")
        .only("id", "evaluation_id", "clue_id", "campaign", "clue__created_at")
    )


def years(*, actor: Any) -> list[int]:
    return sorted(set(evaluation_list(actor=actor).values_list("year", flat=True)), reverse=True)


def figures(*, actor: Any, year: int, everything: bool = False) -> dict[str, Any]:
    """The year's figures: each evaluation's grade, score, conduct grade and dimension scores;
    its rectification items and those closed on time; the clues per campaign the actor may see.
    A fixed number of queries whatever the number of departments. `everything`: the operator's
    count on the server (`wulian figures evaluation`), not scoped to a person."""
    base = Evaluation.objects.all() if everything else evaluation_list(actor=actor)
    rows = list(
        base.select_related(None)
        .filter(year=year)
        .only(
            "id",
            "year",
            "title",
            "stage",
            "grade",
            "score",
            "consequence",
            "conduct_grade",
            "dimensions",
            "dimension_scores",
            "department__name",
            "department_id",
        )
        .select_related("department")
        .order_by("department__name")
    )
    ids = [e.pk for e in rows]
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Evaluation)
    rect_rows = (
        Rectification.objects.filter(finding__content_type=ct, finding__object_id__in=ids)
        .values("finding__object_id")
        .annotate(
            total=Count("id"),
            closed=Count("id", filter=Q(state=RectificationState.CLOSED)),
        )
    )
    rects = {r["finding__object_id"]: r for r in rect_rows}
    on_time = _closed_on_time(ct, ids)
    clues = Clue.objects.all()
    seen = (clues if everything else access.scope(actor, "clues.clue.view", clues)).values("pk")
    campaigns = Counter(
        EvaluationClue.objects.filter(evaluation_id__in=ids, clue_id__in=seen).values_list(
            "campaign", flat=True
        )
    )
    dims: dict[str, list[int]] = defaultdict(list)
    for e in rows:
        for name, value in (e.dimension_scores or {}).items():
            dims[name].append(int(value))
    return {
        "year": year,
        "rows": [
            {
                "evaluation": e,
                "rect_total": rects.get(e.pk, {}).get("total", 0),
                "rect_closed": rects.get(e.pk, {}).get("closed", 0),
                "rect_on_time": on_time.get(e.pk, 0),
            }
            for e in rows
        ],
        "dimensions": {k: round(sum(v) / len(v), 1) for k, v in sorted(dims.items())},
        "campaigns": sorted(campaigns.items()),
        "total": len(rows),
    }


def _closed_on_time(ct: Any, ids: list[int]) -> dict[int, int]:
    """Closed rectifications whose rectification deadline was met on time (state MET; a late
    one is MISSED)."""
    from wulian.core.deadlines.choices import DeadlineState
    from wulian.core.rectification.choices import DEADLINE_RECTIFICATION

    rect_ct = _rect_ct()
    closed = dict(
        Rectification.objects.filter(
            finding__content_type=ct,
            finding__object_id__in=ids,
            state=RectificationState.CLOSED,
        ).values_list("pk", "finding__object_id")
    )
    met = Deadline.objects.filter(
        content_type=rect_ct,
        object_id__in=list(closed),
        kind=DEADLINE_RECTIFICATION,
        state=DeadlineState.MET,
    ).values_list("object_id", flat=True)
    out: Counter[int] = Counter(closed[rect_id] for rect_id in met)
    return dict(out)


def _rect_ct() -> Any:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Rectification)


DOSSIER_EVENTS = (
    "evaluation.dossier.added",
    "evaluation.dossier.delivered",
    "evaluation.dossier.read",
    "evaluation.dossier.used",
    "evaluation.clue.referred",
)


def records_timeline(evaluation: Evaluation, actor: Any) -> list[Any]:
    """The evaluation's audit events; those about the dossier and clues only for the people who
    may see the dossier (the department never learns what the CDI gave)."""
    from wulian.core.models import AuditEvent

    qs = AuditEvent.objects.filter(
        target_type="evaluation.evaluation", target_id=str(evaluation.pk)
    )
    if not access.can(actor, "evaluation.dossier.view", evaluation):
        # The deadlines' events name the dossier's deadline; the page lists the others.
        qs = qs.exclude(action__in=DOSSIER_EVENTS).exclude(action__startswith="deadlines.")
    return list(qs.order_by("-seq")[:50])
