"""When a station's recurring events fall (pure: the working-day test is passed in).

选民接待日 and 专题议事 are held on a day of the month (the 31st in a short month is its last
day); 相约星期二 every Tuesday. A day that is not a working day (a statutory holiday, a weekend)
either moves to the next working day or is skipped — the rule's `holiday_rule`, chosen per
rule (docs/adr/0027-stations.md). A moved event never lands on or after the next occurrence of
the same rule: it is then skipped, so that one rule never holds two events in one period."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator
from datetime import date, timedelta

from wulian.stations.choices import EventKind, HolidayRule

TUESDAY = 1


def _nominal(kind: str, day_of_month: int | None, first: date, last: date) -> Iterator[date]:
    if kind == EventKind.TUESDAY:
        day = first + timedelta(days=(TUESDAY - first.weekday()) % 7)
        while day <= last:
            yield day
            day += timedelta(days=7)
        return
    year, month = first.year, first.month
    while date(year, month, 1) <= last:
        dom = min(day_of_month or 1, calendar.monthrange(year, month)[1])
        day = date(year, month, dom)
        if first <= day <= last:
            yield day
        month += 1
        if month > 12:
            year, month = year + 1, 1


def occurrences(
    kind: str,
    day_of_month: int | None,
    holiday_rule: str,
    first: date,
    last: date,
    is_workday: Callable[[date], bool],
) -> list[tuple[date, date | None]]:
    """(the day it is held, the day it was moved from or None) for each occurrence whose
    nominal day lies in [first, last]."""
    nominal = list(_nominal(kind, day_of_month, first, last))
    held: list[tuple[date, date | None]] = []
    for i, day in enumerate(nominal):
        if is_workday(day):
            held.append((day, None))
            continue
        if holiday_rule == HolidayRule.SKIP:
            continue
        moved = day + timedelta(days=1)
        for _i in range(31):
            if is_workday(moved):
                break
            moved += timedelta(days=1)
        following = nominal[i + 1] if i + 1 < len(nominal) else None
        if following is None:
            following = next(
                _nominal(kind, day_of_month, day + timedelta(days=1), day + timedelta(days=40)),
                None,
            )
        if following is not None and moved >= following:
            continue
        held.append((moved, day))
    return held
