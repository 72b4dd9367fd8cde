"""Group robots against a real HTTP server on 127.0.0.1 that records each request."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import urllib.parse

import pytest

from tests.notifications.helpers import Reply, make_message, make_target
from wulian.core.notifications import webhooks
from wulian.core.notifications.delivery import deliver_due
from wulian.core.notifications.models import Channel, OutboxMessage, OutboxStatus, WebhookKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://wulian.example.gov.cn"
    settings.WEBHOOK_TIMEOUT_SECONDS = 2


def _robot_message(target, **fields):
    fields.setdefault("title", "新交办：关于加强养老服务的建议")
    fields.setdefault("body", "请于 5 个工作日内签收。")
    fields.setdefault("url", "/suggestions/42/")
    return make_message(channel=Channel.WEBHOOK, webhook_target=target, **fields)


def _status(message):
    return OutboxMessage.objects.get(pk=message.pk)


def test_wecom_robot_gets_the_documented_markdown_body(robot):
    target = make_target(kind=WebhookKind.WECOM, url=f"{robot.base}/cgi-bin/webhook/send?key=K1")
    message = _robot_message(target)
    assert deliver_due().sent == 1
    [request] = robot.requests
    assert request.path == "/cgi-bin/webhook/send?key=K1"
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert request.json == {
        "msgtype": "markdown",
        "markdown": {
            "content": "**新交办：关于加强养老服务的建议**\n"
            "请于 5 个工作日内签收。\n"
            "[查看详情](https://wulian.example.gov.cn/suggestions/42/)\n"
            '<font color="comment">五联监督平台</font>'
        },
    }
    assert _status(message).status == OutboxStatus.SENT


def test_dingtalk_robot_gets_markdown_and_a_valid_signature(robot):
    secret = "SEC0123456789abcdef"
    target = make_target(
        kind=WebhookKind.DINGTALK, url=f"{robot.base}/robot/send?access_token=T1", secret=secret
    )
    _robot_message(target)
    assert deliver_due().sent == 1
    [request] = robot.requests
    assert request.json == {
        "msgtype": "markdown",
        "markdown": {
            "title": "新交办：关于加强养老服务的建议",
            "text": "#### 新交办：关于加强养老服务的建议\n\n"
            "请于 5 个工作日内签收。\n\n"
            "[查看详情](https://wulian.example.gov.cn/suggestions/42/)\n\n"
            "> 五联监督平台",
        },
    }
    path, _, query = request.path.partition("?")
    assert path == "/robot/send"
    assert query.startswith("access_token=T1&timestamp=")
    params = urllib.parse.parse_qs(query)
    timestamp = params["timestamp"][0]
    # The documented scheme, computed independently: base64(HMAC-SHA256(secret, ts\nsecret)).
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    assert params["sign"] == [expected]
    # ... and url-encoded on the wire ('+', '/', '=' escaped).
    raw_sign = query.split("&sign=")[1]
    assert raw_sign == urllib.parse.quote_plus(expected)


def test_dingtalk_sign_known_value():
    sign = webhooks.dingtalk_sign("SECabc", 1700000000000)
    digest = hmac.new(b"SECabc", b"1700000000000\nSECabc", hashlib.sha256).digest()
    assert sign == urllib.parse.quote_plus(base64.b64encode(digest).decode())
    url = webhooks.dingtalk_signed_url("https://oapi.dingtalk.com/robot/send", "SECabc", 17)
    assert url.startswith("https://oapi.dingtalk.com/robot/send?timestamp=17&sign=")


def test_dingtalk_without_a_secret_is_not_signed(robot):
    target = make_target(kind=WebhookKind.DINGTALK, url=f"{robot.base}/robot/send?access_token=T")
    _robot_message(target)
    deliver_due()
    assert robot.requests[0].path == "/robot/send?access_token=T"


def test_generic_endpoint_gets_json_an_idempotency_key_and_a_signature(robot):
    target = make_target(kind=WebhookKind.GENERIC, url=f"{robot.base}/hook", secret="s3cret")
    message = _robot_message(target)
    deliver_due()
    [request] = robot.requests
    assert request.json == {
        "key": message.key,
        "kind": "tests.thing.happened",
        "title": "新交办：关于加强养老服务的建议",
        "body": "请于 5 个工作日内签收。",
        "url": "https://wulian.example.gov.cn/suggestions/42/",
    }
    assert request.headers["Idempotency-Key"] == message.key
    ts = request.headers["X-Wulian-Timestamp"]
    mac = hmac.new(b"s3cret", f"{ts}.".encode() + request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Wulian-Signature"] == f"sha256={mac}"


def test_wecom_content_is_cut_to_4096_bytes(robot):
    target = make_target(kind=WebhookKind.WECOM, url=f"{robot.base}/send?key=K")
    _robot_message(target, body="长" * 3000)
    deliver_due()
    content = robot.requests[0].json["markdown"]["content"]
    assert len(content.encode()) <= 4096
    assert content.endswith('<font color="comment">五联监督平台</font>')


@pytest.mark.parametrize(
    ("reply", "status", "retried"),
    [
        (Reply(status=503, body=b"busy"), OutboxStatus.FAILED, True),
        (Reply(status=429, body=b"slow down"), OutboxStatus.FAILED, True),
        (Reply(status=404, body=b"no"), OutboxStatus.DEAD, False),
        (Reply(status=400, body=b"bad"), OutboxStatus.DEAD, False),
        # HTTP 200 with the robot's own error codes.
        (Reply(body=b'{"errcode":45009,"errmsg":"api freq out of limit"}'), "failed", True),
        (Reply(body=b'{"errcode":93000,"errmsg":"invalid webhook url"}'), "dead", False),
    ],
)
def test_wecom_errors(robot, reply, status, retried):
    target = make_target(kind=WebhookKind.WECOM, url=f"{robot.base}/send?key=SECRETKEY")
    message = _robot_message(target)
    robot.reply(reply)
    deliver_due()
    message = _status(message)
    assert message.status == status
    assert "SECRETKEY" not in message.last_error  # the key in the URL is the secret
    assert (message.next_attempt_at > message.created_at) is retried


@pytest.mark.parametrize(
    ("errcode", "status"),
    [(130101, OutboxStatus.FAILED), (310000, OutboxStatus.DEAD), (-1, OutboxStatus.FAILED)],
)
def test_dingtalk_errors(robot, errcode, status):
    target = make_target(kind=WebhookKind.DINGTALK, url=f"{robot.base}/robot/send?access_token=T")
    message = _robot_message(target)
    robot.reply(Reply(body=json.dumps({"errcode": errcode, "errmsg": "x"}).encode()))
    deliver_due()
    assert _status(message).status == status
    assert f"errcode {errcode}" in _status(message).last_error


def test_an_unrecognised_answer_is_uncertain(robot):
    target = make_target(kind=WebhookKind.WECOM, url=f"{robot.base}/send?key=K")
    message = _robot_message(target)
    robot.reply(Reply(body=b"<html>portal</html>"))
    deliver_due()
    assert _status(message).status == OutboxStatus.UNCERTAIN


def test_no_answer_after_the_request_went_out_is_uncertain_not_retried(robot, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    target = make_target(kind=WebhookKind.WECOM, url=f"{robot.base}/send?key=K")
    message = _robot_message(target)
    robot.reply(Reply(delay=1.6))
    deliver_due()
    message = _status(message)
    assert message.status == OutboxStatus.UNCERTAIN
    assert len(robot.requests) == 1
    assert deliver_due().attempted == 0


def test_a_refused_connection_is_retried(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    target = make_target(kind=WebhookKind.WECOM, url=f"http://127.0.0.1:{port}/send?key=K")
    message = _robot_message(target)
    deliver_due()
    message = _status(message)
    assert message.status == OutboxStatus.FAILED
    assert "key=K" not in message.last_error


def test_a_disabled_or_deleted_robot_is_not_posted_to(robot):
    target = make_target(kind=WebhookKind.WECOM, url=f"{robot.base}/send?key=K", enabled=False)
    message = _robot_message(target)
    orphan = _robot_message(None)
    deliver_due()
    assert _status(message).status == OutboxStatus.DEAD
    assert _status(orphan).status == OutboxStatus.DEAD
    assert robot.requests == []
