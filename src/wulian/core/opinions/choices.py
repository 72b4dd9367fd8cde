"""Choice sets of opinion rounds (征求意见) and the one transition table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundState(models.TextChoices):
    DRAFT = "draft", _("准备中")
    OPEN = "open", _("征求中")
    CLOSED = "closed", _("已截止")
    CONCLUDED = "concluded", _("已办结")


class Disposition(models.TextChoices):
    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    DECLINED = "declined", _("未采纳")


class Source(models.TextChoices):
    PASTE = "paste", _("粘贴文本")
    DOCX = "docx", _("上传 .docx")


class Step(models.TextChoices):
    ADD_VERSION = "add_version", _("上传新稿")
    INVITE = "invite", _("邀请")
    OPEN = "open", _("发出征求意见")
    COMMENT = "comment", _("提出意见")
    NO_OPINION = "no_opinion", _("表示无意见")
    DISPOSE = "dispose", _("处理意见")
    CLOSE = "close", _("截止征求")
    CONCLUDE = "conclude", _("办结并印发采纳情况说明")


S = RoundState
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, Step.ADD_VERSION): S.DRAFT,
    (S.OPEN, Step.ADD_VERSION): S.OPEN,
    (S.DRAFT, Step.INVITE): S.DRAFT,
    (S.OPEN, Step.INVITE): S.OPEN,
    (S.DRAFT, Step.OPEN): S.OPEN,
    (S.OPEN, Step.COMMENT): S.OPEN,
    (S.OPEN, Step.NO_OPINION): S.OPEN,
    (S.OPEN, Step.DISPOSE): S.OPEN,
    (S.CLOSED, Step.DISPOSE): S.CLOSED,
    (S.OPEN, Step.CLOSE): S.CLOSED,
    (S.CLOSED, Step.CONCLUDE): S.CONCLUDED,
    # From 征求中 only once the closing time has passed (the service checks it).
    (S.OPEN, Step.CONCLUDE): S.CONCLUDED,
}

# The kind of the comment deadline opened on each invitee row (reminders before the close).
DEADLINE_COMMENT = "opinion_comment"
