"""Audit action codes of the judicial link and their labels (registered from AppConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, str | Promise] = {
    "judicial.expert.added": _("专家入库"),
    "judicial.expert.updated": _("修改专家信息"),
    "judicial.expert.suspended": _("暂停专家"),
    "judicial.expert.reinstated": _("恢复专家"),
    "judicial.expert.conflict_declared": _("申报利害关系"),
    "judicial.expert.conflict_withdrawn": _("撤销利害关系申报"),
    "judicial.expert.rated": _("评价专家"),
    "judicial.experts.imported": _("导入专家库"),
    "judicial.pool.versioned": _("生成专家库版本"),
    "judicial.case.filed": _("案件备案"),
    "judicial.case.updated": _("修改备案案件"),
    "judicial.cases.imported": _("导入备案案件"),
    "judicial.batch.created": _("新建评查批次"),
    "judicial.batch.updated": _("修改评查批次"),
    "judicial.batch.review_opened": _("开始评查"),
    "judicial.batch.closed": _("结束评查批次"),
    "judicial.draw.frozen": _("冻结抽取清单"),
    "judicial.draw.committed": _("服务器随机数承诺"),
    "judicial.draw.input_entered": _("录入见证随机数"),
    "judicial.draw.sealed": _("抽取专家并密封结果"),
    "judicial.draw.abort_requested": _("申请作废抽取"),
    "judicial.draw.aborted": _("作废抽取"),
    "judicial.draw.abort_refused": _("见证人拒绝作废抽取"),
    "judicial.draw.result_viewed": _("查看密封的抽取结果"),
    "judicial.invitation.accepted": _("专家接受邀请"),
    "judicial.invitation.declined": _("专家谢绝邀请"),
    "judicial.score.submitted": _("提交评分"),
    "judicial.score.entered_on_paper": _("代录纸质评分表"),
    "judicial.score.paper_cosigned": _("见证人会签纸质评分表"),
    "judicial.case.graded": _("评定案件等次"),
    "judicial.problem.recorded": _("记录评查发现的问题"),
    "judicial.suggestion.drafted": _("起草意见建议"),
    "judicial.suggestion.updated": _("修改意见建议"),
    "judicial.suggestion.sent": _("送达意见建议"),
    "judicial.suggestion.adopted": _("采纳意见建议"),
    "judicial.suggestion.not_adopted": _("不予采纳意见建议"),
    "judicial.suggestion.results_recorded": _("登记整改成效"),
    "judicial.petition.registered": _("登记涉法涉诉信访"),
    "judicial.petition.routed": _("转办涉法涉诉信访"),
    "judicial.petition.answered": _("涉法涉诉信访办结"),
    "judicial.petition.cases_linked": _("信访关联评查案件"),
}


def fields() -> dict[str, Any]:
    """The keys of this app's events in words (the record's history; core.actions)."""
    from wulian.core.actions import COUNT, ORG, WHEN, field
    from wulian.judicial import choices as c

    return {
        "judicial.expert:status": field(_("状态"), choices=c.ExpertStatus),
        "judicial.expert:conflict": field(_("利害关系"), choices=c.ConflictKind),
        "judicial.expert:score": field(_("评分")),
        "judicial.case:grade": field(_("评查等次"), choices=c.Grade),
        "judicial.case:suggested": field(_("建议等次"), choices=c.Grade),
        "judicial.batch:state": field(_("状态"), choices=c.BatchState),
        "judicial.batch:cases": field(_("案件数"), COUNT),
        "judicial.batch:cases_added": field(_("增加案件"), COUNT),
        "judicial.batch:cases_removed": field(_("移出案件"), COUNT),
        "judicial.draw:state": field(_("状态"), choices=c.DrawState),
        "judicial.draw:cases": field(_("案件数"), COUNT),
        "judicial.draw:eligible": field(_("符合条件的专家"), COUNT),
        "judicial.suggestion:state": field(_("状态"), choices=c.SuggestionState),
        "judicial.suggestion:addressee": field(_("送达单位"), ORG),
        "judicial.petition:state": field(_("状态"), choices=c.PetitionState),
        "judicial.petition:case_number": field(_("案号")),
        "judicial.petition:received_on": field(_("收到日期"), WHEN),
        "judicial.petition:due_at": field(_("答复期限"), WHEN),
        "judicial.petition:outcome": field(_("结果"), choices=c.PetitionOutcome),
        "judicial.petition:working_days": field(_("期限（工作日）")),
        "judicial.cases:cases_filed": field(_("备案案件"), COUNT),
        "judicial.experts:experts_added": field(_("入库专家"), COUNT),
    }


DEADLINE_KINDS: dict[str, str | Promise] = {"petition_answer": _("申诉答复期限")}
