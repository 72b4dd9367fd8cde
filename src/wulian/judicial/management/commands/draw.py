"""`wulian draw verify [DRAW_ID]` and `wulian draw export DRAW_ID` — the sealed draws from the
command line.

- `verify DRAW_ID` recomputes one draw from its stored record (manifest, commitment, revealed
  secret, witness inputs, substitutions) and compares it with the stored hashes and with those
  the audit chain recorded. Without an id: every draw in the database, one line each. The exit
  status is 1 when any draw fails.
- `export DRAW_ID` writes the draw's public record as JSON (to stdout or `-o FILE`): the input
  of `scripts/replay_draw.py`, which replays it outside the product with the standard library.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Verify sealed draws (one, or all of them) or export a draw's public record as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        v = sub.add_parser("verify", help="recompute a draw (or every draw) from its record")
        v.add_argument("draw_id", nargs="?", help="the draw's id (抽取编号); none: every draw")
        e = sub.add_parser("export", help="write a draw's public record as JSON")
        e.add_argument("draw_id", help="the draw's id (抽取编号)")
        e.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, verb: str, **options) -> None:
        getattr(self, f"_{verb}")(**options)

    def _draws(self, code: str | None):
        from wulian.judicial.models import Draw

        qs = Draw.objects.select_related("batch", "replaces").order_by("id")
        if code:
            qs = qs.filter(code=code)
            if not qs.exists():
                raise CommandError(f"no draw with id {code!r}")
        return qs

    def _verify(self, draw_id: str | None = None, **_: object) -> None:
        from wulian.judicial.services import draw_verify_record

        failed = 0
        total = 0
        for d in self._draws(draw_id).iterator(chunk_size=100):
            result = draw_verify_record(d)
            total += 1
            failed += not result.ok
            self.stdout.write(result.line())
        if total == 0:
            self.stdout.write("no draws")
        if failed:
            self.stderr.write(f"{failed} of {total} draws FAILED verification")
            sys.exit(1)

    def _export(self, draw_id: str, output: str | None = None, **_: object) -> None:
        from wulian.judicial.services import public_record

        d = self._draws(draw_id).get()
        if not d.seed:
            raise CommandError(f"draw {draw_id} has not been run: it has no public record yet")
        body = json.dumps(public_record(d), ensure_ascii=False, indent=2, sort_keys=True)
        if output:
            Path(output).write_text(body + "\n", encoding="utf-8")
            self.stderr.write(f"wrote {output}")
        else:
            self.stdout.write(body)
