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
    # Kinds the three later links (联督, 联评, 联商) use.
    CONCENTRATED_INSPECTION = "concentrated_inspection", _("集中检查")
    UNDERCOVER_VISIT = "undercover_visit", _("暗访")
    LAW_ENFORCEMENT_INSPECTION = "law_enforcement_inspection", _("执法检查")
    QUESTIONNAIRE = "questionnaire", _("问卷调查")
    ADMONITORY_TALK = "admonitory_talk", _("约谈")
    LOOK_BACK = "look_back", _("回头看")
    DIRECTORS_MEETING = "directors_meeting", _("主任会议")
    JOINT_REVIEW = "joint_review", _("会商会审")


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


# Kinds of activity that are meetings: they get conveners, an agenda, attendance, minutes and
# decisions with action items (ADR 0023).
MEETING_KINDS = frozenset(
    {
        ActivityKind.JOINT_MEETING,
        ActivityKind.SYMPOSIUM,
        ActivityKind.REPORT_HEARING,
        ActivityKind.SPECIAL_INQUIRY,
        ActivityKind.DIRECTORS_MEETING,
        ActivityKind.JOINT_REVIEW,
    }
)

# Kinds whose record is seen only by its organisers until the bulletin that reports it is issued
# (暗访: an announced undercover visit would find nothing).
RESTRICTED_KINDS = frozenset({ActivityKind.UNDERCOVER_VISIT})


class Attendance(models.TextChoices):
    UNKNOWN = "", _("未登记")
    PRESENT = "present", _("出席")
    EXCUSED = "excused", _("请假")
    ABSENT = "absent", _("缺席")


class MinutesState(models.TextChoices):
    NONE = "none", _("未起草")
    DRAFT = "draft", _("起草中")
    ISSUED = "issued", _("已印发")


class ActionState(models.TextChoices):
    OPEN = "open", _("落实中")
    REPORTED = "reported", _("待核验")
    DONE = "done", _("已办结")


class ActionStep(models.TextChoices):
    REPORT = "report", _("报告完成")
    VERIFY = "verify", _("核验通过")
    RETURN = "return", _("退回")


# Who may take which step of an action item from which state.
ACTION_TRANSITIONS: dict[tuple[str, str], str] = {
    (ActionState.OPEN, ActionStep.REPORT): ActionState.REPORTED,
    (ActionState.REPORTED, ActionStep.VERIFY): ActionState.DONE,
    (ActionState.REPORTED, ActionStep.RETURN): ActionState.OPEN,
}

# The deadline kind of an action item (wulian.core.deadlines).
DEADLINE_ACTION = "meeting_action"
