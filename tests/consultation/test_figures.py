"""联商's figures on the demo data: the article's examples as numbers, each clickable, the
command line, and the register's sensitivity on the demo."""

from __future__ import annotations

import json
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from wulian.consultation import selectors
from wulian.consultation.models import Matter
from wulian.core.access import actor_for

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def demo(db):
    from django.contrib.auth import get_user_model

    with time_machine.travel(datetime(2026, 12, 7, 10, 0, tzinfo=SH), tick=False):
        call_command("demo_seed", stdout=StringIO())
    return {u.username: u for u in get_user_model().objects.all()}


def _by_key(rows):
    return {f.key: f for f in rows}


def test_the_demo_figures_for_2024(demo, client_of):
    out = StringIO()
    call_command("figures", "consultation", "--year", "2024", "--format", "json", stdout=out)
    data = {f["key"]: f for f in json.loads(out.getvalue())["figures"]}
    assert data["meetings"]["value"] == 3  # with 2023's fourth quarter: four quarterly meetings
    assert data["rounds"]["value"] == 2
    assert (data["comments"]["value"], data["comments"]["of"]) == (4, 4)  # 均被充分采纳
    assert (data["items"]["value"], data["items"]["of"]) == (7, 10)
    assert data["rectifications"]["value"] == 1
    assert data["analyses"]["value"] == 2  # the audit list's and the budget extract's
    leader = demo["congress_leader"]
    rows = _by_key(selectors.figures(actor=actor_for(leader), year=2024))
    page = client_of(leader).get(rows["meetings"].url)
    assert page.status_code == 200 and "2024年第二季度" in page.content.decode()


def test_the_cdi_internal_matter_of_the_demo_is_hidden_from_the_congress(demo):
    internal = Matter.objects.get(sensitivity="internal", side="cdi")
    clerk = actor_for(demo["congress_leader"])
    assert internal not in selectors.matter_list(actor=clerk)
    assert internal in selectors.matter_list(actor=actor_for(demo["cdi_officer"]))
