"""`wulian figures <link> --year 2023 [--format json|table]` — a link's figures for a year.

Each link provides its figures in a module `<app>/figures.py` with
- `LINK = "<name>"` (the word after `figures` on the command line),
- `cli_figures(*, year: int)` returning an object with `as_dict()` (plain, JSON-able data), and
- `cli_table(data)` returning (label, value) lines for `--format table`.
Installed apps are searched for such modules: a new link adds its `figures.py`, nothing here.
The command runs on the server, as its operator: it counts every record.
"""

from __future__ import annotations

import json
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone


def providers() -> dict[str, ModuleType]:
    found: dict[str, ModuleType] = {}
    for config in apps.get_app_configs():
        name = f"{config.name}.figures"
        try:
            if find_spec(name) is None:
                continue
        except ModuleNotFoundError:
            continue
        module = import_module(name)
        link = getattr(module, "LINK", None)
        if link and hasattr(module, "cli_figures") and hasattr(module, "cli_table"):
            found[link] = module
    return found


class Command(BaseCommand):
    help = "Print a link's figures for a year (e.g. `figures suggestions --year 2023`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("link", help="which link's figures (e.g. suggestions)")
        parser.add_argument(
            "--year", type=int, default=None, help="the year (default: the current year)"
        )
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, link: str, year: int | None, format: str, **options) -> None:
        found = providers()
        if link not in found:
            known = ", ".join(sorted(found)) or "-"
            raise CommandError(f"no figures for {link!r}; known: {known}")
        year = year or timezone.localdate().year
        if not 1949 <= year <= 9999:
            raise CommandError(f"--year {year}: give a four-digit year")
        module = found[link]
        data = module.cli_figures(year=year)
        if format == "json":
            self.stdout.write(json.dumps(data.as_dict(), ensure_ascii=False, indent=2))
            return
        lines = module.cli_table(data)
        width = max((_width(label) for label, _ in lines), default=0)
        for label, value in lines:
            self.stdout.write(f"{label}{' ' * (width - _width(label))}  {value}")


def _width(text: str) -> int:
    """Display width in a terminal: a Chinese character takes two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
