"""Opinion-round tests: the bulletins' fixtures — the holiday calendar as the migration seeds
it and a fixed "now" (a Monday) inside the calendar's covered years (rounds close after
working days)."""

from tests.bulletins.conftest import NOW, _now, personas, seeded  # noqa: F401
