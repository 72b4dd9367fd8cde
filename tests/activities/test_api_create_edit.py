"""Creating and changing an activity through the API (issue 12): the new-activity and edit
pages' form, policy and refusals."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.activities.helpers import make_activity
from wulian.core.activities.models import Activity

pytestmark = pytest.mark.django_db


def _body(**overrides):
    data = {
        "kind": "report_hearing",
        "title": "听取市政府关于民生实事的汇报",
        "starts_at": "2026-12-01T09:30",
        "ends_at": "2026-12-01T11:30",
        "place": "第一会议室",
        "sensitivity": "internal",
        "notes": "",
    }
    data.update(overrides)
    return data


def _post(client, url: str, data: dict):
    return client.post(url, json.dumps(data), content_type="application/json")


LIST = "/api/v1/activities/"


def _edit(pk: int) -> str:
    return reverse("activities_api:activity-edit", args=[pk])


def test_creating_an_activity(personas, client_of):
    client = client_of(personas.congress_clerk)
    answer = _post(client, LIST, _body(organiser=personas.orgs["congress_body"].pk))
    assert answer.status_code == 201, answer.content
    activity = Activity.objects.get()
    assert answer.json()["id"] == activity.pk and answer.json()["title"] == activity.title
    assert activity.organiser_id == personas.orgs["congress_body"].pk


def test_creating_refuses_bad_input_naming_the_field(personas, client_of):
    client = client_of(personas.congress_clerk)
    late = _post(
        client,
        LIST,
        _body(organiser=personas.orgs["congress_body"].pk, ends_at="2026-11-30T09:00"),
    )
    assert late.status_code == 400
    no_title = _post(client, LIST, _body(organiser=personas.orgs["congress_body"].pk, title=""))
    assert no_title.status_code == 400 and "title" in no_title.json()["errors"]
    # An organiser that is not one of the caller's desks is not on offer.
    foreign = _post(client, LIST, _body(organiser=personas.orgs["unit_a"].pk))
    assert foreign.status_code == 400 and "organiser" in foreign.json()["errors"]
    assert not Activity.objects.exists()


def test_creating_needs_the_pages_right(personas, client_of):
    refused = _post(client_of(personas.unit_a), LIST, _body(organiser=personas.orgs["unit_a"].pk))
    assert refused.status_code == 403
    assert not Activity.objects.exists()


def test_editing_an_activity(personas, client_of):
    activity = make_activity(personas)
    client = client_of(personas.congress_clerk)
    changed = _post(client, _edit(activity.pk), _body(version=1, place="第二会议室"))
    assert changed.status_code == 200, changed.content
    assert changed.json()["place"] == "第二会议室" and changed.json()["version"] == 2
    stale = _post(client, _edit(activity.pk), _body(version=1, place="我改的地点"))
    assert stale.status_code == 409
    activity.refresh_from_db()
    assert activity.place == "第二会议室"
    no_version = _post(client, _edit(activity.pk), _body())
    assert no_version.status_code == 400


def test_editing_needs_the_pages_right(personas, client_of):
    activity = make_activity(personas)
    # unit A sees the activity (a participant) but may not change it; unit B, who may not
    # see it, is refused before it is looked up (no right to manage any activity) or 404.
    seen = _post(client_of(personas.unit_a), _edit(activity.pk), _body(version=1, place="x"))
    assert seen.status_code == 403
    unseen = _post(client_of(personas.unit_b), _edit(activity.pk), _body(version=1, place="x"))
    assert unseen.status_code in (403, 404)
    activity.refresh_from_db()
    assert activity.place != "x"
