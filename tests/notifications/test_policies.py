"""The notification rules, persona by persona."""

from __future__ import annotations

import pytest

from tests.notifications.helpers import make_dead_message, make_target
from tests.personas import PERSONA_NAMES
from wulian.core import access
from wulian.core.notifications.models import Notification, OutboxMessage, WebhookTarget

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("action", ["notifications.inbox.view", "notifications.preference.manage"])
def test_everyone_signed_in_has_an_inbox_and_preferences(personas, action):
    for name in PERSONA_NAMES:
        assert access.can(personas.users[name], action), name
    assert not access.can(None, action)


@pytest.mark.parametrize("action", ["notifications.outbox.manage", "notifications.webhook.manage"])
def test_only_the_system_administrator_manages_deliveries_and_robots(personas, action):
    allowed = {n for n in PERSONA_NAMES if access.can(personas.users[n], action)}
    assert allowed == {"sysadmin"}


def test_scopes(personas):
    mine = Notification.objects.create(recipient=personas.unit_a, kind="k", title="t")
    Notification.objects.create(recipient=personas.unit_b, kind="k", title="t")
    scoped = access.scope(personas.unit_a, "notifications.inbox.view", Notification.objects.all())
    assert list(scoped) == [mine]
    assert access.can(personas.unit_a, "notifications.inbox.view", mine)
    assert not access.can(personas.unit_b, "notifications.inbox.view", mine)

    make_dead_message()
    make_target()
    for name in PERSONA_NAMES:
        user = personas.users[name]
        outbox = access.scope(user, "notifications.outbox.manage", OutboxMessage.objects.all())
        robots = access.scope(user, "notifications.webhook.manage", WebhookTarget.objects.all())
        expected = 1 if name == "sysadmin" else 0
        assert (outbox.count(), robots.count()) == (expected, expected), name
