"""Encrypt the TOTP secrets already stored (django-otp's key column) with the field key, after
widening the column to hold the token (PostgreSQL; SQLite does not enforce the length). The
model keeps django-otp's declaration; `wulian.accounts.sealed` reads and writes the token."""

from django.db import migrations

from wulian.accounts.sealed import TOTP_KEY_AAD, TOTP_KEY_COLUMN_LENGTH

PREFIX = "sm4g:"


def _rows(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, key FROM otp_totp_totpdevice")
        return cursor.fetchall()


def seal(apps, schema_editor):
    from wulian.core import crypto

    rows = [(pk, key) for pk, key in _rows(apps, schema_editor) if key and not key.startswith(PREFIX)]
    with schema_editor.connection.cursor() as cursor:
        for pk, key in rows:
            cursor.execute(
                "UPDATE otp_totp_totpdevice SET key = %s WHERE id = %s",
                [crypto.sm4_encrypt(key, aad=TOTP_KEY_AAD), pk],
            )


def unseal(apps, schema_editor):
    from wulian.core import crypto

    rows = [(pk, key) for pk, key in _rows(apps, schema_editor) if key and key.startswith(PREFIX)]
    with schema_editor.connection.cursor() as cursor:
        for pk, key in rows:
            cursor.execute(
                "UPDATE otp_totp_totpdevice SET key = %s WHERE id = %s",
                [crypto.sm4_decrypt(key, aad=TOTP_KEY_AAD), pk],
            )


def widen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE otp_totp_totpdevice ALTER COLUMN key TYPE varchar(%d)"
            % TOTP_KEY_COLUMN_LENGTH
        )


def narrow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE otp_totp_totpdevice ALTER COLUMN key TYPE varchar(80)")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_login_throttle_and_token_allowance"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunPython(widen, narrow),
        migrations.RunPython(seal, unseal),
    ]
