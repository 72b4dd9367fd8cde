"""Reads of attachments: the panel of one record, in a constant number of queries, and the
record an upload URL points at."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from wulian.core import access, records
from wulian.core.access import Actor
from wulian.core.attachments.models import Attachment
from wulian.core.attachments.policies import may_attach, owning_organisation_id
from wulian.core.choices import Sensitivity


@dataclass
class Panel:
    record: Any
    record_type: str
    visible: bool = False
    can_add: bool = False
    items: list[Attachment] = field(default_factory=list)
    removed: list[Attachment] = field(default_factory=list)
    removable: set[int] = field(default_factory=set)
    sensitivity_choices: list[tuple[str, str]] = field(default_factory=list)


def record_for(record_type: str, record_id: int) -> Model:
    """The record an attachment URL names (`app_label.model` and id). Only record types with a
    view rule take attachments; anything else is LookupError (a 404)."""
    try:
        app_label, model_name = record_type.split(".", 1)
        model = apps.get_model(app_label, model_name)
    except (ValueError, LookupError):
        raise LookupError(record_type) from None
    if model is Attachment or records.view_action(model) not in access.registered_actions():
        raise LookupError(record_type)
    obj = model._default_manager.filter(pk=record_id).first()
    if obj is None:
        raise LookupError(f"{record_type}#{record_id}")
    return obj


def attachment_panel(*, actor: Actor, record: Any) -> Panel:
    """Everything the attachments panel of a record shows: one query for the attachments (with
    uploader and remover), plus the record's own view and attach checks — the same number of
    queries for 1 attachment as for 100."""
    actor = access.as_actor(actor)
    panel = Panel(record=record, record_type=records.record_label(record))
    if not actor.is_authenticated or not records.can_view(actor, record):
        return panel
    panel.visible = True
    panel.can_add = may_attach(actor, record)
    ct = ContentType.objects.get_for_model(record)
    rows = list(
        Attachment.objects.filter(content_type=ct, object_id=record.pk)
        .select_related("uploaded_by__person", "removed_by__person")
        .order_by("uploaded_at", "id")
    )
    owner = owning_organisation_id(record)
    own_unit = owner is not None and owner in actor.office_org_ids()
    user_id = getattr(actor.user, "pk", None)
    for att in rows:
        if att.removed_at is None:
            panel.items.append(att)
            if panel.can_add and (own_unit or att.uploaded_by_id == user_id):
                panel.removable.add(att.pk)
        else:
            panel.removed.append(att)
    floor = getattr(record, "sensitivity", None) or Sensitivity.INTERNAL
    ranks = list(Sensitivity.values)
    panel.sensitivity_choices = [
        (value, label)
        for value, label in Sensitivity.choices
        if ranks.index(value) >= ranks.index(floor)
    ]
    return panel
