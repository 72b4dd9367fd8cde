"""SMS: one interface for the site's gateway.

Gateways differ by site (an operator's CMPP platform, a vendor HTTP API, Aliyun or Tencent
Cloud with approved templates), so the product ships none. A site plugs in its own class:

    # mysite/sms.py
    from wulian.core.notifications.common import DeliveryError

    class CityGateway:
        def send(self, *, phone: str, text: str, key: str) -> None:
            ...  # call the gateway; raise DeliveryError(msg, retry=True/False) on failure

    # environment
    WULIAN_SMS_GATEWAY=mysite.sms.CityGateway

`key` is the outbox key: pass it to the gateway as its idempotency / client message id when it
has one. The class is built once with no arguments (read its own settings from the
environment). When WULIAN_SMS_GATEWAY is set, people may choose SMS on their preferences
page; without it, `LoggingSmsGateway` only records (numbers masked) and sends nothing.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


@runtime_checkable
class SmsGateway(Protocol):
    def send(self, *, phone: str, text: str, key: str) -> None:
        """Hand one text to the gateway; raise channels.DeliveryError when it is refused."""
        ...


def mask(phone: str) -> str:
    """138****1234: phone numbers are personal information, never logged in full."""
    digits = phone.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


class LoggingSmsGateway:
    """The default: records each text (masked number) in the log and in `sent`, sends none."""

    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []

    def send(self, *, phone: str, text: str, key: str) -> None:
        self.sent.append({"phone": phone, "text": text, "key": key})
        log.info("SMS not sent (no gateway configured) to %s: %s [%s]", mask(phone), text, key)


@cache
def _build(path: str) -> SmsGateway:
    cls = import_string(path)
    gateway = cls()
    if not isinstance(gateway, SmsGateway):
        raise TypeError(f"{path} has no send(*, phone, text, key) method")
    return gateway


def gateway() -> SmsGateway:
    """The site's gateway (WULIAN_SMS_GATEWAY), else the logging one."""
    return _build(settings.SMS_GATEWAY or f"{__name__}.LoggingSmsGateway")


def phone_of(user: Any) -> str:
    person = getattr(user, "person", None) if user is not None else None
    return (getattr(person, "phone", "") or "").strip()
