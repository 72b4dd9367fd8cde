"""Delivery problems and group robots through the API (issue 12): the outbox and robot
pages' forms, services, rights (the system administrator) and refusals."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.notifications.helpers import make_dead_message, make_target
from wulian.core.notifications.models import OutboxStatus, WebhookKind, WebhookTarget

pytestmark = pytest.mark.django_db


def _post(client, name: str, data: dict | None = None, **kwargs):
    return client.post(
        reverse(f"notifications_api:{name}", kwargs=kwargs or None),
        json.dumps(data or {}),
        content_type="application/json",
    )


def test_retrying_and_dropping_a_dead_message(personas, client_of):
    client = client_of(personas.sysadmin)
    retried, dropped = make_dead_message(), make_dead_message()
    answer = _post(client, "outbox-retry", pk=retried.pk)
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == OutboxStatus.PENDING
    answer = _post(client, "outbox-drop", pk=dropped.pk)
    assert answer.status_code == 200 and answer.json()["status"] == OutboxStatus.DROPPED
    # A row already handled: 409, as the page says it was handled.
    again = _post(client, "outbox-drop", pk=dropped.pk)
    assert again.status_code == 409
    assert _post(client, "outbox-retry", pk=999999).status_code == 404


def test_only_the_system_administrator_handles_the_outbox_and_robots(personas, client_of):
    message, target = make_dead_message(), make_target()
    for persona in (personas.unit_a, personas.secadmin):
        client = client_of(persona)
        assert _post(client, "outbox-retry", pk=message.pk).status_code == 403
        assert _post(client, "webhook-test", pk=target.pk).status_code == 403
        body = {"name": "x", "kind": WebhookKind.GENERIC, "url": "https://example.gov.cn/h"}
        assert _post(client, "webhook-create", body).status_code == 403
        assert _post(client, "webhook-edit", {**body, "version": 1}, pk=target.pk).status_code == (
            403
        )
    message.refresh_from_db()
    assert message.status == OutboxStatus.DEAD
    assert WebhookTarget.objects.count() == 1


def test_adding_and_changing_a_robot_without_showing_its_secrets(personas, client_of):
    client = client_of(personas.sysadmin)
    created = _post(
        client,
        "webhook-create",
        {
            "name": "民政局工作群",
            "kind": WebhookKind.DINGTALK,
            "url": "https://oapi.dingtalk.com/robot/send?access_token=TOKEN123",
            "secret": "SECxyz",
            "organisation": personas.orgs["unit_a"].pk,
            "enabled": True,
        },
    )
    assert created.status_code == 201, created.content
    assert "TOKEN123" not in created.content.decode() and "SECxyz" not in created.content.decode()
    assert created.json()["has_secret"] is True and created.json()["enabled"] is True
    target = WebhookTarget.objects.get()
    assert (target.secret, target.organisation_id) == ("SECxyz", personas.orgs["unit_a"].pk)

    body = {
        "name": "民政局工作群",
        "kind": WebhookKind.DINGTALK,
        "url": target.url,
        "kind_prefix": "suggestions.",
        "enabled": True,
    }
    no_version = _post(client, "webhook-edit", body, pk=target.pk)
    assert no_version.status_code == 400 and "version" in no_version.json()["errors"]
    changed = _post(client, "webhook-edit", {**body, "version": 1}, pk=target.pk)
    assert changed.status_code == 200, changed.content
    assert changed.json()["kind_prefix"] == "suggestions." and changed.json()["version"] == 2
    target.refresh_from_db()
    assert (target.secret, target.organisation_id) == ("SECxyz", None)
    stale = _post(client, "webhook-edit", {**body, "name": "x", "version": 1}, pk=target.pk)
    assert stale.status_code == 409
    assert WebhookTarget.objects.get().name == "民政局工作群"
    assert _post(client, "webhook-edit", {**body, "version": 2}, pk=999999).status_code == 404


def test_a_robot_needs_an_http_url_and_a_kind(personas, client_of):
    client = client_of(personas.sysadmin)
    bad = _post(client, "webhook-create", {"name": "x", "kind": "fax", "url": "file:///etc"})
    assert bad.status_code == 400 and "kind" in bad.json()["errors"]
    bad = _post(
        client, "webhook-create", {"name": "x", "kind": WebhookKind.GENERIC, "url": "file:///x"}
    )
    assert bad.status_code == 400 and "url" in bad.json()["errors"]
    assert not WebhookTarget.objects.exists()


def test_testing_a_robot_queues_a_message_and_a_disabled_one_is_refused(personas, client_of, robot):
    client = client_of(personas.sysadmin)
    target = make_target(kind=WebhookKind.WECOM, url=f"{robot.base}/send?key=K")
    queued = _post(client, "webhook-test", pk=target.pk)
    assert queued.status_code == 200 and queued.json()["status"] == OutboxStatus.PENDING
    off = make_target(kind=WebhookKind.WECOM, url=f"{robot.base}/send?key=K", enabled=False)
    assert _post(client, "webhook-test", pk=off.pk).status_code == 409
    assert _post(client, "webhook-test", pk=999999).status_code == 404
