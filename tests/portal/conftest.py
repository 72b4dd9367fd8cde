"""Portal tests: the stations' environment (the holiday calendar, a fixed "now" on Monday
2026-06-15, a field key for the phone numbers encrypted at rest) and a temporary media root."""

from __future__ import annotations

import pytest

from tests.stations.conftest import seeded, stations_env  # noqa: F401


@pytest.fixture
def p(personas, seeded, stations_env):  # noqa: F811
    return personas


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
