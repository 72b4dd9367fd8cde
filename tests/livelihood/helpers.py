"""Builders for the livelihood tests: a cycle in any stage, a project under way with its
indicator and supervision group, a monthly report, photos with or without EXIF."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.personas import Personas
from wulian.core.access import actor_for  # noqa: F401 - the tests act as personas
from wulian.livelihood import exif
from wulian.livelihood.choices import CandidateSource, CycleState, GroupRole, IndicatorKind
from wulian.livelihood.models import Actual, Candidate, Cycle, GroupMember, Indicator, Project

SH = ZoneInfo("Asia/Shanghai")
PLAN = {str(m): str(Decimal(50) * m) for m in range(1, 13)}  # 600 km by December


def make_cycle(
    p: Personas, *, year: int | None = None, state: str = CycleState.IMPLEMENTING
) -> Cycle:
    if year is None:  # the next free year from 2023
        year = max([2022, *Cycle.objects.values_list("year", flat=True)]) + 1
    return Cycle.objects.create(
        year=year,
        title=f"{year}年市级民生实事项目",
        organiser=p.orgs["congress_body"],
        state=state,
        places=2,
        deputies=10,
    )


def make_candidates(cycle: Cycle, n: int = 3, *, shortlisted: bool = True) -> list[Candidate]:
    return [
        Candidate.objects.create(
            cycle=cycle,
            title=f"候选项目{i}",
            source=CandidateSource.PUBLIC,
            state="shortlisted" if shortlisted else "proposed",
            budget=Decimal(100),
            responsible=cycle.organiser,
            indicators=[
                {"name": f"指标{i}", "target": "10", "unit": "个", "kind": "count", "baseline": "0"}
            ],
        )
        for i in range(1, n + 1)
    ]


def make_project(
    p: Personas,
    *,
    cycle: Cycle | None = None,
    kind: str = IndicatorKind.LENGTH,
    co_unit_b: bool = False,
) -> Project:
    cycle = cycle or make_cycle(p)
    project = Project.objects.create(
        cycle=cycle,
        number=cycle.projects.count() + 1,
        title=f"四好农村路建设{cycle.projects.count() + 1}",
        responsible=p.orgs["unit_a"],
    )
    if co_unit_b:
        project.co_departments.add(p.orgs["unit_b"])
    Indicator.objects.create(
        project=project,
        name="农村公路提档升级" if kind != IndicatorKind.IN_USE else "幸福食堂",
        unit="公里" if kind != IndicatorKind.IN_USE else "个",
        kind=kind,
        target=Decimal(600) if kind != IndicatorKind.IN_USE else Decimal(50),
        plan=PLAN,
    )
    GroupMember.objects.create(project=project, person=p.deputy.person, role=GroupRole.DEPUTY)
    return project


def make_actual(p: Personas, project: Project, *, month: int = 3, value: int = 150) -> Actual:
    return Actual.objects.create(
        indicator=project.indicators.get(),
        month=month,
        value=Decimal(value),
        reported_by=p.unit_a,
        reported_at=timezone.now(),
    )


def make_order(p: Personas, project: Project | None = None, **fields: Any) -> Any:
    """A supervision order on a lagging project (a warning standing on its indicator)."""
    from datetime import timedelta

    from wulian.livelihood.models import Order

    project = project or make_project(p)
    project.indicators.update(warned_gap=Decimal("0.5"))
    defaults = {
        "issued_by_org": project.cycle.organiser,
        "issued_at": timezone.now(),
        "to_unit": project.responsible,
        "requirements": "请加快路基施工，书面报告整改措施。",
        "due_on": timezone.localdate() + timedelta(days=10),
    }
    return Order.objects.create(project=project, **{**defaults, **fields})


def photo(name: str = "site.jpg", *, readable: bool = True) -> SimpleUploadedFile:
    data = exif.jpeg_with_exif(
        datetime(2023, 3, 25, 10, 0, tzinfo=SH) if readable else None,
        Decimal("30.2") if readable else None,
        Decimal("115.04") if readable else None,
    )
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def livelihood_case(kind: str, *, other: bool = False, **options: Any):
    """Record functions for tests/core/test_policy_matrix.py, built once per world (`other`:
    a second record of the kind)."""

    def build(world: Any, who: str) -> Any:
        cache = world.__dict__.setdefault("_livelihood", {})
        key = (kind, other, tuple(sorted(options.items())))
        if key not in cache:
            p = world.p
            if kind == "cycle":
                cache[key] = make_cycle(p)
            elif kind == "project":
                cache[key] = make_project(p, **options)
            elif kind == "actual":
                cache[key] = make_actual(p, make_project(p, **options))
            elif kind == "candidate":
                cache[key] = make_candidates(make_cycle(p, state=CycleState.SCREENING), 1)[0]
        return cache[key]

    return build


def public_photo(p: Personas) -> Any:
    """A photo of a verified report chosen for the public page."""
    from wulian.core.attachments.services import attachment_add
    from wulian.livelihood.models import Photo

    actual = make_actual(p, make_project(p))
    actual.state = "verified"
    actual.save(update_fields=["state"])
    att = attachment_add(actor=p.unit_a, record=actual, upload=photo())
    return Photo.objects.create(actual=actual, attachment=att, readable=True, public=True)
