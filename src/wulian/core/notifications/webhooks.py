"""Group-robot webhooks: 企业微信 and 钉钉 message formats, the 钉钉 加签 scheme, and one POST
with the standard library (urllib, a short timeout, no new dependency).

- 企业微信 group robot: `POST …/cgi-bin/webhook/send?key=KEY` with
  `{"msgtype": "markdown", "markdown": {"content": …}}` (content at most 4096 bytes). The key in
  the URL is the secret.
- 钉钉 custom robot: `POST …/robot/send?access_token=T` with
  `{"msgtype": "markdown", "markdown": {"title": …, "text": …}}`; with 加签 the URL gets
  `&timestamp=<ms>&sign=<urlencode(base64(HMAC-SHA256(secret, "<ms>\\n<secret>")))>`.
- generic: `{"key", "kind", "title", "body", "url"}`; with a secret, the headers
  `X-Wulian-Timestamp` and `X-Wulian-Signature: sha256=<hex HMAC-SHA256(secret, "<ts>.<body>")>`,
  and `Idempotency-Key: <outbox key>` so that the receiver can drop a repeat.

Both robots take 20 messages a minute; above that they answer with an error code
(钉钉 130101, 企业微信 45009), which is retried with back-off like a busy server.

Errors: no connection (refused, DNS, connect timeout) and HTTP 5xx / 408 / 429 are retried;
other 4xx and refusals in the robot's answer are not. A request that went out but got no
answer (read timeout, connection dropped) may have been posted: `DeliveryUncertain`.
Error texts never contain the URL (its key is the secret).

Connections go through `netguard.opener()`: an address that is loopback, link-local, private
and so on (after resolving the name, checked again at connect time) is refused without retry
unless `WULIAN_WEBHOOK_ALLOWED_NETWORKS` lists it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from wulian.core.notifications import netguard
from wulian.core.notifications.common import DeliveryError, DeliveryUncertain, absolute_url
from wulian.core.notifications.models import OutboxMessage, WebhookKind, WebhookTarget

WECOM_MAX_BYTES = 4096
DINGTALK_MAX_CHARS = 4000
MAX_ANSWER_BYTES = 64 * 1024

# Answers that mean "try again later": system busy, too many messages a minute.
RETRYABLE_ERRCODES = {
    WebhookKind.WECOM: {-1, 45009},
    WebhookKind.DINGTALK: {-1, 130101},
}


def _truncate_bytes(text: str, limit: int) -> str:
    raw = text.encode()
    if len(raw) <= limit:
        return text
    return raw[: limit - 3].decode(errors="ignore") + "…"


def _link(message: OutboxMessage) -> str:
    url = absolute_url(message.url)
    return f"[{_('查看详情')}]({url})" if url else ""


def payload(kind: str, message: OutboxMessage) -> dict[str, Any]:
    """The JSON body for a robot of this kind."""
    site = str(settings.SITE_NAME)
    if kind == WebhookKind.WECOM:
        parts = [f"**{message.title}**", message.body, _link(message)]
        footer = f'<font color="comment">{site}</font>'
        content = "\n".join(p for p in parts if p)
        content = _truncate_bytes(content, WECOM_MAX_BYTES - len(footer.encode()) - 1)
        return {"msgtype": "markdown", "markdown": {"content": f"{content}\n{footer}"}}
    if kind == WebhookKind.DINGTALK:
        parts = [f"#### {message.title}", message.body, _link(message), f"> {site}"]
        text = "\n\n".join(p for p in parts if p)
        if len(text) > DINGTALK_MAX_CHARS:
            text = text[: DINGTALK_MAX_CHARS - 1] + "…"
        return {"msgtype": "markdown", "markdown": {"title": message.title, "text": text}}
    return {
        "key": message.key,
        "kind": message.kind,
        "title": message.title,
        "body": message.body,
        "url": absolute_url(message.url),
    }


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉 加签: urlencode(base64(HMAC-SHA256(key=secret, msg="<timestamp>\\n<secret>")))."""
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), string_to_sign, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    ts = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{joiner}timestamp={ts}&sign={dingtalk_sign(secret, ts)}"


def generic_signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def post(target: WebhookTarget, body: dict[str, Any], *, key: str = "") -> None:
    """POST the body to the target; return when it was accepted, raise DeliveryError if not."""
    data = encode(body)
    url = target.url
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "wulian"}
    if target.kind == WebhookKind.DINGTALK and target.secret:
        url = dingtalk_signed_url(url, target.secret)
    if target.kind == WebhookKind.GENERIC:
        if key or body.get("key"):
            headers["Idempotency-Key"] = key or str(body["key"])
        if target.secret:
            ts = int(time.time())
            headers["X-Wulian-Timestamp"] = str(ts)
            headers["X-Wulian-Signature"] = generic_signature(target.secret, ts, data)
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        raise DeliveryError(_("Webhook 地址必须以 http:// 或 https:// 开头。"), retry=False)
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    try:
        with netguard.opener().open(request, timeout=timeout) as response:
            answer = response.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as exc:
        code = exc.code
        retry = code >= 500 or code in (408, 429)
        raise DeliveryError(f"HTTP {code} {exc.reason}", retry=retry) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, netguard.AddressRefused):
            raise DeliveryError(exc.reason.message, retry=False) from None
        # Raised while connecting or sending: the robot did not get the message.
        raise DeliveryError(f"{_('无法连接')}: {exc.reason}", retry=True) from None
    except (TimeoutError, OSError, http.client.HTTPException) as exc:
        # The request went out and no answer came back: it may have been posted.
        raise DeliveryUncertain(
            f"{_('已发出请求但未收到应答')}: {exc.__class__.__name__} {exc}"
        ) from None
    _check_answer(target.kind, answer)


def _check_answer(kind: str, answer: bytes) -> None:
    """Robots answer HTTP 200 with {"errcode": 0, "errmsg": "ok"}, or an error code."""
    if kind not in RETRYABLE_ERRCODES:
        return
    try:
        parsed = json.loads(answer.decode())
        errcode = int(parsed.get("errcode", 0))
        errmsg = str(parsed.get("errmsg", ""))[:200]
    except (ValueError, AttributeError, TypeError):
        raise DeliveryUncertain(f"{_('群机器人应答无法识别')}: {answer[:200]!r}") from None
    if errcode != 0:
        raise DeliveryError(
            f"errcode {errcode}: {errmsg}", retry=errcode in RETRYABLE_ERRCODES[kind]
        )
