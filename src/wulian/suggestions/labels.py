"""The audit labels of the suggestions app's action codes (shown on record timelines)."""

from __future__ import annotations

from typing import Any

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
    "suggestions.suggestion.as_letter": _("审查：作为代表来信处理"),
    "suggestions.suggestion.reassigned": _("代表不满意后重新交办"),
    "suggestions.concentration.reported": _("集中反映通报市纪委"),
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
    "suggestions.opinion.waived": _("免除会办意见"),
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


def fields() -> dict[str, Any]:
    """The keys of this app's events in words (the record's history; core.actions)."""
    from wulian.core.actions import BOOL, COUNT, ORG, ORGS, PERSON, PERSONS, WHEN, field
    from wulian.suggestions import choices as c

    s, a = "suggestions.suggestion", "suggestions.assignment"
    return {
        f"{s}:status": field(_("状态"), choices=c.SuggestionStatus),
        f"{s}:number": field(_("建议编号")),
        f"{s}:category": field(_("类别"), choices=c.Category),
        f"{s}:raised_during": field(_("提出时间"), choices=c.RaisedDuring),
        f"{s}:lead_deputy": field(_("领衔代表"), PERSON),
        f"{s}:co_signers": field(_("附议代表"), PERSONS),
        f"{s}:on_behalf": field(_("代为录入"), BOOL),
        f"{s}:lead_unit": field(_("主办单位"), ORG),
        f"{s}:co_units": field(_("会办单位"), ORGS),
        f"{s}:reply_due_at": field(_("答复期限"), WHEN),
        f"{s}:reason": field(_("理由")),
        f"{s}:letter_date": field(_("撤回函日期"), WHEN),
        f"{a}:status": field(_("状态"), choices=c.AssignmentStatus),
        # A unit's receipt and send-back record the suggestion's status, not the assignment's.
        f"{a}.received:status": field(_("建议状态"), choices=c.SuggestionStatus),
        f"{a}.sent_back:status": field(_("建议状态"), choices=c.SuggestionStatus),
        f"{a}:role": field(_("承办方式"), choices=c.AssignmentRole),
        f"{a}:unit": field(_("承办单位"), ORG),
        f"{a}:lead_unit": field(_("主办单位"), ORG),
        f"{a}:contact_due_at": field(_("联系代表期限"), WHEN),
        "suggestions.co_unit:co_units": field(_("会办单位"), ORGS),
        "suggestions.contact.recorded:method": field(_("联系方式"), choices=c.ContactMethod),
        "suggestions.contact.recorded:contacted_at": field(_("联系时间"), WHEN),
        "suggestions.contact.recorded:deputy": field(_("联系代表"), PERSON),
        "suggestions.contact.recorded:first": field(_("首次联系"), BOOL),
        "suggestions.contact.recorded:within_limit": field(_("在期限内"), BOOL),
        "suggestions.opinion.given:unit": field(_("会办单位"), ORG),
        "suggestions.opinion.given:round": field(_("答复轮次")),
        "suggestions.reply:category": field(_("答复类别"), choices=c.ReplyCategory),
        "suggestions.reply:face_to_face": field(_("当面答复"), BOOL),
        "suggestions.reply:on_time": field(_("按期答复"), BOOL),
        "suggestions.reply:lead_unit": field(_("主办单位"), ORG),
        "suggestions.reply:followers": field(_("随主办建议一并答复"), COUNT),
        "suggestions.verdict:overall": field(_("总体评价"), choices=c.Satisfaction),
        "suggestions.verdict:on_result": field(_("对办理结果"), choices=c.Satisfaction),
        "suggestions.verdict:on_attitude": field(_("对办理态度"), choices=c.Satisfaction),
        "suggestions.verdict:on_behalf": field(_("代为录入"), BOOL),
        "suggestions.verdict:round": field(_("答复轮次")),
        "suggestions.supervision:kind": field(_("督办类型"), choices=c.SupervisionKind),
        "suggestions.supervision:to_unit": field(_("督办单位"), ORG),
        "suggestions.supervision:due_at": field(_("报告期限"), WHEN),
        "suggestions.supervision:on_time": field(_("按期报告"), BOOL),
        "suggestions.batch:units": field(_("单位"), ORGS),
        "suggestions.batch:suggestions": field(_("建议件数"), COUNT),
        "suggestions.session:name": field(_("名称")),
        "suggestions.session:opens_on": field(_("开始日期"), WHEN),
        "suggestions.session:closes_on": field(_("结束日期"), WHEN),
    }


DEADLINE_KINDS: dict[str, str | Promise] = {
    "suggestion_assign": _("交办期限"),
    "suggestion_receipt": _("签收期限"),
    "suggestion_contact": _("联系代表期限"),
    "suggestion_reply": _("答复期限"),
    "suggestion_rereply": _("重新答复期限"),
    "suggestion_verdict": _("代表评价期限"),
    "suggestion_opinion": _("会办意见期限"),
    "suggestion_reassign": _("重新交办期限"),
    "suggestion_supervision": _("督办报告期限"),
}
