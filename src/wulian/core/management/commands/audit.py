"""`wulian audit verify | checkpoint | keygen | export | repair-head` — the audit chain from the
command line."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_date


class Command(BaseCommand):
    help = "Verify the audit chain, sign a checkpoint, create the signing keys, or export a trail."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        v = sub.add_parser("verify", help="walk the chain and check it against the checkpoints")
        v.add_argument(
            "--no-checkpoint",
            action="store_true",
            help="check the chain only (a truncated tail then goes unnoticed)",
        )
        v.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="processes that walk parts of the chain in parallel (default: one per core)",
        )
        sub.add_parser("checkpoint", help="sign and export the current head now")
        sub.add_parser(
            "repair-head",
            help="database owner only: set the head row to the last event of a chain that "
            "verifies (after an investigation; see `verify`)",
        )
        k = sub.add_parser("keygen", help="create the SM2 key pair for checkpoints")
        k.add_argument("--force", action="store_true", help="replace an existing key pair")
        e = sub.add_parser("export", help="write a record's or a period's trail as .xlsx")
        e.add_argument("--target", help="TYPE:ID, e.g. core.person:12")
        e.add_argument("--from", dest="date_from", help="YYYY-MM-DD")
        e.add_argument("--to", dest="date_to", help="YYYY-MM-DD")
        e.add_argument("-o", "--output", required=True)

    def handle(self, *args, verb: str, **options) -> None:
        getattr(self, f"_{verb.replace('-', '_')}")(**options)

    def _verify(self, no_checkpoint: bool = False, workers: int = 1, **_: object) -> None:
        from django.conf import settings

        from wulian.core import audit, checkpoints

        latest = None
        exported: list | None = None
        if not no_checkpoint:
            try:
                exported = checkpoints.exported_checkpoints()
            except checkpoints.CheckpointError as exc:
                raise CommandError(f"checkpoints: {exc}") from None
            latest = exported[-1] if exported else None
        started = time.perf_counter()
        result = audit.verify(checkpoints=exported, workers=max(1, workers))
        elapsed = time.perf_counter() - started
        rate = result.events / elapsed if elapsed > 0 else 0
        if exported == [] and result.ok:
            self.stderr.write(
                "warning: no checkpoint has been signed yet; a cut or rewritten tail cannot be "
                "detected (start `wulian worker`, or run `wulian audit checkpoint`)"
            )
        for warning in result.warnings or []:
            self.stderr.write(f"warning: {warning}")
        summary = (
            f"{result.events} events in {elapsed:.2f} s ({rate:,.0f} events/s); "
            f"head #{result.head_seq} {result.head_hash[:16]}…"
        )
        if latest is not None:
            summary += f"; checkpoint #{latest.seq} of {latest.at}"
        if result.unsigned_events is not None:
            max_events = settings.AUDIT_UNSIGNED_MAX_EVENTS or "∞"
            max_seconds = settings.AUDIT_UNSIGNED_MAX_SECONDS or "∞"
            summary += (
                f"; not yet covered by a signature: {result.unsigned_events} events, "
                f"{result.unsigned_seconds:.0f} s (bound {max_events} events, {max_seconds} s)"
            )
        if not result.ok:
            self.stdout.write(summary)
            self.stderr.write(f"BROKEN: {result.first_break}")
            sys.exit(1)
        self.stdout.write(f"OK: {summary}")

    def _repair_head(self, **_: object) -> None:
        from wulian.core import audit

        try:
            before, after = audit.head_repair()
        except audit.ChainBroken as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"head #{before[0]} → #{after[0]} {after[1][:16]}…")

    def _checkpoint(self, **_: object) -> None:
        from wulian.core import checkpoints

        cp = checkpoints.checkpoint_create(reason="manual")
        if cp is None:
            self.stdout.write("The chain is empty; nothing to sign.")
            return
        self.stdout.write(f"Checkpoint #{cp.seq} {cp.head_hash[:16]}… → {cp.exported_to}")

    def _keygen(self, force: bool = False, **_: object) -> None:
        from wulian.core import checkpoints

        private, public = checkpoints.keygen(force=force)
        self.stdout.write(f"SM2 key pair: {private} (private, 0600) and {public}")

    def _export(self, target=None, date_from=None, date_to=None, output="", **_: object) -> None:
        from wulian.core.exports import audit_trail_workbook

        kind, _, pk = (target or "").partition(":")
        if target and not pk:
            raise CommandError("--target takes TYPE:ID, e.g. core.person:12")
        start = parse_date(date_from) if date_from else None
        end = parse_date(date_to) if date_to else None
        if (date_from and start is None) or (date_to and end is None):
            raise CommandError("--from/--to take YYYY-MM-DD")
        count = audit_trail_workbook(
            path=Path(output), target_type=kind, target_id=pk, date_from=start, date_to=end
        )
        self.stdout.write(f"{count} events written to {output}")
