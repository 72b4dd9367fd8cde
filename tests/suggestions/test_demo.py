"""The demo data of 联办 (issue 13): `wulian demo_seed` loads the article's 2023 — a session
whose 187 suggestions are all answered, the 三进三促 campaign with 668 opinions and 594
completed — and this year's session in progress, so that each working demo account finds
something in 我的待办. The audit chain verifies after the load."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from wulian.core import audit
from wulian.core.access import actor_for
from wulian.core.demo import DEMO_ACCOUNTS
from wulian.core.todos import todos_for
from wulian.suggestions.choices import SuggestionStatus
from wulian.suggestions.models import Suggestion

pytestmark = pytest.mark.django_db

# Every demo account has a work queue: the expert an invitation of a drawn 2026 batch, the
# integrity monitor an opinion round's draft to comment on (a named invitee), the three
# administrators a failed delivery, a leaver's open account and the week's operations to review.
NO_QUEUE: set[str] = set()
WORKING = [a.username for a in DEMO_ACCOUNTS if a.username not in NO_QUEUE] + [
    "procuratorate_clerk"
]


def load(time_machine, when: datetime) -> None:
    time_machine.move_to(when, tick=True)
    call_command("demo_seed", verbosity=0)


@pytest.fixture
def loaded(time_machine):
    load(time_machine, datetime(2026, 6, 15, 9, tzinfo=ZoneInfo("Asia/Shanghai")))


# Mid-year; just after the session (the campaign started days ago); between New Year and the
# session (the current session is last year's); the last day of the year.
@pytest.mark.parametrize(
    "when", [(2026, 6, 15), (2027, 1, 21), (2027, 1, 5), (2026, 12, 31)], ids=str
)
def test_every_working_demo_account_has_something_to_do(time_machine, when):
    load(time_machine, datetime(*when, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
    users = get_user_model().objects.in_bulk(WORKING, field_name="username")
    empty = [name for name in WORKING if not todos_for(actor_for(users[name]))]
    assert empty == [], f"我的待办 is empty for {empty}"


def test_the_2023_figures_are_the_articles(loaded, client_of):

    clerk = get_user_model().objects.get(username="congress_clerk")
    client = client_of(clerk)
    page = client.get(reverse("suggestions:figures"), {"year": 2023})
    data = page.context["data"]
    assert data.figure("received").value == 187
    assert data.figure("answered").value == 187
    assert [(c.name, c.collected, c.completed) for c in data.campaigns] == [("三进三促", 668, 594)]
    html = page.content.decode()
    assert '<tr data-figure="answered">' in html and ">187</a>" in html
    assert ">668</td>" in html and ">594</td>" in html
    assert (
        Suggestion.objects.filter(session__year=2023)
        .exclude(status=SuggestionStatus.CLOSED)
        .count()
        == 0
    )
    assert audit.verify().ok


def test_this_years_session_is_in_progress(loaded):
    current = Suggestion.objects.filter(session__is_current=True)
    states = set(current.values_list("status", flat=True))
    assert {
        SuggestionStatus.SUBMITTED,
        SuggestionStatus.ANSWERED,
        SuggestionStatus.CLOSED,
    } <= states
    assert len(states) >= 5
