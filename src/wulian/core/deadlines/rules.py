"""Deadline arithmetic: due dates by rule, escalation times, the reminder schedule and the
shift after a pause. Pure functions of their arguments and the holiday calendar.

Conventions (民法典 §§201–203 as widely quoted; the start day is not counted):
- hours: `start + n hours`, to the minute;
- working days: the end (23:59:59 local) of the n-th working day after the start day;
- months: the end of the corresponding day n months on; no such day → the month's last day
  (Jan 31 + 1 month = Feb 28, or Feb 29 in a leap year).

Reminders keep "time left" semantics, so that they move with the due date after a pause or an
extension: a reminder at p % of an hours or months rule falls (100−p) % of the original span
before the due time; for a working-day rule it falls at 08:00 of the working day on which
ceil((100−p) % of n) working days remain, counting the due day — 5 working days at 50 % and
80 %: 08:00 of working day 3 and of working day 5. Escalation: at the due time plus N hours, or
at 08:00 of the N-th working day after the due day.
"""

from __future__ import annotations

import calendar as std_calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from wulian.core.deadlines import workcalendar
from wulian.core.deadlines.choices import EscalateUnit, RuleKind

END_OF_DAY = time(23, 59, 59)
WORKDAY_START = time(8, 0)


def local_date(at: datetime) -> date:
    return timezone.localtime(at, timezone.get_default_timezone()).date()


def at_local(day: date, clock: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock), timezone.get_default_timezone())


def add_months(day: date, months: int) -> date:
    """The corresponding day `months` later; the month's last day when there is none."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, std_calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Rule:
    kind: str
    amount: int

    @classmethod
    def hours(cls, n: int) -> Rule:
        return cls(RuleKind.HOURS, n)

    @classmethod
    def working_days(cls, n: int) -> Rule:
        return cls(RuleKind.WORKING_DAYS, n)

    @classmethod
    def months(cls, n: int) -> Rule:
        return cls(RuleKind.MONTHS, n)

    def describe(self) -> str:
        from django.utils.translation import gettext as _

        templates = {
            RuleKind.HOURS: _("%(n)d 小时"),
            RuleKind.WORKING_DAYS: _("%(n)d 个工作日"),
            RuleKind.MONTHS: _("%(n)d 个月"),
        }
        return templates[self.kind] % {"n": self.amount}


@dataclass(frozen=True)
class WorkingDays:
    """An escalation delay counted in working days (`escalate_after=WorkingDays(1)`)."""

    n: int


def due_at(rule: Rule, start: datetime) -> datetime:
    if rule.kind == RuleKind.HOURS:
        return start + timedelta(hours=rule.amount)
    if rule.kind == RuleKind.WORKING_DAYS:
        return at_local(workcalendar.add_working_days(local_date(start), rule.amount), END_OF_DAY)
    if rule.kind == RuleKind.MONTHS:
        return at_local(add_months(local_date(start), rule.amount), END_OF_DAY)
    raise ValueError(f"unknown rule kind {rule.kind!r}")


def provisional(rule: Rule, start: datetime, due: datetime) -> bool:
    """Whether a due date counted by `rule` from `start` rests on a year the holiday calendar
    does not yet hold complete (暂定: recomputed when the year is completed)."""
    return rule.kind == RuleKind.WORKING_DAYS and bool(
        workcalendar.snapshot().provisional_years(local_date(start), local_date(due))
    )


def escalate_at(due: datetime, amount: int, unit: str) -> datetime:
    if amount == 0:
        return due
    if unit == EscalateUnit.HOURS:
        return due + timedelta(hours=amount)
    if unit == EscalateUnit.WORKING_DAYS:
        return at_local(workcalendar.add_working_days(local_date(due), amount), WORKDAY_START)
    raise ValueError(f"unknown escalation unit {unit!r}")


def _nth_working_day_back(end: date, n: int) -> date:
    """The working day on which n working days remain up to and including `end`."""
    cal = workcalendar.snapshot()
    day, seen = end, 0
    for _i in range(workcalendar.MAX_SPAN_DAYS):
        if cal.is_workday(day):
            seen += 1
            if seen >= n:
                return day
        day -= timedelta(days=1)
    raise ValueError("span too long")


def schedule(
    *,
    rule: Rule,
    start: datetime,
    original_due: datetime,
    due: datetime,
    reminder_points: list[int],
    escalate: datetime,
    generation: int,
) -> list[dict[str, Any]]:
    """The points of the current schedule, in time order: reminders, then the escalation."""
    points: list[dict[str, Any]] = []
    span = original_due - start
    for pct in sorted(set(reminder_points)):
        if rule.kind == RuleKind.WORKING_DAYS:
            left = max(1, -(-rule.amount * (100 - pct) // 100))
            at = at_local(_nth_working_day_back(local_date(due), left), WORKDAY_START)
        else:
            at = due - span * (100 - pct) / 100
        points.append({"point": f"g{generation}:r{pct}", "kind": "reminder", "pct": pct, "at": at})
    points.sort(key=lambda p: p["at"])
    points.append({"point": f"g{generation}:esc", "kind": "escalation", "at": escalate})
    return points


def shift_after_pause(rule: Rule, due: datetime, paused_at: datetime, resumed_at: datetime):
    """The due time after a pause, moved by the paused time in the rule's own units, and that
    amount as (number, unit) for the audit trail."""
    if rule.kind == RuleKind.HOURS:
        delta = resumed_at - paused_at
        return due + delta, (round(delta.total_seconds() / 3600, 2), "hours")
    if rule.kind == RuleKind.WORKING_DAYS:
        n = workcalendar.working_days_between(local_date(paused_at), local_date(resumed_at))
        new_day = workcalendar.add_working_days(local_date(due), n)
        return at_local(new_day, END_OF_DAY), (n, "working_days")
    days = (local_date(resumed_at) - local_date(paused_at)).days
    return at_local(local_date(due) + timedelta(days=days), END_OF_DAY), (days, "days")


def stored(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The schedule as stored on the deadline (JSON: times as ISO text)."""
    return [{**p, "at": p["at"].isoformat()} for p in points]


def loaded(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**p, "at": datetime.fromisoformat(p["at"])} for p in points]
