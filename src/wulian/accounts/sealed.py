"""The TOTP secret at rest: django-otp's `TOTPDevice.key` sealed with the field key.

django-otp stores the authenticator's shared secret as 40 hex digits in
`otp_totp_totpdevice.key`; anyone with a copy of the database could then compute every code.
`seal_totp_keys()` (called from the app's `ready()`) gives that one field the behaviour of
`wulian.core.fields.EncryptedTextField`: an SM4-GCM token (`sm4g:<key id>:…`, associated data
"otp_totp_totpdevice.key") is written, the hex key is read back. The model's declared type is
unchanged (so django-otp's migrations stay django-otp's); migration accounts 0004 widens the
column to hold the token and encrypts the rows already there. Nothing filters on the key.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from wulian.core import crypto

TOTP_KEY_AAD = b"otp_totp_totpdevice.key"
TOTP_KEY_COLUMN_LENGTH = 255


class SealedKeyField(models.CharField):
    """A CharField whose column holds an SM4-GCM token of its value."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return crypto.sm4_decrypt(value, aad=TOTP_KEY_AAD)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.sm4_encrypt(value, aad=TOTP_KEY_AAD)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


def seal_totp_keys() -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    field = TOTPDevice._meta.get_field("key")
    if not isinstance(field, SealedKeyField):
        field.__class__ = SealedKeyField
