"""The charts of the year's figures page (ADR 0020): a thin layer over `figures.py`.

The numbers are the figures' own (`YearFigures`) and two more selectors, each one grouped
query over what the viewer may see: the year's suggestions by category, and the years' totals
(received, answered, due, answered on time) for the trend. Every bar links to the ledger
filtered to the records behind it, as the table beside it does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from wulian.core import access
from wulian.core.charts import Point, Series, bar_chart, column_chart
from wulian.suggestions.choices import Category
from wulian.suggestions.figures import YearFigures, ledger_url, percent, stage_q
from wulian.suggestions.models import Suggestion

UNITS_CHARTED = 15  # the first 15 of the ranking; the table below has them all
TREND_YEARS = 6


@dataclass(frozen=True)
class YearRow:
    year: int
    received: int
    answered: int
    due: int
    answered_on_time: int

    @property
    def on_time_percent(self) -> str:
        return percent(round(self.answered_on_time / self.due, 4) if self.due else None)


def _visible(actor: Any) -> Any:
    who = access.require(actor, "suggestions.suggestion.view")
    return access.scope(who, "suggestions.suggestion.view", Suggestion.objects.all())


def by_category(*, actor: Any, year: int) -> list[tuple[str, str, int]]:
    """(code, label, count) of the year's suggestions the actor may see, by category."""
    rows = dict(
        _visible(actor)
        .filter(session__year=year)
        .order_by()
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    return [(code, str(label), rows.get(code, 0)) for code, label in Category.choices]


def by_year(*, actor: Any, last: int = TREND_YEARS) -> list[YearRow]:
    """The newest `last` years' totals, oldest first (one grouped query)."""
    rows = (
        _visible(actor)
        .order_by()
        .values("session__year")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=stage_q("answered")),
            due=Count("pk", filter=stage_q("due")),
            answered_on_time=Count("pk", filter=stage_q("answered_on_time")),
        )
        .order_by("-session__year")[:last]
    )
    return [
        YearRow(
            year=r["session__year"],
            received=r["received"],
            answered=r["answered"],
            due=r["due"],
            answered_on_time=r["answered_on_time"],
        )
        for r in reversed(list(rows))
    ]


def charts(
    data: YearFigures, *, categories: list[tuple[str, str, int]], trend: list[YearRow]
) -> dict[str, SafeString]:
    """The page's charts by name; each beside its table."""
    year = data.year
    out: dict[str, SafeString] = {}
    out["categories"] = bar_chart(
        key="categories",
        title=_("%(year)d年代表建议类别") % {"year": year},
        points=[
            Point(label, n, str(n), ledger_url(year=year, category=code))
            for code, label, n in categories
        ],
    )
    out["reply_categories"] = bar_chart(
        key="reply-categories",
        title=_("答复类别"),
        points=[Point(str(f.label), f.value, str(f.value), f.url) for f in data.categories],
    )
    out["satisfaction"] = bar_chart(
        key="satisfaction",
        title=_("代表满意度"),
        points=[
            Point(str(f.label), f.value, _("不公开") if f.suppressed else str(f.value), f.url)
            for f in data.satisfaction
        ],
    )
    units = data.units[:UNITS_CHARTED]
    out["units"] = bar_chart(
        key="units-on-time",
        title=_("承办单位按期答复率（只计已到答复期限的建议）"),
        points=[Point(u.unit, u.on_time_rate, u.percents["on_time"], u.url) for u in units],
        percent=True,
        note=_("按名次列出前 %(n)d 个单位，全部单位见下表。") % {"n": len(units)}
        if len(data.units) > len(units)
        else "",
    )
    years = [str(r.year) for r in trend]
    out["trend"] = column_chart(
        key="trend",
        title=_("历年代表建议办理情况"),
        categories=years,
        series=[
            Series(
                _("收到建议"),
                [r.received for r in trend],
                [ledger_url(year=r.year) for r in trend],
            ),
            Series(
                _("已答复"),
                [r.answered for r in trend],
                [ledger_url(year=r.year, stage="answered") for r in trend],
            ),
            Series(
                _("按期答复"),
                [r.answered_on_time for r in trend],
                [ledger_url(year=r.year, stage="answered_on_time") for r in trend],
            ),
        ],
    )
    return out
