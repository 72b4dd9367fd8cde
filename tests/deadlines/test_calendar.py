"""The holiday calendar table: seeded from chinesecalendar, working-day arithmetic on it, a
provisional count for a year it does not cover (tests/deadlines/test_provisional.py has the
rest), the per-process cache, and the administrator's services, page and command."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from wulian.core.deadlines import seed, services, statutory, workcalendar
from wulian.core.deadlines.choices import DayKind
from wulian.core.deadlines.models import CalendarDay, CalendarYear
from wulian.core.deadlines.workcalendar import (
    add_working_days,
    is_workday,
    working_days_between,
)
from wulian.core.errors import (
    AccessDenied,
    ConfirmationNeeded,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import AuditEvent

pytestmark = pytest.mark.django_db


# --- The seeded table ----------------------------------------------------------------------


def test_the_migration_seeds_every_year_the_package_covers(seeded):
    years = seed.package_years()
    assert years[0] == 2004 and years[-1] >= 2025
    stored = set(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
    assert set(years) <= stored


def test_2025_spring_festival_and_national_day_as_the_state_council_set_them(seeded):
    days = {d.date: (d.kind, d.name) for d in CalendarDay.objects.filter(date__year=2025)}
    for n in range(8):  # Jan 28 – Feb 4
        assert days[date(2025, 1, 28) + timedelta(days=n)] == (DayKind.HOLIDAY, "春节")
    assert days[date(2025, 1, 26)] == (DayKind.MAKEUP_WORKDAY, "春节")  # Sunday
    assert days[date(2025, 2, 8)] == (DayKind.MAKEUP_WORKDAY, "春节")  # Saturday
    for n in range(8):  # Oct 1 – 8 (Oct 6 is 中秋)
        assert days[date(2025, 10, 1) + timedelta(days=n)][0] == DayKind.HOLIDAY
    assert days[date(2025, 9, 28)] == (DayKind.MAKEUP_WORKDAY, "国庆节")  # Sunday
    assert days[date(2025, 10, 11)] == (DayKind.MAKEUP_WORKDAY, "国庆节")  # Saturday


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 24), True),  # Friday
        (date(2025, 1, 25), False),  # Saturday
        (date(2025, 1, 26), True),  # Sunday, make-up working day
        (date(2025, 1, 27), True),
        (date(2025, 1, 28), False),  # 除夕 — Spring Festival holiday
        (date(2025, 2, 3), False),  # Monday inside the holiday
        (date(2025, 2, 4), False),
        (date(2025, 2, 5), True),
        (date(2025, 2, 8), True),  # Saturday, make-up working day
        (date(2025, 2, 9), False),
        (date(2025, 9, 28), True),  # Sunday, make-up working day
        (date(2025, 10, 1), False),
        (date(2025, 10, 8), False),
        (date(2025, 10, 9), True),
        (date(2025, 10, 11), True),  # Saturday, make-up working day
        (date(2025, 10, 12), False),
    ],
)
def test_is_workday_around_the_2025_holidays(seeded, day, working):
    assert is_workday(day) is working


def test_working_days_across_spring_festival_2025(seeded):
    # Friday Jan 24: Sun 26 (make-up) 1, Mon 27 2, holiday 28.1–4.2, Wed 5 3, Thu 6 4, Fri 7 5.
    assert add_working_days(date(2025, 1, 24), 5) == date(2025, 2, 7)
    assert add_working_days(date(2025, 1, 27), 1) == date(2025, 2, 5)
    # … and the make-up Saturday Feb 8 counts: 15 working days end on Feb 20.
    assert add_working_days(date(2025, 1, 24), 6) == date(2025, 2, 8)
    assert add_working_days(date(2025, 1, 24), 15) == date(2025, 2, 20)
    assert working_days_between(date(2025, 1, 24), date(2025, 2, 20)) == 15


def test_working_days_across_national_day_2025(seeded):
    # Friday Sep 26: Sun 28 (make-up), Mon 29, Tue 30, holiday 1–8, Thu 9, Fri 10, Sat 11 …
    assert add_working_days(date(2025, 9, 26), 5) == date(2025, 10, 10)
    assert add_working_days(date(2025, 9, 26), 6) == date(2025, 10, 11)
    assert add_working_days(date(2025, 9, 26), 15) == date(2025, 10, 23)
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)


def test_a_year_not_in_the_calendar_is_counted_provisionally_not_refused(seeded):
    last = seed.package_years()[-1]
    missing = last + 1
    day = add_working_days(date(last, 12, 20), 15)
    assert day.year == missing
    # Weekends and 元旦 are not counted; no make-up working day is assumed.
    counted, d = 0, date(last, 12, 20)
    while d < day:
        d += timedelta(days=1)
        if d.weekday() < 5 and d != date(missing, 1, 1):
            counted += 1
    assert counted == 15


def test_a_year_with_days_but_not_marked_complete_is_counted_provisionally(seeded, personas):
    year = seed.package_years()[-1] + 1
    services.calendar_day_add(
        actor=personas.sysadmin, day=date(year, 5, 8), kind=DayKind.HOLIDAY, name="测试"
    )
    for day, name in statutory.holidays(year).items():  # the notice, 国庆 aside
        if name != "国庆节" and "补假" not in name:
            services.calendar_day_add(actor=personas.sysadmin, day=day, kind="holiday", name=name)
    # Provisional: the entered day is not yet used, the law's days are.
    may_8 = date(year, 5, 8)
    assert is_workday(may_8) is (may_8.weekday() < 5)
    assert is_workday(date(year, 10, 1)) is False
    services.calendar_year_complete(actor=personas.sysadmin, year=year, confirm=True)
    assert is_workday(may_8) is False
    # Complete: only the table counts (国庆 was not entered).
    oct_1 = date(year, 10, 1)
    assert is_workday(oct_1) is (oct_1.weekday() < 5)


def test_before_the_table_only_weekends_are_known(seeded):
    # Thursday 25 December 2003: Fri 26, Mon 29, Tue 30, Wed 31 (the weekend is not counted).
    assert add_working_days(date(2003, 12, 25), 4) == date(2003, 12, 31)


# --- The per-process cache -----------------------------------------------------------------


def test_a_change_through_the_service_is_seen_at_once(seeded, personas):
    day = date(2025, 3, 3)  # an ordinary Monday
    assert is_workday(day)
    services.calendar_day_add(actor=personas.sysadmin, day=day, kind=DayKind.HOLIDAY)
    assert not is_workday(day)


def test_another_process_change_is_seen_after_the_recheck_interval(seeded, monkeypatch):
    day = date(2025, 3, 4)
    assert is_workday(day)
    year = CalendarYear.objects.get(year=2025)
    # What another process's service does: a row and a revision bump, not this process's cache.
    CalendarDay.objects.create(calendar_year=year, date=day, kind=DayKind.HOLIDAY)
    CalendarYear.objects.filter(pk=year.pk).update(revision=year.revision + 1)
    assert is_workday(day), "within the recheck interval the cached calendar is used"
    monkeypatch.setattr(workcalendar, "RECHECK_SECONDS", 0.0)
    assert not is_workday(day)


def test_arithmetic_reads_the_table_once_then_runs_from_the_cache(
    seeded, django_assert_max_num_queries
):
    workcalendar.snapshot()
    with django_assert_max_num_queries(0):
        add_working_days(date(2025, 1, 24), 60)


# --- Properties ----------------------------------------------------------------------------

starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2025, 9, 30))
amounts = st.integers(min_value=0, max_value=60)
HYP = hsettings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@HYP
@given(start=starts, n=amounts)
def test_counting_back_gives_the_number_added(seeded, start, n):
    assert working_days_between(start, add_working_days(start, n)) == n


@HYP
@given(start=starts, n=st.integers(min_value=1, max_value=60))
def test_the_result_is_a_working_day(seeded, start, n):
    end = add_working_days(start, n)
    kinds = dict(CalendarDay.objects.filter(date=end).values_list("date", "kind"))
    if end.weekday() >= 5:
        assert kinds.get(end) == DayKind.MAKEUP_WORKDAY, f"{end} is a weekend"
    assert kinds.get(end) != DayKind.HOLIDAY, f"{end} is a holiday"
    assert end > start


@HYP
@given(start=starts, n=amounts, more=st.integers(min_value=1, max_value=20))
def test_more_working_days_end_later(seeded, start, n, more):
    assert add_working_days(start, n) < add_working_days(start, n + more)


@HYP
@given(start=starts, later=st.integers(min_value=0, max_value=40), n=amounts)
def test_a_later_start_never_ends_earlier(seeded, start, later, n):
    assert add_working_days(start, n) <= add_working_days(start + timedelta(days=later), n)


# --- Administrator services ----------------------------------------------------------------


def _events(code: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=code))


def test_adding_a_day_is_audited_and_only_for_the_system_administrator(personas):
    with pytest.raises(AccessDenied):
        services.calendar_day_add(
            actor=personas.congress_clerk, day=date(2025, 3, 3), kind=DayKind.HOLIDAY
        )
    entry = services.calendar_day_add(
        actor=personas.sysadmin, day=date(2025, 3, 3), kind=DayKind.HOLIDAY, name="测试"
    )
    (event,) = _events("deadlines.calendar.day_added")
    assert event.target_type == "deadlines.calendaryear" and event.target_id == str(
        entry.calendar_year_id
    )
    assert event.after_data["date"] == "2025-03-03"


def test_adding_refuses_a_duplicate_and_a_weekday_make_up_day(personas):
    with pytest.raises(ValidationFailed) as dup:
        services.calendar_day_add(
            actor=personas.sysadmin, day=date(2025, 1, 28), kind=DayKind.HOLIDAY
        )
    assert "day" in dup.value.field_errors
    with pytest.raises(ValidationFailed) as weekday:
        services.calendar_day_add(
            actor=personas.sysadmin, day=date(2025, 3, 5), kind=DayKind.MAKEUP_WORKDAY
        )
    assert "周六或周日" in weekday.value.field_errors["day"][0]
    assert not _events("deadlines.calendar.day_added")


def test_removing_a_day_is_audited(personas):
    entry = CalendarDay.objects.get(date=date(2025, 10, 11))
    services.calendar_day_remove(actor=personas.sysadmin, day_id=entry.pk)
    assert not is_workday(date(2025, 10, 11))
    (event,) = _events("deadlines.calendar.day_removed")
    assert event.before_data["kind"] == "makeup_workday"
    with pytest.raises(AccessDenied):
        services.calendar_day_remove(actor=personas.unit_a, day_id=CalendarDay.objects.first().pk)


def test_marking_a_year_complete(personas):
    year = seed.package_years()[-1] + 1
    for day, name in statutory.holidays(year).items():
        if "补假" not in name:
            services.calendar_day_add(actor=personas.sysadmin, day=day, kind="holiday", name=name)
    with pytest.raises(AccessDenied):
        services.calendar_year_complete(actor=personas.secadmin, year=year)
    services.calendar_year_complete(actor=personas.sysadmin, year=year)
    assert CalendarYear.objects.get(year=year).complete
    assert len(_events("deadlines.calendar.year_completed")) == 1
    with pytest.raises(TransitionNotAllowed):
        services.calendar_year_complete(actor=personas.sysadmin, year=year)


def test_a_year_missing_a_statutory_holiday_asks_for_confirmation_naming_it(personas):
    year = seed.package_years()[-1] + 1
    for day, name in statutory.holidays(year).items():  # the notice, 国庆 aside
        if name != "国庆节" and "补假" not in name:
            services.calendar_day_add(actor=personas.sysadmin, day=day, kind="holiday", name=name)
    with pytest.raises(ConfirmationNeeded) as info:
        services.calendar_year_complete(actor=personas.sysadmin, year=year)
    assert f"{year}-10-01 国庆节" in info.value.message
    assert f"{year}-05-01" not in info.value.message
    assert "confirm" in info.value.field_errors
    assert not CalendarYear.objects.get(year=year).complete


@pytest.mark.parametrize("entered", [0, 1, services.MIN_HOLIDAYS - 1])
def test_an_implausible_year_is_refused_even_when_confirmed(personas, entered):
    """A year with fewer days off than the seven festivals is no finished notice: marking it
    complete is refused with what to do, whatever the person confirms (issue 13)."""
    year = seed.package_years()[-1] + 2
    CalendarYear.objects.create(year=year)
    for day in sorted(statutory.holidays(year))[:entered]:
        services.calendar_day_add(actor=personas.sysadmin, day=day, kind="holiday")
    for confirm in (False, True):
        with pytest.raises(ValidationFailed) as info:
            services.calendar_year_complete(actor=personas.sysadmin, year=year, confirm=confirm)
        assert f"只录入了 {entered} 天法定节假日" in info.value.message
        assert "国务院办公厅通知" in info.value.message
    assert not CalendarYear.objects.get(year=year).complete
    assert not _events("deadlines.calendar.year_completed")


def test_importing_a_year_from_the_package(personas):
    year = 2025
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarYear.objects.filter(year=year).delete()
    workcalendar.invalidate()
    # Counted provisionally meanwhile: 春节 by the law (除夕 to 初三), not the notice's week.
    assert is_workday(date(year, 1, 28)) is False
    assert is_workday(date(year, 2, 3)) is True
    services.calendar_year_import(actor=personas.sysadmin, year=year)
    assert CalendarYear.objects.get(year=year).complete
    assert is_workday(date(year, 2, 8)) and not is_workday(date(year, 2, 3))
    (event,) = _events("deadlines.calendar.year_imported")
    assert event.actor_id == personas.sysadmin.pk


def test_importing_a_year_the_package_does_not_cover_says_what_to_do(personas):
    year = seed.package_years()[-1] + 1
    with pytest.raises(ValidationFailed) as info:
        services.calendar_year_import(actor=personas.sysadmin, year=year)
    assert str(year) in info.value.message and "chinesecalendar" in info.value.message


def test_calendar_import_command(seeded, capsys):
    CalendarDay.objects.filter(date__year=2024).delete()
    CalendarYear.objects.filter(year=2024).delete()
    call_command("calendar", "import", "--year", "2024")
    assert "2024" in capsys.readouterr().out
    assert CalendarYear.objects.get(year=2024).complete
    (event,) = _events("deadlines.calendar.year_imported")
    assert event.actor_id is None  # the command line
    year = seed.package_years()[-1] + 1
    with pytest.raises(CommandError, match=str(year)):
        call_command("calendar", "import", "--year", str(year))
    with pytest.raises(CommandError):
        call_command("calendar", "import", "--year", "2024")  # already there


# --- The page ------------------------------------------------------------------------------


def test_the_calendar_page_lists_years_and_days(personas, client_of):
    client = client_of(personas.sysadmin)
    page = client.get(reverse("deadlines:calendar") + "?year=2025")
    assert page.status_code == 200
    text = page.content.decode()
    assert "2025-01-28" in text and "2025-02-08" in text and "调休上班日" in text
    assert "节假日日历" in text


def test_the_calendar_page_adds_and_removes_a_day(personas, client_of):
    client = client_of(personas.sysadmin)
    response = client.post(
        reverse("deadlines:calendar_day_add"),
        {"day": "2025-03-03", "kind": "holiday", "name": "测试"},
    )
    assert response.status_code == 302
    entry = CalendarDay.objects.get(date=date(2025, 3, 3))
    response = client.post(reverse("deadlines:calendar_day_remove", args=[entry.pk]))
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date=date(2025, 3, 3)).exists()


def test_the_calendar_page_shows_a_refusal_on_the_form(personas, client_of):
    client = client_of(personas.sysadmin)
    response = client.post(
        reverse("deadlines:calendar_day_add"), {"day": "2025-03-05", "kind": "makeup_workday"}
    )
    assert response.status_code == 400
    assert "周六或周日" in response.content.decode()


def test_the_calendar_page_is_for_the_system_administrator_only(personas, client_of):
    assert client_of(personas.congress_clerk).get(reverse("deadlines:calendar")).status_code == 403
