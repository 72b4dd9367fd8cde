"""What the livelihood services share: refusals, the version check, a locked read."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from wulian.core.errors import ConcurrentEdit
from wulian.core.servicekit import fail  # noqa: F401 (the services import it from here)


def check_version(record: Any, version: int | None) -> None:
    if version is not None and int(version) != record.version:
        raise ConcurrentEdit(_("该记录已被他人修改，请刷新页面后重试。"))


def bump(record: Any, *fields: str) -> None:
    record.version += 1
    record.save(update_fields=[*fields, "version", "updated_at"])
