"""Working-day arithmetic on the holiday calendar table.

A day is a working day when it is a make-up working day (调休上班), or a Monday–Friday that
is not a statutory holiday. A year marked complete is counted on the table alone. A year that is
not (next year, before the State Council's notice is entered) is counted **provisionally**: a
Monday–Friday that is not one of the days off the law fixes in advance (`statutory.holidays`);
no make-up working days. Work never stops for want of a calendar year: the deadlines computed so
are marked provisional (暂定) and are recomputed when the year is completed (ADR 0016).

The table is read once per process and cached. A change made through the services drops the
cache at once; other processes notice within `RECHECK_SECONDS` by comparing a cheap token
(the number of years and the sum of their revisions).

Counting follows 民法典 §201: the start day is not counted. `add_working_days(d, n)` is the
n-th working day after d; `working_days_between(a, b)` counts the working days in (a, b].
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from wulian.core.deadlines import statutory
from wulian.core.deadlines.choices import DayKind
from wulian.core.errors import RuleViolation

RECHECK_SECONDS = 30.0
# A bound on any single computation, so that a bad amount cannot loop for ever.
MAX_SPAN_DAYS = 366 * 5


@dataclass(frozen=True)
class Snapshot:
    complete_years: frozenset[int]
    holidays: frozenset[date]
    makeup_workdays: frozenset[date]
    token: tuple[int, int]

    def is_complete(self, year: int) -> bool:
        return year in self.complete_years

    def is_workday(self, day: date) -> bool:
        if day.year not in self.complete_years:
            return day.weekday() < 5 and day not in statutory.holidays(day.year)
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def provisional_years(self, first: date, last: date) -> list[int]:
        """The years between two days (both included) that are counted provisionally."""
        return [y for y in range(first.year, last.year + 1) if y not in self.complete_years]


_lock = threading.Lock()
_cached: Snapshot | None = None
_checked_at = 0.0


def _token() -> tuple[int, int]:
    from wulian.core.deadlines.models import CalendarYear

    row = CalendarYear.objects.aggregate(n=Count("id"), rev=Sum("revision"))
    return int(row["n"] or 0), int(row["rev"] or 0)


def _load() -> Snapshot:
    from wulian.core.deadlines.models import CalendarDay, CalendarYear

    token = _token()
    complete = frozenset(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
    holidays: set[date] = set()
    makeup: set[date] = set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (makeup if kind == DayKind.MAKEUP_WORKDAY else holidays).add(day)
    return Snapshot(complete, frozenset(holidays), frozenset(makeup), token)


def snapshot() -> Snapshot:
    """The calendar as this process knows it (re-read when another process changed it)."""
    global _cached, _checked_at
    with _lock:
        now = time.monotonic()
        if _cached is not None and now - _checked_at < RECHECK_SECONDS:
            return _cached
        if _cached is None or _token() != _cached.token:
            _cached = _load()
        _checked_at = now
        return _cached


def invalidate() -> None:
    """Forget the cached calendar (called by every calendar service, now and after commit)."""
    global _cached
    with _lock:
        _cached = None

    def _later() -> None:
        global _cached
        with _lock:
            _cached = None

    transaction.on_commit(_later)


def is_workday(day: date) -> bool:
    return snapshot().is_workday(day)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (the start day itself is not counted); n=0 is start."""
    if n < 0:
        raise ValueError("n must not be negative")
    cal = snapshot()
    day = start
    remaining = n
    for _i in range(MAX_SPAN_DAYS):
        if remaining == 0:
            return day
        day += timedelta(days=1)
        if cal.is_workday(day):
            remaining -= 1
    raise RuleViolation(_("期限过长：超过五年的工作日期限无法计算。"))


def working_days_between(start: date, end: date) -> int:
    """How many working days lie in (start, end]; 0 when end <= start."""
    if end <= start:
        return 0
    if (end - start).days > MAX_SPAN_DAYS:
        raise RuleViolation(_("期限过长：超过五年的工作日期限无法计算。"))
    cal = snapshot()
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if cal.is_workday(day):
            count += 1
    return count
