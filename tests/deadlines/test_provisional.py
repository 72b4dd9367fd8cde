"""Deadlines never block work for want of a calendar year (ADR 0016).

A working-day count that reaches into a year the calendar does not hold complete is made on the
days off the law fixes in advance (statutory.holidays) and marked provisional (暂定); when the
administrator completes the year, every live provisional deadline is recounted in the same
transaction, each moved due date audited and told, no reminder sent twice, nothing closed
touched. The years are taken from the installed package, so that the tests hold whichever year
it ends with and whatever today is."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.deadlines.conftest import local
from wulian.core import todos
from wulian.core.access import actor_for
from wulian.core.deadlines import rules, seed, services, statutory, workcalendar
from wulian.core.deadlines.choices import DayKind, DeadlineState
from wulian.core.deadlines.models import CalendarDay, CalendarYear, Deadline, DeadlinePoint
from wulian.core.deadlines.rules import Rule
from wulian.core.deadlines.sweep import provisional as provisional_job
from wulian.core.deadlines.sweep import sweep
from wulian.core.errors import TransitionNotAllowed
from wulian.core.models import AuditEvent
from wulian.core.notifications.models import OutboxMessage

LAST = seed.package_years()[-1]  # the last year the calendar holds complete
NEXT = LAST + 1

pytestmark = pytest.mark.django_db


def _weekdays_off(year: int) -> set[date]:
    return {d for d in statutory.holidays(year) if d.weekday() < 5}


def _first_provisional_workday(after: date) -> date:
    day = after + timedelta(days=1)
    while day.weekday() >= 5 or day in statutory.holidays(day.year):
        day += timedelta(days=1)
    return day


def _enter(personas, *extra: date) -> None:
    """The State Council's notice for NEXT as the administrator enters it: the law's days off
    (补假 included) and `extra` bridge days."""
    for day, name in statutory.holidays(NEXT).items():
        services.calendar_day_add(actor=personas.sysadmin, day=day, kind=DayKind.HOLIDAY, name=name)
    for day in extra:
        services.calendar_day_add(
            actor=personas.sysadmin, day=day, kind=DayKind.HOLIDAY, name="调休放假"
        )


# --- The law's days off ------------------------------------------------------------------


@pytest.mark.parametrize("year", [y for y in seed.package_years() if y >= statutory.FIRST_YEAR])
def test_the_laws_days_off_are_days_off_in_every_published_year(seeded, year):
    """Checked against the State Council's notices as the package carries them: every day the
    law fixes (补假 aside, which a notice may place elsewhere) is a holiday in the table."""
    table = set(
        CalendarDay.objects.filter(date__year=year, kind=DayKind.HOLIDAY).values_list(
            "date", flat=True
        )
    )
    fixed = {d for d, name in statutory.holidays(year).items() if "补假" not in name}
    assert fixed <= table
    assert len(fixed) == 13  # 元旦 1, 春节 4, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3 (一 overlap)


def test_a_holiday_on_a_weekend_is_made_up_on_the_next_working_day():
    # 2026: 清明 on Sunday 5 April → Monday 6 April; 劳动节 Saturday 2 May → Monday 4 May.
    days = statutory.holidays(2026)
    assert days[date(2026, 4, 6)] == "清明节（补假）"
    assert days[date(2026, 5, 4)] == "劳动节（补假）"


def test_spring_festival_is_new_years_eve_and_the_first_three_days():
    days = statutory.holidays(2027)  # 正月初一 is 6 February 2027
    assert [d for d, n in sorted(days.items()) if n == "春节"] == [
        date(2027, 2, 5),
        date(2027, 2, 6),
        date(2027, 2, 7),
        date(2027, 2, 8),
    ]


# --- Counting provisionally ----------------------------------------------------------------


def test_a_deadline_into_next_year_is_provisional_and_skips_the_laws_days(personas, open_deadline):
    d = open_deadline(start=local(LAST, 12, 24, 9, 0), rule=Rule.working_days(10))
    assert d.provisional
    counted = workcalendar.working_days_between(date(LAST, 12, 24), rules.local_date(d.due_at))
    assert counted == 10
    assert date(NEXT, 1, 1) not in {
        date(LAST, 12, 24) + timedelta(days=i)
        for i in range((rules.local_date(d.due_at) - date(LAST, 12, 24)).days + 1)
        if workcalendar.is_workday(date(LAST, 12, 24) + timedelta(days=i))
    }
    event = AuditEvent.objects.get(action="deadlines.deadline.opened")
    assert event.after_data["due_at"].startswith(str(NEXT))


def test_the_responsible_person_sees_provisional_on_the_home_page_and_the_deadline(
    personas, open_deadline, client_of
):
    with time_machine.travel(local(LAST, 12, 20, 9, 0), tick=False):
        d = open_deadline(start=local(LAST, 12, 20, 9, 0), rule=Rule.working_days(15))
        items = [i for i in todos.todos_for(actor_for(personas.unit_a)) if i.title == d.title]
        assert items and items[0].provisional
        page = client_of(personas.unit_a).get("/").content.decode()
        assert d.title in page and "暂定" in page
        detail = client_of(personas.unit_a).get(reverse("deadlines:detail", args=[d.pk]))
        assert "暂定" in detail.content.decode()


# --- Completing the year --------------------------------------------------------------------


def test_completing_the_year_recounts_tells_and_audits_each_moved_deadline(personas, open_deadline):
    with time_machine.travel(local(LAST, 12, 20, 9, 0), tick=False):
        d = open_deadline(start=local(LAST, 12, 20, 9, 0), rule=Rule.working_days(15))
        met = open_deadline(kind="met", start=local(LAST, 12, 20, 9, 0), rule=Rule.working_days(15))
        services.deadline_meet(actor=personas.unit_a, deadline_id=met.pk)
        met.refresh_from_db()
        old_due = d.due_at
        bridge = _first_provisional_workday(date(NEXT, 1, 1))  # the notice gives it off
        assert bridge < rules.local_date(old_due)
        _enter(personas, bridge)
        OutboxMessage.objects.all().delete()
        services.calendar_year_complete(actor=personas.sysadmin, year=NEXT)
    d.refresh_from_db()
    assert not d.provisional
    assert rules.local_date(d.due_at) == workcalendar.add_working_days(rules.local_date(old_due), 1)
    assert d.original_due_at == d.due_at
    (event,) = AuditEvent.objects.filter(action="deadlines.deadline.recalculated")
    assert event.before_data["due_at"] != event.after_data["due_at"]
    assert event.after_data["years"] == [NEXT]
    told = OutboxMessage.objects.filter(kind="deadlines.deadline.recalculated")
    assert told.count() == 1
    assert told[0].recipient_id == personas.unit_a.pk
    assert timezone_text(d.due_at) in told[0].body
    untouched = Deadline.objects.get(pk=met.pk)
    assert untouched.state == DeadlineState.MET and untouched.due_at == met.due_at


def timezone_text(at) -> str:
    from django.utils import timezone

    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


def test_reminders_already_sent_are_not_sent_again(personas, open_deadline):
    with time_machine.travel(local(LAST, 12, 20, 9, 0), tick=False):
        d = open_deadline(start=local(LAST, 12, 20, 9, 0), rule=Rule.working_days(15))
    d.refresh_from_db()
    r50 = next(p for p in rules.loaded(d.schedule) if p["point"] == "g0:r50")
    with time_machine.travel(r50["at"] + timedelta(minutes=1), tick=False):
        assert sweep()["reminded"] == 1
        _enter(personas, _first_provisional_workday(date(NEXT, 1, 1)))
        services.calendar_year_complete(actor=personas.sysadmin, year=NEXT)
        d.refresh_from_db()
        assert d.next_point == "g0:r80"
        assert sweep()["reminded"] == 0
    assert DeadlinePoint.objects.filter(deadline=d, point="g0:r50").count() == 1


def test_a_due_date_is_never_moved_before_the_end_of_today(personas, open_deadline):
    left = workcalendar.working_days_between(date(LAST, 12, 28), date(LAST, 12, 31))
    with time_machine.travel(local(LAST, 12, 28, 9, 0), tick=False):
        d = open_deadline(start=local(LAST, 12, 28, 9, 0), rule=Rule.working_days(left + 3))
    due_day = rules.local_date(d.due_at)
    assert due_day.year == NEXT
    # The notice makes the Saturday before the due day a working day: the count ends a day
    # earlier — but the administrator completes the year on the due day itself.
    saturday = due_day - timedelta(days=(due_day.weekday() - 5) % 7)
    assert saturday < due_day
    services.calendar_day_add(actor=personas.sysadmin, day=saturday, kind=DayKind.MAKEUP_WORKDAY)
    _enter(personas)  # the law's days, as counted provisionally (a year needs its days off)
    with time_machine.travel(local(due_day.year, due_day.month, due_day.day, 10, 0), tick=False):
        services.calendar_year_complete(actor=personas.sysadmin, year=NEXT)
    d.refresh_from_db()
    assert rules.local_date(d.due_at) == due_day  # not moved into the past


def test_a_paused_deadline_keeps_its_paused_working_days(personas, open_deadline):
    with time_machine.travel(local(LAST, 12, 21, 9, 0), tick=False):
        d = open_deadline(start=local(LAST, 12, 21, 9, 0), rule=Rule.working_days(10))
        services.deadline_pause(actor=personas.congress_clerk, deadline_id=d.pk)
    with time_machine.travel(local(LAST, 12, 24, 9, 0), tick=False):
        d = services.deadline_resume(actor=personas.congress_clerk, deadline_id=d.pk)
    paused = workcalendar.working_days_between(date(LAST, 12, 21), date(LAST, 12, 24))
    assert paused > 0 and d.paused_working_days == paused
    assert d.provisional
    with time_machine.travel(local(LAST, 12, 24, 10, 0), tick=False):
        _enter(personas)
        services.calendar_year_complete(actor=personas.sysadmin, year=NEXT)
    d.refresh_from_db()
    assert (
        workcalendar.working_days_between(date(LAST, 12, 21), rules.local_date(d.due_at))
        == 10 + paused
    )


def test_completing_twice_is_refused_and_recounts_once(personas, open_deadline):
    with time_machine.travel(local(LAST, 12, 20, 9, 0), tick=False):
        open_deadline(start=local(LAST, 12, 20, 9, 0), rule=Rule.working_days(15))
        _enter(personas, _first_provisional_workday(date(NEXT, 1, 1)))
        services.calendar_year_complete(actor=personas.sysadmin, year=NEXT)
        with pytest.raises(TransitionNotAllowed):
            services.calendar_year_complete(actor=personas.sysadmin, year=NEXT)
    assert AuditEvent.objects.filter(action="deadlines.deadline.recalculated").count() == 1


def test_the_reconcile_job_recounts_a_deadline_opened_on_a_stale_calendar(personas, open_deadline):
    with time_machine.travel(local(LAST, 12, 20, 9, 0), tick=False):
        d = open_deadline(start=local(LAST, 12, 20, 9, 0), rule=Rule.working_days(15))
        _enter(personas, _first_provisional_workday(date(NEXT, 1, 1)))
        # Another process completed the year without recounting (it still held the old
        # calendar when this deadline was opened).
        CalendarYear.objects.filter(year=NEXT).update(complete=True, revision=99)
        assert Deadline.objects.get(pk=d.pk).provisional
        assert provisional_job()["moved"] == 1
    d.refresh_from_db()
    assert not d.provisional


# --- The administrator is asked -------------------------------------------------------------


def test_the_system_administrator_is_asked_for_next_year_from_1_november(personas):
    with time_machine.travel(local(LAST, 10, 31, 9, 0), tick=False):
        assert not [i for i in todos.todos_for(actor_for(personas.sysadmin)) if "节假日" in i.title]
    with time_machine.travel(local(LAST, 11, 1, 9, 0), tick=False):
        (item,) = [i for i in todos.todos_for(actor_for(personas.sysadmin)) if "节假日" in i.title]
        assert str(NEXT) in item.title
        assert not [i for i in todos.todos_for(actor_for(personas.unit_a)) if "节假日" in i.title]
        _enter(personas)
        services.calendar_year_complete(actor=personas.sysadmin, year=NEXT)
        assert not [i for i in todos.todos_for(actor_for(personas.sysadmin)) if "节假日" in i.title]


def test_the_calendar_page_asks_to_confirm_a_year_missing_the_laws_days(personas, client_of):
    """Marking a year complete cannot be undone: the page asks first on a page of its own (no
    JavaScript), naming what is unusual; the way back changes nothing."""
    for day, name in statutory.holidays(NEXT).items():
        if name != "国庆节" and "补假" not in name:
            services.calendar_day_add(
                actor=personas.sysadmin, day=day, kind=DayKind.HOLIDAY, name=name
            )
    client = client_of(personas.sysadmin)
    url = reverse("deadlines:calendar_year_complete", args=[NEXT])
    asked = client.post(url)
    page = asked.content.decode()
    assert asked.status_code == 200 and "标记完整后不能撤销" in page
    assert "国庆节" in page and 'name="confirm" value="on"' in page
    assert not CalendarYear.objects.get(year=NEXT).complete
    page = client.post(url, {"confirm": "on"}, follow=True).content.decode()
    assert CalendarYear.objects.get(year=NEXT).complete
    assert "暂定期限已重新计算" in page


def test_the_calendar_page_refuses_a_year_with_one_day_entered(personas, client_of):
    services.calendar_day_add(
        actor=personas.sysadmin, day=date(NEXT, 1, 1), kind=DayKind.HOLIDAY, name="元旦"
    )
    client = client_of(personas.sysadmin)
    url = reverse("deadlines:calendar_year_complete", args=[NEXT])
    for data in ({}, {"confirm": "on"}):
        page = client.post(url, data, follow=True).content.decode()
        assert "只录入了 1 天法定节假日" in page
        assert not CalendarYear.objects.get(year=NEXT).complete


def test_an_overdue_deadline_is_not_made_current_by_a_late_completion(personas, open_deadline):
    with time_machine.travel(local(LAST, 12, 28, 9, 0), tick=False):
        d = open_deadline(start=local(LAST, 12, 28, 9, 0), rule=Rule.working_days(4))
    due_day = rules.local_date(d.due_at)
    assert due_day.year == NEXT
    # The notice makes a Saturday before the due day a working day (the count ends earlier),
    # and the administrator completes the year a week after the due day.
    saturday = due_day - timedelta(days=(due_day.weekday() - 5) % 7)
    services.calendar_day_add(actor=personas.sysadmin, day=saturday, kind=DayKind.MAKEUP_WORKDAY)
    _enter(personas)  # the law's days, as counted provisionally (a year needs its days off)
    with time_machine.travel(
        local(due_day.year, due_day.month, due_day.day, 10, 0) + timedelta(days=7), tick=False
    ):
        services.calendar_year_complete(actor=personas.sysadmin, year=NEXT)
    d.refresh_from_db()
    assert rules.local_date(d.due_at) == due_day  # still as late as it was: still overdue
