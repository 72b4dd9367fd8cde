"""What the services of 联商 share: refusals and the snapshot of a record for the audit."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from wulian.core.errors import ConcurrentEdit
from wulian.core.servicekit import fail  # noqa: F401 (the services import it from here)


def stale() -> ConcurrentEdit:
    return ConcurrentEdit(_("该记录已被他人修改，请刷新页面后重新填写。"))


def snapshot(obj: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, date | datetime | Decimal):
            value = str(value)
        out[name] = value
    return out
