"""Helpers every stations service shares."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import F, Model
from django.utils.translation import gettext as _

from wulian.core.crypto import sm3_hex
from wulian.core.errors import ConcurrentEdit, ValidationFailed

M = TypeVar("M", bound=Model)

MAX_TEXT = 5_000


def fail(message: str, field: str | None = None) -> ValidationFailed:
    return ValidationFailed(message, field_errors={field: [message]} if field else None)


def digest(text: str) -> str:
    return sm3_hex(text.encode()) if text else ""


def get(model: type[M], pk: Any, missing: str) -> M:
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
        raise ConcurrentEdit(
            _("该记录已被他人修改，您的操作未执行。请刷新页面查看最新内容后再操作。")
        )
    return obj


def text(
    value: Any, field: str, label: str, *, required: bool = True, limit: int = MAX_TEXT
) -> str:
    result = str(value or "").strip()
    if required and not result:
        raise fail(_("请填写%(label)s。") % {"label": label}, field)
    if len(result) > limit:
        raise fail(_("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": limit}, field)
    return result


def count(station_id: int, year: int, **deltas: int) -> None:
    """Add to a station's figures of a year (inside the caller's transaction)."""
    from wulian.stations.models import Tally

    updated = Tally.objects.filter(station_id=station_id, year=year).update(
        **{k: F(k) + v for k, v in deltas.items()}
    )
    if not updated:
        tally, _created = Tally.objects.get_or_create(station_id=station_id, year=year)
        Tally.objects.filter(pk=tally.pk).update(**{k: F(k) + v for k, v in deltas.items()})
