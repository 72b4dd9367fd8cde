"""The notifications API: the caller's own inbox (never another person's), marking read, and
channel preferences through the same services as the pages."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from wulian.core.models import AuditEvent
from wulian.core.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _note(user, title: str) -> Notification:
    return Notification.objects.create(recipient=user, kind="suggestions.test", title=title)


def test_the_inbox_lists_only_the_callers_notifications_unread_first(personas, client_of):
    mine_read = _note(personas.unit_a, "已读的")
    Notification.objects.filter(pk=mine_read.pk).update(read_at="2026-01-01T00:00:00Z")
    mine = _note(personas.unit_a, "未读的")
    _note(personas.unit_b, "别人的")
    answer = client_of(personas.unit_a).get(reverse("notifications_api:notification-list"))
    assert answer.status_code == 200
    titles = [n["title"] for n in answer.json()["results"]]
    assert titles == ["未读的", "已读的"]
    assert answer.json()["results"][0]["id"] == mine.pk


def test_marking_read_one_and_all(personas, client_of):
    a, b = _note(personas.unit_a, "一"), _note(personas.unit_a, "二")
    client = client_of(personas.unit_a)
    one = client.post(reverse("notifications_api:notification-read", args=[a.pk]))
    assert one.status_code == 200 and one.json() == {"marked": 1}
    assert Notification.objects.get(pk=a.pk).read_at is not None
    rest = client.post(reverse("notifications_api:notification-read-all"))
    assert rest.json() == {"marked": 1} and Notification.objects.get(pk=b.pk).read_at


def test_another_persons_notification_is_left_alone_and_nothing_says_so(personas, client_of):
    theirs = _note(personas.unit_b, "别人的")
    answer = client_of(personas.unit_a).post(
        reverse("notifications_api:notification-read", args=[theirs.pk])
    )
    missing = client_of(personas.unit_a).post(
        reverse("notifications_api:notification-read", args=[999999])
    )
    assert answer.json() == missing.json() == {"marked": 0}
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_preferences_read_and_save_through_the_service(personas, client_of):
    client = client_of(personas.unit_a)
    url = reverse("notifications_api:preferences")
    rows = client.get(url).json()["rows"]
    assert rows[0]["kind"] == "" and rows[0]["channels"]["inbox"]["effective"] is True
    channel = "inbox"
    kind = rows[1]["kind"]
    saved = client.put(
        url,
        json.dumps({"choices": [{"kind": kind, "channel": channel, "value": "off"}]}),
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    row = next(r for r in saved.json()["rows"] if r["kind"] == kind)
    assert row["channels"][channel] == {"value": "off", "effective": False}
    assert AuditEvent.objects.filter(action="notifications.preferences.saved").count() == 1
    bad = client.put(
        url,
        json.dumps({"choices": [{"kind": "no.such.kind", "channel": channel, "value": "on"}]}),
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_an_id_that_is_not_a_number_is_not_an_address(personas, client_of):
    answer = client_of(personas.unit_a).post("/api/v1/notifications/null,null/read/")
    assert answer.status_code == 404
