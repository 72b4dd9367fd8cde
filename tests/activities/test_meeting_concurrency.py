"""On PostgreSQL, each thread on its own connection: the leaders of the two convening sides
co-sign the minutes at the same moment — both signatures are kept (the meeting row serialises
them, neither overwrites the other), and two leaders of one side at once make one signature."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.activities.meeting_helpers import leaders, make_meeting
from tests.bulletins.test_concurrency import _pg, _race
from tests.factories import account
from wulian.core.access import actor_for
from wulian.core.activities import meeting_services as ms
from wulian.core.activities.models import Meeting, MeetingConvener
from wulian.core.choices import Role
from wulian.core.models import AuditEvent


def _sign(user, activity) -> Callable[[], object]:
    version = Meeting.objects.get(activity=activity).version
    return lambda: ms.minutes_sign(actor=actor_for(user), activity_id=activity.pk, version=version)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sides_signing_at_once_keep_both_signatures(personas):
    _pg()
    p = personas
    congress_head, cdi_head = leaders(p)
    activity = make_meeting(p)
    outcome, unexpected = _race(
        {"congress": _sign(congress_head, activity), "cdi": _sign(cdi_head, activity)}
    )
    assert not unexpected, unexpected
    assert outcome == {"congress": "won", "cdi": "won"}
    signed = MeetingConvener.objects.filter(meeting__activity=activity, signed_at__isnull=False)
    assert signed.count() == 2
    events = AuditEvent.objects.filter(action="activities.minutes.signed").order_by("seq")
    # The second to sign saw the first one's signature: nothing is missing after it.
    assert [e.after_data["still_missing"] for e in events][-1] == []
    meeting = Meeting.objects.get(activity=activity)
    ms.minutes_issue(
        actor=actor_for(p.congress_clerk), activity_id=activity.pk, version=meeting.version
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_leaders_of_one_side_at_once_make_one_signature(personas):
    _pg()
    p = personas
    _congress_head, cdi_head = leaders(p)
    deputy_head = account(p.orgs["cdi"], Role.LEADER, username="cdi_deputy_head", name="赵副主任")
    activity = make_meeting(p)
    outcome, unexpected = _race(
        {"head": _sign(cdi_head, activity), "deputy": _sign(deputy_head, activity)}
    )
    assert not unexpected, unexpected
    assert sorted(r == "won" for r in outcome.values()) == [False, True], outcome
    assert AuditEvent.objects.filter(action="activities.minutes.signed").count() == 1
