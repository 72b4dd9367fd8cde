"""The year's figures of deputies' suggestions, each a link to the ledger rows behind it.

A year is the year of the congress session the suggestions belong to (大会期间 and the recess
after it, 闭会期间) — how a city reports "2023年共收到代表建议187件".

One definition per figure (`STAGES`): the aggregate counts it and the ledger filters by it
(`FigureFilters`, which the ledger's FilterSet includes), so a figure and the list it opens
always agree. Five queries whatever the volume: the year's sessions, the totals (one
aggregate with FILTERed counts) and the ranking (the same rows grouped by lead unit) — each an
index-only scan of `sugg_figures_idx` on PostgreSQL —, the units' names and the year's
campaigns. "Answered on time" is the first reply's `on_time`, kept on the suggestion
(`first_reply_on_time`) so that no reply is joined.

Each viewer counts what they may see (`suggestions.suggestion.view`'s scope): the supervising
side sees the city, a unit its own suggestions; the satisfaction split links to the rows only for
those who may see verdicts (a unit sees aggregates, never who rated what). For those, a verdict
breakdown over fewer than `SUGGESTION_FIGURES_MIN_VERDICTS` verdicts (the split, a unit's
satisfaction rate) is suppressed — one 不满意 among one rated suggestion is that deputy's
verdict — and the ranking does not order by what it hides. The command line
(`wulian figures suggestions --year 2023`) runs on the server and counts everything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

import django_filters
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wulian.core import access
from wulian.core.filters import FilterSet, OrganisationLookupFilter
from wulian.core.models import Organisation
from wulian.suggestions import reply_classes
from wulian.suggestions.choices import Category, Satisfaction, SuggestionStatus
from wulian.suggestions.models import Campaign, CongressSession, Reply, Suggestion

LINK = "suggestions"  # `wulian figures suggestions`
LEDGER = "suggestions:suggestion_list"


def _answered_on_time() -> Q:
    """The first reply was on time: the suggestion's `first_reply_on_time`, written with the
    reply; for an answered suggestion whose column was never written, the reply itself (only
    those rows run the subquery)."""
    first = Reply.objects.filter(suggestion=OuterRef("pk"), round=1, on_time=True)
    return Q(first_reply_on_time=True) | (
        Q(first_reply_on_time__isnull=True, reply_round__gte=1) & Q(Exists(first))
    )


# stage → (label, condition). The ledger's `stage` filter and the aggregate share these.
STAGES: dict[str, tuple[Any, Any]] = {
    "received": (_("收到建议"), lambda: Q()),
    "accepted": (
        _("立案"),
        lambda: Q(reviewed_at__isnull=False) & ~Q(status=SuggestionStatus.NOT_ACCEPTED),
    ),
    "not_accepted": (_("不予立案"), lambda: Q(status=SuggestionStatus.NOT_ACCEPTED)),
    "assigned": (_("已交办"), lambda: Q(assigned_at__isnull=False)),
    "received_by_unit": (_("承办单位已签收"), lambda: Q(received_at__isnull=False)),
    "contacted_in_time": (
        _("按时联系代表"),
        lambda: (
            Q(first_contact_at__isnull=False, contact_due_at__isnull=False)
            & Q(first_contact_at__lte=F("contact_due_at"))
        ),
    ),
    "answered": (_("已答复"), lambda: Q(reply_round__gte=1)),
    # What is due: answered, or assigned and past its reply deadline. A reply not yet due is
    # neither on time nor late; the on-time share counts only what is due.
    "due": (
        _("已到答复期限"),
        lambda: (
            Q(assigned_at__isnull=False)
            & (Q(reply_round__gte=1) | Q(reply_due_at__lte=timezone.now()))
        ),
    ),
    "answered_on_time": (_("按期答复"), lambda: _answered_on_time()),
    "rated": (_("代表已评价"), lambda: ~Q(verdict="")),
}


def percent(rate: float | None) -> str:
    """A share as Chinese reports print it: 66.7%; — when there is nothing to share."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def stage_q(stage: str) -> Q:
    return STAGES[stage][1]()


class FigureFilters(FilterSet):
    """The ledger filters the figures link to; the ledger's FilterSet inherits them."""

    year = django_filters.NumberFilter(
        method="in_year", label=_("年度"), min_value=1949, max_value=9999
    )
    stage = django_filters.ChoiceFilter(
        method="at_stage",
        label=_("办理环节"),
        choices=[(k, label) for k, (label, _q) in STAGES.items()],
    )
    reply_category = django_filters.ChoiceFilter(
        field_name="reply_category", choices=reply_classes.choices, label=_("答复类别")
    )
    lead_unit = OrganisationLookupFilter(
        queryset=Organisation.objects.all(), field_name="lead_unit", label=_("主办单位")
    )

    def in_year(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        return qs.filter(session__year=int(value))

    def at_stage(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(stage_q(value)) if value in STAGES else qs


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | None  # None: suppressed (too few verdicts to show to this viewer)
    of: int | None = None  # the count the rate is a share of
    url: str | None = None

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def rate(self) -> float | None:
        return round(self.value / self.of, 4) if self.of and self.value is not None else None

    @property
    def percent(self) -> str:
        return percent(self.rate)


@dataclass(frozen=True)
class UnitRow:
    rank: int
    unit_id: int
    unit: str
    assigned: int
    contacted_in_time: int
    answered: int
    answered_on_time: int
    rated: int
    satisfied: int | None  # 满意 or 基本满意; None: suppressed (too few verdicts)
    url: str | None = None
    due: int | None = None  # answered or past the reply deadline (None: not counted)

    @property
    def suppressed(self) -> bool:
        return self.satisfied is None

    @property
    def on_time_rate(self) -> float | None:
        """On-time replies as a share of what is due (not of everything assigned: a reply due
        next March is not late today)."""
        of = self.assigned if self.due is None else self.due
        return round(self.answered_on_time / of, 4) if of else None

    @property
    def contact_rate(self) -> float | None:
        return round(self.contacted_in_time / self.assigned, 4) if self.assigned else None

    @property
    def satisfaction_rate(self) -> float | None:
        if self.satisfied is None or not self.rated:
            return None
        return round(self.satisfied / self.rated, 4)

    @cached_property
    def percents(self) -> dict[str, str]:
        return {
            "on_time": percent(self.on_time_rate),
            "contact": percent(self.contact_rate),
            "satisfaction": percent(self.satisfaction_rate),
        }


@dataclass(frozen=True)
class CampaignRow:
    campaign_id: int
    name: str
    collected: int
    completed: int
    url: str | None = None


@dataclass
class YearFigures:
    year: int
    figures: list[Figure] = field(default_factory=list)
    categories: list[Figure] = field(default_factory=list)  # A / B / C
    satisfaction: list[Figure] = field(default_factory=list)  # 满意 / 基本满意 / 不满意
    units: list[UnitRow] = field(default_factory=list)
    campaigns: list[CampaignRow] = field(default_factory=list)
    # Verdict breakdowns over fewer verdicts than this are suppressed (0: nothing is).
    min_verdicts: int = 0
    # The year's suggestions by category (code → count), when counted (`by_category=True`):
    # the page's category chart; not part of `as_dict`.
    suggestion_categories: dict[str, int] | None = None

    @property
    def satisfaction_suppressed(self) -> bool:
        return any(f.suppressed for f in self.satisfaction)

    def figure(self, key: str) -> Figure:
        for f in (*self.figures, *self.categories, *self.satisfaction):
            if f.key == key:
                return f
        raise KeyError(key)

    @property
    def satisfaction_rate(self) -> float | None:
        if self.satisfaction_suppressed:
            return None
        rated = sum(f.value for f in self.satisfaction)
        good = sum(f.value for f in self.satisfaction if f.key != "verdict_unsatisfied")
        return round(good / rated, 4) if rated else None

    @property
    def satisfaction_percent(self) -> str:
        return percent(self.satisfaction_rate)

    def as_dict(self) -> dict[str, Any]:
        """Plain data (the API, `--format json`); rates are shares between 0 and 1."""

        def fig(f: Figure) -> dict[str, Any]:
            return {**_plain(f), "label": str(f.label), "rate": f.rate, "suppressed": f.suppressed}

        return {
            "year": self.year,
            "figures": [fig(f) for f in self.figures],
            "reply_categories": [fig(f) for f in self.categories],
            "satisfaction": [fig(f) for f in self.satisfaction],
            "satisfaction_rate": self.satisfaction_rate,
            "min_verdicts": self.min_verdicts,
            "units": [
                {
                    **_plain(u),
                    "on_time_rate": u.on_time_rate,
                    "contact_rate": u.contact_rate,
                    "satisfaction_rate": u.satisfaction_rate,
                    "suppressed": u.suppressed,
                }
                for u in self.units
            ],
            "campaigns": [_plain(c) for c in self.campaigns],
        }


def _plain(record: Any) -> dict[str, Any]:
    """A flat record's fields (dataclasses.asdict deep-copies: 0.3 s for 3,000 units)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


def ledger_url(*, base: str | None = None, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{base or reverse(LEDGER)}?{query}"


def compute(
    *,
    year: int,
    suggestions: QuerySet | None = None,
    campaigns: QuerySet | None = None,
    verdict_links: bool = True,
    links: bool = True,
    min_verdicts: int = 0,
    sessions: list[tuple[int, int]] | None = None,
    by_category: bool = False,
    kept: Callable[[Callable[[], Any]], Any] | None = None,
) -> YearFigures:
    """The figures of `year` over `suggestions` (all by default). A verdict breakdown over
    fewer than `min_verdicts` verdicts is suppressed (for viewers who may not see verdicts).
    `sessions`: `session_years()` when the caller has read them already. `by_category`: also
    count the year's suggestions by category (`suggestion_categories`) in the same aggregate
    (a second grouped read of the year's rows was ~6 ms at 100,000 on SQLite). `kept`: reads
    the grouped counts through it (`kept(read)`: `year_figures`' kept counts)."""
    # The year's sessions by id, so that both databases walk the session index (SQLite would
    # otherwise walk the lead-unit index over every year).
    sessions = of_year(sessions, year)
    qs = (Suggestion.objects.all() if suggestions is None else suggestions).filter(
        session_id__in=sessions
    )
    qs = qs.order_by()

    def url(**params: Any) -> str | None:
        return ledger_url(year=year, **params) if links else None

    # One aggregate over the year's rows with FILTERed counts, grouped by lead unit: the
    # ranking reads the groups and the totals are their sums (every figure is a count), so the
    # year's rows are read once, not twice (two scans were ~20 ms each at 100,000 on SQLite).
    counts: dict[str, Any] = {key: Count("pk", filter=stage_q(key)) for key in STAGES}
    for cat in reply_classes.codes():
        counts[f"category_{cat}"] = Count("pk", filter=Q(reply_category=cat, reply_round__gte=1))
    for verdict in Satisfaction.values:
        counts[f"verdict_{verdict}"] = Count("pk", filter=Q(verdict=verdict))
    if by_category:
        for code in Category.values:
            counts[f"suggestion_category_{code}"] = Count("pk", filter=Q(category=code))
    per_unit = {key: counts[key] for key in RANKED}
    per_unit["satisfied"] = Count(
        "pk", filter=Q(verdict__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY])
    )
    # On SQLite grouped by session too: its planner would otherwise walk the whole lead-unit
    # index (every year) to save a sort; the sessions' rows are summed per unit here.
    keys = ["lead_unit_id"] if connection.vendor == "postgresql" else ["session_id", "lead_unit_id"]

    def read() -> tuple[list[str], list[tuple[Any, ...]]]:
        return _without_jit(
            lambda: _rows(qs.values(*keys).annotate(**counts, satisfied=per_unit["satisfied"]))
        )

    names, grouped = read() if kept is None else kept(read)
    # Summed column by column (the rows are tuples: a dict per group was ~2 ms a page).
    column = {name: i for i, name in enumerate(names)}
    columns = list(zip(*grouped, strict=True)) or [()] * len(names)
    totals = {key: sum(columns[column[key]]) for key in counts}
    unit_at, ranked_at = column["lead_unit_id"], [column[key] for key in per_unit]
    by_unit: dict[int, list[int]] = {}
    for row in grouped:
        if row[unit_at] is None:
            continue
        unit = by_unit.get(row[unit_at])
        if unit is None:
            by_unit[row[unit_at]] = [row[i] for i in ranked_at]
        else:
            for n, i in enumerate(ranked_at):
                unit[n] += row[i]
    groups = [
        {"lead_unit_id": pk, **dict(zip(per_unit, values, strict=True))}
        for pk, values in by_unit.items()
    ]
    # The names of the units ranked, not of every organisation.
    names = (
        dict(Organisation.objects.filter(pk__in=list(by_unit)).order_by().values_list("pk", "name"))
        if groups
        else {}
    )
    for g in groups:
        g["unit_name"] = names.get(g["lead_unit_id"], "")

    received = totals["received"]
    accepted = totals["accepted"]
    assigned = totals["assigned"]
    answered = totals["answered"]
    result = YearFigures(year=year, min_verdicts=min_verdicts)
    if by_category:
        result.suggestion_categories = {
            code: totals[f"suggestion_category_{code}"] for code in Category.values
        }
    for key, of in (
        ("received", None),
        ("accepted", received),
        ("not_accepted", received),
        ("assigned", accepted),
        ("received_by_unit", assigned),
        ("contacted_in_time", totals["received_by_unit"]),
        ("answered", assigned),
        ("due", assigned),
        ("answered_on_time", totals["due"]),
        ("rated", answered),
    ):
        result.figures.append(
            Figure(
                key=key,
                label=STAGES[key][0],
                value=totals[key],
                of=of,
                url=url(stage=None if key == "received" else key),
            )
        )
    for cat, label in reply_classes.choices():
        result.categories.append(
            Figure(
                key=f"category_{cat}",
                label=label,
                value=totals[f"category_{cat}"],
                of=answered,
                url=url(stage="answered", reply_category=cat),
            )
        )
    rated = sum(totals[f"verdict_{v}"] for v in Satisfaction.values)
    hidden = rated < min_verdicts
    for verdict, label in Satisfaction.choices:
        result.satisfaction.append(
            Figure(
                key=f"verdict_{verdict}",
                label=label,
                value=None if hidden else totals[f"verdict_{verdict}"],
                of=rated,
                url=url(verdict=verdict) if verdict_links and not hidden else None,
            )
        )
    result.units = _ranking(groups, year=year, links=links, min_verdicts=min_verdicts)
    result.campaigns = _campaigns(year, campaigns, links=links)
    return result


RANKED = ("assigned", "contacted_in_time", "answered", "due", "answered_on_time", "rated")


def _rows(qs: QuerySet) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The column names and rows (tuples) of a `values()` query of counts, read through the
    cursor: the ORM passes each of the ~15,000 values of a year's groups through a converter
    (`int(value)`), ~3 ms of a figures page; a count is an integer from the driver already
    (and never NULL)."""
    names = [*qs.query.values_select, *qs.query.annotation_select]
    try:
        sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    except EmptyResultSet:  # e.g. a year without sessions
        return names, []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [column[0] for column in cursor.description], cursor.fetchall()


def _without_jit(read: Any) -> Any:
    """Run a figures query; on PostgreSQL without JIT compilation: the planner's estimate for
    FILTERed counts over a year's rows passes `jit_above_cost`, and compiling costs ~170 ms to
    speed up an index-only aggregate of ~50 ms (measured at 1,000,000)."""
    if connection.vendor != "postgresql":
        return read()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        return read()


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _ranking(
    groups: list[dict[str, Any]], *, year: int, links: bool, min_verdicts: int = 0
) -> list[UnitRow]:
    """Lead units, best first: on-time replies (share of those due: answered or past the
    deadline), then satisfaction (share of rated), then contact in time, then the number
    handled; equal rates share a rank; a unit with nothing due yet has no on-time rate and
    ranks after those that have one. A unit with fewer than `min_verdicts` verdicts shows no
    satisfaction and is ranked without it."""
    rows = []
    for g in groups:
        if not g["assigned"]:
            continue
        satisfied = None if g["rated"] < min_verdicts else g["satisfied"]
        rates = (
            _share(g["answered_on_time"], g["due"]),
            None if satisfied is None else _share(satisfied, g["rated"]),
            _share(g["contacted_in_time"], g["assigned"]),
        )
        rows.append((rates, satisfied, g))
    rows.sort(
        key=lambda r: (
            r[0][0] is None,
            *(-(rate or 0) for rate in r[0]),
            -r[2]["assigned"],
            r[2]["unit_name"] or "",
        )
    )
    base = f"{reverse(LEDGER)}?year={year}&lead_unit=" if links else ""
    ranked: list[UnitRow] = []
    previous: tuple | None = None
    for position, (rates, satisfied, g) in enumerate(rows, start=1):
        rank = ranked[-1].rank if rates == previous else position
        previous = rates
        ranked.append(
            UnitRow(
                rank=rank,
                unit_id=g["lead_unit_id"],
                unit=g["unit_name"] or "",
                assigned=g["assigned"],
                contacted_in_time=g["contacted_in_time"],
                answered=g["answered"],
                answered_on_time=g["answered_on_time"],
                rated=g["rated"],
                due=g["due"],
                satisfied=satisfied,
                url=f"{base}{g['lead_unit_id']}" if links else None,
            )
        )
    return ranked


def _campaigns(year: int, campaigns: QuerySet | None, *, links: bool) -> list[CampaignRow]:
    from wulian.suggestions.choices import OpinionState

    qs = (Campaign.objects.all() if campaigns is None else campaigns).filter(year=year)
    rows = qs.annotate(
        collected=Count("opinions"),
        completed=Count("opinions", filter=Q(opinions__state=OpinionState.COMPLETED)),
    ).order_by("id")
    return [
        CampaignRow(
            campaign_id=c.pk,
            name=c.name,
            collected=c.collected,
            completed=c.completed,
            url=c.get_absolute_url() if links else None,
        )
        for c in rows
    ]


def year_figures(
    *,
    actor: Any,
    year: int,
    sessions: list[tuple[int, int]] | None = None,
    by_category: bool = False,
    version: tuple[int, date] | None = None,
) -> YearFigures:
    """The figures `actor` may see: over the suggestions in their view scope. `version`
    (`reports.cache.data_version()`): the year's counts are kept while it holds (ADR 0031,
    kept counts: the same person, no change recorded since, the same day, at most the kept
    counts' lifetime); None: counted afresh. What is suppressed is decided after, each time."""
    from wulian.reports import cache

    who = access.require(actor, "suggestions.suggestion.view")
    suggestions = access.scope(who, "suggestions.suggestion.view", Suggestion.objects.all())
    campaigns = access.scope(who, "suggestions.campaign.view", Campaign.objects.all())
    sees_verdicts = access.can(who, "suggestions.verdict.view")
    return compute(
        year=year,
        suggestions=suggestions,
        campaigns=campaigns,
        verdict_links=sees_verdicts,
        min_verdicts=0 if sees_verdicts else settings.SUGGESTION_FIGURES_MIN_VERDICTS,
        sessions=sessions,
        by_category=by_category,
        kept=None
        if version is None
        else lambda read: cache.kept(
            f"suggestions.figures.{int(by_category)}",
            actor=who,
            year=year,
            version=version,
            count=read,
        ),
    )


def session_years() -> list[tuple[int, int]]:
    """(id, year) of every session: the figures page reads them once for its year picker, the
    year's figures, its categories and its trend (a few dozen rows)."""
    return list(CongressSession.objects.order_by().values_list("pk", "year"))


def of_year(sessions: list[tuple[int, int]] | None, year: int) -> list[int]:
    """The ids of `year`'s sessions (read now if `sessions` is None)."""
    if sessions is None:
        return list(CongressSession.objects.filter(year=year).values_list("pk", flat=True))
    return [pk for pk, y in sessions if y == year]


def years(sessions: list[tuple[int, int]] | None = None) -> list[int]:
    """The years that have sessions, newest first (for the year picker)."""
    if sessions is None:
        sessions = session_years()
    return sorted({y for _pk, y in sessions}, reverse=True)


# --- `wulian figures suggestions` --------------------------------------------------------------


def cli_figures(*, year: int) -> YearFigures:
    """All of the year's figures (the command line runs on the server, as its operator)."""
    return compute(year=year, links=False)


def cli_table(data: YearFigures) -> list[tuple[str, str]]:
    """(label, value) lines for `--format table`."""

    pct = percent
    lines: list[tuple[str, str]] = [(gettext("年度"), str(data.year))]
    for f in data.figures:
        lines.append((str(f.label), f"{f.value}" + (f" ({pct(f.rate)})" if f.of else "")))
    for f in data.categories:
        lines.append((str(f.label), f"{f.value} ({pct(f.rate)})"))
    for f in data.satisfaction:
        lines.append((str(f.label), f"{f.value} ({pct(f.rate)})"))
    lines.append((gettext("满意率（满意和基本满意）"), pct(data.satisfaction_rate)))
    for u in data.units:
        lines.append(
            (
                gettext("第%(rank)d名 %(unit)s") % {"rank": u.rank, "unit": u.unit},
                gettext("交办%(a)d 按期答复%(t)s 满意率%(s)s 按时联系%(c)s")
                % {
                    "a": u.assigned,
                    "t": pct(u.on_time_rate),
                    "s": pct(u.satisfaction_rate),
                    "c": pct(u.contact_rate),
                },
            )
        )
    for c in data.campaigns:
        lines.append(
            (c.name, gettext("收集%(a)d 办结%(b)d") % {"a": c.collected, "b": c.completed})
        )
    return lines
