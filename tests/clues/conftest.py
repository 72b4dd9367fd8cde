"""Clue tests: a fixed field key, the holiday calendar as the migration seeds it, and a fixed
"now" inside the calendar's covered years (the time limits are counted in working days)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.clues.helpers import use_test_keyring
from wulian.core import crypto
from wulian.core.deadlines import seed, workcalendar
from wulian.core.deadlines.models import CalendarDay, CalendarYear

# A Monday in a year the installed chinesecalendar covers.
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _keys():
    use_test_keyring()
    yield
    crypto.reset_field_keyring(None)


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
