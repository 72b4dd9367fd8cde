"""Building blocks of the stations tests: the personas' liaison station as a Station with the
`deputy` persona on duty, an integrity monitor on duty, a held event and opinions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.factories import account
from tests.personas import Personas
from wulian.accounts.models import User
from wulian.core.choices import Role
from wulian.stations import services
from wulian.stations.choices import District, DutyRole, EventKind, EventState
from wulian.stations.models import Duty, Event, Opinion, Station

# A Monday in a year the installed holiday calendar covers.
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def station(p: Personas) -> Station:
    found = Station.objects.filter(organisation=p.orgs["station"]).first()
    if found is not None:
        return found
    s = Station.objects.create(
        organisation=p.orgs["station"],
        district=District.HUANGSHIGANG,
        address="黄石港区胜阳港街道民主路 12 号",
        hours="周二、每月15日 9:00-11:30",
        head_name="陈站长",
        practice_base=True,
    )
    Duty.objects.create(station=s, person=p.users["deputy"].person, role=DutyRole.DEPUTY)
    return s


def monitor(p: Personas) -> User:
    """An integrity monitor: appointed by the CDI (his seat), on duty at the station."""
    found = User.objects.filter(username="monitor").first()
    if found is not None:
        return found
    user = account(p.orgs["cdi"], Role.INTEGRITY_MONITOR, username="monitor", name="黄秀兰")
    Duty.objects.create(station=station(p), person=user.person, role=DutyRole.MONITOR)
    return user


def event(p: Personas, *, day: date | None = None, state: str = EventState.PLANNED) -> Event:
    s = station(p)
    same = Event.objects.filter(station=s, kind=EventKind.RECEPTION_DAY, date=day or NOW.date())
    if same.exists():
        return same.get()
    e = Event.objects.create(
        station=s,
        kind=EventKind.RECEPTION_DAY,
        date=day or NOW.date(),
        starts_at=time(9, 0),
        place="联络站接待室",
        state=state,
    )
    e.on_duty.set([d.person for d in s.duties.all()])
    return e


def opinion(p: Personas, e: Event | None = None, **kw: Any) -> Opinion:
    e = e or event(p)
    data = {
        "topic": "老旧小区加装电梯",
        "content": "楼里老人多，希望尽快加装电梯，费用分摊请社区协调。",
        "resident_name": "刘阿姨",
        "resident_phone": "13800001111",
        "consent": True,
        **kw,
    }
    return services.opinion_record(actor=p.users["deputy"], event_id=e.pk, **data)


def handed(p: Personas) -> Opinion:
    o = opinion(p)
    return services.opinion_hand(
        actor=p.users["deputy"],
        opinion_id=o.pk,
        version=o.version,
        department_id=p.orgs["unit_a"].pk,
    )


def future(days: int) -> date:
    return NOW.date() + timedelta(days=days)
