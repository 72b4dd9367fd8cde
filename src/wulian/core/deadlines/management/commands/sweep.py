"""`wulian sweep`: run the deadline sweep once, now (it also runs by itself every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Send every due deadline reminder and escalation once, then exit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=None, help="deadlines per batch")

    def handle(self, *args: Any, batch_size: int | None = None, **options: Any) -> None:
        from wulian.core.deadlines.sweep import BATCH_SIZE, sweep

        result = sweep(batch_size=batch_size or BATCH_SIZE)
        self.stdout.write(" ".join(f"{k}={v}" for k, v in result.items()))
