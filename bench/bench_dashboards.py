"""Dashboards per role (issue 20, item 2; ADR 0031): each role's dashboard, in process (Django's
test Client), over the suggestions' and the evaluations' bench data: p50 and p95 of
BENCH_DASHBOARD_SAMPLES requests (default 40) for the default range of five years.
Target (issue 20): p95 ≤ 150 ms each at 1,000,000 suggestions on PostgreSQL plus every link's
bench data.

Run after the suggestions' and the evaluations' benchmarks (`make bench` runs them first), it
reads their data; alone (`python -m bench --only dashboards`) it writes them itself, at
`--scale` suggestions (default BENCH_DASHBOARD_SCALE, 20,000) and BENCH_EVALUATION_YEARS ×
BENCH_EVALUATION_DEPARTMENTS evaluations (defaults 6 × 30 here)."""

from __future__ import annotations

import os
import time
from typing import Any


def _env(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _data(args: Any) -> None:
    from pathlib import Path

    from django.conf import settings

    from wulian.accounts.models import User
    from wulian.core import crypto

    if not Path(settings.FIELD_KEY_FILE).exists():  # a fresh bench directory has no key yet
        crypto.write_field_key_file(settings.FIELD_KEY_FILE)
        crypto.reset_field_keyring(None)

    if not User.objects.filter(username="bench_clerk").exists():
        from bench import bench_suggestions

        scale = getattr(args, "scale", None) or _env("BENCH_DASHBOARD_SCALE", 20_000)
        started = time.perf_counter()
        bench_suggestions.generate(scale)
        print(f"generated {scale:,} suggestions in {time.perf_counter() - started:.1f} s")
    if not User.objects.filter(username="bench_eval_clerk").exists():
        from bench import bench_evaluation

        years = _env("BENCH_EVALUATION_YEARS", 6)
        departments = _env("BENCH_EVALUATION_DEPARTMENTS", 30)
        bench_evaluation._generate(years, departments)
        print(f"generated {years} years × {departments} departments' evaluations")


def _viewers() -> dict[str, str]:
    """A user per role: the suggestions' clerk (congress side) and supervision office, a
    liaison of the busiest unit, a clue officer of a CDI."""
    from django.db.models import Count

    from wulian.accounts.models import User
    from wulian.core.choices import OrgKind, Role
    from wulian.core.models import Membership, Organisation, Person
    from wulian.suggestions.models import Suggestion

    def seat(username: str, org: Organisation, role: str) -> None:
        if User.objects.filter(username=username).exists():
            return
        user = User.objects.create(username=username)
        person = Person.objects.create(name=username, user=user)
        Membership.objects.create(person=person, organisation=org, role=role)

    unit_id = (
        Suggestion.objects.filter(lead_unit__isnull=False)
        .values("lead_unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("lead_unit_id", flat=True)
        .first()
    )
    unit = Organisation.objects.get(pk=unit_id)
    seat("bench_unit", unit, Role.LIAISON)
    cdi = Organisation.objects.filter(kind=OrgKind.CDI).first() or Organisation.objects.create(
        kind=OrgKind.CDI, code="D-JW", name="市纪委监委"
    )
    seat("bench_cdi_clue", cdi, Role.CLUE_OFFICER)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    officer = User.objects.get(username="bench_cdi_clue")  # a clue officer signs in with TOTP
    TOTPDevice.objects.get_or_create(user=officer, defaults={"name": "bench", "confirmed": True})
    return {
        "congress": "bench_clerk",
        "government": "bench_gov",
        "department": "bench_unit",
        "cdi": "bench_cdi_clue",
    }


def _cold(client: Any, url: str, n: int) -> tuple[float, float]:
    """p50 and p95 of looks with nothing kept (the cache emptied before each)."""
    from django.core.cache import cache
    from django.test import override_settings

    from bench.bench_evaluation import _pcts

    walls = []
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for _ in range(n):
            cache.clear()
            started = time.perf_counter()
            client.get(url)
            walls.append(time.perf_counter() - started)
    return _pcts(walls)


def run(args: Any) -> None:
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import override_settings

    from bench import profile
    from bench.bench_evaluation import _measure

    call_command("collectstatic", "--noinput", verbosity=0)  # the manifest the pages name
    _data(args)
    n = _env("BENCH_DASHBOARD_SAMPLES", 40)
    load = os.getloadavg()
    for role, username in _viewers().items():
        client = profile.client_for(username)
        url = f"/reports/dashboard/?role={role}"
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            client.get(url)
            cache.clear()
            with profile.sql_timer() as queries:
                client.get(url)
        cold50, cold95 = _cold(client, url, max(5, n // 4))
        p50, p95, status = _measure(client, [url], n)
        with override_settings(ALLOWED_HOSTS=["testserver"]), profile.sql_timer() as kept:
            client.get(url)
        verdict = "ok" if p95 <= 150 else "ABOVE TARGET"
        print(
            f"in process: {role} dashboard (5 years): p50 {p50:.1f} ms, p95 {p95:.1f} ms over "
            f"{n} requests, {kept['n']} queries with the counts kept (HTTP {status}; target "
            f"p95 ≤ 150 ms at full scale: {verdict}); counted afresh (the first look after a "
            f"recorded change): p50 {cold50:.1f} ms, p95 {cold95:.1f} ms, {queries['n']} "
            f"queries; load {load[0]:.2f} {load[1]:.2f}"
        )
