"""Choice sets of clues (问题线索) and the clue's transition table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClueState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    TRANSFERRED = "transferred", _("已移送")
    RECEIVED = "received", _("已签收")
    DISPOSED = "disposed", _("已处置")
    FEEDBACK_GIVEN = "feedback_given", _("已反馈")


class Disposition(models.TextChoices):
    """The four ways of disposing of a clue (问题线索处置方式)."""

    TALK_OR_LETTER = "talk_or_letter", _("谈话函询")
    PRELIMINARY_VERIFICATION = "preliminary_verification", _("初步核实")
    HOLD = "hold", _("暂存待查")
    CLOSE = "close", _("予以了结")


class ViolationType(models.TextChoices):
    POLITICAL = "political", _("违反政治纪律")
    ORGANISATIONAL = "organisational", _("违反组织纪律")
    INTEGRITY = "integrity", _("违反廉洁纪律")
    MASS = "mass", _("违反群众纪律")
    WORK = "work", _("违反工作纪律")
    LIFE = "life", _("违反生活纪律")
    DUTY_VIOLATION = "duty_violation", _("涉嫌职务违法")
    DUTY_CRIME = "duty_crime", _("涉嫌职务犯罪")
    OTHER = "other", _("其他")


class Step(models.TextChoices):
    TRANSFER = "transfer", _("移送")
    RECEIVE = "receive", _("签收")
    DISPOSE = "dispose", _("处置")
    FEEDBACK = "feedback", _("反馈")


S = ClueState

# The one place that says which step may be taken in which state, and where it leads.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, Step.TRANSFER): S.TRANSFERRED,
    (S.TRANSFERRED, Step.RECEIVE): S.RECEIVED,
    (S.RECEIVED, Step.DISPOSE): S.DISPOSED,
    (S.DISPOSED, Step.FEEDBACK): S.FEEDBACK_GIVEN,
}

# The kinds of deadline opened on a clue when it is transferred.
DEADLINE_RECEIPT = "clue_receipt"
DEADLINE_DISPOSITION = "clue_disposition"
