"""联督 livelihood projects at the issue's scale: 10 years × 30 projects × 20 indicators ×
monthly actuals with evidence (a photo each), then the figures page (p95 ≤ 100 ms) and a
project's page (p95 ≤ 50 ms), signed in as the congress clerk.

Scale down for a quick run: BENCH_LIVELIHOOD_YEARS (10), BENCH_LIVELIHOOD_PROJECTS (30),
BENCH_LIVELIHOOD_INDICATORS (20), BENCH_LIVELIHOOD_REQUESTS (40)."""

from __future__ import annotations

import os
import random
import time
from decimal import Decimal


def _env(name: str, default: int) -> int:
    return int(os.environ.get(f"BENCH_LIVELIHOOD_{name}", default))


def _pcts(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p50 = ordered[len(ordered) // 2]
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return p50 * 1000, p95 * 1000


def fill(years: int, n_projects: int, n_indicators: int) -> dict[str, object]:
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from wulian.accounts.models import User
    from wulian.core.attachments.models import Attachment
    from wulian.core.choices import OrgKind, Role
    from wulian.core.models import Membership, Organisation, Person
    from wulian.livelihood.choices import ActualState, CycleState, IndicatorKind
    from wulian.livelihood.models import Actual, Cycle, Indicator, Photo, Project

    rng = random.Random(2023)
    now = timezone.now()
    with transaction.atomic():
        body = Organisation.objects.create(
            kind=OrgKind.CONGRESS_BODY, code="BENCH-LV", name="人大常委会（基准）"
        )
        units = Organisation.objects.bulk_create(
            Organisation(kind=OrgKind.HANDLING_UNIT, code=f"BENCH-LVU{i}", name=f"责任单位{i}")
            for i in range(20)
        )
        clerk = User.objects.create(username="bench_lv_clerk", password=make_password(None))
        person = Person.objects.create(name="基准工作人员", user=clerk)
        Membership.objects.create(person=person, organisation=body, role=Role.STAFF)
        first = timezone.localdate().year - years
        cycles = Cycle.objects.bulk_create(
            Cycle(
                year=first + y,
                title=f"{first + y}年民生实事项目",
                organiser=body,
                state=CycleState.CLOSED,
                places=n_projects,
                deputies=400,
            )
            for y in range(years)
        )
        projects = Project.objects.bulk_create(
            Project(
                cycle=c,
                number=n + 1,
                title=f"{c.year}年民生实事项目{n + 1}",
                responsible=units[n % len(units)],
            )
            for c in cycles
            for n in range(n_projects)
        )
        kinds = list(IndicatorKind.values)
        plan = {str(m): str(100 * m) for m in range(1, 13)}
        indicators = Indicator.objects.bulk_create(
            (
                Indicator(
                    project=p,
                    position=k,
                    name=f"指标{k + 1}",
                    unit="个",
                    kind=kinds[k % len(kinds)],
                    target=Decimal(1200),
                    plan=plan,
                    actual=Decimal(rng.randint(1000, 1300)),
                    actual_in_use=Decimal(1200),
                    actual_month=12,
                )
                for p in projects
                for k in range(n_indicators)
            ),
            batch_size=5000,
        )
        ct = ContentType.objects.get_for_model(Actual)
        n_actuals = 0
        for start in range(0, len(indicators), 500):
            chunk = indicators[start : start + 500]
            actuals = Actual.objects.bulk_create(
                (
                    Actual(
                        indicator=i,
                        month=m,
                        value=Decimal(100 * m),
                        state=ActualState.VERIFIED,
                        reported_by=clerk,
                        reported_at=now,
                    )
                    for i in chunk
                    for m in range(1, 13)
                ),
                batch_size=5000,
            )
            atts = Attachment.objects.bulk_create(
                (
                    Attachment(
                        content_type=ct,
                        object_id=a.pk,
                        original_name=f"{a.pk}.jpg",
                        storage_name=f"bench/{a.pk}.jpg",
                        size=1000,
                        media_type="image/jpeg",
                        file_type="jpeg",
                        sm3="0" * 64,
                        uploaded_by=clerk,
                        uploaded_at=now,
                    )
                    for a in actuals
                ),
                batch_size=5000,
            )
            Photo.objects.bulk_create(
                (
                    Photo(actual=a, attachment=att, readable=True, taken_at=now)
                    for a, att in zip(actuals, atts, strict=True)
                ),
                batch_size=5000,
            )
            n_actuals += len(actuals)
    return {"clerk": clerk, "year": cycles[-1].year, "project": projects[-1], "actuals": n_actuals}


def _measure(client, url: str, n: int) -> tuple[float, float, int]:
    client.get(url)  # warm
    times = []
    status = 0
    for _ in range(n):
        started = time.perf_counter()
        status = client.get(url).status_code
        times.append(time.perf_counter() - started)
    p50, p95 = _pcts(times)
    return p50, p95, status


def run(args) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings
    from django.urls import reverse

    call_command("collectstatic", "--noinput", verbosity=0)  # as a deployment does
    years, projects = _env("YEARS", 10), _env("PROJECTS", 30)
    indicators, requests = _env("INDICATORS", 20), _env("REQUESTS", 40)
    started = time.perf_counter()
    data = fill(years, projects, indicators)
    print(
        f"fill: {years} years × {projects} projects × {indicators} indicators, "
        f"{data['actuals']:,} monthly actuals with a photo each, in "
        f"{time.perf_counter() - started:.1f} s"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    with override_settings(ALLOWED_HOSTS=["testserver", "127.0.0.1"]):
        client = Client()
        client.force_login(data["clerk"])
        url = reverse("livelihood:figures") + f"?year={data['year']}"
        p50, p95, status = _measure(client, url, requests)
        print(
            f"figures page ({projects * indicators} indicators): p50 {p50:.0f} ms, "
            f"p95 {p95:.0f} ms (HTTP {status}) — target p95 ≤ 100 ms"
        )
        url = reverse("livelihood:project_detail", args=[data["project"].pk])
        p50, p95, status = _measure(client, url, requests)
        print(
            f"project page ({indicators} indicators × 12 reports): p50 {p50:.0f} ms, "
            f"p95 {p95:.0f} ms (HTTP {status}) — target p95 ≤ 50 ms"
        )
        url = reverse("livelihood_api:figures") + f"?year={data['year']}"
        p50, p95, status = _measure(client, url, requests)
        print(f"figures API: p50 {p50:.0f} ms, p95 {p95:.0f} ms (HTTP {status})")
