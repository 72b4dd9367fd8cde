"""What the channels (`channels`) and the transports they use (`webhooks`, `sms`) share: the
delivery errors and links for outside the browser. Below both, so neither imports the other
back; `channels` re-exports them."""

from __future__ import annotations

from django.conf import settings


class DeliveryError(Exception):
    """The message was not delivered. `retry` says whether trying again later may help."""

    def __init__(self, message: str, retry: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.retry = retry


class DeliveryUncertain(DeliveryError):
    """The message may have been delivered: never sent again without a person deciding."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retry=False)


def absolute_url(path: str) -> str:
    """A link for outside the browser (e-mail, robots): WULIAN_SITE_URL + path."""
    if not path or "://" in path:
        return path
    base = (settings.SITE_URL or "").rstrip("/")
    return f"{base}{path}" if base else path
