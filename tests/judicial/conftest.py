"""Judicial tests: a fixed field key (sealed secrets and results are encrypted), the holiday
calendar as the migration seeds it, and a fixed "now" inside the calendar's covered years
(petition and rectification time limits are counted in working days).

Opt-in (`pytestmark = pytest.mark.usefixtures("judicial_env")`): the draw engine's and the
case-number parser's tests in this folder are pure and need none of it."""

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


@pytest.fixture
def judicial_env():
    use_test_keyring()
    with time_machine.travel(NOW, tick=True):
        yield
    crypto.reset_field_keyring(None)


@pytest.fixture
def seeded(db):
    workcalendar.invalidate()
    seed.fill_table(CalendarYear, CalendarDay)
    yield
    workcalendar.invalidate()


@pytest.fixture
def p(personas, seeded, judicial_env):
    return personas
