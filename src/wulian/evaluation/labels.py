"""Audit action codes of 联评 and their labels (registered from AppConfig.ready)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wulian.evaluation.choices import DEADLINE_DOSSIER, DEADLINE_OPINION, DEADLINE_REPORT

LABELS: dict[str, str | Promise] = {
    "evaluation.evaluation.created": _("工作评议立项"),
    "evaluation.evaluation.dimensions_changed": _("修改评议内容"),
    "evaluation.evaluation.advanced": _("评议进入下一阶段"),
    "evaluation.evaluation.closed": _("工作评议办结"),
    "evaluation.dossier.added": _("提交评议参考材料"),
    "evaluation.dossier.delivered": _("评议参考材料提交完毕"),
    "evaluation.dossier.read": _("查阅评议参考材料"),
    "evaluation.dossier.used": _("登记参考材料使用情况"),
    "evaluation.activity.added": _("安排评议活动"),
    "evaluation.activity.held": _("评议活动已举行"),
    "evaluation.vote.recorded": _("登记满意度测评结果"),
    "evaluation.opinion.sent": _("送达评议意见书"),
    "evaluation.results.shared": _("向纪委监委通报评议结果"),
    "evaluation.report.heard": _("常委会审议整改报告"),
    "evaluation.conduct.recorded": _("登记行风政风评议等次"),
    "evaluation.scores.recorded": _("登记各项评议得分"),
    "evaluation.clue.referred": _("评议发现问题线索移送"),
}

DEADLINE_KINDS: dict[str, str | Promise] = {
    DEADLINE_DOSSIER: _("提供评议参考材料"),
    DEADLINE_OPINION: _("送达评议意见书"),
    DEADLINE_REPORT: _("报送整改报告"),
}
