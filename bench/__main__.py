"""`make bench`: the product's speed at the scale the issues name, on this machine.

    python -m bench                     # everything, on a fresh SQLite database under var/bench
    BENCH_DATABASE_URL=postgres://… python -m bench   # the same on PostgreSQL (throwaway db)
    python -m bench --only audit --events 200000
    BENCH_TODAY=2026-12-20 python -m bench --only deadlines   # as if on that day
    python -m bench --reuse --only dashboards   # again, on the data set the last run left

Each benchmark prints its figures; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(fresh_dir: Path, *, reuse: bool = False) -> None:
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnop")
    os.environ["WULIAN_VAR_DIR"] = str(fresh_dir)
    os.environ.setdefault("WULIAN_HTTPS", "false")
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wulian.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if os.environ.get("BENCH_DATABASE_URL") and not reuse:
        call_command("flush", "--noinput", verbosity=0) if _has_tables() else None
    call_command("migrate", "--noinput", verbosity=0)
    # Encrypted fields (a clue's content, a dossier's text, an observation) need the site's
    # field key: one made for this throwaway data set.
    if not (fresh_dir / "keys" / "field-sm4.key").exists():
        call_command("keys", "generate", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _has_tables() -> bool:
    from django.db import connection

    return "core_auditevent" in connection.introspection.table_names()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--only", action="append", help="run only these benchmarks")
    parser.add_argument("--events", type=int, default=1_000_000, help="audit chain length")
    parser.add_argument("--deadlines", type=int, default=100_000, help="open deadlines to sweep")
    parser.add_argument(
        "--scale",
        type=int,
        default=None,
        help="suggestions to generate (default 1,000,000 on PostgreSQL, 100,000 on SQLite)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the last run's data set (var/bench and the database) instead of starting "
        "afresh: a second measurement at 1,000,000 without generating it again",
    )
    args = parser.parse_args()

    today = os.environ.get("BENCH_TODAY", "").strip()
    if today:
        # As if on that day (e.g. BENCH_TODAY=2026-12-20 for the calendar completion's figure:
        # working-day deadlines reach into next year only in December).
        import time_machine

        time_machine.travel(f"{today}T10:00:00+08:00", tick=True).start()
    fresh = ROOT / "var" / "bench"
    if fresh.exists() and not args.reuse:
        shutil.rmtree(fresh)
    fresh.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    setup_django(fresh, reuse=args.reuse)
    from django.db import connection

    from bench import registry

    print(f"# Wulian benchmarks — database: {connection.vendor}; python {sys.version.split()[0]}")
    for name, fn in registry.BENCHMARKS.items():
        if args.only and name not in args.only:
            continue
        print(f"\n## {name}")
        fn(args)
    print(f"\n(total {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
