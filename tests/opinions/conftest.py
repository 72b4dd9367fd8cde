"""Opinion-round tests: the holiday calendar as the migration seeds it, and a fixed "now" inside
the calendar's covered years (rounds close after working days)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from wulian.core.deadlines import seed, workcalendar
from wulian.core.deadlines.models import CalendarDay, CalendarYear

# A Monday in a year the installed chinesecalendar covers.
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def seeded(db):
    workcalendar.invalidate()
    seed.fill_table(CalendarYear, CalendarDay)
    yield
    workcalendar.invalidate()


@pytest.fixture
def personas(personas, seeded):
    return personas
