"""The links' counts kept between requests (ADR 0031, "kept counts").

A dashboard asks every link for its counts in each of five or more years; at a million
suggestions one year's suggestion counts take tens of milliseconds on PostgreSQL, and the
dashboard as a whole a second. Those counts change only when a record changes, and every change
of a record is a step that appends to the audit chain (ADR 0015): the chain's head is the data's
version. So a link's counts for one person, one year and one scope are kept in Django's cache
under a key made of

- the link and the year and the scope (every organisation, or which ones);
- the person as the access rules see them (user, person, seats: the counts are *theirs*, with
  their scope and their suppressions; never served to anyone else);
- the audit head's sequence number (any recorded change anywhere makes a new key) and today's
  date (a deadline passing makes a record overdue without a step);

and for `REPORTS_COUNTS_CACHE_SECONDS` at the most (default 300: a figure that turns overdue
in the course of a day shows at the latest five minutes later). 0 turns keeping off.

The cache is the deployment's (`WULIAN_CACHE_URL`: Redis shared by the workers; by default each
worker process keeps its own in memory). It holds numbers only, under keys that are digests.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable
from datetime import date
from types import ModuleType
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from wulian.core.access import Actor
from wulian.core.models import AuditHead

Counts = dict[int, dict[str, int | None]]
YearCounts = dict[str, int]
_MISSING = object()
T = TypeVar("T")


def data_version() -> tuple[int, date]:
    """The audit head's sequence number and today's date: what the kept counts depend on."""
    seq = AuditHead.objects.filter(pk=1).values_list("seq", flat=True).first()
    return (seq or 0, timezone.localdate())


def _key(
    link: str,
    *,
    actor: Actor,
    year: int,
    organisation_ids: Collection[int] | None,
    version: tuple[int, date],
) -> str:
    person = (
        getattr(actor.user, "pk", None),
        actor.person_id,
        tuple(sorted((s.org_id, s.org_kind, s.role) for s in actor.seats)),
    )
    scope = None if organisation_ids is None else tuple(sorted(organisation_ids))
    raw = repr((link, year, scope, person, version))
    return "reports:counts:" + hashlib.sha256(raw.encode()).hexdigest()


def counts(
    provider: ModuleType,
    *,
    actor: Actor,
    year: int,
    organisation_ids: Collection[int] | None,
    version: tuple[int, date] | None,
) -> Counts | None:
    """`provider.counts(...)`, kept while `version` (from `data_version()`) holds; `version`
    None: counted afresh, not kept."""
    return kept(
        provider.LINK,
        actor=actor,
        year=year,
        organisation_ids=organisation_ids,
        version=version,
        count=lambda: provider.counts(actor=actor, year=year, organisation_ids=organisation_ids),
    )


def kept(
    link: str,
    *,
    actor: Actor,
    year: int,
    organisation_ids: Collection[int] | None = None,
    version: tuple[int, date] | None,
    count: Callable[[], T],
) -> T:
    """`count()` (`link`'s counts for `actor`, `year` and the scope), kept while `version`
    holds; `version` None or keeping off: counted afresh, not kept."""
    seconds = settings.REPORTS_COUNTS_CACHE_SECONDS
    if version is None or not seconds:
        return count()
    key = _key(link, actor=actor, year=year, organisation_ids=organisation_ids, version=version)
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = count()
        cache.set(key, found, seconds)
    return found  # type: ignore[return-value]


def years_kept(
    link: str,
    *,
    actor: Actor,
    years: Iterable[int],
    version: tuple[int, date] | None,
    count: Callable[[list[int]], dict[int, YearCounts]],
) -> dict[int, YearCounts]:
    """`count(years)` (a year's counts for each of `years`), each year's kept under its own key
    (the link, the year, the person, `version`) while `version` holds: the years not kept are
    counted together in one call. `version` None or keeping off: all counted afresh."""
    years = list(years)
    seconds = settings.REPORTS_COUNTS_CACHE_SECONDS
    if version is None or not seconds or not years:
        return count(years)
    keys = {
        y: _key(link, actor=actor, year=y, organisation_ids=None, version=version) for y in years
    }
    found = cache.get_many(list(keys.values()))
    kept = {y: found[k] for y, k in keys.items() if k in found}
    missing = [y for y in years if y not in kept]
    if missing:
        counted = count(missing)
        cache.set_many({keys[y]: counted[y] for y in missing}, seconds)
        kept.update(counted)
    return kept
