"""Who may add, remove and download attachments: always the rules of the record the
attachment belongs to — the attachments app has no opinion of its own.

A record type takes part through its own policies (`<label>` is `app_label.model`, e.g.
`activities.activity`):

- **view**: `<label>.view` (required of every record type, see `wulian.core.records`) decides
  who sees the record's attachments and downloads them.
- **add**: `<label>.attach` when the record type registers it; otherwise `<label>.view` plus an
  office seat (staff, leader, clue officer, liaison) in the record's owning organisation, which
  the record names with an `owning_organisation_id` attribute. A record type with neither
  accepts no attachments (deny by default).
- **remove** (soft, with a reason): whoever may add attachments to the record, provided they
  uploaded this file or hold an office seat in the record's owning organisation.
"""

from __future__ import annotations

from typing import Any

from wulian.core import access, records
from wulian.core.access import Actor, rule


def attach_action(record: Any) -> str:
    return f"{records.record_label(record)}.attach"


def owning_organisation_id(record: Any) -> int | None:
    return getattr(record, "owning_organisation_id", None)


def may_attach(actor: Actor, record: Any) -> bool:
    if record is None or not actor.is_authenticated:
        return False
    action = attach_action(record)
    if action in access.registered_actions():
        return access.can(actor, action, record)
    owner = owning_organisation_id(record)
    return owner is not None and owner in actor.office_org_ids() and records.can_view(actor, record)


@rule("attachments.attachment.add", describe="the record's attach rule (or view + owning unit)")
def _add(actor: Actor, record: Any) -> bool:
    if record is None:
        return bool(actor.seats)
    return may_attach(actor, record)


@rule("attachments.attachment.remove", describe="may attach, and uploaded it or owns the record")
def _remove(actor: Actor, attachment: Any) -> bool:
    if attachment is None:
        return bool(actor.seats)
    record = attachment.record
    if record is None or not may_attach(actor, record):
        return False
    return (
        attachment.uploaded_by_id == getattr(actor.user, "pk", None)
        or owning_organisation_id(record) in actor.office_org_ids()
    )


@rule("attachments.attachment.view", describe="whoever may view the record")
def _view(actor: Actor, attachment: Any) -> bool:
    if attachment is None:
        return bool(actor.seats)
    record = attachment.record
    return record is not None and records.can_view(actor, record)
