"""Delivery: claimed and committed before sending, sent once, retried with back-off, dead after
the last attempt, uncertain after a crash mid-send (never re-sent by itself)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import UserFactory
from tests.notifications.helpers import failing, make_message
from wulian.core import jobs
from wulian.core.notifications import channels, delivery
from wulian.core.notifications.channels import DeliveryUncertain, message_id
from wulian.core.notifications.delivery import BACKOFF, MAX_ATTEMPTS, deliver_due
from wulian.core.notifications.models import (
    Channel,
    Notification,
    OutboxMessage,
    OutboxStatus,
)
from wulian.core.notifications.outbox import enqueue

pytestmark = pytest.mark.django_db


def _reload(message: OutboxMessage) -> OutboxMessage:
    return OutboxMessage.objects.get(pk=message.pk)


def test_delivery_is_a_registered_periodic_job_with_a_json_result():
    import json

    from wulian.core.notifications.delivery import deliver_job

    job = jobs.registered()["notifications.deliver"]
    assert job.every_seconds == 10 and job.fn is deliver_job
    assert json.loads(json.dumps(job.fn()))["sent"] == 0  # storable by a Celery result backend


def test_delivery_marks_sent_and_the_inbox_gets_one_notification(email_on):
    user = UserFactory(email="a@example.gov.cn")
    created = enqueue(
        kind="deadlines.reminder",
        recipients=[user],
        title="期限将至",
        body="还有三天",
        url="/orgs/",
        dedupe="deadline:1:80",
    )
    report = deliver_due()
    assert report.sent == 2
    for message in created:
        message = _reload(message)
        assert message.status == OutboxStatus.SENT
        assert message.sent_at is not None and message.attempts == 1
        assert message.claimed_at is None
    [notification] = Notification.objects.filter(recipient=user)
    assert (notification.title, notification.body, notification.url) == (
        "期限将至",
        "还有三天",
        "/orgs/",
    )
    assert notification.outbox.channel == Channel.INBOX

    [email] = mail.outbox
    key = next(m.key for m in created if m.channel == Channel.EMAIL)
    assert email.to == ["a@example.gov.cn"]
    assert email.subject.endswith("期限将至")
    assert "https://wulian.example.gov.cn/orgs/" in email.body
    assert email.extra_headers["Message-ID"] == message_id(key)
    assert message_id(key).endswith("@example.gov.cn>")

    assert deliver_due().attempted == 0  # nothing is delivered twice
    assert len(mail.outbox) == 1 and Notification.objects.count() == 1


def test_the_inbox_channel_is_idempotent():
    message = make_message(recipient=UserFactory())
    channels.get("inbox").send(message)
    channels.get("inbox").send(message)
    assert Notification.objects.filter(outbox=message).count() == 1


def test_rows_not_yet_due_wait():
    message = make_message(
        recipient=UserFactory(), next_attempt_at=timezone.now() + timedelta(minutes=1)
    )
    assert deliver_due().attempted == 0
    assert _reload(message).status == OutboxStatus.PENDING


def test_a_failing_channel_retries_with_back_off_and_ends_dead(fake_sms, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    fake_sms.fail_with = failing(retry=True)
    message = make_message(channel=Channel.SMS, recipient=UserFactory(), address="13800001234")
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        report = deliver_due()
        assert report.attempted == 1
        message = _reload(message)
        assert message.attempts == attempt
        assert "服务器繁忙" in message.last_error and f"#{attempt}" in message.last_error
        if attempt < MAX_ATTEMPTS:
            assert message.status == OutboxStatus.FAILED
            waits.append(message.next_attempt_at - timezone.now())
            assert deliver_due().attempted == 0  # not before its time
            time_machine.move_to(message.next_attempt_at, tick=False)
    assert waits == list(BACKOFF)
    assert message.status == OutboxStatus.DEAD
    time_machine.move_to(timezone.now() + timedelta(days=2), tick=False)
    assert deliver_due().attempted == 0
    assert fake_sms.sent == []


def test_a_refusal_that_will_not_pass_is_dead_at_once(fake_sms):
    fake_sms.fail_with = failing(retry=False)
    message = make_message(channel=Channel.SMS, recipient=UserFactory(), address="13800001234")
    deliver_due()
    message = _reload(message)
    assert (message.status, message.attempts) == (OutboxStatus.DEAD, 1)


def test_a_channel_that_cannot_tell_marks_the_message_uncertain(fake_sms):
    fake_sms.fail_with = DeliveryUncertain("no answer")
    message = make_message(channel=Channel.SMS, recipient=UserFactory(), address="13800001234")
    deliver_due()
    assert _reload(message).status == OutboxStatus.UNCERTAIN
    assert deliver_due().attempted == 0


def test_a_bug_in_an_external_channel_is_uncertain_not_resent(fake_sms):
    fake_sms.fail_with = KeyError("oops")
    message = make_message(channel=Channel.SMS, recipient=UserFactory(), address="13800001234")
    deliver_due()
    assert _reload(message).status == OutboxStatus.UNCERTAIN


def test_an_interrupted_send_becomes_uncertain_and_is_not_resent(fake_sms, time_machine):
    """A deliverer claimed the row (committed `sending`) and died before recording the outcome."""
    time_machine.move_to(timezone.now(), tick=False)
    message = make_message(channel=Channel.SMS, recipient=UserFactory(), address="13800001234")
    [claimed] = delivery.claim()
    assert claimed.pk == message.pk
    assert (_reload(message).status, _reload(message).attempts) == (OutboxStatus.SENDING, 1)
    # ... the process is killed here ...
    assert deliver_due().attempted == 0  # another deliverer leaves a recent claim alone
    assert _reload(message).status == OutboxStatus.SENDING

    time_machine.move_to(timezone.now() + delivery.SENDING_TIMEOUT + timedelta(seconds=1))
    report = deliver_due()
    assert report.settled == 1 and report.attempted == 0
    message = _reload(message)
    assert message.status == OutboxStatus.UNCERTAIN
    assert "无法确认" in message.last_error
    time_machine.move_to(timezone.now() + timedelta(days=2))
    assert deliver_due().attempted == 0
    assert fake_sms.sent == []


def test_an_interrupted_inbox_delivery_is_delivered_again_exactly_once(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    message = make_message(recipient=UserFactory())
    [claimed] = delivery.claim()
    channels.get("inbox").send(claimed)  # the notification was created ...
    # ... and the process died before marking the row sent.
    time_machine.move_to(timezone.now() + delivery.SENDING_TIMEOUT + timedelta(seconds=1))
    report = deliver_due()
    assert report.settled == 1 and report.sent == 1
    message = _reload(message)
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 2)
    assert Notification.objects.filter(outbox=message).count() == 1


def test_a_slow_deliverer_that_finishes_after_being_settled_records_the_truth(fake_sms):
    message = make_message(channel=Channel.SMS, recipient=UserFactory(), address="13800001234")
    [claimed] = delivery.claim()
    delivery.settle_stale(now=timezone.now() + delivery.SENDING_TIMEOUT * 2)
    assert _reload(message).status == OutboxStatus.UNCERTAIN
    delivery.send_one(claimed, delivery.DeliveryReport())
    assert _reload(message).status == OutboxStatus.SENT
    assert fake_sms.sent == [message.key]


def test_a_deliverer_that_lost_its_row_does_not_overwrite_a_retry(fake_sms):
    message = make_message(channel=Channel.SMS, recipient=UserFactory(), address="13800001234")
    [claimed] = delivery.claim()
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.PENDING)  # retried
    report = delivery.DeliveryReport()
    delivery.send_one(claimed, report)
    assert report.lost == 1
    assert _reload(message).status == OutboxStatus.PENDING


def test_messages_to_a_deactivated_account_are_dropped(fake_sms):
    user = UserFactory(is_active=False)
    message = make_message(channel=Channel.SMS, recipient=user, address="13800001234")
    report = deliver_due()
    assert report.dropped == 1
    assert _reload(message).status == OutboxStatus.DROPPED
    assert fake_sms.sent == []


def test_the_limit_bounds_one_run():
    user = UserFactory()
    for _ in range(25):
        make_message(recipient=user)
    assert deliver_due(limit=12).sent == 12
    assert deliver_due(limit=200).sent == 13


def test_sms_goes_through_the_configured_gateway(sms_on, personas):
    from wulian.core.notifications import sms

    user = personas.unit_a
    user.person.phone = "13800001234"
    user.person.save(update_fields=["phone"])
    message = make_message(channel=Channel.SMS, recipient=user, title="期限将至", url="")
    gateway = sms.gateway()
    before = len(gateway.sent)
    assert deliver_due().sent == 1
    assert gateway.sent[before:] == [
        {"phone": "13800001234", "text": "期限将至", "key": message.key}
    ]
    assert sms.mask("13800001234") == "138****1234"
