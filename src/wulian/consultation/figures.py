"""`wulian figures consultation --year 2024 [--format json|table]` (the `figures` command
finds this module): 联商's figures for a year, as the platform's whole (no access scope: the
command is run by an operator on the server)."""

from __future__ import annotations

from typing import Any

from wulian.consultation import selectors

LINK = "consultation"


def as_dict(rows: list[selectors.Figure], year: int | None) -> dict[str, Any]:
    return {
        "year": year,
        "figures": [
            {
                "key": f.key,
                "label": str(f.label),
                "value": None if f.suppressed else f.value,
                "of": None if f.suppressed else f.of,
                "rate": f.rate or None,
                "url": f.url,
            }
            for f in rows
        ],
    }


class _Result:
    def __init__(self, rows: list[selectors.Figure], year: int | None):
        self.rows, self.year = rows, year

    def as_dict(self) -> dict[str, Any]:
        return as_dict(self.rows, self.year)


def cli_figures(*, year: int) -> _Result:
    return _Result(selectors.figures(actor=selectors.SYSTEM, year=year), year)


def cli_table(result: _Result) -> list[tuple[str, str]]:
    out = []
    for f in result.rows:
        value = str(f.value) if f.of is None else f"{f.value}/{f.of}"
        out.append((str(f.label), f"{value} {f.rate}".strip()))
    return out
