"""`make profile URL=/suggestions/ USER=congress_clerk`: where one page's server time goes.

Requests the URL in process (Django's test Client, signed in as USER, second factor marked
verified) N times on the demo database (`var/`, `make run`'s) or on the bench's generated one
(DB=bench: `var/bench_reuse`, written by `python -m bench.profile --generate 100000`), and
prints the in-process time (median and min: the machine is shared, the min is the floor; and
the thread's CPU time, which other processes on the machine disturb far less), the
SQL time and count, and the template costs: each template's inclusive and own time, the node
renders and variable lookups, and the top functions under django/template by cProfile.

    python -m bench.profile /suggestions/ --user congress_clerk [--n 50] [--db bench|demo]
    python -m bench.profile --generate 100000      # the bench data set into var/bench_reuse
    python -m bench.profile --db bench --pages     # the bench's in-process page figures
    python -m bench.profile --db bench --http      # the same pages over HTTP (gunicorn ×2),
                                                   # then 1–8 clients on the ledger (pages/s)
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def setup(db: str) -> None:
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnop")
    os.environ.setdefault("WULIAN_HTTPS", "false")
    if db == "bench":
        os.environ["WULIAN_VAR_DIR"] = str(ROOT / "var" / "bench_reuse")
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("WULIAN_VAR_DIR", str(ROOT / "var"))
    Path(os.environ["WULIAN_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wulian.settings")
    import django

    django.setup()


def client_for(username: str) -> Any:
    """A test Client signed in as `username`, second factor marked verified."""
    from django.test import Client

    from wulian.accounts.models import User

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    try:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user).first()
        if device is not None:
            from django_otp import DEVICE_ID_SESSION_KEY

            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
    except ImportError:  # pragma: no cover
        pass
    return client


@contextmanager
def sql_timer():
    """Counts and times every statement (the wrapper's own cost is a few µs a statement)."""
    from django.db import connection

    stats = {"n": 0, "s": 0.0}

    def wrapper(execute, sql, params, many, context):
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            stats["s"] += time.perf_counter() - t
            stats["n"] += 1

    with connection.execute_wrapper(wrapper):
        yield stats


def timed(client: Any, url: str, n: int, warm: int = 3) -> dict[str, Any]:
    """In-process time of `n` GETs of `url` (after `warm` untimed ones): median, min, SQL."""
    from django.test import override_settings

    with override_settings(ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"]):
        status = None
        for _ in range(warm):
            status = client.get(url).status_code
        walls, cpus, sqls, counts = [], [], [], []
        for _ in range(n):
            with sql_timer() as q:
                c = time.thread_time()
                t = time.perf_counter()
                response = client.get(url)
                walls.append(time.perf_counter() - t)
                cpus.append(time.thread_time() - c)
            sqls.append(q["s"])
            counts.append(q["n"])
            status = response.status_code
    return {
        "status": status,
        "median_ms": statistics.median(walls) * 1000,
        "min_ms": min(walls) * 1000,
        "cpu_ms": statistics.median(cpus) * 1000,
        "cpu_min_ms": min(cpus) * 1000,
        "sql_ms": statistics.median(sqls) * 1000,
        "sql_min_ms": min(sqls) * 1000,
        "queries": statistics.median_low(counts),
        "bytes": len(response.content),
    }


def line(label: str, r: dict[str, Any]) -> str:
    return (
        f"{label}: median {r['median_ms']:.1f} ms, min {r['min_ms']:.1f} ms in process "
        f"(CPU median {r['cpu_ms']:.1f} ms, min {r['cpu_min_ms']:.1f} ms); "
        f"SQL {r['sql_ms']:.2f} ms in {r['queries']} queries; HTTP {r['status']}, "
        f"{r['bytes'] / 1024:.0f} KB"
    )


@contextmanager
def template_costs():
    """Per template: renders, inclusive and own seconds; node renders, variable lookups."""
    from django.template import base

    own: dict[str, float] = defaultdict(float)
    incl: dict[str, float] = defaultdict(float)
    calls: Counter = Counter()
    counts = Counter()
    stack: list[list[Any]] = []
    original_render = base.Template._render
    original_annotated = base.Node.render_annotated
    original_lookup = base.Variable._resolve_lookup

    def _render(self, context):
        name = self.origin.template_name or self.origin.name or "<string>"
        calls[name] += 1
        frame = [name, 0.0]
        stack.append(frame)
        t = time.perf_counter()
        try:
            return original_render(self, context)
        finally:
            spent = time.perf_counter() - t
            stack.pop()
            own[name] += spent - frame[1]
            if name not in (f[0] for f in stack):
                incl[name] += spent
            if stack:
                stack[-1][1] += spent

    def render_annotated(self, context):
        counts["node renders"] += 1
        return original_annotated(self, context)

    def _resolve_lookup(self, context):
        counts["variable lookups"] += 1
        return original_lookup(self, context)

    base.Template._render = _render
    base.Node.render_annotated = render_annotated
    base.Variable._resolve_lookup = _resolve_lookup
    result = {"own": own, "incl": incl, "calls": calls, "counts": counts}
    try:
        yield result
    finally:
        base.Template._render = original_render
        base.Node.render_annotated = original_annotated
        base.Variable._resolve_lookup = original_lookup


def profile(url: str, username: str, n: int, top: int = 15) -> None:
    from django.test import override_settings

    client = client_for(username)
    r = timed(client, url, n)
    print(line(f"GET {url} as {username} ×{n}", r))
    with override_settings(ALLOWED_HOSTS=["testserver"]), template_costs() as costs:
        client.get(url)
    counts = costs["counts"]
    print(
        f"templates (one request, timers on): {counts['node renders']:,} node renders, "
        f"{counts['variable lookups']:,} variable lookups"
    )
    print(f"  {'template':<52} {'renders':>7} {'incl ms':>8} {'own ms':>7}")
    for name, spent in sorted(costs["own"].items(), key=lambda kv: -kv[1])[:top]:
        print(
            f"  {name:<52} {costs['calls'][name]:>7} {costs['incl'][name] * 1000:>8.2f} "
            f"{spent * 1000:>7.2f}"
        )
    prof = cProfile.Profile()
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        prof.enable()
        for _ in range(5):
            client.get(url)
        prof.disable()
    stats = pstats.Stats(prof)
    rows = []
    for (path, lineno, fn), (_cc, nc, tt, ct, _callers) in stats.stats.items():
        if "django/template" in path or "templatetags" in path or "wulian" in path:
            short = path.split("site-packages/")[-1].split("src/")[-1]
            rows.append((tt / 5, ct / 5, nc // 5, f"{short}:{lineno}({fn})"))
    total = sum(tt for (_p, _l, _f), (_c, _n, tt, _ct, _cl) in stats.stats.items()) / 5
    print(f"cProfile (5 requests, per request; total {total * 1000:.1f} ms under the profiler)")
    print(f"  {'own ms':>7} {'cum ms':>7} {'calls':>7}  function (django/template, wulian)")
    for tt, ct, nc, name in sorted(rows, reverse=True)[:top]:
        print(f"  {tt * 1000:>7.2f} {ct * 1000:>7.2f} {nc:>7}  {name}")


def stable(client: Any, url: str, n: int = 40) -> dict[str, Any]:
    """What a loaded machine does not move: the SQL statements, the template node renders and
    variable lookups, the Python function calls (cProfile's total) of one request, and the
    median/min of the process's CPU time (`time.process_time`) over `n` requests."""
    from django.test import override_settings

    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for _ in range(3):
            status = client.get(url).status_code
        with sql_timer() as q, template_costs() as costs:
            client.get(url)
        prof = cProfile.Profile()
        prof.enable()
        client.get(url)
        prof.disable()
        cpus = []
        for _ in range(n):
            c = time.process_time()
            client.get(url)
            cpus.append(time.process_time() - c)
    return {
        "status": status,
        "queries": q["n"],
        "nodes": costs["counts"]["node renders"],
        "lookups": costs["counts"]["variable lookups"],
        "calls": pstats.Stats(prof).total_calls,
        "cpu_ms": statistics.median(cpus) * 1000,
        "cpu_min_ms": min(cpus) * 1000,
    }


def stable_line(label: str, r: dict[str, Any]) -> str:
    return (
        f"{label}: {r['queries']} queries, {r['nodes']:,} node renders, {r['lookups']:,} "
        f"variable lookups, {r['calls']:,} function calls; process CPU median "
        f"{r['cpu_ms']:.1f} ms, min {r['cpu_min_ms']:.1f} ms (HTTP {r['status']})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("url", nargs="?", default="/suggestions/")
    parser.add_argument("--user", default=os.environ.get("PROFILE_USER") or "congress_clerk")
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--db", choices=("demo", "bench"), default="demo")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--generate", type=int, default=0, help="write the bench data set")
    parser.add_argument(
        "--pages", action="store_true", help="the bench's in-process page figures (DB=bench)"
    )
    parser.add_argument(
        "--http", action="store_true", help="the pages over HTTP and 1–8 clients (DB=bench)"
    )
    parser.add_argument(
        "--stable",
        action="store_true",
        help="only what load does not move: queries, node renders, lookups, calls, CPU",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for --http")
    parser.add_argument("--seconds", type=float, default=10, help="each throughput run, --http")
    args = parser.parse_args()
    setup("bench" if args.generate else args.db)
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # the manifest the pages name
    if args.generate:
        from bench import bench_suggestions

        data = bench_suggestions.generate(args.generate)
        print(f"generated {args.generate:,} suggestions in {data['seconds']:.0f} s")
        return
    from wulian.accounts.models import User

    if args.pages or args.http:
        from bench import bench_suggestions

        clerk = User.objects.get(username="bench_clerk")
        if args.pages:
            bench_suggestions.measure_in_process({"clerk": clerk}, args.n)
        if args.http:
            bench_suggestions.measure_pages_http(
                {"clerk": clerk}, args.workers, args.n, args.seconds
            )
        return
    if not User.objects.filter(username=args.user).exists():
        sys.exit(
            f"no user {args.user!r} in this database ("
            + (
                "`python -m bench.profile --generate 100000` first; the clerk is bench_clerk)"
                if args.db == "bench"
                else "`make run` or `wulian demo_seed` first)"
            )
        )
    if args.stable:
        client = client_for(args.user)
        for url in args.url.split(","):
            print(stable_line(f"GET {url} as {args.user}", stable(client, url, args.n)))
        return
    profile(args.url, args.user, args.n, args.top)


if __name__ == "__main__":
    main()
