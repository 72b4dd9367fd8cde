"""Webhooks reach public addresses only (netguard): the form, the test button and every
delivery refuse loopback, link-local, private, shared, multicast, reserved and unspecified
addresses — after resolving the name, and again at connect time — unless
WULIAN_WEBHOOK_ALLOWED_NETWORKS lists the network."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.notifications.helpers import make_message, make_target
from wulian.core.models import AuditEvent
from wulian.core.notifications.delivery import deliver_due
from wulian.core.notifications.models import (
    Channel,
    OutboxMessage,
    OutboxStatus,
    WebhookKind,
    WebhookTarget,
)

pytestmark = pytest.mark.django_db

INTERNAL = [
    "127.0.0.1",
    "127.8.9.10",
    "10.1.2.3",
    "172.16.5.4",
    "192.168.1.20",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",  # noqa: S104 — an address the guard must refuse, not a bind
    "224.0.0.251",
    "240.0.0.1",
    "[::1]",
    "[fe80::1]",
    "[fc00::5]",
    "[::ffff:127.0.0.1]",
    "[ff02::1]",
    "[::]",
]


def _create(client, url):
    return client.post(
        reverse("notifications:webhook_create"),
        {"name": "内网机器人", "kind": WebhookKind.GENERIC, "url": url, "enabled": "on"},
    )


@pytest.mark.parametrize("host", INTERNAL)
def test_the_form_refuses_an_internal_address_with_a_message(personas, client_of, host):
    response = _create(client_of(personas.sysadmin), f"http://{host}:8080/hook")
    assert response.status_code == 400
    page = response.content.decode()
    assert "不允许发送" in page and "WULIAN_WEBHOOK_ALLOWED_NETWORKS" in page
    assert not WebhookTarget.objects.exists()


def test_the_form_refuses_a_name_that_resolves_to_an_internal_address(
    personas, client_of, _resolver
):
    _resolver["robot.intranet.example"] = ["10.20.30.40"]
    response = _create(client_of(personas.sysadmin), "https://robot.intranet.example/hook")
    assert response.status_code == 400 and "内网地址" in response.content.decode()
    assert not WebhookTarget.objects.exists()


def test_a_public_address_and_a_listed_network_are_accepted(personas, client_of, settings):
    client = client_of(personas.sysadmin)
    assert _create(client, "https://93.184.216.34/hook").status_code == 302
    settings.WEBHOOK_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    assert _create(client, "http://10.20.30.40:8080/hook").status_code == 302
    assert WebhookTarget.objects.count() == 2


def test_the_test_button_refuses_loopback_and_queues_nothing(personas, client_of):
    target = make_target(kind=WebhookKind.WECOM, url="http://127.0.0.1:9/send?key=K")
    client = client_of(personas.sysadmin)
    response = client.post(reverse("notifications:webhook_test", args=[target.pk]), follow=True)
    assert "本机回环地址" in response.content.decode()
    assert not OutboxMessage.objects.exists()
    assert not AuditEvent.objects.filter(action="notifications.webhook_target.tested").exists()


def test_a_delivery_to_loopback_is_refused_for_real_and_not_retried(robot, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []  # the robot listens on 127.0.0.1
    target = make_target(kind=WebhookKind.WECOM, url=f"{robot.base}/send?key=K")
    message = make_message(channel=Channel.WEBHOOK, webhook_target=target, title="交办")
    deliver_due()
    message.refresh_from_db()
    assert message.status == OutboxStatus.DEAD
    assert "本机回环地址" in message.last_error and "key=K" not in message.last_error
    assert robot.requests == []


def test_dns_rebinding_is_refused_at_connect_time(personas, client_of, robot, settings, _resolver):
    """The name answers a public address to the form's check, then loopback to the delivery."""
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    _resolver["robot.example.com"] = ["93.184.216.34", "127.0.0.1"]
    url = f"http://robot.example.com:{robot.server.server_address[1]}/hook"
    assert _create(client_of(personas.sysadmin), url).status_code == 302
    target = WebhookTarget.objects.get()
    message = make_message(channel=Channel.WEBHOOK, webhook_target=target, title="交办")
    deliver_due()
    message.refresh_from_db()
    assert message.status == OutboxStatus.DEAD and "本机回环地址" in message.last_error
    assert robot.requests == []


def test_a_listed_network_is_delivered_to(robot, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    target = make_target(kind=WebhookKind.GENERIC, url=f"{robot.base}/hook")
    make_message(channel=Channel.WEBHOOK, webhook_target=target, title="交办")
    assert deliver_due().sent == 1 and len(robot.requests) == 1
