"""A department's supervision profile: every link's signals about one organisation and year,
side by side, and the ranking of organisations on the same measures (issue 20).

Each link (and each shared primitive) says what it counts in a module `<app>/profile.py`:

- `LINK` (a short name), `TITLE` (the section's heading), `ORDER` (the section's place);
- `measures()`: the `Measure`s it counts, each with its label, the measure it is a share of
  (`of`: its rate is shown and ranked) and whether more is better (`better`);
- `counts(*, actor, year, organisation_ids)`: for each organisation, its value of every
  measure, counted over what `actor` may see in that link — the link's own scope, so that the
  profile never shows more than the link's own pages; `None` when the person may not see the
  link at all (its section is left out). `organisation_ids=None`: every organisation (the
  ranking). A value may be `None`: suppressed for this viewer (too few to show apart);
- `url(key, *, organisation_id, year)`: the list of the records a value counts — the link's
  own list, filtered by the same definition, so that a figure and the list it opens agree.

The profile page and the ranking call the same `counts`: a department's row in the ranking is
its profile. No provider is imported by name: installed apps are searched (as `wulian figures`
does), so a link that lands adds its section without a change here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import Any

from django.apps import apps

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.models import Organisation
from wulian.reports import cache

Counts = dict[int, dict[str, int | None]]


@dataclass(frozen=True)
class Signal:
    key: str  # "<link>.<measure>"
    label: Any
    value: int | None  # None: suppressed for this viewer
    of: int | None = None
    url: str | None = None

    @property
    def rate(self) -> float | None:
        if self.value is None or not self.of:
            return None
        return round(self.value / self.of, 4)

    @property
    def percent(self) -> str:
        rate = self.rate
        return "—" if rate is None else f"{rate * 100:.1f}%"


@dataclass
class Section:
    link: str
    title: Any
    signals: list[Signal] = field(default_factory=list)


@dataclass
class Profile:
    organisation: Organisation
    year: int
    sections: list[Section] = field(default_factory=list)

    def signal(self, key: str) -> Signal:
        for section in self.sections:
            for s in section.signals:
                if s.key == key:
                    return s
        raise KeyError(key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation": {"id": self.organisation.pk, "name": self.organisation.name},
            "year": self.year,
            "sections": [
                {
                    "link": s.link,
                    "title": str(s.title),
                    "signals": [
                        {
                            "key": g.key,
                            "label": str(g.label),
                            "value": g.value,
                            "of": g.of,
                            "rate": g.rate,
                            "suppressed": g.value is None,
                            "url": g.url,
                        }
                        for g in s.signals
                    ],
                }
                for s in self.sections
            ],
        }


_PROVIDERS: list[ModuleType] | None = None


def providers() -> list[ModuleType]:
    """The installed apps' `profile` modules, in their ORDER (found once per process)."""
    global _PROVIDERS
    if _PROVIDERS is None:
        found = []
        for config in apps.get_app_configs():
            name = f"{config.name}.profile"
            if config.name == "wulian.reports":
                continue
            try:
                if find_spec(name) is None:
                    continue
            except ModuleNotFoundError:
                continue
            module = import_module(name)
            if all(hasattr(module, a) for a in ("LINK", "TITLE", "measures", "counts", "url")):
                found.append(module)
        _PROVIDERS = sorted(found, key=lambda m: getattr(m, "ORDER", 100))
    return _PROVIDERS


def _signals(provider: ModuleType, values: dict[str, int | None], *, org: int, year: int):
    out = []
    for m in provider.measures():
        value = values.get(m.key, 0)
        of = values.get(m.of, 0) if m.of else None
        url = provider.url(m.key, organisation_id=org, year=year) if value else None
        out.append(Signal(f"{provider.LINK}.{m.key}", m.label, value, of, url))
    return out


def organisation_profile(*, actor: Actor, organisation_id: int, year: int) -> Profile:
    """One organisation's profile for `year`, as `actor` may see it (each section counted over
    the link's own scope; a link the person may not see is left out)."""
    org = Organisation.objects.get(pk=organisation_id)
    actor = access.require(actor, "reports.profile.view", org)
    profile = Profile(organisation=org, year=year)
    for provider in providers():
        counts: Counts | None = provider.counts(
            actor=actor, year=year, organisation_ids=[organisation_id]
        )
        if counts is None:
            continue
        values = counts.get(organisation_id, {})
        profile.sections.append(
            Section(
                link=provider.LINK,
                title=provider.TITLE,
                signals=_signals(provider, values, org=organisation_id, year=year),
            )
        )
    return profile


@dataclass(frozen=True)
class RankRow:
    rank: int
    organisation_id: int
    organisation: str
    signal: Signal


def measures(actor: Actor) -> list[tuple[str, Any, Any]]:
    """The rankable measures: (key, section title, label) of the links `actor` sees."""
    out = []
    for provider in providers():
        for m in provider.measures():
            if m.better:
                out.append((f"{provider.LINK}.{m.key}", provider.TITLE, m.label))
    return out


def ranking(*, actor: Actor, year: int, measure: str) -> list[RankRow] | None:
    """Every organisation with a value of `measure` in `year`, best first (a share when the
    measure is one, else the count); equal values share a rank; a suppressed value ranks last.
    `None`: no such measure, or its link is not one the person sees."""
    actor = access.require(actor, "reports.profile.view")
    link, _dot, key = measure.partition(".")
    provider = next((p for p in providers() if link == p.LINK), None)
    m = next((m for m in provider.measures() if m.key == key), None) if provider else None
    if provider is None or m is None or not m.better:
        return None
    # Kept as the dashboards keep them (the same key: every organisation, this year).
    counts = cache.counts(
        provider, actor=actor, year=year, organisation_ids=None, version=cache.data_version()
    )
    if counts is None:
        return None
    names = dict(
        Organisation.objects.filter(pk__in=list(counts)).order_by().values_list("pk", "name")
    )
    rows = []
    for org_id, values in counts.items():
        signal = next(
            s for s in _signals(provider, values, org=org_id, year=year) if s.key == measure
        )
        if not signal.value and not (m.of and signal.of):
            continue
        score = signal.rate if m.of else signal.value
        rows.append((score, names.get(org_id, ""), org_id, signal))
    rows.sort(
        key=lambda r: (r[0] is None, -(r[0] or 0) * m.better, r[1]),
    )
    ranked: list[RankRow] = []
    previous: object = object()
    for position, (score, name, org_id, signal) in enumerate(rows, start=1):
        rank = ranked[-1].rank if score == previous else position
        previous = score
        ranked.append(RankRow(rank, org_id, name, signal))
    return ranked
