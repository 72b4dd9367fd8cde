"""Choice sets of the livelihood link (民生实事项目代表票决制)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CycleState(models.TextChoices):
    COLLECTING = "collecting", _("征集")
    SCREENING = "screening", _("论证筛选")
    VOTING = "voting", _("代表票决")
    IMPLEMENTING = "implementing", _("组织实施")
    EVALUATING = "evaluating", _("满意度测评")
    CLOSED = "closed", _("已评估")


# A cycle still choosing its projects has no public progress page (the public page, the portal).
NOT_YET_PUBLIC = (CycleState.COLLECTING, CycleState.SCREENING, CycleState.VOTING)


class CandidateSource(models.TextChoices):
    PUBLIC = "public", _("群众征集")
    DEPUTY = "deputy", _("人大代表提出")
    STATION = "station", _("代表联络站收集")
    GOVERNMENT = "government", _("政府部门提出")


class CandidateState(models.TextChoices):
    PROPOSED = "proposed", _("待论证")
    SHORTLISTED = "shortlisted", _("列为候选项目")
    SET_ASIDE = "set_aside", _("未列入")
    ELECTED = "elected", _("票决当选")
    NOT_ELECTED = "not_elected", _("未当选")


class IndicatorKind(models.TextChoices):
    COUNT = "count", _("数量")
    LENGTH = "length", _("长度")
    COMPLETED = "completed", _("完工")
    IN_USE = "in_use", _("建成并投用")


class ActualState(models.TextChoices):
    REPORTED = "reported", _("待核实")
    VERIFIED = "verified", _("已核实")
    QUESTIONED = "questioned", _("有疑问")


class GroupRole(models.TextChoices):
    HEAD = "head", _("组长（常委会领导）")
    DEPUTY = "deputy", _("人大代表")
    MONITOR = "monitor", _("清廉监督员")
    CDI_CONTACT = "cdi_contact", _("纪委监委联络人")


class Satisfaction(models.TextChoices):
    NONE = "", _("未测评")
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class OrderState(models.TextChoices):
    ISSUED = "issued", _("待答复")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")
    ESCALATED = "escalated", _("已移交纪委监委")
