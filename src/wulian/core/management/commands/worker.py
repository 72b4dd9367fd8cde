"""`wulian worker`: run the periodic jobs in a loop (the embedded tier's background worker)."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections


class Command(BaseCommand):
    help = "Run the background jobs (deadline sweeps, notification delivery, audit checkpoints)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once and exit")
        parser.add_argument("--only", action="append", help="run only these jobs")
        parser.add_argument(
            "--tick", type=float, default=5.0, help="seconds between checks (default 5)"
        )

    def handle(self, *args, once: bool = False, only=None, tick: float = 5.0, **options):
        from wulian.core import jobs

        selected = {n: j for n, j in jobs.registered().items() if not only or n in only}
        if once:
            for name in selected:
                result = jobs.run(name)
                self.stdout.write(f"{name}: {result}")
            return
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        last_run: dict[str, float] = {}
        self.stdout.write(f"worker: {', '.join(selected) or 'no jobs registered'}")
        while not stopping:
            now = time.monotonic()
            for name, entry in selected.items():
                if now - last_run.get(name, -1e9) >= entry.every_seconds:
                    close_old_connections()
                    jobs.run(name)
                    last_run[name] = time.monotonic()
            time.sleep(tick)
        self.stdout.write("worker: stopped")
