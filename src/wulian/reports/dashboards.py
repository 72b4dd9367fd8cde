"""Dashboards per role (issue 20, item 2; ADR 0031): the links' figures across years, as the
congress leadership, the CDI, the government's supervision office or a department sees them.

Nothing is counted here. Each figure is a sum of the link's own `counts()` (the profile's
providers, `wulian.reports.profile`, ADR 0030) — over every organisation for the supervising
bodies, over the person's own departments for a department — and each point's link is the
provider's own `url()`: the same list, filtered by the same definition (`organisation_id=None`
for every organisation). A link the provider does not count for this person (`None`) is left
out; a value a provider suppresses for this person (too few to show apart) makes the sum
suppressed too, never a total from which it could be worked out.

Which dashboards a person sees follows from their desk seats' organisation kinds (`ROLES`);
which links each shows is the role's (the congress side drafts clues, but clue figures belong
on the CDI's dashboard alone).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.utils.translation import gettext_lazy as _

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.choices import CDI_SIDE, CONGRESS_SIDE, OrgKind
from wulian.core.models import Organisation
from wulian.reports import cache
from wulian.reports.profile import providers

MAX_YEARS = 10  # a range wider than this is refused (each year is one query per link)
DEFAULT_YEARS = 5
TOP_ORGANISATIONS = 10  # the by-department chart's bars and its table; the rest: the ranking


@dataclass(frozen=True)
class Role:
    key: str
    label: Any
    kinds: frozenset[str]
    own: bool  # True: the person's own organisations only (a department)
    links_first: tuple[str, ...] = ()  # shown first, in this order; then the rest by ORDER
    leaves_out: frozenset[str] = frozenset()  # links never shown on this dashboard


ROLES: tuple[Role, ...] = (
    Role(
        "congress",
        _("人大常委会领导看板"),
        CONGRESS_SIDE,
        own=False,
        links_first=("suggestions", "evaluation", "livelihood"),
        leaves_out=frozenset({"clues"}),
    ),
    Role(
        "cdi",
        _("纪委监委看板"),
        CDI_SIDE,
        own=False,
        links_first=("clues", "rectification", "action_items"),
    ),
    Role(
        "government",
        _("政务督查看板"),
        frozenset({OrgKind.GOVERNMENT, OrgKind.GOV_SUPERVISION_OFFICE}),
        own=False,
        links_first=("suggestions", "livelihood", "rectification"),
        leaves_out=frozenset({"clues"}),
    ),
    Role(
        "department",
        _("本单位看板"),
        frozenset({OrgKind.HANDLING_UNIT}),
        own=True,
        leaves_out=frozenset({"clues"}),
    ),
)
ROLES_BY_KEY = {r.key: r for r in ROLES}

# The measures each link's charts draw: those whose list counts exactly the figure (the
# evaluation list has no grade filter, so its grades stay on the profile), at most three (the
# chart's colours). A link that lands later is drawn by its first measure until it is named.
CHARTED: dict[str, tuple[str, ...]] = {
    "suggestions": ("assigned", "answered", "answered_on_time"),
    "livelihood": ("total", "warned", "unsatisfied"),
    "evaluation": ("total",),
    "rectification": ("total", "closed", "overdue"),
    "bulletins": ("received", "signed_late", "missing"),
    "action_items": ("total", "done", "overdue"),
    "clues": ("total", "concluded"),
}


def roles_for(actor: Actor) -> list[Role]:
    """The dashboards this person may open, in `ROLES` order."""
    kinds = {s.org_kind for s in actor.seats if s.org_id in actor.office_org_ids()}
    return [r for r in ROLES if kinds & r.kinds]


def own_organisations(actor: Actor, role: Role) -> list[int]:
    return sorted(actor.office_org_ids(role.kinds))


@dataclass(frozen=True)
class Cell:
    value: int | None  # None: suppressed for this viewer
    url: str | None


@dataclass
class Trend:
    """One link across the years: a row per charted measure, a cell per year."""

    link: str
    title: Any
    measures: list[tuple[str, Any]]
    years: list[int]
    cells: dict[tuple[str, int], Cell] = field(default_factory=dict)
    # The newest year's headline measure by organisation (supervising bodies' dashboards):
    # the first TOP_ORGANISATIONS, and how many have a value in all (`organisations`).
    by_organisation: list[tuple[int, str, Cell]] = field(default_factory=list)
    by_measure: Any = ""
    by_key: str = ""
    organisations: int = 0

    def cell(self, key: str, year: int) -> Cell:
        return self.cells[(key, year)]


@dataclass
class Dashboard:
    role: Role
    roles: list[Role]
    first: int
    last: int
    organisation_ids: list[int] | None  # None: every organisation
    trends: list[Trend] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return list(range(self.first, self.last + 1))


def _ordered(role: Role) -> list[ModuleType]:
    shown = [p for p in providers() if p.LINK not in role.leaves_out]
    first = {link: i for i, link in enumerate(role.links_first)}
    return sorted(shown, key=lambda p: (first.get(p.LINK, len(first)), getattr(p, "ORDER", 100)))


def _charted(provider: ModuleType) -> list[tuple[str, Any]]:
    measures = {m.key: m.label for m in provider.measures()}
    keys = CHARTED.get(provider.LINK) or tuple(measures)[:1]
    return [(k, measures[k]) for k in keys if k in measures]


def _sum(rows: Sequence[dict[str, int | None]], key: str) -> int | None:
    total = 0
    for values in rows:
        v = values.get(key, 0)
        if v is None:
            return None  # one suppressed part suppresses the sum
        total += v
    return total


def dashboard(*, actor: Actor, role_key: str | None, first: int, last: int) -> Dashboard:
    """The dashboard `role_key` (default: the person's first) for the years `first`–`last`,
    each figure counted by its link over what `actor` may see there. One query per link and
    year, and one for the organisations' names — or none of those while the counts kept for
    this person (`reports.cache`) hold: no change recorded since, the same day."""
    roles = roles_for(actor)
    role = ROLES_BY_KEY.get(role_key or "") or (roles[0] if roles else None)
    actor = access.require(actor, "reports.dashboard.view", role.key if role else None)
    assert role is not None  # the rule refuses a person with no dashboard
    org_ids: list[int] | None = own_organisations(actor, role) if role.own else None
    board = Dashboard(role=role, roles=roles, first=first, last=last, organisation_ids=org_ids)
    names_needed: set[int] = set()
    version = cache.data_version()
    for provider in _ordered(role):
        trend = _trend(
            provider, actor=actor, years=board.years, organisation_ids=org_ids, version=version
        )
        if trend is not None:
            board.trends.append(trend)
            names_needed.update(org for org, _name, _cell in trend.by_organisation)
    if names_needed:
        names = dict(
            Organisation.objects.filter(pk__in=names_needed).order_by().values_list("pk", "name")
        )
        for trend in board.trends:
            trend.by_organisation = [
                (org, names.get(org, ""), cell) for org, _n, cell in trend.by_organisation
            ]
    return board


def _trend(
    provider: ModuleType,
    *,
    actor: Actor,
    years: list[int],
    organisation_ids: Collection[int] | None,
    version: tuple[int, Any] | None = None,
) -> Trend | None:
    charted = _charted(provider)
    # The link for a sum over the person's own organisations: the one organisation's list
    # (a department with two seats sees its sums without a link: no list filters by two).
    own = list(organisation_ids or [])
    link_org = own[0] if len(own) == 1 else None
    # The trend draws the measures that have a list of their records at this scope (a clue
    # list by year alone holds clues without a subject organisation: the CDI's clue figures
    # are drawn by department only).
    measures = [
        (key, label)
        for key, label in charted
        if provider.url(key, organisation_id=link_org, year=years[-1]) is not None
    ]
    trend = Trend(provider.LINK, provider.TITLE, measures, years)
    newest: dict[int, dict[str, int | None]] = {}
    for year in years:
        counts = cache.counts(
            provider, actor=actor, year=year, organisation_ids=organisation_ids, version=version
        )
        if counts is None:
            return None  # the person does not see this link: left out, not shown as zero
        rows = list(counts.values())
        for key, _label in measures:
            value = _sum(rows, key)
            url = None
            if value is not None and (organisation_ids is None or link_org is not None):
                url = provider.url(key, organisation_id=link_org, year=year)
            trend.cells[(key, year)] = Cell(value, url)
        newest = counts
    if organisation_ids is None and charted:
        key = charted[0][0]
        year = years[-1]
        ranked = sorted(
            ((org, v.get(key, 0)) for org, v in newest.items() if v.get(key, 0) != 0),
            key=lambda r: (r[1] is None, -(r[1] or 0), r[0]),
        )
        trend.by_measure = charted[0][1]
        trend.by_key = key
        trend.organisations = len(ranked)
        # A city has thousands of units: the chart and its table show the first ten, the
        # ranking page (linked) every one.
        ranked = ranked[:TOP_ORGANISATIONS]
        trend.by_organisation = [
            (
                org,
                "",
                Cell(
                    value,
                    provider.url(key, organisation_id=org, year=year)
                    if value is not None
                    else None,
                ),
            )
            for org, value in ranked
        ]
    return trend
