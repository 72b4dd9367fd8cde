"""A session of 187 suggestions (Huangshi, 2023) from submission to the deputies' verdicts, all
through the services: every one answered, on time, every clock closed, the audit chain intact."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from tests.suggestions.scenario import enact
from wulian.core import audit
from wulian.core.deadlines.choices import LIVE_STATES, DeadlineState
from wulian.core.deadlines.models import Deadline
from wulian.suggestions.choices import SuggestionStatus as S
from wulian.suggestions.models import Reply, Suggestion

# After the 2023 session (10–14 January), a Monday.
IN_2023 = datetime(2023, 2, 6, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_session_of_187_suggestions_all_answered(personas, client_of, time_machine):
    time_machine.move_to(IN_2023, tick=True)
    sc = enact(personas, count=187, year=2023)
    rows = sc.refreshed()
    assert len(rows) == 187 and [s.number for s in rows] == list(range(1, 188))
    assert {s.status for s in rows} == {S.CLOSED}
    assert all(s.reply_round >= 1 and s.replied_at for s in rows)
    assert all(s.first_contact_at and s.first_contact_at <= s.contact_due_at for s in rows)
    assert Reply.objects.filter(suggestion__session=sc.session).count() == 187 + len(sc.reopened)
    assert Reply.objects.filter(suggestion__session=sc.session, on_time=False).count() == 0
    assert len(sc.reopened) == 17
    assert Counter(s.reply_category for s in rows) == {"A": 119, "B": 34, "C": 34}
    # Every clock of the session closed, and met.
    deadlines = Deadline.objects.filter(kind__startswith="suggestion_")
    assert not deadlines.filter(state__in=sorted(LIVE_STATES)).exists()
    assert set(deadlines.values_list("state", flat=True)) == {DeadlineState.MET}
    assert audit.verify().ok
    # The ledger says so.
    client = client_of(personas.congress_clerk)
    response = client.get(
        reverse("suggestions:suggestion_list"),
        {"session": sc.session.pk, "status": "closed", "per_page": 100},
    )
    assert len(response.context["page"].object_list) == 100
    assert Suggestion.objects.filter(session__year=2023, reply_round__gte=1).count() == 187
