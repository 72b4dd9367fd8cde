"""The audit labels of the suggestions app's action codes (shown on record timelines)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, str | Promise] = {
    "suggestions.session.created": _("新建会次"),
    "suggestions.suggestion.submitted": _("提交代表建议"),
    "suggestions.suggestion.imported": _("导入代表建议"),
    "suggestions.history.loaded": _("载入往年办理台账"),
    "suggestions.suggestion.withdrawn": _("书面撤回建议"),
    "suggestions.suggestion.accepted": _("审查：立案"),
    "suggestions.suggestion.not_accepted": _("审查：不予立案"),
    "suggestions.batch.proposed": _("拟定联合交办"),
    "suggestions.batch.issued": _("会签并联合交办"),
    "suggestions.batch.returned": _("退回拟办批次"),
    "suggestions.suggestion.assigned": _("联合交办"),
    "suggestions.suggestion.merged": _("并案：并入建议"),
    "suggestions.suggestion.merged_into": _("并案办理"),
    "suggestions.suggestion.unmerged": _("拆分并案"),
    "suggestions.suggestion.merge_split": _("拆分并案：移出建议"),
    "suggestions.suggestion.followed": _("随主办建议办理"),
    "suggestions.assignment.received": _("承办单位签收"),
    "suggestions.assignment.sent_back": _("承办单位退回"),
    "suggestions.co_unit.replaced": _("更换会办单位"),
    "suggestions.co_unit.dropped": _("不再指定会办单位"),
    "suggestions.contact.recorded": _("登记联系代表情况"),
    "suggestions.opinion.given": _("提交会办意见"),
    "suggestions.reply.sent": _("答复代表"),
    "suggestions.verdict.given": _("代表评价"),
    "suggestions.supervision.issued": _("督办"),
    "suggestions.supervision.recalculated": _("督办报告截止时间按节假日安排重新计算"),
    "suggestions.supervision.responded": _("报告督办事项办理情况"),
    "suggestions.supervision.closed": _("结束督办"),
    "suggestions.supervision.escalated": _("通报市纪委"),
    "suggestions.suggestion.key_marked": _("确定重点督办建议"),
    "suggestions.suggestion.follow_up_visited": _("联合回访"),
    "suggestions.consultation.recorded": _("承办大户提前会商"),
    "suggestions.suggestion.published": _("公开建议和答复"),
    "suggestions.suggestion.unpublished": _("取消公开"),
    "suggestions.ledger.exported": _("导出建议台账"),
    "suggestions.campaign.created": _("新建代表活动"),
    "suggestions.opinion.registered": _("登记收集的意见"),
    "suggestions.opinion.assigned": _("交办收集的意见"),
    "suggestions.opinion.completed": _("办结收集的意见"),
}
