"""Records that belong to another record (a deadline, an attachment, a finding, an activity
link): one generic reference, and one way to ask whether the actor may see the record."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from wulian.core import access


class AboutRecord(models.Model):
    """Abstract: a row that belongs to any record of the platform."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True
        indexes = [
            models.Index(
                fields=["content_type", "object_id"], name="%(app_label)s_%(class)s_rec_idx"
            )
        ]


def record_label(record: Any) -> str:
    """`app_label.model` — the record type in audit events and action codes."""
    return record._meta.label_lower


def view_action(record: Any) -> str:
    """Each record type registers `<app_label>.<model>.view` in its policies."""
    return f"{record._meta.label_lower}.view"


def can_view(actor: Any, record: Any) -> bool:
    return access.can(actor, view_action(record), record)


def require_view(actor: Any, record: Any) -> access.Actor:
    return access.require(actor, view_action(record), record)


def reference(record: Any) -> dict[str, Any]:
    """Keyword arguments that point an AboutRecord row at `record`."""
    return {
        "content_type": ContentType.objects.get_for_model(record),
        "object_id": record.pk,
    }
