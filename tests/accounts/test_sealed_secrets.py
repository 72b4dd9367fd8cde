"""TOTP and group-robot secrets are encrypted at rest with the field key (issue 11, item 13):
the database row holds an SM4-GCM token, never the secret; reading keeps working; the
migrations encrypt the rows stored before."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection

from tests.accounts.helpers import totp_code
from wulian.accounts import services
from wulian.core.notifications import services as notification_services
from wulian.core.notifications.models import WebhookTarget

pytestmark = pytest.mark.django_db

WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DING_SECRET = "SEC0123456789abcdef0123456789abcdef"


def _raw(sql: str, params: list) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def test_the_totp_secret_is_stored_encrypted_and_still_verifies(personas):
    device = services.totp_device_start(user=personas.unit_a)
    hex_key = device.key
    [stored] = _raw("SELECT key FROM otp_totp_totpdevice WHERE id = %s", [device.pk])
    assert stored.startswith("sm4g:") and hex_key not in stored and hex_key.upper() not in stored
    device = type(device).objects.get(pk=device.pk)
    assert device.key == hex_key
    services.totp_device_confirm(user=personas.unit_a, device_id=device.pk, token=totp_code(device))
    device.refresh_from_db()
    assert device.confirmed


def test_robot_url_and_secret_are_stored_encrypted(personas):
    target = notification_services.webhook_target_create(
        actor=personas.sysadmin,
        data={
            "name": "钉钉群",
            "kind": "dingtalk",
            "url": f"https://oapi.dingtalk.com/robot/send?access_token={WECOM_KEY}",
            "secret": DING_SECRET,
            "organisation_id": None,
            "kind_prefix": "",
            "enabled": True,
        },
    )
    row = _raw("SELECT url, secret FROM notifications_webhooktarget WHERE id = %s", [target.pk])
    assert all(value.startswith("sm4g:") for value in row)
    assert WECOM_KEY not in "".join(row) and DING_SECRET not in "".join(row)
    fresh = WebhookTarget.objects.get(pk=target.pk)
    assert WECOM_KEY in fresh.url and fresh.secret == DING_SECRET


def _editor():
    return SimpleNamespace(connection=connection)


def test_the_migrations_encrypt_rows_stored_in_clear(personas):
    device = services.totp_device_start(user=personas.unit_a)
    hex_key = device.key
    target = WebhookTarget.objects.create(
        name="企业微信群",
        kind="wecom",
        url=f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={WECOM_KEY}",
    )
    with connection.cursor() as cursor:  # as the rows were before the migrations
        cursor.execute(
            "UPDATE otp_totp_totpdevice SET key = %s WHERE id = %s", [hex_key, device.pk]
        )
        cursor.execute(
            "UPDATE notifications_webhooktarget SET url = %s, secret = %s WHERE id = %s",
            [f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={WECOM_KEY}", "", target.pk],
        )
    importlib.import_module("wulian.accounts.migrations.0004_seal_totp_keys").seal(None, _editor())
    importlib.import_module("wulian.core.notifications.migrations.0003_seal_webhook_secrets").seal(
        None, _editor()
    )
    [stored] = _raw("SELECT key FROM otp_totp_totpdevice WHERE id = %s", [device.pk])
    assert stored.startswith("sm4g:") and hex_key not in stored
    assert type(device).objects.get(pk=device.pk).key == hex_key
    url, secret = _raw(
        "SELECT url, secret FROM notifications_webhooktarget WHERE id = %s", [target.pk]
    )
    assert url.startswith("sm4g:") and WECOM_KEY not in url and secret == ""
    assert WECOM_KEY in WebhookTarget.objects.get(pk=target.pk).url
