from __future__ import annotations

import pytest

from tests.notifications.helpers import FakeChannel, RecordingServer
from wulian.core.notifications import channels


@pytest.fixture
def robot():
    server = RecordingServer().start()
    yield server
    server.stop()


@pytest.fixture
def fake_sms():
    """The `sms` channel replaced by a recording one (at-most-once, like the real ones)."""
    original = channels.get("sms")
    fake = channels.register(FakeChannel("sms"))
    yield fake
    channels.register(original)


@pytest.fixture
def email_on(settings):
    settings.EMAIL_HOST = "mail.example.gov.cn"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "wulian@example.gov.cn"
    settings.SITE_URL = "https://wulian.example.gov.cn"
    return settings


@pytest.fixture
def sms_on(settings):
    settings.SMS_GATEWAY = "wulian.core.notifications.sms.LoggingSmsGateway"
    return settings
