"""Helpers every stations service shares: the platform's (`wulian.core.servicekit`), a text
limit of its own, and the stations' yearly tallies."""

from __future__ import annotations

from functools import partial

from django.db.models import F

from wulian.core import servicekit
from wulian.core.servicekit import digest, fail, get, lock

MAX_TEXT = 5_000
text = partial(servicekit.text, limit=MAX_TEXT)

__all__ = ["MAX_TEXT", "count", "digest", "fail", "get", "lock", "text"]


def count(station_id: int, year: int, **deltas: int) -> None:
    """Add to a station's figures of a year (inside the caller's transaction)."""
    from wulian.stations.models import Tally

    updated = Tally.objects.filter(station_id=station_id, year=year).update(
        **{k: F(k) + v for k, v in deltas.items()}
    )
    if not updated:
        tally, _created = Tally.objects.get_or_create(station_id=station_id, year=year)
        Tally.objects.filter(pk=tally.pk).update(**{k: F(k) + v for k, v in deltas.items()})
