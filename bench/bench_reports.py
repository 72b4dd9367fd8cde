"""Reports across the links (issue 20) at the issue's scale: 1,000,000 suggestions on PostgreSQL
plus every link's bench data. Runs last in `make bench`, so it meets what the other benchmarks
generated; run alone (`python -m bench --only reports`) it generates the suggestions
(`--scale`, default 1,000,000 on PostgreSQL, 100,000 on SQLite) and a small livelihood set.

Measured in process (Django's client, signed in as a congress-side desk, so that every link's
section is counted): a department's profile page (p95 ≤ 150 ms), the ranking page, the annual
report's page and its .docx (≤ 5 s), and each role's dashboard when the dashboards exist.
BENCH_REPORTS_REQUESTS (20) sets the samples per page."""

from __future__ import annotations

import contextlib
import os
import time
from typing import Any


def _pcts(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p50 = ordered[len(ordered) // 2]
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return p50 * 1000, p95 * 1000


def _measure(client: Any, url: str, n: int) -> tuple[float, float, int]:
    client.get(url)  # warm
    times, status = [], 0
    for _ in range(n):
        started = time.perf_counter()
        status = client.get(url).status_code
        times.append(time.perf_counter() - started)
    p50, p95 = _pcts(times)
    return p50, p95, status


def _ensure_data(args: Any) -> None:
    from django.db import connection

    from wulian.livelihood.models import Project
    from wulian.suggestions.models import Suggestion

    if not Suggestion.objects.exists():
        from bench import bench_suggestions

        scale = getattr(args, "scale", None) or (
            1_000_000 if connection.vendor == "postgresql" else 100_000
        )
        print(f"generating {scale:,} suggestions …", flush=True)
        bench_suggestions.generate(scale)
    if not Project.objects.exists():
        from bench import bench_livelihood

        bench_livelihood.fill(3, 10, 5)


def _desk_user() -> Any:
    """A congress-side desk (staff or leader): the reader who sees every link's section."""
    from wulian.core.choices import CONGRESS_SIDE, Role
    from wulian.core.models import Membership

    m = (
        Membership.objects.filter(
            is_active=True,
            role__in=[Role.STAFF, Role.LEADER],
            organisation__kind__in=CONGRESS_SIDE,
            person__user__isnull=False,
        )
        .select_related("person__user")
        .order_by("pk")
        .first()
    )
    return m.person.user if m else None


def _busiest() -> tuple[int, int]:
    """The department that leads the most suggestions, and the newest year with suggestions."""
    from django.db.models import Count

    from wulian.suggestions.models import Suggestion

    row = (
        Suggestion.objects.exclude(lead_unit__isnull=True)
        .values("lead_unit")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    year = (
        Suggestion.objects.order_by("-session__year").values_list("session__year", flat=True)
    ).first()
    return row["lead_unit"], year


def run(args: Any) -> None:
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.urls import NoReverseMatch, reverse

    from wulian.reports import annual

    call_command("collectstatic", "--noinput", verbosity=0)  # as a deployment does
    requests = int(os.environ.get("BENCH_REPORTS_REQUESTS", "20"))
    _ensure_data(args)
    user = _desk_user()
    if user is None:
        print("no congress-side desk account in this data set")
        return
    department, year = _busiest()
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    with override_settings(ALLOWED_HOSTS=["testserver", "127.0.0.1"]):
        client = Client()
        client.force_login(user)
        pages = [
            (
                "a department's profile (the busiest lead unit)",
                reverse("reports:profile", args=[department]) + f"?year={year}",
                "p95 ≤ 150 ms",
            ),
            ("the ranking (on time)", reverse("reports:ranking") + f"?year={year}", ""),
            ("the annual report's page", reverse("reports:annual") + f"?year={year}", ""),
        ]
        with contextlib.suppress(NoReverseMatch):
            pages.append(
                ("the dashboard", reverse("reports:dashboard") + f"?year={year}", "p95 ≤ 150 ms")
            )
        for label, url, target in pages:
            p50, p95, status = _measure(client, url, requests)
            print(
                f"{label}: p50 {p50:.0f} ms, p95 {p95:.0f} ms (HTTP {status})"
                + (f" — target {target}" if target else "")
            )
        started = time.perf_counter()
        body = annual.to_docx(annual.build(year))
        seconds = time.perf_counter() - started
        print(
            f"the annual report for {year} as .docx ({len(body) // 1024} KiB): {seconds:.2f} s"
            " — target ≤ 5 s"
        )
