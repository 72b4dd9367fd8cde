"""Choice sets of special inquiries (专题询问)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TopicSource(models.TextChoices):
    PLAN = "plan", _("年度监督工作计划")
    SATISFACTION = "satisfaction", _("满意度测评不满意项目")
    OTHER = "other", _("其他")


class InquiryState(models.TextChoices):
    PREPARING = "preparing", _("准备中")
    HELD = "held", _("已询问")
    OPINION_SENT = "opinion_sent", _("审议意见已送达")
    LOOKED_BACK = "looked_back", _("回头看已完成")


class AskerKind(models.TextChoices):
    MEMBER = "member", _("常委会组成人员")
    DEPUTY = "deputy", _("人大代表")
    PUBLIC = "public", _("社会公众征集")


class InquiryStep(models.TextChoices):
    HOLD = "hold", _("举行询问会议")
    SEND_OPINION = "send_opinion", _("送达审议意见")
    LOOK_BACK = "look_back", _("记录回头看情况")


INQUIRY_TRANSITIONS: dict[tuple[str, str], str] = {
    (InquiryState.PREPARING, InquiryStep.HOLD): InquiryState.HELD,
    (InquiryState.HELD, InquiryStep.SEND_OPINION): InquiryState.OPINION_SENT,
    (InquiryState.OPINION_SENT, InquiryStep.LOOK_BACK): InquiryState.LOOKED_BACK,
}

# 审议意见 within 10 working days of the meeting; the units report on their rectification in
# 3 months; the 回头看 six months after the meeting.
OPINION_WORKING_DAYS = 10
REPORT_MONTHS = 3
LOOK_BACK_MONTHS = 6
DEADLINE_OPINION = "inquiry_opinion"
POLL_SUBJECT = "inquiries.inquiry"
