"""Choice sets of 联商 (joint consultation). Each has a Chinese label (English in `locale/en`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wulian.core.activities.choices import ActivityKind
from wulian.core.choices import CDI_SIDE, CONGRESS_SIDE


class Side(models.TextChoices):
    CONGRESS = "congress", _("人大常委会")
    CDI = "cdi", _("纪委监委")


# The organisation kinds of each side.
SIDE_KINDS: dict[str, frozenset[str]] = {Side.CONGRESS: CONGRESS_SIDE, Side.CDI: CDI_SIDE}


def side_of_kind(kind: str) -> str | None:
    for side, kinds in SIDE_KINDS.items():
        if kind in kinds:
            return side
    return None


class MatterKind(models.TextChoices):
    WORK_POINTS = "work_points", _("年度工作要点")
    SUPERVISION_PLAN = "supervision_plan", _("监督工作计划")
    WORK_REPORT = "work_report", _("全会工作报告")
    CAMPAIGN = "campaign", _("专项治理")
    REPORT_HEARING = "report_hearing", _("听取和审议专项工作报告")
    LAW_INSPECTION = "law_inspection", _("执法检查")
    JOINT_ANALYSIS = "joint_analysis", _("联合研判")
    OTHER = "other", _("其他重大事项")


class MatterSensitivity(models.TextChoices):
    """Who on the two sides sees a matter."""

    SHARED = "shared", _("双方共享")
    INTERNAL = "internal", _("本方内部")
    RESTRICTED = "restricted", _("限本单位")


class MatterStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    ONGOING = "ongoing", _("推进中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class AnalysisSubject(models.TextChoices):
    BUDGET = "budget", _("预决算")
    STATE_ASSETS = "state_assets", _("国有资产")
    AUDIT = "audit", _("审计监督")


class AnalysisState(models.TextChoices):
    OPEN = "open", _("研判中")
    REPORTED = "reported", _("已出具研判报告")


class ItemStatus(models.TextChoices):
    """An imported audit-rectification row's status as the list gives it."""

    RECTIFIED = "rectified", _("已整改")
    IN_PROGRESS = "in_progress", _("整改中")
    NOT_STARTED = "not_started", _("未整改")


class BudgetWarning(models.TextChoices):
    """Why a budget-execution row is flagged for the analysts."""

    LOW = "low", _("执行率偏低")
    OVER = "over", _("超预算执行")


class InspectionTopic(models.TextChoices):
    """What a law-enforcement inspection's finding is about (the issues pushed jointly)."""

    ARREARS = "arrears", _("涉企清欠")
    DEPOSITS = "deposits", _("保证金清理")
    OTHER = "other", _("其他问题")


# The activity kinds that are the two sides' joint meetings (联席会议, 会商会审).
JOINT_KINDS = frozenset({ActivityKind.JOINT_MEETING, ActivityKind.JOINT_REVIEW})


# The records a matter may be linked to: (value, label, app_label.model).
LINKABLE = (
    ("activity", _("会议或活动"), "activities.activity"),
    ("bulletin", _("通报"), "bulletins.bulletin"),
    ("round", _("征求意见"), "opinions.opinionround"),
    ("analysis", _("联合研判"), "consultation.analysis"),
)
