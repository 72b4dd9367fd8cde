"""A station's recurring rules, the events they make, and each event's record."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.deadlines import workcalendar
from wulian.stations.calendar import occurrences
from wulian.stations.choices import NOTICE_DAYS, DutyRole, EventKind, EventState, HolidayRule
from wulian.stations.models import Event, EventRule, Station
from wulian.stations.services._common import count, digest, fail, get, lock, text

MAX_SCHEDULE_DAYS = 400


def _station(station_id: int) -> Station:
    return get(Station, station_id, _("联络站不存在。"))


def rule_add(
    *,
    actor: Actor,
    station_id: int,
    version: int,
    kind: str,
    day_of_month: int | None,
    holiday_rule: str,
    starts_at: time,
    place: str,
    topic: str = "",
) -> EventRule:
    """A recurring event of the station: 选民接待日 or 专题议事 on a day of the month, 相约星期二
    every Tuesday; `holiday_rule` says whether a day off moves it or skips it."""
    actor = access.require(actor, "stations.station.manage", _station(station_id))
    if kind not in EventKind.values:
        raise fail(_("请选择活动类型。"), "kind")
    if holiday_rule not in HolidayRule.values:
        raise fail(_("请选择遇节假日时顺延还是当次不举行。"), "holiday_rule")
    if kind == EventKind.TUESDAY:
        day_of_month = None
    elif day_of_month is None or not 1 <= int(day_of_month) <= 31:
        raise fail(_("请填写每月举行的日期（1 到 31）。"), "day_of_month")
    if not isinstance(starts_at, time):
        raise fail(_("请填写开始时间。"), "starts_at")
    place = text(place, "place", _("地点"), limit=200)
    topic = text(topic, "topic", _("主题"), required=kind == EventKind.TOPIC, limit=200)
    with transaction.atomic():
        station = lock(Station, station_id, version)
        r = EventRule.objects.create(
            station=station,
            kind=kind,
            day_of_month=day_of_month,
            holiday_rule=holiday_rule,
            starts_at=starts_at,
            place=place,
            topic=topic,
        )
        versioned.save(station)
        audit.event(
            actor,
            "stations.rule.added",
            station,
            station.organisation_id,
            after={
                "rule": r.pk,
                "kind": kind,
                "day_of_month": day_of_month,
                "holiday_rule": holiday_rule,
                "starts_at": starts_at.isoformat(),
                "place": place,
            },
        )
    return r


def events_schedule(*, actor: Actor, station_id: int, version: int, until: date) -> list[Event]:
    """Make the station's events from its rules, from the first day whose notice can still be
    up `NOTICE_DAYS` days before, through `until`; the deputies and monitors on duty at the
    station are on duty at each. Days that already have the event are left as they are."""
    actor = access.require(actor, "stations.station.manage", _station(station_id))
    first = timezone.localdate() + timedelta(days=NOTICE_DAYS)
    if not isinstance(until, date) or until < first:
        raise fail(
            _("排期截止日期须不早于 %(d)s（活动须至少提前 %(n)d 天公告）。")
            % {"d": first.isoformat(), "n": NOTICE_DAYS},
            "until",
        )
    if (until - first).days > MAX_SCHEDULE_DAYS:
        raise fail(_("一次最多排期 %(n)d 天。") % {"n": MAX_SCHEDULE_DAYS}, "until")
    with transaction.atomic():
        station = lock(Station, station_id, version)
        made = schedule_rules(station, first, until)
        versioned.save(station)
        audit.event(
            actor,
            "stations.events.scheduled",
            station,
            station.organisation_id,
            after={"from": first, "until": until, "events": [e.pk for e in made]},
        )
    return made


def schedule_rules(station: Station, first: date, until: date) -> list[Event]:
    """The events of the station's active rules in [first, until] not yet made (no checks:
    called by the service above and by the demo)."""
    existing = set(
        Event.objects.filter(station=station, date__gte=first - timedelta(days=31)).values_list(
            "kind", "date"
        )
    )
    made: list[Event] = []
    is_workday = workcalendar.snapshot().is_workday
    for r in station.rules.filter(active=True):
        for day, moved_from in occurrences(
            r.kind, r.day_of_month, r.holiday_rule, first, until, is_workday
        ):
            if (r.kind, day) in existing:
                continue
            existing.add((r.kind, day))
            made.append(
                Event(
                    station=station,
                    rule=r,
                    kind=r.kind,
                    date=day,
                    moved_from=moved_from,
                    starts_at=r.starts_at,
                    place=r.place,
                    topic=r.topic,
                )
            )
    Event.objects.bulk_create(made)  # ids are returned on PostgreSQL and SQLite alike
    people = list(station.duties.values_list("person_id", flat=True))
    through = Event.on_duty.through
    through.objects.bulk_create(
        [through(event_id=e.pk, person_id=p) for e in made for p in people],
        ignore_conflicts=True,
    )
    return made


def event_record(
    *, actor: Actor, event_id: int, version: int, attendance: int, record: str
) -> Event:
    """After the event: how many residents came and what was done (活动记录)."""
    actor = access.require(actor, "stations.event.record", get(Event, event_id, _("活动不存在。")))
    try:
        attendance = int(attendance)
    except (TypeError, ValueError):
        attendance = -1
    if not 0 <= attendance <= 10_000:
        raise fail(_("参加群众人数须为 0 到 10000 之间的整数。"), "attendance")
    record = text(record, "record", _("活动记录"))
    with transaction.atomic():
        e = lock(Event, event_id, version, "station")
        if e.date > timezone.localdate():
            raise fail(_("活动尚未举行，举行当天或之后才能记录。"))
        if e.state == EventState.CANCELLED:
            raise fail(_("活动已取消，不能记录。"))
        first_time = e.state == EventState.PLANNED
        before = {"state": e.state, "attendance": e.attendance, "record_sm3": digest(e.record)}
        delta = attendance - e.attendance
        versioned.save(
            e, state=EventState.HELD, attendance=attendance, record=record, held_at=timezone.now()
        )
        count(e.station_id, e.date.year, events_held=int(first_time), attendance=delta)
        audit.event(
            actor,
            "stations.event.recorded",
            e,
            e.station.organisation_id,
            before=before,
            after={"state": e.state, "attendance": attendance, "record_sm3": digest(record)},
        )
    return e


def duty_names(event: Event) -> dict[str, list[str]]:
    """The names on duty at an event, by role (names only: what the public notice shows)."""
    roles = dict(event.station.duties.values_list("person_id", "role"))
    names: dict[str, list[str]] = {DutyRole.DEPUTY: [], DutyRole.MONITOR: []}
    for person in event.on_duty.all():
        names[roles.get(person.pk, DutyRole.DEPUTY)].append(person.name)
    return names
