"""An activity's steps through the API (declared once with the page's forms, issue 12): held
with who attended, cancelled with a reason — the same services, refusals and rights."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from tests.activities.helpers import make_activity
from wulian.core.activities.choices import ActivityState

pytestmark = pytest.mark.django_db


def _post(client, name: str, pk: int, data: dict):
    return client.post(
        reverse(f"activities_api:activities-{name}", args=[pk]),
        json.dumps(data),
        content_type="application/json",
    )


def test_hold_with_attendance_and_cancel_through_the_api(personas, client_of):
    client = client_of(personas.congress_clerk)
    held = make_activity(personas)
    ids = list(held.participants.values_list("pk", flat=True))
    answer = _post(client, "hold", held.pk, {"version": 1, "attended": [ids[0]]})
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == ActivityState.HELD
    again = _post(client, "hold", held.pk, {"version": 2, "attended": []})
    assert again.status_code == 409

    cancelled = make_activity(personas, starts_in=timedelta(days=5))
    missing = _post(client, "cancel", cancelled.pk, {"version": 1, "reason": ""})
    assert missing.status_code == 400 and "reason" in missing.json()["errors"]
    done = _post(client, "cancel", cancelled.pk, {"version": 1, "reason": "议程调整"})
    assert done.status_code == 200 and done.json()["state"] == ActivityState.CANCELLED


def test_a_unit_cannot_take_the_organisers_steps(personas, client_of):
    activity = make_activity(personas)
    refused = _post(
        client_of(personas.unit_b), "cancel", activity.pk, {"version": 1, "reason": "x"}
    )
    assert refused.status_code in (403, 404)
    activity.refresh_from_db()
    assert activity.state == ActivityState.PLANNED


def test_remove_a_participant_and_unlink_a_record_through_the_api(personas, client_of):
    from wulian.core.activities.services import activity_record_link

    client = client_of(personas.congress_clerk)
    activity = make_activity(personas)
    unit_a = activity.participants.get(organisation=personas.orgs["unit_a"])
    answer = _post(client, "participant-remove", activity.pk, {"participant": unit_a.pk})
    assert answer.status_code == 200, answer.content
    assert not activity.participants.filter(pk=unit_a.pk).exists()
    # A participant not (or no longer) on this activity's list: 400 naming the field.
    again = _post(client, "participant-remove", activity.pk, {"participant": unit_a.pk})
    assert again.status_code == 400 and "participant" in again.json()["errors"]

    link = activity_record_link(
        actor=personas.congress_clerk, activity_id=activity.pk, record=personas.orgs["unit_a"]
    )
    missing = _post(client, "record-unlink", activity.pk, {})
    assert missing.status_code == 400 and "link" in missing.json()["errors"]
    done = _post(client, "record-unlink", activity.pk, {"link": link.pk})
    assert done.status_code == 200, done.content
    assert not activity.record_links.exists()


def test_removals_on_a_cancelled_activity_are_refused(personas, client_of):
    from wulian.core.activities.services import activity_cancel

    activity = make_activity(personas, starts_in=timedelta(days=5))
    unit_a = activity.participants.get(organisation=personas.orgs["unit_a"])
    activity_cancel(
        actor=personas.congress_clerk, activity_id=activity.pk, version=1, reason="议程调整"
    )
    answer = _post(
        client_of(personas.congress_clerk),
        "participant-remove",
        activity.pk,
        {"participant": unit_a.pk},
    )
    assert answer.status_code == 409
    assert activity.participants.filter(pk=unit_a.pk).exists()


def test_a_unit_cannot_remove_participants(personas, client_of):
    activity = make_activity(personas)
    unit_a = activity.participants.get(organisation=personas.orgs["unit_a"])
    for persona in (personas.unit_a, personas.unit_b):
        refused = _post(
            client_of(persona), "participant-remove", activity.pk, {"participant": unit_a.pk}
        )
        assert refused.status_code in (403, 404)
    assert activity.participants.filter(pk=unit_a.pk).exists()
