"""Attachments: files that belong to any record of the platform (an activity, later a
suggestion, a finding, a case review …).

The file itself lives in Django's default storage (local disk under MEDIA_ROOT by default,
S3-compatible storage at scale) under a random name; the row keeps what people see and what
proves the content: the original file name exactly as uploaded (Chinese included), the size,
the content type sniffed from the bytes, and the SM3 digest. Removal is a soft removal with a
reason: the row and the file stay.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wulian.core.choices import Sensitivity
from wulian.core.fields import optional_protected_fk, protected_fk, sensitivity_field
from wulian.core.records import AboutRecord

SENSITIVITY_RANK = {
    Sensitivity.PUBLIC: 0,
    Sensitivity.INTERNAL: 1,
    Sensitivity.SENSITIVE: 2,
    Sensitivity.CONFIDENTIAL: 3,
}
# Downloads of attachments at these levels are audit events.
AUDITED_SENSITIVITIES = frozenset({Sensitivity.SENSITIVE, Sensitivity.CONFIDENTIAL})


def stricter(a: str, b: str) -> str:
    """The stricter of two sensitivities."""
    return a if SENSITIVITY_RANK.get(a, 1) >= SENSITIVITY_RANK.get(b, 1) else b


class Attachment(AboutRecord):
    original_name = models.CharField(_("文件名"), max_length=255)
    storage_name = models.CharField(max_length=255, unique=True, editable=False)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    media_type = models.CharField(_("文件类型"), max_length=120)
    file_type = models.CharField(max_length=16)  # the sniffed kind: pdf, docx, ofd, txt …
    sm3 = models.CharField(_("SM3 摘要"), max_length=64)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sensitivity = sensitivity_field()
    uploaded_by = protected_fk(settings.AUTH_USER_MODEL, _("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"))
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)
    removed_by = optional_protected_fk(settings.AUTH_USER_MODEL, _("移除人"))
    removal_reason = models.CharField(_("移除原因"), max_length=500, blank=True)

    class Meta(AboutRecord.Meta):
        ordering = ["uploaded_at", "id"]
        verbose_name = verbose_name_plural = _("附件")
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | ~Q(removal_reason=""),
                name="attachment_removal_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None
