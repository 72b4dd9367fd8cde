"""Recurring events over the working-day calendar, the public notice and the event record."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.personas import client_for
from tests.stations import helpers as h
from wulian.core import audit
from wulian.core.deadlines import workcalendar
from wulian.core.errors import AccessDenied, ConcurrentEdit, ValidationFailed
from wulian.core.models import AuditEvent
from wulian.stations import services
from wulian.stations.calendar import occurrences
from wulian.stations.choices import EventKind, EventState, HolidayRule
from wulian.stations.models import Event, Tally

pytestmark = pytest.mark.django_db

# 2026: 国庆节 1–7 October (a Thursday to a Wednesday); Tuesday 6 October is a day off.
NATIONAL_DAY_TUESDAY = date(2026, 10, 6)


def test_a_tuesday_on_a_statutory_holiday_moves_to_the_next_working_day(p):
    is_workday = workcalendar.snapshot().is_workday
    assert not is_workday(NATIONAL_DAY_TUESDAY)
    held = dict(
        occurrences(
            EventKind.TUESDAY,
            None,
            HolidayRule.MOVE,
            date(2026, 9, 28),
            date(2026, 10, 14),
            is_workday,
        )
    )
    moved = [day for day, origin in held.items() if origin == NATIONAL_DAY_TUESDAY]
    assert len(moved) == 1
    assert is_workday(moved[0]) and moved[0] > NATIONAL_DAY_TUESDAY
    # every day between is off, so it is the first working day after
    gap = (moved[0] - NATIONAL_DAY_TUESDAY).days
    assert all(not is_workday(NATIONAL_DAY_TUESDAY + timedelta(d)) for d in range(1, gap))


def test_a_tuesday_on_a_statutory_holiday_is_skipped_when_the_rule_says_so(p):
    is_workday = workcalendar.snapshot().is_workday
    held = occurrences(
        EventKind.TUESDAY, None, HolidayRule.SKIP, date(2026, 9, 28), date(2026, 10, 14), is_workday
    )
    days = [d for d, _o in held]
    assert NATIONAL_DAY_TUESDAY not in days
    assert days == [date(2026, 9, 29), date(2026, 10, 13)]


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from([EventKind.TUESDAY, EventKind.RECEPTION_DAY]),
    dom=st.integers(min_value=1, max_value=31),
    rule=st.sampled_from(HolidayRule.values),
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 1)),
    off=st.sets(st.integers(min_value=0, max_value=120), max_size=30),
)
def test_held_events_fall_on_working_days_once_per_period(kind, dom, rule, start, off):
    """Whatever the days off: each event is on a working day, none is held twice in one
    period, a skipped one is not held, a moved one is held after its day."""
    holidays = {start + timedelta(days=d) for d in off}

    def is_workday(day: date) -> bool:
        return day.weekday() < 5 and day not in holidays

    last = start + timedelta(days=120)
    held = occurrences(kind, dom, rule, start, last, is_workday)
    days = [d for d, _o in held]
    assert all(is_workday(d) for d in days)
    assert days == sorted(set(days))
    for day, origin in held:
        if origin is not None:
            assert rule == HolidayRule.MOVE and day > origin and not is_workday(origin)
    if rule == HolidayRule.SKIP:
        assert all(o is None for _d, o in held)


def _rule(p, **kw):
    s = h.station(p)
    data = {
        "kind": EventKind.TUESDAY,
        "day_of_month": None,
        "holiday_rule": HolidayRule.MOVE,
        "starts_at": time(9, 0),
        "place": "联络站接待室",
        **kw,
    }
    return services.rule_add(actor=p.congress_clerk, station_id=s.pk, version=s.version, **data)


def test_scheduling_makes_the_events_with_who_is_on_duty_and_audits(p):
    _rule(p)
    _rule(p, kind=EventKind.RECEPTION_DAY, day_of_month=15)
    s = h.station(p)
    s.refresh_from_db()
    made = services.events_schedule(
        actor=p.congress_clerk, station_id=s.pk, version=s.version, until=h.future(40)
    )
    kinds = {e.kind for e in made}
    assert kinds == {EventKind.TUESDAY, EventKind.RECEPTION_DAY}
    assert min(e.date for e in made) >= h.future(3)
    e = Event.objects.get(pk=made[0].pk)
    assert list(e.on_duty.values_list("name", flat=True)) == [p.deputy.person.name]
    assert AuditEvent.objects.filter(action="stations.events.scheduled").count() == 1
    # again: nothing new
    s.refresh_from_db()
    again = services.events_schedule(
        actor=p.congress_clerk, station_id=s.pk, version=s.version, until=h.future(40)
    )
    assert again == []


def test_scheduling_refusals(p):
    s = h.station(p)
    with pytest.raises(AccessDenied):
        services.events_schedule(
            actor=p.deputy, station_id=s.pk, version=s.version, until=h.future(30)
        )
    with pytest.raises(ValidationFailed) as exc:
        services.events_schedule(
            actor=p.congress_clerk, station_id=s.pk, version=s.version, until=h.future(2)
        )
    assert "提前 3 天公告" in exc.value.message
    with pytest.raises(ConcurrentEdit):
        services.events_schedule(
            actor=p.congress_clerk, station_id=s.pk, version=s.version + 1, until=h.future(30)
        )
    with pytest.raises(ValidationFailed) as exc:
        _rule(p, kind=EventKind.RECEPTION_DAY, day_of_month=None)
    assert "day_of_month" in exc.value.field_errors


def test_the_public_notice_shows_names_and_places_but_no_personal_data(p):
    deputy = p.deputy.person
    deputy.phone = "13912345678"
    deputy.email = "deputy@example.org"
    deputy.save()
    m = h.monitor(p)
    m.person.phone = "13787654321"
    m.person.save()
    e = h.event(p, day=h.future(5))
    h.opinion(p, h.event(p, day=h.NOW.date()), resident_phone="13600009999")
    page = client_for(None).get("/stations/notice/")
    assert page.status_code == 200
    html = page.content.decode()
    assert deputy.name in html and m.person.name in html and e.place in html
    for secret in ("13912345678", "deputy@example.org", "13787654321", "13600009999", "刘阿姨"):
        assert secret not in html
    assert "老旧小区加装电梯" not in html  # residents' opinions are not public


def test_recording_an_event_counts_it_once(p):
    e = h.event(p)
    e = services.event_record(
        actor=p.deputy, event_id=e.pk, version=e.version, attendance=23, record="接待群众23人次。"
    )
    assert e.state == EventState.HELD
    e = services.event_record(
        actor=p.deputy, event_id=e.pk, version=e.version, attendance=25, record="更正：25人次。"
    )
    tally = Tally.objects.get(station=e.station, year=2026)
    assert (tally.events_held, tally.attendance) == (1, 25)
    assert audit.verify().ok


def test_recording_refusals(p):
    later = h.event(p, day=h.future(7))
    with pytest.raises(ValidationFailed):
        services.event_record(
            actor=p.deputy, event_id=later.pk, version=later.version, attendance=3, record="x"
        )
    e = h.event(p)
    with pytest.raises(AccessDenied):
        services.event_record(
            actor=p.unit_a, event_id=e.pk, version=e.version, attendance=3, record="x"
        )
    with pytest.raises(ValidationFailed) as exc:
        services.event_record(
            actor=p.deputy, event_id=e.pk, version=e.version, attendance=-1, record="x"
        )
    assert "attendance" in exc.value.field_errors
