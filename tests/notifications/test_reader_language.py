"""Issue 13: a message's title stored in Chinese reads in the recipient's language — on the
English inbox page, and in e-mails in the language he last chose with the language switch
(`ReaderLanguage`); the site's language when he never chose one."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory
from wulian.core.notifications.delivery import deliver_due
from wulian.core.notifications.models import ReaderLanguage
from wulian.core.notifications.outbox import enqueue

pytestmark = pytest.mark.django_db

TITLE = "期限已暂停计时：答复代表建议 2026年会议第3号《关于路灯的建议》"


def _send(user):
    enqueue(kind="deadlines.deadline.paused", recipients=[user], title=TITLE, dedupe="d:1:p")
    deliver_due()


def test_the_language_switch_is_remembered_for_a_signed_in_person(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert ReaderLanguage.objects.get(user=user).language == "en"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})  # not a site language
    assert ReaderLanguage.objects.get(user=user).language == "en"
    client.logout()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})  # nobody: nothing
    assert ReaderLanguage.objects.count() == 1


def test_an_email_reads_in_the_language_its_recipient_chose(email_on):
    english = UserFactory(email="en@example.gov.cn")
    ReaderLanguage.objects.create(user=english, language="en")
    _send(english)
    (email,) = mail.outbox
    assert "Deadline paused: " in email.subject, email.subject
    assert "关于路灯的建议" in email.subject  # the deputy's words as written


def test_without_a_choice_the_email_reads_in_the_sites_language(email_on):
    user = UserFactory(email="zh@example.gov.cn")
    _send(user)
    (email,) = mail.outbox
    assert email.subject == f"[{settings.SITE_NAME}] {TITLE}"


def test_the_english_inbox_shows_the_title_composed_again(email_on, client):
    user = UserFactory()
    _send(user)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "期限已暂停计时" not in page and "关于路灯的建议" in page
