"""Due dates by rule, escalation times and the reminder schedule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.deadlines.conftest import local
from wulian.core.deadlines import rules
from wulian.core.deadlines.choices import EscalateUnit
from wulian.core.deadlines.rules import Rule, add_months

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 1, 15), 3, date(2025, 4, 15)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2025, 12, 31), 12, date(2026, 12, 31)),
    ],
)
def test_calendar_months_clamp_to_the_month_end(start, months, end):
    assert add_months(start, months) == end


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    months=st.integers(min_value=0, max_value=60),
)
def test_add_months_lands_in_the_right_month_on_the_same_or_an_earlier_day(start, months):
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day <= start.day
    if end.day < start.day:
        assert (end + timedelta(days=1)).day == 1  # clamped to the month's last day


def test_a_48_hour_rule_counts_natural_hours_through_a_holiday():
    start = local(2025, 9, 30, 18, 0)
    assert rules.due_at(Rule.hours(48), start) == local(2025, 10, 2, 18, 0)


def test_working_day_rules_end_at_the_end_of_the_day(seeded):
    start = local(2025, 1, 24, 10, 0)  # Friday before Spring Festival
    assert rules.due_at(Rule.working_days(5), start) == local(2025, 2, 7, 23, 59, 59)
    assert rules.due_at(Rule.working_days(15), start) == local(2025, 2, 20, 23, 59, 59)
    start = local(2025, 9, 26, 9, 0)  # Friday before National Day
    assert rules.due_at(Rule.working_days(15), start) == local(2025, 10, 23, 23, 59, 59)


def test_a_month_rule_ends_at_the_end_of_the_corresponding_day():
    assert rules.due_at(Rule.months(1), local(2025, 1, 31, 9, 0)) == local(2025, 2, 28, 23, 59, 59)
    assert rules.due_at(Rule.months(3), local(2025, 1, 10, 9, 0)) == local(2025, 4, 10, 23, 59, 59)


def test_escalation_one_working_day_after_can_fall_on_a_make_up_saturday(seeded):
    due = local(2025, 2, 7, 23, 59, 59)
    assert rules.escalate_at(due, 1, EscalateUnit.WORKING_DAYS) == local(2025, 2, 8, 8, 0)
    assert rules.escalate_at(due, 0, EscalateUnit.HOURS) == due
    assert rules.escalate_at(due, 24, EscalateUnit.HOURS) == due + timedelta(hours=24)


def _schedule(rule, start, **kw):
    due = rules.due_at(rule, start)
    return rules.schedule(
        rule=rule,
        start=start,
        original_due=due,
        due=kw.get("due", due),
        reminder_points=kw.get("points", [50, 80]),
        escalate=kw.get("escalate", due),
        generation=kw.get("generation", 0),
    )


def test_working_day_reminders_fall_at_the_start_of_a_working_day(seeded):
    points = _schedule(Rule.working_days(5), local(2025, 1, 24, 10, 0))
    # 5 working days: 50 % → 3 left (working day 3, Feb 5), 80 % → 1 left (Feb 7).
    assert [(p["point"], p["at"]) for p in points] == [
        ("g0:r50", local(2025, 2, 5, 8, 0)),
        ("g0:r80", local(2025, 2, 7, 8, 0)),
        ("g0:esc", local(2025, 2, 7, 23, 59, 59)),
    ]
    points = _schedule(Rule.working_days(15), local(2025, 9, 26, 9, 0))
    # 15 working days: 50 % → 8 left (working day 8, Oct 14), 80 % → 3 left (Oct 21).
    assert [p["at"] for p in points[:2]] == [local(2025, 10, 14, 8, 0), local(2025, 10, 21, 8, 0)]


def test_hour_reminders_are_fractions_of_the_span():
    points = _schedule(Rule.hours(48), local(2025, 9, 30, 18, 0))
    assert [p["at"] for p in points] == [
        local(2025, 10, 1, 18, 0),
        local(2025, 10, 2, 8, 24),
        local(2025, 10, 2, 18, 0),
    ]


def test_a_later_generation_names_new_points():
    points = _schedule(Rule.hours(10), local(2025, 3, 3, 9, 0), generation=2)
    assert [p["point"] for p in points] == ["g2:r50", "g2:r80", "g2:esc"]


def test_pause_shift_in_the_rules_own_units(seeded):
    due = local(2025, 2, 7, 23, 59, 59)
    # Paused Monday Jan 27, resumed Thursday Feb 6: working days in (Jan 27, Feb 6] = Feb 5, 6.
    new_due, shift = rules.shift_after_pause(
        Rule.working_days(5), due, local(2025, 1, 27, 15, 0), local(2025, 2, 6, 9, 0)
    )
    assert shift == (2, "working_days")
    assert new_due == local(2025, 2, 10, 23, 59, 59)  # Feb 8 (make-up Sat) and Feb 10
    # Hours: by the wall-clock time paused.
    new_due, shift = rules.shift_after_pause(
        Rule.hours(48), local(2025, 10, 2, 18, 0), local(2025, 10, 1, 9), local(2025, 10, 1, 15)
    )
    assert new_due == local(2025, 10, 3, 0, 0) and shift == (6.0, "hours")
    # Months: by calendar days.
    new_due, shift = rules.shift_after_pause(
        Rule.months(1), local(2025, 2, 28, 23, 59, 59), local(2025, 2, 1, 9), local(2025, 2, 11, 9)
    )
    assert new_due == local(2025, 3, 10, 23, 59, 59) and shift == (10, "days")
