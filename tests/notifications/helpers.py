"""Helpers of the notification tests: rows, robots, a recording HTTP server, a fake channel."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.utils import timezone

from wulian.core.notifications.channels import DeliveryError
from wulian.core.notifications.models import (
    Channel,
    OutboxMessage,
    OutboxStatus,
    WebhookKind,
    WebhookTarget,
)

_seq = itertools.count(1)


def make_message(**fields: Any) -> OutboxMessage:
    n = next(_seq)
    defaults: dict[str, Any] = {
        "key": f"test:{n}",
        "channel": Channel.INBOX,
        "kind": "tests.thing.happened",
        "title": f"测试消息{n}",
        "body": "正文",
        "url": "/orgs/",
        "next_attempt_at": timezone.now(),
    }
    defaults.update(fields)
    return OutboxMessage.objects.create(**defaults)


def make_dead_message() -> OutboxMessage:
    return make_message(
        channel=Channel.EMAIL,
        address="a@example.gov.cn",
        status=OutboxStatus.DEAD,
        attempts=6,
        last_error="SMTP 550",
    )


def make_target(**fields: Any) -> WebhookTarget:
    defaults: dict[str, Any] = {
        "name": f"机器人{next(_seq)}",
        "kind": WebhookKind.WECOM,
        "url": "http://127.0.0.1:9/cgi-bin/webhook/send?key=KEY",
    }
    defaults.update(fields)
    return WebhookTarget.objects.create(**defaults)


# --- A real HTTP server on 127.0.0.1 that records what it is sent --------------------------


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body.decode())


@dataclass
class Reply:
    status: int = 200
    body: bytes = b'{"errcode":0,"errmsg":"ok"}'
    delay: float = 0.0


@dataclass
class RecordingServer:
    requests: list[Recorded] = field(default_factory=list)
    replies: deque[Reply] = field(default_factory=deque)
    server: ThreadingHTTPServer | None = None

    def reply(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    @property
    def base(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> RecordingServer:
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                recorder.requests.append(
                    Recorded("POST", self.path, {k: v for k, v in self.headers.items()}, body)
                )
                reply = recorder.replies.popleft() if recorder.replies else Reply()
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


# --- A channel that records and can be told to fail ------------------------------------------


class FakeChannel:
    """Stands in for an external (at-most-once) channel: records each send (thread-safe)."""

    idempotent = False

    def __init__(self, name: str, *, delay: float = 0.0) -> None:
        self.name = name
        self.delay = delay
        self.sent: list[str] = []
        self.fail_with: BaseException | None = None
        self._lock = threading.Lock()

    def send(self, message: OutboxMessage) -> None:
        if self.delay:
            time.sleep(self.delay)
        if self.fail_with is not None:
            raise self.fail_with
        with self._lock:
            self.sent.append(message.key)


def failing(retry: bool = True) -> DeliveryError:
    return DeliveryError("服务器繁忙", retry=retry)
