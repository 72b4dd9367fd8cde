"""联商 (issue 19): ten years of both sides' records.

- data: per year BENCH_CONSULTATION_MATTERS (default 300) matters of each side (a mix of
  共享 / 本方内部 / 限本单位), four joint meetings held, BENCH_CONSULTATION_ANALYSES (default 4)
  joint analyses of 2,000 imported rows each — ten years (BENCH_CONSULTATION_YEARS);
- the register page and the figures page (one year and all years), in process through Django's
  test Client signed in as congress staff: p50 / p95 of BENCH_CONSULTATION_SAMPLES requests
  (target p95 ≤ 100 ms);
- the import of BENCH_CONSULTATION_IMPORT_ROWS (default 20,000) audit rows as a background job
  (queued, then the worker's run with its progress counter): under 60 s.
Scale down for a quick run, e.g. BENCH_CONSULTATION_YEARS=2 BENCH_CONSULTATION_IMPORT_ROWS=2000.
"""

from __future__ import annotations

import io
import os
import statistics
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

SH = ZoneInfo("Asia/Shanghai")


def _env(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _world():
    from wulian.accounts.models import User
    from wulian.core.choices import OrgKind, Role
    from wulian.core.models import Membership, Organisation, Person

    congress = Organisation.objects.create(
        kind=OrgKind.CONGRESS_BODY, code="C-RD", name="监察司法工委"
    )
    cdi = Organisation.objects.create(kind=OrgKind.CDI, code="C-JW", name="党风政风监督室")
    users = {}
    for name, org in (("c_clerk", congress), ("c_cdi", cdi)):
        user = User.objects.create_user(username=name, password="bench-only")  # noqa: S106
        person = Person.objects.create(name=name, user=user)
        Membership.objects.create(person=person, organisation=org, role=Role.STAFF)
        users[name] = user
    return congress, cdi, users


def _generate(congress, cdi, user, years: int, per_year: int, analyses: int) -> None:
    from wulian.consultation.models import Analysis, AuditItem, Matter
    from wulian.core.activities.models import Activity

    sens = ("shared", "internal", "restricted")
    kinds = ("work_points", "supervision_plan", "campaign", "report_hearing", "other")
    first = date.today().year - years
    matters, activities = [], []
    for y in range(first, first + years):
        for side, org in (("congress", congress), ("cdi", cdi)):
            for i in range(per_year):
                start = date(y, 1 + i % 12, 1)
                matters.append(
                    Matter(
                        owner_org=org, side=side, kind=kinds[i % 5], title=f"{y}年{side}事项{i}",
                        year=y, starts_on=start, ends_on=start + timedelta(days=60),
                        sensitivity=sens[i % 3], status="done", created_by=user,
                    )
                )  # fmt: skip
        for q in range(4):
            activities.append(
                Activity(
                    kind="joint_meeting", title=f"{y}年第{q + 1}季度联席会议",
                    starts_at=datetime(y, 3 * q + 2, 10, 9, tzinfo=SH), organiser=congress,
                    sensitivity="internal", state="held", created_by=user,
                )
            )  # fmt: skip
    Matter.objects.bulk_create(matters, batch_size=2000)
    Activity.objects.bulk_create(activities, batch_size=2000)
    items = []
    for y in range(first, first + years):
        for a in range(analyses):
            analysis = Analysis.objects.create(
                title=f"{y}年审计整改联合研判{a}", subject="audit", year=y,
                lead_org=congress, partner_org=cdi, created_by=user,
            )  # fmt: skip
            items.extend(
                AuditItem(
                    analysis=analysis,
                    batch=1,
                    row=r + 2,
                    unit_name=f"单位{r % 50}",
                    category="预算执行",
                    problem=f"问题{r}",
                    status=("rectified", "in_progress")[r % 2],
                )
                for r in range(2000)
            )
            if len(items) >= 20000:
                AuditItem.objects.bulk_create(items, batch_size=5000)
                items = []
    AuditItem.objects.bulk_create(items, batch_size=5000)
    print(
        f"data: {len(matters):,} matters, {len(activities):,} joint meetings, "
        f"{years * analyses:,} analyses × 2,000 rows over {years} years"
    )


def _timed(client, url: str, samples: int) -> tuple[float, float, int]:
    client.get(url)
    took = []
    status = 0
    for _ in range(samples):
        t = time.perf_counter()
        status = client.get(url).status_code
        took.append((time.perf_counter() - t) * 1000)
    took.sort()
    return statistics.median(took), took[max(0, int(len(took) * 0.95) - 1)], status


def _workbook(rows: int) -> bytes:
    from openpyxl import Workbook

    from wulian.consultation.services.imports import COLUMNS, SHEET

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    ws.append([name for _k, name, _r in COLUMNS])
    for i in range(rows):
        status = "已整改" if i % 3 else "整改中"
        ws.append(
            [f"单位{i % 80}", "", "预算执行", f"问题{i}", "12.5", "按期", "2027-06-30", status]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run(args) -> None:
    from django.test import Client, override_settings

    from wulian.consultation.models import Analysis, AuditItem
    from wulian.core import background
    from wulian.core.access import actor_for
    from wulian.core.models import BackgroundTask

    years = _env("BENCH_CONSULTATION_YEARS", 10)
    per_year = _env("BENCH_CONSULTATION_MATTERS", 300)
    analyses = _env("BENCH_CONSULTATION_ANALYSES", 4)
    samples = _env("BENCH_CONSULTATION_SAMPLES", 40)
    rows = _env("BENCH_CONSULTATION_IMPORT_ROWS", 20_000)
    congress, cdi, users = _world()
    t = time.perf_counter()
    _generate(congress, cdi, users["c_clerk"], years, per_year, analyses)
    print(f"generated in {time.perf_counter() - t:.1f} s")
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)  # the manifest the pages name
    year = date.today().year - 1
    with override_settings(ALLOWED_HOSTS=["testserver", "127.0.0.1"]):
        client = Client()
        client.force_login(users["c_clerk"])
        for label, url in (
            ("register page", "/consultation/"),
            ("register page, one year", f"/consultation/?year={year}"),
            ("calendar of a year", f"/consultation/calendar/?year={year}"),
            ("figures of a year", f"/consultation/figures/?year={year}"),
            ("figures, all years", "/consultation/figures/"),
            ("figures API of a year", f"/api/v1/consultation/figures/?year={year}"),
        ):
            p50, p95, status = _timed(client, url, samples)
            print(
                f"{label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms (target p95 ≤ 100 ms; HTTP {status})"
            )
    analysis = Analysis.objects.create(
        title="导入基准", subject="audit", year=year, lead_org=congress, partner_org=cdi,
        created_by=users["c_clerk"],
    )  # fmt: skip
    data = _workbook(rows)
    before = AuditItem.objects.count()
    t = time.perf_counter()
    task = background.import_start(
        actor=actor_for(users["c_clerk"]), kind="consultation.audit_import", title="导入基准",
        data=data, params={"analysis_id": analysis.pk, "filename": "bench.xlsx"},
        total=background.workbook_rows(data),
    )  # fmt: skip
    background.run_one()
    took = time.perf_counter() - t
    task = BackgroundTask.objects.get(pk=task.pk)
    added = AuditItem.objects.count() - before
    print(
        f"import of {rows:,} audit rows as a background job: {took:.1f} s (target < 60 s); "
        f"task {task.state} ({task.message[:80]}), progress {task.done:,}/{task.total:,}; "
        f"rows written {added:,}"
    )
