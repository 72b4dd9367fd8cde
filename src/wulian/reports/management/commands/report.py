"""`wulian report annual --year 2023 [--output FILE]` — the annual 五联 report as a .docx in the
GB/T 9704 layout, every figure counted from the records (wulian.reports.annual). Without
--output the file is written to the current directory under the report's own name; `-` prints
the report's text instead."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from wulian.reports import annual


class Command(BaseCommand):
    help = "Write a report (e.g. `report annual --year 2023 --output 2023.docx`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["annual"], help="which report")
        parser.add_argument("--year", type=int, default=None, help="the year (default: this)")
        parser.add_argument(
            "--output", default=None, help="the .docx to write, or - for the text on stdout"
        )

    def handle(self, *args, kind: str, year: int | None, output: str | None, **options) -> None:
        year = year or timezone.localdate().year
        if not 2000 <= year <= 2100:
            raise CommandError(f"--year {year}: give a four-digit year from 2000 to 2100")
        report = annual.build(year)
        if output == "-":
            self.stdout.write(report.title)
            self.stdout.write(report.intro)
            for numeral, section in zip(annual.NUMERALS, report.sections, strict=False):
                self.stdout.write(f"{numeral}、{section.heading}")
                for text in section.paragraphs:
                    self.stdout.write(text)
            return
        path = Path(output or report.filename)
        if path.is_dir():
            path = path / report.filename
        try:
            path.write_bytes(annual.to_docx(report))
        except OSError as e:
            raise CommandError(f"cannot write {path}: {e.strerror}") from e
        self.stdout.write(f"{path} ({year})")
