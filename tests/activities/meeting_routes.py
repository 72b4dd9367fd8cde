"""The meetings rows of the route matrix (tests/core/test_route_matrix.py; ADR 0023).

The records: a held joint meeting of the congress working body (its clerk manages it) and the
CDI, unit A and the stationed group taking part, with drafted minutes and an action item of
unit A. None of the personas is a leader, so nobody among them may co-sign the minutes (the
leaders' signing is tested in tests/activities/test_meetings.py)."""

from __future__ import annotations

from tests.activities.meeting_helpers import action_kwargs, meeting_kwargs, reported_kwargs
from tests.route_cases import (
    ACTIVITY_MANAGERS,
    ACTIVITY_VIEWERS,
    LEDGER,
    NOBODY,
    Case,
)

# Staff or leaders of a convening organisation (the working body, the CDI).
CONVENER_STAFF = frozenset({"congress_clerk", "cdi_officer"})
OWNER = frozenset({"unit_a"})


def _post(allowed: frozenset[str], kwargs=meeting_kwargs) -> Case:
    return Case(allowed, kwargs=kwargs, method="post")


ROUTES = {
    "activities:meetings_ics": Case(LEDGER),
    "activities:meeting_ics": Case(ACTIVITY_VIEWERS, kwargs=meeting_kwargs),
    "activities:minutes_docx": Case(ACTIVITY_VIEWERS, kwargs=meeting_kwargs),
    "activities:action_list": Case(LEDGER),
    "activities:action_export": Case(LEDGER),
    "activities:action_detail": Case(ACTIVITY_VIEWERS, kwargs=action_kwargs),
    "activities:convener_add": _post(ACTIVITY_MANAGERS),
    "activities:agenda_add": _post(ACTIVITY_MANAGERS),
    "activities:attendance": _post(ACTIVITY_MANAGERS),
    "activities:minutes": Case(ACTIVITY_MANAGERS, kwargs=meeting_kwargs),
    "activities:minutes_sign": _post(NOBODY),
    "activities:minutes_issue": _post(ACTIVITY_MANAGERS),
    "activities:decision_add": _post(ACTIVITY_MANAGERS),
    "activities:action_add": _post(ACTIVITY_MANAGERS),
    "activities:action_report": _post(OWNER, action_kwargs),
    "activities:action_verify": _post(CONVENER_STAFF, reported_kwargs),
    "activities:action_send_back": _post(CONVENER_STAFF, reported_kwargs),
    "activities:action_link": _post(CONVENER_STAFF, action_kwargs),
    "activities_api:action-items-detail": Case(
        ACTIVITY_VIEWERS, kwargs=action_kwargs, api=True, denied_status=(403, 404)
    ),
}
