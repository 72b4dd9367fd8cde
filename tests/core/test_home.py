"""我的待办 (issue 13, item 14): one row per piece of work, the count of each kind, the 待办 /
已办 tabs, messages about finished work marked read, and a constant number of queries."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.clues.helpers import make_clue, use_test_keyring
from tests.clues.test_services import data as clue_data
from tests.personas import client_for
from wulian.core import todos
from wulian.core.access import actor_for
from wulian.core.clues import services as clue_services
from wulian.core.clues.choices import ClueState
from wulian.core.deadlines.models import Deadline
from wulian.core.notifications.delivery import deliver_due
from wulian.core.notifications.models import Notification
from wulian.core.todos import counts_by_source, done_for, todos_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _a_tuesday():
    with time_machine.travel(datetime.fromisoformat("2026-03-10T10:00:00+08:00"), tick=False):
        yield


def _draft(p, **over: Any):
    use_test_keyring()
    return clue_services.clue_draft(actor=p.congress_clerk, data=clue_data(p, **over))


def _transferred(p):
    clue = _draft(p)
    return clue_services.clue_transfer(actor=p.congress_clerk, clue_id=clue.pk, version=1)


def test_a_clue_to_receive_is_listed_once_for_the_clue_officer(personas):
    """It was listed twice: by the clues app (签收问题线索 N) and, as its receipt deadline, by the
    deadlines app — the clues app now declares its time limits its own (`listed_by_app`)."""
    clue = _transferred(personas)
    rows = [i for i in todos_for(actor_for(personas.cdi_clue)) if i.url == clue.get_absolute_url()]
    assert [i.title for i in rows] == [f"签收问题线索 {clue.number}"]
    assert rows[0].due == Deadline.objects.get(kind="clue_receipt").due_at
    body = client_for(personas.cdi_clue).get(reverse("core:home")).content.decode()
    assert body.count(f"签收问题线索 {clue.number}") == 1


def test_a_draft_is_listed_once_with_its_transfer_limit(personas):
    clue = _draft(personas, found_on=date(2026, 3, 2))
    rows = [
        i for i in todos_for(actor_for(personas.congress_clerk)) if i.url == clue.get_absolute_url()
    ]
    assert len(rows) == 1
    assert rows[0].title == f"移送问题线索 {clue.number}（草稿）"
    assert rows[0].due == Deadline.objects.get(kind="clue_transfer").due_at


def test_counts_per_kind_and_one_kind_at_a_time(personas):
    for _ in range(2):
        _transferred(personas)
    items = todos_for(actor_for(personas.cdi_clue))
    assert counts_by_source(items) == [("问题线索", 2)]
    client = client_for(personas.cdi_clue)
    body = client.get(reverse("core:home")).content.decode()
    assert 'class="todo-counts"' in body and '问题线索 <span class="count">2</span>' in body
    only = client.get(reverse("core:home"), {"source": "问题线索"}).content.decode()
    assert only.count("签收问题线索") == 2
    # An unknown kind shows everything rather than an empty list.
    assert client.get(reverse("core:home"), {"source": "别的"}).status_code == 200


def test_the_done_tab_lists_the_work_the_person_finished(personas):
    clue = _transferred(personas)
    client = client_for(personas.cdi_clue)
    assert "暂无已办事项" in client.get(reverse("core:home"), {"tab": "done"}).content.decode()
    clue_services.clue_receive(actor=personas.cdi_clue, clue_id=clue.pk, version=clue.version)
    done = done_for(actor_for(personas.cdi_clue))
    assert [(d.title, d.status) for d in done] == [(f"签收问题线索 {clue.number}", "按期办结")]
    body = client.get(reverse("core:home"), {"tab": "done"}).content.decode()
    assert f"签收问题线索 {clue.number}" in body and 'id="done"' in body
    # 待办 now asks for the disposal only; the receipt is not there any more.
    todo = client.get(reverse("core:home")).content.decode()
    assert f"签收问题线索 {clue.number}" not in todo
    assert f"处置问题线索 {clue.number}" in todo
    # What a colleague finished is not in this person's 已办.
    assert done_for(actor_for(personas.congress_clerk)) == []


def test_messages_about_work_done_are_marked_read(personas):
    clue = _transferred(personas)
    other = make_clue(personas, ClueState.TRANSFERRED)
    Notification.objects.create(
        recipient=personas.cdi_clue,
        kind="clues.clue.transferred",
        title="另一条",
        url=other.get_absolute_url(),
    )
    deliver_due()
    unread = Notification.objects.filter(recipient=personas.cdi_clue, read_at__isnull=True)
    assert set(unread.values_list("url", flat=True)) == {
        clue.get_absolute_url(),
        other.get_absolute_url(),
    }
    clue_services.clue_receive(actor=personas.cdi_clue, clue_id=clue.pk, version=clue.version)
    # The message that asked for the receipt is read; the other clue's is not.
    assert list(unread.values_list("url", flat=True)) == [other.get_absolute_url()]


def test_the_home_page_costs_the_same_queries_for_one_item_as_for_five(personas):
    """The clue officer's rows read each clue's feedback one query a row (the status view
    reads it; the provider had deferred it): now one query for all."""
    client = client_for(personas.cdi_clue)
    _transferred(personas)
    client.get(reverse("core:home"))  # warm the per-process caches (content types, settings)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("core:home"))
    for _ in range(4):
        _transferred(personas)
    with CaptureQueriesContext(connection) as five:
        body = client.get(reverse("core:home")).content.decode()
    assert body.count("签收问题线索") == 5
    assert len(five) == len(one), (
        [q["sql"][:70] for q in one.captured_queries],
        [q["sql"][:70] for q in five.captured_queries],
    )
    assert len(one) <= 30, [q["sql"][:80] for q in one.captured_queries]
    with CaptureQueriesContext(connection) as done:
        client.get(reverse("core:home"), {"tab": "done"})
    # The 已办 tab: the same counts, plus one query per app that lists finished work.
    assert len(done) <= len(one) + len(todos._done_providers)


def test_the_deputy_home_starts_with_submitting_and_their_suggestions(personas):
    from tests.suggestions.helpers import make_suggestion
    from wulian.suggestions.choices import SuggestionStatus

    s = make_suggestion(personas, SuggestionStatus.HANDLING)
    body = client_for(personas.deputy).get(reverse("core:home")).content.decode()
    mine = body.index('id="my-suggestions"')
    assert mine < body.index("<h1>我的待办</h1>")
    assert body.index(reverse("suggestions:suggestion_submit")) > mine
    assert s.get_absolute_url() in body[mine:]
    # Nobody else gets the deputy's panel.
    clerk = client_for(personas.congress_clerk).get(reverse("core:home")).content.decode()
    assert 'id="my-suggestions"' not in clerk
