"""The group robots' URL (the 企业微信 key is in it) and secret encrypted at rest with the field
key (issue 11, item 13): the columns become text, the rows already there are encrypted, and
the fields become `EncryptedTextField` (no further change to the database)."""

import django.core.validators
from django.db import migrations, models

import wulian.core.fields

TABLE = "notifications_webhooktarget"
COLUMNS = ("url", "secret")
PREFIX = "sm4g:"


def _convert(schema_editor, encrypting: bool):
    from wulian.core import crypto

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, url, secret FROM {TABLE}")
        rows = cursor.fetchall()
        for pk, *values in rows:
            new = []
            for column, value in zip(COLUMNS, values, strict=True):
                aad = f"{TABLE}.{column}".encode()
                if value and encrypting and not value.startswith(PREFIX):
                    value = crypto.sm4_encrypt(value, aad=aad)
                elif value and not encrypting and value.startswith(PREFIX):
                    value = crypto.sm4_decrypt(value, aad=aad)
                new.append(value)
            cursor.execute(f"UPDATE {TABLE} SET url = %s, secret = %s WHERE id = %s", [*new, pk])


def seal(apps, schema_editor):
    _convert(schema_editor, encrypting=True)


def unseal(apps, schema_editor):
    _convert(schema_editor, encrypting=False)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_delivery_and_webhooks"),
    ]

    operations = [
        migrations.AlterField(
            model_name="webhooktarget",
            name="secret",
            field=models.TextField(blank=True, verbose_name="加签密钥"),
        ),
        migrations.AlterField(
            model_name="webhooktarget",
            name="url",
            field=models.TextField(verbose_name="Webhook 地址"),
        ),
        migrations.RunPython(seal, unseal),
        migrations.AlterField(
            model_name="webhooktarget",
            name="secret",
            field=wulian.core.fields.EncryptedTextField(
                blank=True,
                validators=[django.core.validators.MaxLengthValidator(200)],
                verbose_name="加签密钥",
            ),
        ),
        migrations.AlterField(
            model_name="webhooktarget",
            name="url",
            field=wulian.core.fields.EncryptedTextField(
                validators=[
                    django.core.validators.URLValidator(),
                    django.core.validators.MaxLengthValidator(500),
                ],
                verbose_name="Webhook 地址",
            ),
        ),
    ]
