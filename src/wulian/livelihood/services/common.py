"""What the livelihood services share: refusals, the version check, a locked read."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from wulian.core.errors import ConcurrentEdit, ValidationFailed


def fail(message: str, field: str | None = None) -> ValidationFailed:
    return ValidationFailed(message, field_errors={field: [message]} if field else None)


def check_version(record: Any, version: int | None) -> None:
    if version is not None and int(version) != record.version:
        raise ConcurrentEdit(_("该记录已被他人修改，请刷新页面后重试。"))


def bump(record: Any, *fields: str) -> None:
    record.version += 1
    record.save(update_fields=[*fields, "version", "updated_at"])
