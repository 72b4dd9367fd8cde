"""Suggestion tests: the holiday calendar as the migration seeds it, and a fixed "now" inside
the calendar's covered years (receipt and assignment limits are counted in working days)."""

from __future__ import annotations

import pytest
import time_machine

from tests.suggestions.helpers import NOW
from wulian.core.deadlines import seed, workcalendar
from wulian.core.deadlines.models import CalendarDay, CalendarYear


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


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
