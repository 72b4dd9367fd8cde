"""`wulian figures stations`: the stations' year by district from the tallies, over every
station (the command runs as the server's operator)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from tests.stations import helpers as h

pytestmark = pytest.mark.django_db


def test_the_figures_command_reads_the_tallies(p):
    o = h.opinion(p)
    h.opinion(p, o.event, topic="文明养犬")
    out = io.StringIO()
    call_command("figures", "stations", "--year", "2026", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["year"] == 2026 and data["total"]["opinions"] == 2
    district = o.station.district
    assert [d["values"]["opinions"] for d in data["districts"] if d["district"] == district] == [2]
    out = io.StringIO()
    call_command("figures", "stations", "--year", "2026", stdout=out)
    assert "收集意见" in out.getvalue() and o.station.get_district_display() in out.getvalue()
