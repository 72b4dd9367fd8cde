from __future__ import annotations

import pytest

from tests.notifications.helpers import FakeChannel, RecordingServer
from wulian.core.notifications import channels


@pytest.fixture
def robot(settings):
    """A recording server on 127.0.0.1, a network the site allows for these tests."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
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


# Names the tests resolve (the DNS part of the webhook address guard); anything else does not
# resolve, as offline. Literal addresses go to the real resolver (no network is involved).
NAMES: dict[str, list[str]] = {}


@pytest.fixture(autouse=True)
def _resolver(monkeypatch):
    import ipaddress
    import socket

    from wulian.core.notifications import netguard

    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        try:
            ipaddress.ip_address(str(host))
        except ValueError:
            answers = NAMES.get(str(host))
            if not answers:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None
            address = answers.pop(0) if len(answers) > 1 else answers[0]
            return real(address, port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(netguard.socket, "getaddrinfo", getaddrinfo)
    NAMES.clear()
    yield NAMES
    NAMES.clear()
