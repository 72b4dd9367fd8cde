"""Stations tests: a fixed field key (phone numbers are encrypted), the holiday calendar as the
migration seeds it and a fixed "now" (2026-06-15, a Monday) — events and reply deadlines are
counted on the working-day calendar."""

from __future__ import annotations

import pytest
import time_machine

from tests.clues.helpers import use_test_keyring
from tests.stations.helpers import NOW
from wulian.core import crypto
from wulian.core.deadlines import seed, workcalendar
from wulian.core.deadlines.models import CalendarDay, CalendarYear


@pytest.fixture
def stations_env():
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
def p(personas, seeded, stations_env):
    return personas
