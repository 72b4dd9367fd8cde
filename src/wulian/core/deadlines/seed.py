"""What the `chinesecalendar` package knows: the years it covers and their exceptional days.

Used by the data migration that seeds the calendar table and by `wulian calendar import`. The
product reads only the table; the package is a convenient source, not the authority.
"""

from __future__ import annotations

from datetime import date
from typing import Any

SOURCE = "chinesecalendar"


def package_version() -> str:
    try:
        from importlib.metadata import version

        return version("chinesecalendar")
    except Exception:  # pragma: no cover - the package is a dependency
        return "?"


def package_years() -> list[int]:
    """The years the installed package covers completely."""
    from chinese_calendar.constants import holidays

    return list(range(min(holidays).year, max(holidays).year + 1))


def _chinese_name(english: str) -> str:
    from chinese_calendar.constants import Holiday

    try:
        return Holiday(english).chinese
    except ValueError:
        return english


def package_days(year: int) -> list[tuple[date, str, str]]:
    """(date, kind, Chinese name) of the year's holidays and make-up working days."""
    from chinese_calendar.constants import holidays, workdays

    rows = [(d, "holiday", _chinese_name(n)) for d, n in holidays.items() if d.year == year]
    rows += [(d, "makeup_workday", _chinese_name(n)) for d, n in workdays.items() if d.year == year]
    return sorted(rows)


def fill_table(year_model: Any, day_model: Any) -> int:
    """Add every year the package covers that the table lacks, marked complete (used by the
    data migration, with its historical models). Returns the number of years added."""
    source = f"{SOURCE} {package_version()}"
    added = 0
    for year in package_years():
        entry, created = year_model.objects.get_or_create(
            year=year, defaults={"complete": True, "source": source}
        )
        if not created:
            continue
        day_model.objects.bulk_create(
            day_model(calendar_year=entry, date=d, kind=k, name=n) for d, k, n in package_days(year)
        )
        added += 1
    return added
