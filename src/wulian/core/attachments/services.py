"""Writes of attachments: add (upload), copy onto another record, remove (soft, with a
reason), and open for download (a read that is an audit event when the record is sensitive or
confidential).

Access is always the record's own rules (see `policies.py`). The file goes to Django's default
storage under a random name; nothing the user sends becomes part of a path. Audit events are
about the record (so that they appear on its timeline) and name the attachment.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, text
from wulian.core.access import Actor
from wulian.core.attachments import sniff
from wulian.core.attachments.models import (
    AUDITED_SENSITIVITIES,
    Attachment,
    stricter,
)
from wulian.core.attachments.policies import owning_organisation_id
from wulian.core.choices import Sensitivity
from wulian.core.errors import RuleViolation, TransitionNotAllowed, ValidationFailed
from wulian.core.records import reference

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def max_bytes() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_mb_text() -> str:
    return f"{max_bytes() / 1024 / 1024:g}"


def clean_file_name(name: str) -> str:
    """The file name as the person sees it: any directory part the browser sent and control
    characters dropped, everything else (Chinese included) kept exactly."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return _CONTROL.sub("", base).strip()


def record_sensitivity(record: Any) -> str:
    return getattr(record, "sensitivity", None) or Sensitivity.INTERNAL


def _fail(message: str, field: str = "file") -> ValidationFailed:
    return ValidationFailed(message, field_errors={field: [message]})


def _digest(f: IO[bytes]) -> tuple[str, int]:
    h = hashlib.new("sm3")
    size = 0
    f.seek(0)
    while chunk := f.read(1024 * 1024):
        h.update(chunk)
        size += len(chunk)
    f.seek(0)
    return h.hexdigest(), size


def _snapshot(att: Attachment) -> dict[str, Any]:
    return {
        "attachment": att.pk,
        "file_name": att.original_name,
        "size": att.size,
        "media_type": att.media_type,
        "sm3": att.sm3,
        "sensitivity": att.sensitivity,
        "description": att.description,
    }


def attachment_add(
    *,
    actor: Actor,
    record: Any,
    upload: Any,
    description: str = "",
    sensitivity: str | None = None,
) -> Attachment:
    """Attach an uploaded file to a record. `upload` is a Django UploadedFile (or any File
    with a name). The attachment's sensitivity is the record's, or a stricter one if given."""
    actor = access.require(actor, "attachments.attachment.add", record)
    try:
        name = text.clean(clean_file_name(getattr(upload, "name", "") or ""), what=text.FILE_NAME)
    except text.InvisibleText as exc:
        raise _fail(exc.message) from None
    if not name:
        raise _fail(_("请选择要上传的文件。"))
    if len(name) > 255:
        raise _fail(_("文件名过长（超过 255 个字符），请改短后再上传。"))
    description = (description or "").strip()
    if len(description) > 200:
        raise _fail(_("说明不能超过 200 个字。"), "description")
    if sensitivity and sensitivity not in Sensitivity.values:
        raise _fail(_("请选择有效的密级。"), "sensitivity")
    level = stricter(sensitivity or Sensitivity.PUBLIC, record_sensitivity(record))

    limit = max_bytes()
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise _fail(
            _("文件「%(name)s」大小为 %(size)s，超过上限 %(max)s MB。请压缩或拆分后再上传。")
            % {"name": name, "size": filesizeformat(declared), "max": max_mb_text()}
        )
    digest, size = _digest(upload)
    if size == 0:
        raise _fail(_("文件「%(name)s」是空文件，请选择有内容的文件。") % {"name": name})
    if size > limit:
        raise _fail(
            _("文件「%(name)s」大小为 %(size)s，超过上限 %(max)s MB。请压缩或拆分后再上传。")
            % {"name": name, "size": filesizeformat(size), "max": max_mb_text()}
        )
    try:
        found = sniff.sniff(upload, name=name)
    except sniff.Refused as exc:
        raise _fail(exc.message) from None

    now = timezone.now()
    path = f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}.{found.kind.extensions[0]}"
    upload.seek(0)
    stored = default_storage.save(path, File(upload, name=path))
    try:
        with transaction.atomic():
            att = Attachment(
                **reference(record),
                original_name=name,
                storage_name=stored,
                size=size,
                media_type=found.media_type,
                file_type=found.kind.key,
                sm3=digest,
                description=description,
                sensitivity=level,
                uploaded_by=actor.user,
                uploaded_at=now,
            )
            att.save(force_insert=True)
            audit.event(
                actor,
                "attachments.attachment.added",
                record,
                owning_organisation_id(record),
                after=_snapshot(att),
            )
    except BaseException:
        # The row was not written: do not leave an unreferenced file behind.
        default_storage.delete(stored)
        raise
    return att


def attachment_copy(*, actor: Actor, attachment_id: int, record: Any) -> Attachment:
    """Attach the file of an existing attachment to another record as well: the same letter
    for another reader who may not see the first record (the reply to merged suggestions goes
    to each deputy on their own suggestion).

    Files are kept under random names, not keyed by their content, and a row owns its stored
    file (`storage_name` is unique): the bytes are copied to a new random name, after checking
    that the stored file still has the original's SM3 digest and size. The copy keeps the
    original's name, type, digest and description; its sensitivity is the stricter of the
    original's and the new record's; the actor is its uploader. The actor must see the original
    and be allowed to add attachments to the record. One audit event on the record,
    `attachments.attachment.copied`, naming the original."""
    source = Attachment.objects.select_related("content_type").get(pk=attachment_id)
    actor = access.require(actor, "attachments.attachment.view", source)
    access.require(actor, "attachments.attachment.add", record)
    if source.removed_at is not None:
        raise TransitionNotAllowed(
            _("附件「%(name)s」已被移除，不能再附到其他记录。") % {"name": source.original_name}
        )
    now = timezone.now()
    extension = source.storage_name.rsplit(".", 1)[-1] if "." in source.storage_name else "bin"
    path = f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}.{extension}"
    with default_storage.open(source.storage_name, "rb") as fh:
        digest, size = _digest(fh)
        if digest != source.sm3 or size != source.size:
            logger.error("attachment %s: stored file does not match its SM3 digest", source.pk)
            raise RuleViolation(
                _(
                    "附件「%(name)s」的存储文件与登记的摘要不一致，未能复制。"
                    "请联系系统管理员（附件编号 %(pk)s）。"
                )
                % {"name": source.original_name, "pk": source.pk}
            )
        stored = default_storage.save(path, File(fh, name=path))
    try:
        with transaction.atomic():
            att = Attachment(
                **reference(record),
                original_name=source.original_name,
                storage_name=stored,
                size=source.size,
                media_type=source.media_type,
                file_type=source.file_type,
                sm3=source.sm3,
                description=source.description,
                sensitivity=stricter(source.sensitivity, record_sensitivity(record)),
                uploaded_by=actor.user,
                uploaded_at=now,
            )
            att.save(force_insert=True)
            audit.event(
                actor,
                "attachments.attachment.copied",
                record,
                owning_organisation_id(record),
                after={**_snapshot(att), "copied_from": source.pk},
            )
    except BaseException:
        default_storage.delete(stored)
        raise
    return att


def attachment_remove(*, actor: Actor, attachment_id: int, reason: str) -> Attachment:
    """Remove an attachment from its record, with a reason. The row and the file stay (they
    can be shown to auditors and restored by an administrator); the panel lists it as
    removed."""
    att = Attachment.objects.get(pk=attachment_id)
    actor = access.require(actor, "attachments.attachment.remove", att)
    reason = (reason or "").strip()
    if not reason:
        raise _fail(_("请填写移除原因。"), "reason")
    if len(reason) > 500:
        raise _fail(_("移除原因不能超过 500 个字。"), "reason")
    with transaction.atomic():
        att = Attachment.objects.select_for_update().get(pk=attachment_id)
        if att.removed_at is not None:
            raise TransitionNotAllowed(
                _("附件「%(name)s」已被移除。") % {"name": att.original_name}
            )
        att.removed_at = timezone.now()
        att.removed_by = actor.user
        att.removal_reason = reason
        att.save(update_fields=["removed_at", "removed_by", "removal_reason"])
        record = att.record
        audit.event(
            actor,
            "attachments.attachment.removed",
            record,
            owning_organisation_id(record),
            before={"attachment": att.pk, "file_name": att.original_name, "removed": False},
            after={"attachment": att.pk, "removed": True, "reason": reason},
        )
    return att


class AttachmentGone(Exception):
    """The attachment was removed; it is no longer offered for download."""


def download_is_audited(att: Attachment, record: Any) -> bool:
    level = stricter(att.sensitivity, record_sensitivity(record))
    return level in AUDITED_SENSITIVITIES


def attachment_open(*, actor: Actor, attachment_id: int) -> tuple[Attachment, File]:
    """Open an attachment's file for download after the record's view check. Downloading an
    attachment of a sensitive or confidential record (or one marked so) is an audit event,
    written before the first byte is sent."""
    att = Attachment.objects.select_related("content_type").get(pk=attachment_id)
    actor = access.require(actor, "attachments.attachment.view", att)
    if att.removed_at is not None:
        raise AttachmentGone(att.original_name)
    record = att.record
    fh = default_storage.open(att.storage_name, "rb")
    if download_is_audited(att, record):
        try:
            audit.event(
                actor,
                "attachments.attachment.downloaded",
                record,
                owning_organisation_id(record),
                after={
                    "attachment": att.pk,
                    "file_name": att.original_name,
                    "sensitivity": stricter(att.sensitivity, record_sensitivity(record)),
                },
            )
        except BaseException:
            fh.close()
            raise
    return att, fh
