"""The stations' demo data: the 225 liaison stations across the seven districts (the core demo
has fourteen; the rest are generated), their rules and a year of events (with attendance),
residents' opinions about lifts in old buildings, dog-keeping and the like — the demo station's
through the services (one raised as the demo deputy's suggestion, one handed to the civil
affairs bureau, still open), the others generated in bulk with their tallies recounted — and
one integrity monitor's observation, sent to the CDI's clue officers."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from wulian.core.choices import OrgKind, Role
from wulian.core.deadlines import workcalendar
from wulian.core.models import Membership, Organisation, Person
from wulian.stations import services
from wulian.stations.calendar import occurrences
from wulian.stations.choices import (
    Disposition,
    District,
    DutyRole,
    Elsewhere,
    EventKind,
    EventState,
    HolidayRule,
)
from wulian.stations.models import Duty, Event, EventRule, Opinion, Station, Tally
from wulian.suggestions.similarity import tokens

TOTAL_STATIONS = 225
# How many stations each district has (225 in all).
PER_DISTRICT = {
    District.HUANGSHIGANG: 30,
    District.XISAISHAN: 28,
    District.XIALU: 24,
    District.TIESHAN: 12,
    District.DEVELOPMENT_ZONE: 16,
    District.DAYE: 60,
    District.YANGXIN: 55,
}
REGION = {
    "黄石港区": District.HUANGSHIGANG,
    "西塞山区": District.XISAISHAN,
    "下陆区": District.XIALU,
    "铁山区": District.TIESHAN,
    "黄石经济技术开发区": District.DEVELOPMENT_ZONE,
    "开发区": District.DEVELOPMENT_ZONE,
    "大冶市": District.DAYE,
    "阳新县": District.YANGXIN,
}
CODE = {
    District.HUANGSHIGANG: "HSG",
    District.XISAISHAN: "XSS",
    District.XIALU: "XL",
    District.TIESHAN: "TS",
    District.DEVELOPMENT_ZONE: "KFQ",
    District.DAYE: "DY",
    District.YANGXIN: "YX",
}
PLACES = ("社区", "村", "街道")
# (topic, what a resident said) — the article's matters first.
MATTERS = (
    ("老旧小区加装电梯", "楼里老人多，上下楼困难，希望加快老旧小区加装电梯，协调费用分摊。"),
    ("文明养犬", "小区里遛狗不牵绳、犬只吠叫扰民，希望加强文明养犬管理。"),
    ("停车难", "小区周边停车位少，晚上乱停车堵住消防通道。"),
    ("物业收费", "物业费上涨没有公示，服务质量跟不上。"),
    ("农村垃圾清运", "村里垃圾桶满了好几天没人清运，夏天气味很大。"),
    ("背街小巷路灯", "背街小巷路灯坏了很久，晚上出行不安全。"),
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
GIVEN = "建国华明丽芳军红伟敏静强磊洋艳勇杰娟涛超秀英霞平刚桂兰"


def _name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)] + GIVEN[(i * 3) % len(GIVEN)]


def seed() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    congress_body = Organisation.objects.get(code="RD-DBGW")
    stations = _stations(congress_body)
    _duties(stations)
    today = timezone.localdate()
    first, last = today - timedelta(days=365), today + timedelta(days=28)
    _rules_and_events(stations, first, last)
    _bulk_opinions(stations, users["congress_clerk"], today)
    demo_station = next(s for s in stations if s.organisation.code == "DB-HSG-01")
    _demo_station_story(demo_station, users, today)
    recount(station_ids=[s.pk for s in stations])
    return {
        "stations": Station.objects.count(),
        "station_events": Event.objects.count(),
        "station_opinions": Opinion.objects.count(),
    }


def _stations(congress_body: Organisation) -> list[Station]:
    existing = list(
        Organisation.objects.filter(kind=OrgKind.LIAISON_STATION).order_by("sort_order", "id")
    )
    have: dict[str, int] = {}
    for org in existing:
        d = REGION.get(org.region, District.HUANGSHIGANG)
        have[d] = have.get(d, 0) + 1
    new_orgs = []
    order = 2000
    for district, wanted in PER_DISTRICT.items():
        label = District(district).label
        for i in range(have.get(district, 0), wanted):
            order += 1
            place = f"第{i + 1}{PLACES[i % 3]}"
            new_orgs.append(
                Organisation(
                    code=f"DB-{CODE[district]}-{i + 1:02d}",
                    name=f"{label}{place}人大代表联络站",
                    short_name=f"{label}{place}联络站",
                    kind=OrgKind.LIAISON_STATION,
                    parent=congress_body,
                    region=str(label),
                    sort_order=order,
                )
            )
    Organisation.objects.bulk_create(new_orgs)
    orgs = existing + list(
        Organisation.objects.filter(code__in=[o.code for o in new_orgs]).order_by("sort_order")
    )
    assert len(orgs) == TOTAL_STATIONS, len(orgs)
    Station.objects.bulk_create(
        [
            Station(
                organisation=org,
                district=REGION.get(org.region, District.HUANGSHIGANG),
                address=f"{org.region}{org.short_name.replace('联络站', '')}党群服务中心一楼",
                hours="每周二 9:00-11:30；每月15日 9:00-17:00",
                head_name=_name(n + 400),
                # The article: the 225 stations are the city's grassroots practice bases.
                practice_base=True,
            )
            for n, org in enumerate(orgs)
        ]
    )
    return list(Station.objects.select_related("organisation").order_by("id"))


def _duties(stations: list[Station]) -> None:
    """Each station: the deputies who hold a seat there (the core demo's), two generated where
    it has none, and an integrity monitor on duty at every fifth station."""
    seats = Membership.objects.filter(
        role=Role.DEPUTY, organisation__kind=OrgKind.LIAISON_STATION, is_active=True
    ).values_list("organisation_id", "person_id")
    by_org: dict[int, list[int]] = {}
    for org_id, person_id in seats:
        by_org.setdefault(org_id, []).append(person_id)
    new_people = []
    for n, s in enumerate(stations):
        if s.organisation_id not in by_org:
            for k in range(2):
                new_people.append(
                    (s, Person(name=_name(n * 2 + k + 500), title="人大代表（驻站）"))
                )
    Person.objects.bulk_create([p for _s, p in new_people])
    Membership.objects.bulk_create(
        [Membership(person=p, organisation=s.organisation, role=Role.DEPUTY) for s, p in new_people]
    )
    for s, p in new_people:
        by_org.setdefault(s.organisation_id, []).append(p.pk)
    duties = [
        Duty(station=s, person_id=pid, role=DutyRole.DEPUTY)
        for s in stations
        for pid in by_org.get(s.organisation_id, [])
    ]
    monitors = list(
        Person.objects.filter(memberships__role=Role.INTEGRITY_MONITOR, memberships__is_active=True)
        .order_by("id")
        .distinct()
    )
    demo_monitor = next((m for m in monitors if m.user_id and m.user.username == "monitor"), None)
    for n, s in enumerate(stations):
        if s.organisation.code == "DB-HSG-01" and demo_monitor is not None:
            duties.append(Duty(station=s, person=demo_monitor, role=DutyRole.MONITOR))
        elif monitors and n % 5 == 0:
            others = [m for m in monitors if m is not demo_monitor] or monitors
            duties.append(Duty(station=s, person=others[n % len(others)], role=DutyRole.MONITOR))
    Duty.objects.bulk_create(duties)


def _rules_and_events(stations: list[Station], first: date, last: date) -> None:
    rules = []
    for n, s in enumerate(stations):
        rules.append(
            EventRule(
                station=s,
                kind=EventKind.RECEPTION_DAY,
                day_of_month=15,
                holiday_rule=HolidayRule.MOVE,
                starts_at=time(9, 0),
                place="联络站接待室",
            )
        )
        rules.append(
            EventRule(
                station=s,
                kind=EventKind.TUESDAY,
                holiday_rule=HolidayRule.SKIP if n % 4 == 3 else HolidayRule.MOVE,
                starts_at=time(9, 0),
                place="联络站议事厅",
            )
        )
    EventRule.objects.bulk_create(rules)
    is_workday = workcalendar.snapshot().is_workday
    today = timezone.localdate()
    rng = random.Random(17)  # noqa: S311 - demo data, reproducible
    events = []
    for r in rules:
        for day, moved in occurrences(
            r.kind, r.day_of_month, r.holiday_rule, first, last, is_workday
        ):
            held = day < today
            events.append(
                Event(
                    station_id=r.station_id,
                    rule=r,
                    kind=r.kind,
                    date=day,
                    moved_from=moved,
                    starts_at=r.starts_at,
                    place=r.place,
                    state=EventState.HELD if held else EventState.PLANNED,
                    attendance=rng.randint(5, 40) if held else 0,
                    record="接待群众，收集意见建议并现场答复。" if held else "",
                )
            )
    Event.objects.bulk_create(events, batch_size=2000)
    people: dict[int, list[int]] = {}
    for sid, pid in Duty.objects.values_list("station_id", "person_id"):
        people.setdefault(sid, []).append(pid)
    through = Event.on_duty.through
    rows = [
        through(event_id=eid, person_id=pid)
        for eid, sid in Event.objects.values_list("id", "station_id")
        for pid in people.get(sid, [])
    ]
    through.objects.bulk_create(rows, batch_size=5000)


def _bulk_opinions(stations: list[Station], clerk: object, today: date) -> None:
    """Two opinions at each reception day held (generated, no audit trail: demo background)."""
    rng = random.Random(2023)  # noqa: S311 - demo data, reproducible
    station_of = {s.pk: s for s in stations}

    token_cache = {m: " ".join(tokens(f"{m[0]} {m[1]}")) for m in MATTERS}
    opinions = []
    held = Event.objects.filter(state=EventState.HELD, kind=EventKind.RECEPTION_DAY).exclude(
        station__organisation__code="DB-HSG-01"
    )
    for e in held.values("id", "station_id", "date"):
        for _k in range(2):
            matter = MATTERS[rng.randrange(len(MATTERS))]
            way = rng.random()
            disposition = Disposition.ANSWERED if way < 0.6 else Disposition.DECLINED
            opinions.append(
                Opinion(
                    event_id=e["id"],
                    station=station_of[e["station_id"]],
                    year=e["date"].year,
                    topic=matter[0],
                    content=matter[1],
                    disposition=disposition,
                    answer="已当场解释相关政策。"
                    if disposition == Disposition.ANSWERED
                    else "属于民事纠纷，请通过诉讼途径解决。",
                    elsewhere="" if disposition == Disposition.ANSWERED else Elsewhere.LITIGATION,
                    search_tokens=token_cache[matter],
                    recorded_by=clerk,
                )
            )
    Opinion.objects.bulk_create(opinions, batch_size=2000)


def _demo_station_story(station: Station, users: dict, today: date) -> None:
    """The demo deputy's station, through the services: opinions at the last reception day
    (lifts, dog-keeping), one raised as his suggestion, one handed to the civil affairs bureau,
    one left open for 我的待办; the demo monitor's observation."""
    deputy, monitor = users["deputy"], users.get("monitor")
    e = (
        Event.objects.filter(station=station, kind=EventKind.RECEPTION_DAY, state=EventState.HELD)
        .order_by("-date")
        .first()
    )
    taken = []
    for topic, content, name, phone in (
        (
            "老旧小区加装电梯",
            "胜阳港老旧小区6栋老人多，希望加快加装电梯，协调一楼住户意见。",
            "刘桂兰",
            "13807230001",
        ),
        ("文明养犬", "小区遛狗不牵绳、犬只吠叫扰民，希望加强文明养犬管理和宣传。", "", ""),
        ("老旧小区加装电梯", "加装电梯的财政补贴怎么申请，流程不清楚。", "陈建国", "13807230002"),
        ("停车难", "小区门口晚上乱停车，堵住消防通道。", "", ""),
    ):
        taken.append(
            services.opinion_record(
                actor=deputy,
                event_id=e.pk,
                topic=topic,
                content=content,
                resident_name=name,
                resident_phone=phone,
                consent=bool(phone),
            )
        )
    lift, dogs, subsidy, _parking = taken
    services.opinion_raise(
        actor=deputy,
        opinion_id=lift.pk,
        version=lift.version,
        title="关于加快推进老旧小区加装电梯的建议",
        content="多个代表联络站群众反映老旧小区加装电梯难：一楼住户意见难统一、费用分摊无标准、"
        "补贴申请流程不清。建议出台加装电梯协调办法，简化审批，公开补贴申请流程。",
        category="urban_rural",
    )
    services.opinion_answer(
        actor=deputy,
        opinion_id=dogs.pk,
        version=dogs.version,
        answer="已向群众说明《黄石市养犬管理规定》，社区将开展文明养犬宣传。",
    )
    civil = Organisation.objects.get(code="ZF-MZ")
    services.opinion_hand(
        actor=deputy,
        opinion_id=subsidy.pk,
        version=subsidy.version,
        department_id=civil.pk,
        note="请答复加装电梯补贴的申请条件和流程。",
    )
    if monitor is not None:
        services.observation_report(
            actor=monitor,
            event_id=e.pk,
            subject_name="王某",
            subject_post="某街道办事处城管科科长",
            content="接待日上多名群众反映该科长对占道经营整治中收受摊贩财物，群众情绪较大。",
            observed_on=e.date,
        )


def recount(*, station_ids: list[int]) -> None:
    """Recompute the stations' tallies from their events and opinions (after bulk loads; the
    services keep them as they go)."""
    Tally.objects.filter(station_id__in=station_ids).delete()
    tallies: dict[tuple[int, int], Tally] = {}

    def tally(sid: int, year: int) -> Tally:
        return tallies.setdefault((sid, year), Tally(station_id=sid, year=year))

    for row in (
        Event.objects.filter(station_id__in=station_ids, state=EventState.HELD)
        .values("station_id", "date__year")
        .annotate(n=Count("id"), people=Sum("attendance"))
    ):
        t = tally(row["station_id"], row["date__year"])
        t.events_held, t.attendance = row["n"], row["people"] or 0
    for row in (
        Opinion.objects.filter(station_id__in=station_ids)
        .values("station_id", "year")
        .annotate(
            n=Count("id"),
            answered=Count("id", filter=Q(disposition=Disposition.ANSWERED)),
            handed=Count("id", filter=Q(handed_at__isnull=False)),
            on_time=Count("id", filter=Q(replied_on_time=True)),
            late=Count("id", filter=Q(replied_on_time=False)),
            raised=Count("id", filter=Q(disposition=Disposition.RAISED)),
            declined=Count("id", filter=Q(disposition=Disposition.DECLINED)),
        )
    ):
        t = tally(row["station_id"], row["year"])
        t.opinions, t.answered, t.handed = row["n"], row["answered"], row["handed"]
        t.replied_on_time, t.replied_late = row["on_time"], row["late"]
        t.raised, t.declined = row["raised"], row["declined"]
    Tally.objects.bulk_create(tallies.values())
