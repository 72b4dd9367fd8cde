"""`wulian figures livelihood --year 2023 --format json|table` (the figures command finds
this module: LINK, cli_figures, cli_table)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from wulian.livelihood.models import Cycle, Indicator, Project
from wulian.livelihood.selectors import Figures, build_figures

LINK = "livelihood"


def cli_figures(*, year: int) -> Figures:
    """The year's figures as the command line sees them: every project (no person's scope)."""
    projects = list(
        Project.objects.filter(cycle__year=year)
        .select_related("responsible")
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("position")))
        .order_by("number")
    )
    cycle = Cycle.objects.filter(year=year).values_list("pk", flat=True).first()
    return build_figures(year, cycle, projects)


def cli_table(data: Any) -> list[tuple[str, str]]:
    """(label, value) lines: the totals, then each indicator's roll-up."""
    lines = [
        ("年度", str(data.year)),
        ("项目", str(len(data.projects))),
        ("已完成", str(data.done)),
    ]
    for p in data.projects:
        for i in p.indicators:
            lines.append((f"{p.number}. {p.title} · {i.name}", i.text))
    return lines
