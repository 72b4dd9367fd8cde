"""Choice sets of activities. Each has a Chinese label (translated to English in `locale/en`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    JOINT_MEETING = "joint_meeting", _("联席会议")
    RESEARCH_VISIT = "research_visit", _("调研")
    INSPECTION = "inspection", _("视察")
    ONSITE_SUPERVISION = "onsite_supervision", _("现场督办")
    SYMPOSIUM = "symposium", _("座谈会")
    REPORT_HEARING = "report_hearing", _("听取汇报")
    FOLLOW_UP_VISIT = "follow_up_visit", _("回访")
    SPECIAL_INQUIRY = "special_inquiry", _("专题询问")


class ActivityState(models.TextChoices):
    PLANNED = "planned", _("计划中")
    HELD = "held", _("已举行")
    CANCELLED = "cancelled", _("已取消")


# The allowed transitions: a planned activity is held or cancelled; both are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    ActivityState.PLANNED: frozenset({ActivityState.HELD, ActivityState.CANCELLED}),
    ActivityState.HELD: frozenset(),
    ActivityState.CANCELLED: frozenset(),
}


class ParticipantRole(models.TextChoices):
    ORGANISER = "organiser", _("组织单位")
    PARTICIPANT = "participant", _("参加单位")
    INVITED_WITNESS = "invited_witness", _("特邀见证")
    ATTENDEE = "attendee", _("列席")
