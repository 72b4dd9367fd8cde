"""The article's 2023 on the congress leader's dashboard (issue 20, "Done when"): the demo
account `congress_leader` signs in after `wulian demo_seed` and sees 2023's 187 suggestions,
all answered, in the default range of years — each a link to the ledger listing them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_congress_leader_sees_the_articles_2023(time_machine, client_of) -> None:
    time_machine.move_to(datetime(2026, 6, 15, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)
    call_command("demo_seed", verbosity=0)
    leader = get_user_model().objects.get(username="congress_leader")
    client = client_of(leader)
    page = client.get("/reports/dashboard/")
    assert page.status_code == 200
    board = page.context["board"]
    assert board.role.key == "congress" and 2023 in board.years
    suggestions = next(t for t in board.trends if t.link == "suggestions")
    assigned = suggestions.cell("assigned", 2023)
    assert assigned.value == 187
    assert suggestions.cell("answered", 2023).value == 187
    html = page.content.decode()
    assert f'<a href="{assigned.url.replace("&", "&amp;")}">187</a>' in html
    ledger = client.get(assigned.url)
    assert ledger.status_code == 200
    assert "dashboard-clues" not in html
