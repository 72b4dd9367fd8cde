"""Audit action codes of the livelihood link and their labels (registered from AppConfig.ready)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, str | Promise] = {
    "livelihood.cycle.created": _("建立民生实事年度"),
    "livelihood.candidate.added": _("征集候选项目"),
    "livelihood.candidate.screened": _("论证筛选候选项目"),
    "livelihood.cycle.vote_opened": _("提交代表票决"),
    "livelihood.cycle.decided": _("作出民生实事项目决定"),
    "livelihood.project.group_set": _("组建项目监督小组"),
    "livelihood.project.milestones_set": _("设定项目节点"),
    "livelihood.order.issued": _("督办民生实事项目"),
    "livelihood.order.answered": _("答复督办"),
    "livelihood.order.closed": _("督办办结"),
    "livelihood.order.escalated": _("督办移交纪委监委"),
    "livelihood.actual.reported": _("报送月度进展"),
    "livelihood.actual.verified": _("核实月度进展"),
    "livelihood.actual.questioned": _("对月度进展提出疑问"),
    "livelihood.actual.photos_published": _("选择公开照片"),
    "livelihood.indicator.warned": _("进度偏差预警"),
    "livelihood.indicator.changed": _("依决定调整指标"),
    "livelihood.cycle.satisfaction_opened": _("开展满意度测评"),
    "livelihood.cycle.satisfaction_recorded": _("登记满意度测评结果"),
}
