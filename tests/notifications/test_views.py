"""The inbox, the unread count in the header, preferences, and the administrator's pages."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.notifications.helpers import make_dead_message, make_message, make_target
from wulian.core.models import AuditEvent
from wulian.core.notifications import kinds
from wulian.core.notifications.delivery import deliver_due
from wulian.core.notifications.models import (
    Channel,
    Notification,
    OutboxStatus,
    Preference,
    WebhookKind,
    WebhookTarget,
)

pytestmark = pytest.mark.django_db


def _notify(user, n=1, *, read=False, url="/orgs/"):
    items = []
    for i in range(n):
        items.append(
            Notification.objects.create(
                recipient=user,
                kind="core.person.updated",
                title=f"通知{i}",
                body="正文",
                url=url,
                read_at=timezone.now() if read else None,
            )
        )
    return items


def _events(action):
    return list(AuditEvent.objects.filter(action=action))


def test_inbox_lists_own_notifications_unread_first(personas, client_of):
    user = personas.unit_a
    [old_unread] = _notify(user, 1)
    [read] = _notify(user, 1, read=True)
    _notify(personas.unit_b, 1)
    response = client_of(user).get(reverse("notifications:inbox"))
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert [n.pk for n in rows] == [old_unread.pk, read.pk]  # unread first, others' hidden
    html = response.content.decode()
    assert 'data-unread="1"' in html  # the header count
    assert "未读" in html


def test_the_header_shows_the_unread_count_on_every_page(personas, client_of):
    _notify(personas.unit_a, 3)
    _notify(personas.unit_a, 2, read=True)
    html = client_of(personas.unit_a).get(reverse("core:home")).content.decode()
    assert 'href="/notifications/"' in html and 'data-unread="3"' in html
    html = client_of(personas.unit_b).get(reverse("core:home")).content.decode()
    assert 'href="/notifications/"' in html and "data-unread" not in html


def test_marking_one_and_all_read(personas, client_of):
    user = personas.unit_a
    a, b, _c = _notify(user, 3)
    [theirs] = _notify(personas.unit_b, 1)
    client = client_of(user)
    response = client.post(reverse("notifications:read", args=[a.pk]))
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    a.refresh_from_db()
    assert a.read_at is not None
    # Someone else's notification is left alone, and nothing says it exists.
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # Opening one marks it read and goes to its page.
    response = client.post(reverse("notifications:read", args=[b.pk]), {"open": "1"})
    assert response["Location"] == "/orgs/"
    b.refresh_from_db()
    assert b.read_at is not None
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert not AuditEvent.objects.filter(action__startswith="notifications.").exists()


def test_opening_never_redirects_off_site(personas, client_of):
    [n] = _notify(personas.unit_a, 1, url="https://evil.example.com/")
    response = client_of(personas.unit_a).post(
        reverse("notifications:read", args=[n.pk]), {"open": "1"}
    )
    assert response["Location"] == "/notifications/"


def test_inbox_costs_the_same_queries_for_1_and_20_items(personas, client_of):
    client = client_of(personas.unit_a)
    url = reverse("notifications:inbox")
    _notify(personas.unit_a, 1)
    client.get(url)  # warm the session and caches

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = cost()
    _notify(personas.unit_a, 19)
    _notify(personas.unit_a, 5, read=True)
    assert cost() == one


def test_delivered_notifications_appear_in_the_inbox(personas, client_of):
    make_message(recipient=personas.unit_a, title="交办到期提醒")
    deliver_due()
    html = client_of(personas.unit_a).get(reverse("notifications:inbox")).content.decode()
    assert "交办到期提醒" in html and 'data-unread="1"' in html


# --- Preferences ----------------------------------------------------------------------------


@pytest.fixture
def deadline_kind():
    kinds.register("deadlines.", "期限提醒")
    yield
    kinds.unregister("deadlines.")


def test_preferences_page_saves_channels_per_kind(personas, client_of, email_on, deadline_kind):
    user = personas.unit_a
    client = client_of(user)
    url = reverse("notifications:preferences")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "站内消息" in html and "电子邮件" in html and "期限提醒" in html
    assert "短信" not in html  # no gateway configured: not offered

    response = client.post(
        url,
        {
            "pref||inbox": "on",  # e-mail unchecked: off for everything ...
            "pref|deadlines.|email": "on",  # ... but on for deadlines
            "pref|deadlines.|inbox": "",
        },
    )
    assert response.status_code == 302
    stored = set(
        Preference.objects.filter(user=user).values_list("kind_prefix", "channel", "enabled")
    )
    assert stored == {("", "email", False), ("deadlines.", "email", True)}
    [event] = _events("notifications.preferences.saved")
    assert json.loads(event.after) == {"|email": False, "deadlines.|email": True}

    from wulian.core.notifications.outbox import channels_for

    assert channels_for(user, "deadlines.overdue") == [Channel.INBOX, Channel.EMAIL]
    assert channels_for(user, "suggestions.new") == [Channel.INBOX]

    # Back to the defaults: the rows go away.
    client.post(url, {"pref||inbox": "on", "pref||email": "on", "pref|deadlines.|email": ""})
    assert not Preference.objects.filter(user=user).exists()


def test_preferences_refuse_a_channel_the_site_does_not_offer(personas):
    from wulian.core.errors import ValidationFailed
    from wulian.core.notifications import services

    with pytest.raises(ValidationFailed):
        services.preferences_save(actor=personas.unit_a, choices={("", "webhook"): True})
    with pytest.raises(ValidationFailed):
        services.preferences_save(actor=personas.unit_a, choices={("nope.", "inbox"): True})


# --- Delivery problems ---------------------------------------------------------------------


def test_the_administrator_sees_problems_and_retries_or_drops_them(personas, client_of):
    dead = make_dead_message()
    uncertain = make_message(
        channel=Channel.SMS, status=OutboxStatus.UNCERTAIN, attempts=1, last_error="中断"
    )
    make_message(status=OutboxStatus.SENT)
    client = client_of(personas.sysadmin)
    response = client.get(reverse("notifications:outbox"))
    assert response.status_code == 200
    assert {m.pk for m in response.context["page"].object_list} == {dead.pk, uncertain.pk}
    html = response.content.decode()
    assert "SMTP 550" in html and "确认未收到，重发" in html

    home = client.get(reverse("core:home")).content.decode()
    assert "2 条消息投递失败或中断" in home

    response = client.post(
        reverse("notifications:outbox_action", args=[dead.pk, "retry"]),
        {"query": "status=dead&page=1"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/notifications/outbox/?status=dead&page=1"
    dead.refresh_from_db()
    assert dead.status == OutboxStatus.PENDING and dead.next_attempt_at <= timezone.now()
    [event] = _events("notifications.outbox.retried")
    assert json.loads(event.before)["status"] == "dead"
    assert json.loads(event.after)["status"] == "pending"
    assert event.actor_id == personas.sysadmin.pk

    client.post(reverse("notifications:outbox_action", args=[uncertain.pk, "drop"]))
    uncertain.refresh_from_db()
    assert uncertain.status == OutboxStatus.DROPPED
    assert len(_events("notifications.outbox.dropped")) == 1

    # A second click on a row already handled is refused, and says so.
    response = client.post(
        reverse("notifications:outbox_action", args=[uncertain.pk, "drop"]), follow=True
    )
    assert "已被处理" in response.content.decode()
    assert len(_events("notifications.outbox.dropped")) == 1


def test_a_retried_dead_message_gets_one_more_attempt(personas, fake_sms):
    from wulian.core.notifications import services

    message = make_message(
        channel=Channel.SMS, address="13800001234", status=OutboxStatus.DEAD, attempts=6
    )
    services.outbox_retry(actor=personas.sysadmin, message_id=message.pk)
    assert deliver_due().sent == 1
    assert fake_sms.sent == [message.key]


@pytest.mark.parametrize("who", ["secadmin", "auditadmin", "unit_a"])
def test_only_the_system_administrator_retries(personas, who):
    from wulian.core.errors import AccessDenied
    from wulian.core.notifications import services

    message = make_dead_message()
    with pytest.raises(AccessDenied):
        services.outbox_retry(actor=personas.users[who], message_id=message.pk)
    with pytest.raises(AccessDenied):
        services.outbox_drop(actor=personas.users[who], message_id=message.pk)


def test_outbox_page_costs_the_same_for_1_and_20_rows(personas, client_of):
    client = client_of(personas.sysadmin)
    url = reverse("notifications:outbox")
    make_dead_message()
    client.get(url)

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    one = cost()
    for _ in range(19):
        make_dead_message()
    make_message(recipient=personas.unit_a, status=OutboxStatus.FAILED, attempts=1)
    assert cost() == one


# --- Group robots ----------------------------------------------------------------------------


def test_the_administrator_adds_and_edits_a_robot_without_leaking_its_secrets(personas, client_of):
    client = client_of(personas.sysadmin)
    response = client.post(
        reverse("notifications:webhook_create"),
        {
            "name": "民政局工作群",
            "kind": WebhookKind.DINGTALK,
            "url": "https://oapi.dingtalk.com/robot/send?access_token=TOKEN123",
            "secret": "SECxyz",
            "organisation": personas.orgs["unit_a"].pk,
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    target = WebhookTarget.objects.get()
    assert (target.secret, target.organisation_id) == ("SECxyz", personas.orgs["unit_a"].pk)
    [created] = _events("notifications.webhook_target.created")
    assert "TOKEN123" not in created.after and "SECxyz" not in created.after
    assert (
        json.loads(created.after)["url"] == "https://oapi.dingtalk.com/robot/send?access_token=***"
    )

    listing = client.get(reverse("notifications:webhook_list")).content.decode()
    assert "TOKEN123" not in listing and "SECxyz" not in listing

    edit = reverse("notifications:webhook_edit", args=[target.pk])
    form = client.get(edit).content.decode()
    assert "SECxyz" not in form
    response = client.post(
        edit,
        {
            "name": "民政局工作群",
            "kind": WebhookKind.DINGTALK,
            "url": target.url,
            "secret": "",  # kept
            "kind_prefix": "suggestions.",
            "enabled": "on",
            "version": 1,
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.secret, target.kind_prefix, target.version) == ("SECxyz", "suggestions.", 2)
    assert target.organisation_id is None
    [updated] = _events("notifications.webhook_target.updated")
    assert json.loads(updated.after) == {"kind_prefix": "suggestions.", "organisation_id": None}

    # A stale form is refused.
    response = client.post(
        edit, {"name": "x", "kind": WebhookKind.DINGTALK, "url": target.url, "version": 1}
    )
    assert response.status_code == 409
    assert WebhookTarget.objects.get().name == "民政局工作群"


def test_a_robot_url_must_be_http(personas, client_of):
    response = client_of(personas.sysadmin).post(
        reverse("notifications:webhook_create"),
        {"name": "x", "kind": WebhookKind.GENERIC, "url": "file:///etc/passwd"},
    )
    assert response.status_code == 400
    assert not WebhookTarget.objects.exists()


def test_the_test_button_queues_a_message_to_the_robot(personas, client_of, robot):
    target = make_target(kind=WebhookKind.WECOM, url=f"{robot.base}/send?key=K")
    response = client_of(personas.sysadmin).post(
        reverse("notifications:webhook_test", args=[target.pk])
    )
    assert response.status_code == 302
    assert len(_events("notifications.webhook_target.tested")) == 1
    assert deliver_due().sent == 1
    assert "测试消息" in robot.requests[0].json["markdown"]["content"]
