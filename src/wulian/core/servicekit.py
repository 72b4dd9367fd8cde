"""What every service module shares: the refusal of bad input (`fail`), of a stale version
(`stale`, `lock`), the lookups and text checks the services write the same way in every link.
One module, so that a message or a rule changes in one place (issue 12)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model
from django.utils.translation import gettext as _

from wulian.core.crypto import sm3_hex
from wulian.core.errors import ConcurrentEdit, ValidationFailed

M = TypeVar("M", bound=Model)

MAX_TEXT = 10_000


def fail(message: str, field: str | None = None) -> ValidationFailed:
    """Bad input: the message, on `field` when it belongs to one."""
    return ValidationFailed(message, field_errors={field: [message]} if field else None)


def stale() -> ConcurrentEdit:
    return ConcurrentEdit(_("该记录已被他人修改，您的操作未执行。请刷新页面查看最新内容后再操作。"))


def digest(text: str) -> str:
    """The SM3 digest of a text kept in the audit trail instead of the text."""
    return sm3_hex(text.encode()) if text else ""


def get(model: type[M], pk: Any, missing: str) -> M:
    """The row, or `missing` as bad input (a chosen record that is not there)."""
    obj = model._default_manager.filter(pk=pk).first() if pk is not None else None
    if obj is None:
        raise ValidationFailed(missing)
    return obj


def lock(model: type[M], pk: Any, version: int | None, *related: str) -> M:
    """The row, locked for the transaction; a stale `version` is a ConcurrentEdit."""
    qs = model._default_manager.select_for_update(of=("self",))
    if related:
        qs = qs.select_related(*related)
    obj = qs.get(pk=pk)
    if version is not None and getattr(obj, "version", None) != version:
        raise stale()
    return obj


def text(
    value: Any, field: str, label: str, *, required: bool = True, limit: int = MAX_TEXT
) -> str:
    """A stripped text, required unless said otherwise, at most `limit` characters."""
    result = str(value or "").strip()
    if required and not result:
        raise fail(_("请填写%(label)s。") % {"label": label}, field)
    if len(result) > limit:
        raise fail(_("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": limit}, field)
    return result


def whole(value: Any, field: str, label: str, *, low: int, high: int) -> int:
    """A whole number from `low` to `high`."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise fail(
            _("%(label)s须为 %(low)d 到 %(high)d 之间的整数。")
            % {"label": label, "low": low, "high": high},
            field,
        )
    return number
