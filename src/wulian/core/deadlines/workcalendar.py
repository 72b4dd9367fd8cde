"""Working-day arithmetic on the holiday calendar table.

A day is a working day when it is a make-up working day (调休上班), or a Monday–Friday that
is not a statutory holiday. Only years marked complete may be counted on: a date in any other
year raises `CalendarNotCovered`, whose message names the year and tells the administrator to
add it. Nothing is ever guessed.

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

from wulian.core.deadlines.choices import DayKind
from wulian.core.errors import RuleViolation

RECHECK_SECONDS = 30.0
# A bound on any single computation, so that a bad amount cannot loop for ever.
MAX_SPAN_DAYS = 366 * 5


class CalendarNotCovered(RuleViolation):
    """The holiday calendar has no complete entry for a year a deadline needs."""

    code = "calendar_not_covered"

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            _(
                "节假日日历尚未录入 %(year)d 年（或尚未标记为完整），无法按工作日计算期限。"
                "请系统管理员在“节假日日历”中录入 %(year)d 年的放假和调休安排并标记完整，"
                "或运行 wulian calendar import --year %(year)d。"
            )
            % {"year": year}
        )


@dataclass(frozen=True)
class Snapshot:
    complete_years: frozenset[int]
    holidays: frozenset[date]
    makeup_workdays: frozenset[date]
    token: tuple[int, int]

    def require(self, year: int) -> None:
        if year not in self.complete_years:
            raise CalendarNotCovered(year)

    def is_workday(self, day: date) -> bool:
        self.require(day.year)
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


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
