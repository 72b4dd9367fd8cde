"""Choice sets of bulletins (通报) and the one transition table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BulletinState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")


class BulletinSensitivity(models.TextChoices):
    """普通: the issuer's and the recipients' desk staff see it. 敏感: only staff and leaders
    of the issuer and of the recipients, and every reading is audited. 涉及问题线索: clue-grade
    — the issuer's staff and leaders and the recipient CDI organisations' clue officers only
    (the clues app's rule), every reading audited."""

    ORDINARY = "ordinary", _("普通")
    SENSITIVE = "sensitive", _("敏感")
    CLUE = "clue", _("涉及问题线索")


class Cadence(models.TextChoices):
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")


class Step(models.TextChoices):
    EDIT = "edit", _("修改")
    ISSUE = "issue", _("印发")


# Readings of these levels are audit events (bulletins.bulletin.read).
AUDITED_READS = frozenset({BulletinSensitivity.SENSITIVE, BulletinSensitivity.CLUE})

S = BulletinState
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, Step.EDIT): S.DRAFT,
    (S.DRAFT, Step.ISSUE): S.ISSUED,
}


class ReceiptState(models.TextChoices):
    """A recipient's receipt, as the figures count it."""

    ON_TIME = "on_time", _("按时签收")
    LATE = "late", _("逾期签收")
    MISSING = "missing", _("逾期未签收")
    PENDING = "pending", _("待签收")


class FeedbackState(models.TextChoices):
    ON_TIME = "on_time", _("按时反馈")
    LATE = "late", _("逾期反馈")
    MISSING = "missing", _("未反馈")
    PENDING = "pending", _("反馈期内")


# The kind of the receipt deadline opened on each recipient.
DEADLINE_RECEIPT = "bulletin_receipt"
