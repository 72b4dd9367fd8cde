"""A department's evaluation history on its organisation page (issue 18): every year's
evaluation the viewer may see, each a link to it; nothing for a viewer who sees none, nor on
an organisation never evaluated."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.evaluation import helpers as h
from tests.personas import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        yield


def test_the_history_is_on_the_departments_page_for_those_who_see_it(personas):
    earlier = h.create(personas, year=2025)
    later = h.create(personas, year=2026)
    page = client_for(personas.congress_clerk).get(f"/orgs/{personas.orgs['unit_a'].pk}/")
    html = page.content.decode()
    assert "历次工作评议" in html
    assert html.index(later.get_absolute_url()) < html.index(earlier.get_absolute_url())
    own = client_for(personas.unit_a).get(f"/orgs/{personas.orgs['unit_a'].pk}/").content
    assert earlier.get_absolute_url() in own.decode()
    # Another department sees unit A's page but not its evaluations.
    other = client_for(personas.unit_b).get(f"/orgs/{personas.orgs['unit_a'].pk}/").content
    assert "历次工作评议" not in other.decode()
    # A department never evaluated has no such section.
    never = client_for(personas.congress_clerk).get(f"/orgs/{personas.orgs['unit_b'].pk}/")
    assert "历次工作评议" not in never.content.decode()
