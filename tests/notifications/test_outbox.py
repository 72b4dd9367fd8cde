"""Enqueueing: with the transaction, once per occurrence, on the channels people chose."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.factories import UserFactory
from tests.notifications.helpers import make_target
from wulian.core.notifications.models import Channel, OutboxMessage, Preference
from wulian.core.notifications.outbox import channels_for, enqueue, enqueue_webhooks

pytestmark = pytest.mark.django_db


def _enqueue(users, dedupe="thing:1:created", kind="deadlines.reminder"):
    return enqueue(kind=kind, recipients=users, title="期限将至", url="/x/", dedupe=dedupe)


def test_enqueue_inside_a_transaction_that_rolls_back_leaves_no_row():
    user = UserFactory(email="a@example.gov.cn")

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        _enqueue([user])
        assert OutboxMessage.objects.count() == 1
        raise Boom
    assert OutboxMessage.objects.count() == 0


def test_enqueue_twice_with_the_same_dedupe_creates_one_message(email_on):
    user = UserFactory(email="a@example.gov.cn")
    first = _enqueue([user, user])
    second = _enqueue([user])
    assert [m.channel for m in first] == [Channel.INBOX, Channel.EMAIL]
    assert second == []
    assert OutboxMessage.objects.count() == 2
    assert _enqueue([user], dedupe="thing:1:updated")  # another occurrence is a new message


def test_a_long_dedupe_never_makes_two_recipients_share_a_key():
    a, b = UserFactory(), UserFactory()
    _enqueue([a, b], dedupe="x" * 300)
    keys = list(OutboxMessage.objects.values_list("key", flat=True))
    assert len(keys) == 2 and len(set(keys)) == 2
    assert all(len(k) <= 200 for k in keys)
    assert _enqueue([a, b], dedupe="x" * 300) == []


def test_without_a_mail_server_email_is_not_offered(settings):
    settings.EMAIL_HOST = ""
    user = UserFactory(email="a@example.gov.cn")
    assert channels_for(user, "deadlines.reminder") == [Channel.INBOX]


def test_preferences_choose_the_channels(email_on, sms_on):
    user = UserFactory(email="a@example.gov.cn")
    assert channels_for(user, "deadlines.reminder") == [Channel.INBOX, Channel.EMAIL]
    # No e-mail at all, but SMS for deadlines and nothing but the inbox for suggestions.
    Preference.objects.create(user=user, kind_prefix="", channel=Channel.EMAIL, enabled=False)
    Preference.objects.create(user=user, kind_prefix="deadlines.", channel=Channel.SMS)
    Preference.objects.create(
        user=user, kind_prefix="deadlines.", channel=Channel.EMAIL, enabled=True
    )
    Preference.objects.create(
        user=user, kind_prefix="suggestions.", channel=Channel.INBOX, enabled=False
    )
    assert channels_for(user, "deadlines.reminder") == [Channel.INBOX, Channel.EMAIL, Channel.SMS]
    assert channels_for(user, "suggestions.replied") == []
    assert channels_for(user, "core.person.updated") == [Channel.INBOX]

    created = _enqueue([user])
    assert sorted(m.channel for m in created) == ["email", "inbox", "sms"]


def test_a_person_without_an_e_mail_address_gets_no_e_mail(email_on):
    user = UserFactory(email="")
    assert [m.channel for m in _enqueue([user])] == [Channel.INBOX]


def test_robots_of_the_organisation_and_the_site_get_the_matching_kinds(personas):
    unit_a, unit_b = personas.orgs["unit_a"], personas.orgs["unit_b"]
    site = make_target(name="全站")
    mine = make_target(name="民政局", organisation=unit_a)
    make_target(name="司法局", organisation=unit_b)
    only_deadlines = make_target(name="期限", kind_prefix="deadlines.")
    make_target(name="停用", enabled=False)

    created = enqueue_webhooks(
        kind="suggestions.assigned",
        organisation_ids=[unit_a.pk],
        title="新交办",
        url="/s/1/",
        dedupe="suggestion:1:assigned",
    )
    assert {m.webhook_target_id for m in created} == {site.pk, mine.pk}
    assert all(m.channel == Channel.WEBHOOK and m.recipient_id is None for m in created)
    again = enqueue_webhooks(
        kind="suggestions.assigned",
        organisation_ids=[unit_a.pk],
        title="新交办",
        dedupe="suggestion:1:assigned",
    )
    assert again == []
    deadline = enqueue_webhooks(
        kind="deadlines.overdue", organisation_ids=[], title="逾期", dedupe="deadline:9"
    )
    assert {m.webhook_target_id for m in deadline} == {site.pk, only_deadlines.pk}
