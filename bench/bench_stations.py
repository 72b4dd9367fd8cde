"""Liaison stations (issue 17): 225 stations × 3 years of weekly events × 20 opinions each
(35,100 events, 702,000 opinions at full scale).

- the stations' figures page (`/stations/figures/`, all years, a year, a district by station)
  over the test client, signed in as congress staff — p95 of 40 requests each; target ≤ 100 ms;
- an opinion recorded (`opinion_record`, the service the phone form calls: check, insert,
  tally, audit) — p95 of 200; target ≤ 50 ms; and the same through the page's POST.

`BENCH_STATIONS_SCALE` (default 1.0) scales the weeks: 0.05 is a quick run (~35,000 opinions).
The figures read the stations' tallies (225 rows a year), so their time does not grow with the
opinions; the load is in building the data set.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import date, timedelta
from datetime import time as dtime

STATIONS = 225
WEEKS = 156
OPINIONS_PER_EVENT = 20


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


def _build(weeks: int):
    from django.utils import timezone

    from wulian.accounts.models import User
    from wulian.core.choices import OrgKind, Role
    from wulian.core.models import Membership, Organisation, Person
    from wulian.stations.choices import District, DutyRole, EventKind, EventState
    from wulian.stations.demo import recount
    from wulian.stations.models import Duty, Event, Opinion, Station

    body, _new = Organisation.objects.get_or_create(
        code="B-DBGW", defaults={"kind": OrgKind.CONGRESS_BODY, "name": "代表工委"}
    )
    clerk = User.objects.create(username="bench_station_clerk", password_changed_at=timezone.now())
    Membership.objects.create(
        person=Person.objects.create(name="bench clerk", user=clerk),
        organisation=body,
        role=Role.STAFF,
    )
    districts = District.values
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                kind=OrgKind.LIAISON_STATION, code=f"B-ST-{i:03d}", name=f"联络站{i}", parent=body
            )
            for i in range(STATIONS)
        ]
    )
    stations = Station.objects.bulk_create(
        [
            Station(organisation=o, district=districts[i % len(districts)], address="x")
            for i, o in enumerate(orgs)
        ]
    )
    deputy_user = User.objects.create(
        username="bench_station_deputy", password_changed_at=timezone.now()
    )
    deputy = Person.objects.create(name="bench deputy", user=deputy_user)
    Membership.objects.create(person=deputy, organisation=orgs[0], role=Role.DEPUTY)
    Duty.objects.create(station=stations[0], person=deputy, role=DutyRole.DEPUTY)
    start = date.today() - timedelta(weeks=weeks)
    t0 = time.perf_counter()
    events = [
        Event(
            station=s,
            kind=EventKind.TUESDAY,
            date=start + timedelta(weeks=w),
            starts_at=dtime(9),
            place="x",
            state=EventState.HELD,
            attendance=20,
        )
        for s in stations
        for w in range(weeks)
    ]
    Event.objects.bulk_create(events, batch_size=5000)
    total = 0
    batch: list[Opinion] = []
    for e in events:
        for k in range(OPINIONS_PER_EVENT):
            batch.append(
                Opinion(
                    event_id=e.pk,
                    station_id=e.station_id,
                    year=e.date.year,
                    topic="老旧小区加装电梯" if k % 2 else "文明养犬",
                    content="群众意见",
                    disposition="answered" if k % 3 else "open",
                    recorded_by=clerk,
                )
            )
        if len(batch) >= 20_000:
            Opinion.objects.bulk_create(batch, batch_size=5000)
            total += len(batch)
            batch = []
    Opinion.objects.bulk_create(batch, batch_size=5000)
    total += len(batch)
    recount(station_ids=[s.pk for s in stations])
    print(
        f"built {len(stations)} stations, {len(events):,} events, {total:,} opinions "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    return clerk, deputy_user, stations[0], events


def run(args) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from wulian.stations import services

    call_command("collectstatic", "--noinput", verbosity=0)  # the manifest the pages name
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test Client's host
    scale = float(os.environ.get("BENCH_STATIONS_SCALE", "1.0"))
    weeks = max(2, round(WEEKS * scale))
    clerk, deputy, station, events = _build(weeks)
    client = Client()
    client.force_login(clerk)
    year = events[-1].date.year
    for label, url in (
        ("all years", "/stations/figures/"),
        (f"{year}", f"/stations/figures/?year={year}"),
        (f"{year}, one district by station", f"/stations/figures/?year={year}&district=daye"),
    ):
        warm = client.get(url)
        assert warm.status_code == 200, (warm.status_code, warm.get("Location"))
        samples = []
        for _i in range(40):
            t = time.perf_counter()
            r = client.get(url)
            samples.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200
        print(
            f"figures page ({label}, {connection.vendor}): "
            f"p50 {statistics.median(samples):.1f} ms, "
            f"p95 {_p95(samples):.1f} ms (target ≤ 100 ms)"
        )
    event = next(e for e in reversed(events) if e.station_id == station.pk)
    samples = []
    for i in range(200):
        t = time.perf_counter()
        services.opinion_record(
            actor=deputy,
            event_id=event.pk,
            topic=f"加装电梯{i}",
            content="楼里老人多，希望加装电梯。",
        )
        samples.append((time.perf_counter() - t) * 1000)
    print(
        f"opinion recorded (service, {connection.vendor}): "
        f"p50 {statistics.median(samples):.1f} ms, "
        f"p95 {_p95(samples):.1f} ms (target ≤ 50 ms)"
    )
    phone = Client()
    phone.force_login(deputy)
    url = f"/stations/events/{event.pk}/opinions/"
    samples = []
    for i in range(100):
        t = time.perf_counter()
        r = phone.post(url, {"topic": f"文明养犬{i}", "content": "遛狗不牵绳。"})
        samples.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 302, r.status_code
    print(
        f"opinion recorded (page POST + redirect, {connection.vendor}): "
        f"p50 {statistics.median(samples):.1f} ms, p95 {_p95(samples):.1f} ms"
    )
