"""Inquiries tests: the holiday calendar and a fixed "now" (working-day deadlines)."""

from __future__ import annotations

import pytest

from tests.stations.conftest import seeded, stations_env  # noqa: F401


@pytest.fixture
def p(personas, seeded, stations_env):  # noqa: F811
    return personas
