"""Reads of the livelihood link, scoped by access and with a constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from wulian.core import access
from wulian.core.access import Actor
from wulian.livelihood import rules
from wulian.livelihood.choices import IndicatorKind, Satisfaction
from wulian.livelihood.filters import ProjectFilter
from wulian.livelihood.models import Actual, Candidate, Cycle, Indicator, Photo, Project


def cycle_list(*, actor: Any) -> QuerySet:
    return access.scope(actor, "livelihood.cycle.view", Cycle.objects.select_related("organiser"))


def cycle_detail(*, actor: Any, cycle_id: int) -> Cycle:
    cycle = get_object_or_404(
        Cycle.objects.select_related("organiser", "vote_poll", "satisfaction_poll"), pk=cycle_id
    )
    access.require(actor, "livelihood.cycle.view", cycle)
    return cycle


def candidates_of(cycle: Cycle) -> list[Candidate]:
    return list(cycle.candidates.select_related("responsible").order_by("id"))


def _project_qs() -> QuerySet:
    return Project.objects.select_related("cycle", "responsible").prefetch_related(
        "co_departments",
        Prefetch("indicators", queryset=Indicator.objects.order_by("position", "id")),
    )


def project_list(*, actor: Any, year: int | None = None, filters: Any = None) -> QuerySet:
    qs = access.scope(actor, "livelihood.project.view", _project_qs())
    if year:
        qs = qs.filter(cycle__year=year)
    if filters is not None:
        qs = ProjectFilter(filters, queryset=qs).qs
    return qs.order_by("-cycle__year", "number")


def project_detail(*, actor: Any, project_id: int) -> Project:
    project = get_object_or_404(
        Project.objects.select_related("cycle", "responsible").prefetch_related(
            "co_departments",
            "group__person",
            "milestones",
            # The rows do not read the planned curve (a JSON column to decode); the change
            # form, drawn on demand, reads it then.
            Prefetch(
                "indicators", queryset=Indicator.objects.defer("plan").order_by("position", "id")
            ),
        ),
        pk=project_id,
    )
    access.require(actor, "livelihood.project.view", project)
    return project


def actuals_of(project: Project) -> dict[int, list[Actual]]:
    """Each indicator's monthly reports, as the project page lists them (one query): the
    columns the row shows, and whether any of its photos lacks readable metadata."""
    rows: dict[int, list[Actual]] = defaultdict(list)
    unreadable = Photo.objects.filter(actual=OuterRef("pk"), readable=False)
    for a in (
        Actual.objects.filter(indicator__project=project)
        .only("id", "indicator_id", "month", "value", "state")
        .annotate(unreadable=Exists(unreadable))
        .order_by("indicator_id", "month")
    ):
        rows[a.indicator_id].append(a)
    return rows


def actual_detail(*, actor: Any, actual_id: int) -> Actual:
    actual = get_object_or_404(
        Actual.objects.select_related(
            "indicator__project__cycle", "indicator__project__responsible", "reported_by__person"
        ).prefetch_related("photos", "indicator__project__group"),
        pk=actual_id,
    )
    access.require(actor, "livelihood.actual.view", actual)
    return actual


def activities_of(*, actor: Actor, project: Project) -> list[Any]:
    """The joint supervision activities linked to the project that this person may see (a 暗访
    before its bulletin: its organisers only — the activities' own rule)."""
    from django.contrib.contenttypes.models import ContentType

    from wulian.core.activities.models import Activity, ActivityRecordLink

    links = ActivityRecordLink.objects.filter(
        content_type=ContentType.objects.get_for_model(Project), object_id=project.pk
    )
    qs = Activity.objects.filter(pk__in=links.values("activity_id")).select_related("organiser")
    return list(access.scope(actor, "activities.activity.view", qs).order_by("-starts_at"))


# --- Figures ---------------------------------------------------------------------------------


@dataclass
class IndicatorFigure:
    id: int
    project_id: int
    project: str
    name: str
    unit: str
    kind: str
    progress: rules.Progress
    text: str
    warned: bool


@dataclass
class ProjectFigure:
    id: int
    number: int
    title: str
    responsible: str
    done: bool
    satisfaction: str
    indicators: list[IndicatorFigure] = field(default_factory=list)


@dataclass
class Figures:
    year: int
    cycle_id: int | None
    projects: list[ProjectFigure]
    satisfaction: dict[str, int]

    @property
    def done(self) -> int:
        return sum(p.done for p in self.projects)

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "projects": len(self.projects),
            "done": self.done,
            "satisfaction": self.satisfaction,
            "items": [
                {
                    "number": p.number,
                    "title": p.title,
                    "responsible": p.responsible,
                    "done": p.done,
                    "satisfaction": p.satisfaction,
                    "indicators": [
                        {
                            "name": i.name,
                            "unit": i.unit,
                            "target": str(i.progress.target),
                            "actual": str(i.progress.actual),
                            "in_use": None if i.progress.in_use is None else str(i.progress.in_use),
                            "done": i.progress.done,
                            "over": i.progress.over,
                            "text": i.text,
                            "warned": i.warned,
                        }
                        for i in p.indicators
                    ],
                }
                for p in self.projects
            ],
        }


# What the roll-up reads of an indicator (not its planned curve, a JSON column to decode).
FIGURE_INDICATORS = Indicator.objects.only(
    "id",
    "project_id",
    "position",
    "name",
    "unit",
    "kind",
    "target",
    "actual",
    "actual_in_use",
    "warned_gap",
)


def year_or_latest(query: Any) -> int:
    """The year asked for (`?year=`), else the latest cycle's, else 0."""
    from wulian.core import pages

    year = pages.year_of(query)
    if year is None:
        year = Cycle.objects.order_by("-year").values_list("year", flat=True).first() or 0
    return year


def figures(*, actor: Any, year: int) -> Figures:
    """The year's roll-up from the indicators' latest figures (two queries: the projects and
    their indicators), per indicator, per project and for the cycle."""
    cycle = Cycle.objects.filter(year=year).values_list("pk", flat=True).first()
    projects = list(
        access.scope(
            actor,
            "livelihood.figures.view",
            Project.objects.filter(cycle__year=year).select_related("responsible"),
        )
        .prefetch_related(Prefetch("indicators", queryset=FIGURE_INDICATORS.order_by("position")))
        .order_by("number")
    )
    return build_figures(year, cycle, projects)


def build_figures(year: int, cycle: int | None, projects: list[Project]) -> Figures:
    out = []
    tally = {s.value: 0 for s in Satisfaction if s.value}
    for p in projects:
        pf = ProjectFigure(p.pk, p.number, p.title, p.responsible.name, True, p.satisfaction)
        if p.satisfaction:
            tally[p.satisfaction] += 1
        for i in p.indicators.all():
            in_use = i.actual_in_use if i.kind == IndicatorKind.IN_USE else None
            prog = rules.progress(i.target, i.actual, in_use)
            pf.indicators.append(
                IndicatorFigure(
                    i.pk,
                    p.pk,
                    p.title,
                    i.name,
                    i.unit,
                    i.kind,
                    prog,
                    rules.rollup_text(prog, i.unit),
                    i.warned_gap is not None,
                )
            )
            pf.done = pf.done and prog.done
        pf.done = pf.done and bool(pf.indicators)
        out.append(pf)
    return Figures(year, cycle, out, tally)


def public_projects(year: int) -> list[Project]:
    """The public page: projects, indicators and the photos chosen for publication — no
    person named (no reporter, no group)."""
    return list(
        Project.objects.filter(cycle__year=year)
        .select_related("responsible")
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("position")),
        )
        .order_by("number")
    )


def public_photos(year: int) -> dict[int, list[Photo]]:
    rows: dict[int, list[Photo]] = defaultdict(list)
    for photo in Photo.objects.filter(
        public=True, actual__indicator__project__cycle__year=year
    ).select_related("actual__indicator", "attachment"):
        rows[photo.actual.indicator.project_id].append(photo)
    return rows
