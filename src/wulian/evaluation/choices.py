"""Choice sets of 联评 (joint evaluation of government departments)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    APPROVED = "approved", _("立项")
    BEFORE = "before", _("评议前")
    DURING = "during", _("评议中")
    VOTING = "voting", _("测评")
    OPINION_SENT = "opinion_sent", _("评议意见已送达")
    RECTIFYING = "rectifying", _("整改中")
    REPORT_HEARD = "report_heard", _("整改报告已审议")
    CLOSED = "closed", _("办结")


STAGE_ORDER: list[str] = list(Stage.values)


class TeamRole(models.TextChoices):
    LEAD = "lead", _("带队副主任")
    WORKING_BODY = "working_body", _("工作机构")
    MEMBER = "member", _("组成人员")
    DEPUTY = "deputy", _("人大代表")
    STATIONED = "stationed", _("派驻纪检监察组")


class DossierKind(models.TextChoices):
    INSPECTION = "inspection", _("巡察发现问题")
    DAILY = "daily", _("日常监督信息")


class DossierUse(models.TextChoices):
    UNUSED = "", _("尚未使用")
    HEARING = "hearing", _("列入听取汇报的询问重点")
    RESEARCH = "research", _("列入调研、座谈的重点")
    OPINION = "opinion", _("写入评议意见")
    NOTED = "noted", _("阅知，未直接使用")


# The activities of 评议中 (linked activities of wulian.core.activities).
class StepKind(models.TextChoices):
    RESEARCH_VISIT = "research_visit", _("调研")
    SYMPOSIUM = "symposium", _("座谈会")
    REPORT_HEARING = "report_hearing", _("听取汇报")
    QUESTIONNAIRE = "questionnaire", _("问卷调查")


class Consequence(models.TextChoices):
    NONE = "", _("无")
    MANDATORY = "mandatory", _("强制整改、约谈并于次年再评议")


# The CDI campaigns a clue referred by an evaluation feeds (editable list: free text allowed).
CAMPAIGNS = (
    "整治医疗领域不正之风",
    "统计造假问题整改",
    "整治群众身边不正之风和腐败问题",
)

# The default dimensions evaluated (common practice; editable per evaluation).
DEFAULT_DIMENSIONS = (
    "贯彻实施法律法规情况",
    "落实党委决策部署和人大决议决定情况",
    "办理审议意见和代表建议情况",
    "依法履职情况",
    "工作作风和效能建设情况",
)

# 行风政风评议 grades.
CONDUCT_GRADES = ("优秀", "良好", "一般", "较差")

DEADLINE_DOSSIER = "evaluation_dossier"
DEADLINE_OPINION = "evaluation_opinion"
DEADLINE_REPORT = "evaluation_report"
