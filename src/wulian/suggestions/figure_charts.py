"""The charts of the year's figures page (ADR 0020): a thin layer over `figures.py`.

The numbers are the figures' own (`YearFigures`) and two more selectors, each one grouped
query over what the viewer may see: the year's suggestions by category, and the years' totals
(received, answered, due, answered on time) for the trend. Every bar links to the ledger
filtered to the records behind it, as the table beside it does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from wulian.core import access
from wulian.core.charts import Point, Series, bar_chart, column_chart
from wulian.reports import cache
from wulian.suggestions.choices import Category
from wulian.suggestions.figures import (
    YearFigures,
    ledger_url,
    of_year,
    percent,
    session_years,
    stage_q,
)
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


def by_category(
    *, actor: Any, year: int, sessions: list[tuple[int, int]] | None = None
) -> list[tuple[str, str, int]]:
    """(code, label, count) of the year's suggestions the actor may see, by category. Read by
    the year's sessions' ids and grouped per session too, so that the figures' index answers
    it (grouped by category alone SQLite walked the category index over every year: ~50 ms
    at 100,000); the sessions' counts are summed here."""
    rows: dict[str, int] = {}
    for _session, code, n in (
        _visible(actor)
        .filter(session_id__in=of_year(sessions, year))
        .order_by()
        .values_list("session_id", "category")
        .annotate(n=Count("pk"))
        .values_list("session_id", "category", "n")
    ):
        rows[code] = rows.get(code, 0) + n
    return category_rows(rows)


def category_rows(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(code, label, count) of every category, from counts by code: `by_category`'s rows, or
    the year's figures' own (`year_figures(by_category=True).suggestion_categories`: the same
    rows the actor may see, counted in the figures' aggregate)."""
    return [(code, str(label), counts.get(code, 0)) for code, label in Category.choices]


TREND_COUNTS = ("answered", "due", "answered_on_time")


def by_year(
    *,
    actor: Any,
    last: int = TREND_YEARS,
    sessions: list[tuple[int, int]] | None = None,
    known: dict[int, dict[str, int]] | None = None,
    version: tuple[int, date] | None = None,
) -> list[YearRow]:
    """The newest `last` years' totals, oldest first (one grouped query). Only the rows of the
    newest `last` years with sessions are read (by their sessions' ids, grouped per session:
    the figures' index), not every year's: the trend over all the rows of ten years was most
    of the figures page (~0.4 s at 100,000 on SQLite). When fewer than `last` of those years
    have rows the actor may see, older years may: then every year is grouped, as before.
    `known`: a year's totals the caller has counted already over the same rows (the figures
    page's year, `year_totals`): that year's rows are not read again. `version`
    (`reports.cache.data_version()`): the other years' totals are kept while it holds (ADR
    0031, kept counts: no change recorded since, the same day, the same person, at most the
    kept counts' lifetime); None: counted afresh."""
    sessions = session_years() if sessions is None else sessions
    newest = set(sorted({y for _pk, y in sessions}, reverse=True)[:last])
    known = {y: t for y, t in (known or {}).items() if y in newest}
    who = access.require(actor, "suggestions.suggestion.view")
    visible = access.scope(who, "suggestions.suggestion.view", Suggestion.objects.all())

    def count(years: list[int]) -> dict[int, dict[str, int]]:
        """The totals of `years` (one grouped query, by their sessions' ids)."""
        year_of = {pk: y for pk, y in sessions if y in years}
        counted = {y: dict.fromkeys(("received", *TREND_COUNTS), 0) for y in years}
        for r in _trend(visible.filter(session_id__in=list(year_of)), "session_id"):
            year = counted[year_of[r["session_id"]]]
            for key in year:
                year[key] += r[key]
        return counted

    others = sorted(newest - set(known))
    read = (
        cache.years_kept("suggestions.trend", actor=who, years=others, version=version, count=count)
        if others
        else {}
    )
    # A year without rows the actor may see has no total (as when it is grouped).
    totals: dict[int, dict[str, int]] = {
        y: dict(t) for y, t in (*known.items(), *read.items()) if t["received"]
    }
    if len(totals) < last and len(newest) < len({y for _pk, y in sessions}):
        totals = {r["session__year"]: r for r in _trend(visible, "session__year")}
    return [
        YearRow(
            year=y,
            received=t["received"],
            answered=t["answered"],
            due=t["due"],
            answered_on_time=t["answered_on_time"],
        )
        for y, t in sorted(totals.items())[-last:]
    ]


def year_totals(data: YearFigures) -> dict[str, int]:
    """The trend's totals of the year `data` counts (`figures.compute`: the same stages over
    the same rows the actor may see), for `by_year(known=…)`."""
    return {key: data.figure(key).value for key in ("received", *TREND_COUNTS)}


def _trend(qs: Any, key: str) -> list[dict[str, Any]]:
    return list(
        qs.order_by()
        .values(key)
        .annotate(received=Count("pk"), **{k: Count("pk", filter=stage_q(k)) for k in TREND_COUNTS})
    )


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
