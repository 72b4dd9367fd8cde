"""Audit action codes of 联商 and their labels, and the keys of their events in words (a
matter's timeline; registered from apps.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

LABELS = {
    "consultation.matter.created": _("登记重大事项"),
    "consultation.matter.updated": _("修改重大事项"),
    "consultation.matter.linked": _("关联重大事项记录"),
    "consultation.matter.unlinked": _("取消关联重大事项记录"),
    "consultation.inspection.saved": _("填写执法检查情况"),
    "consultation.inspection.finding_recorded": _("记录执法检查发现的问题"),
    "consultation.inspection.handed_on": _("执法检查发现的问题交办整改"),
    "consultation.analysis.created": _("建立联合研判"),
    "consultation.analysis.analyst_added": _("加入研判人员"),
    "consultation.analysis.imported": _("导入审计整改清单"),
    "consultation.analysis.reported": _("出具研判报告"),
    "consultation.quarter.reminded": _("提醒召开季度联席会议"),
}


def fields() -> dict[str, Any]:
    """The keys of this app's events in words (the matter's timeline; core.actions). Ids, the
    linked record's reference and digests stay undescribed (技术详情 only)."""
    from wulian.consultation import choices as c
    from wulian.consultation.choices import LINKABLE
    from wulian.core.actions import DATE, ORG, ORGS, field

    kinds = {value: label for value, label, _model in LINKABLE}
    return {
        "consultation.matter:title": field(_("事项名称")),
        "consultation.matter:kind": field(_("事项类别"), choices=c.MatterKind),
        "consultation.matter:year": field(_("年度")),
        "consultation.matter:starts_on": field(_("开始日期"), DATE),
        "consultation.matter:ends_on": field(_("结束日期"), DATE),
        "consultation.matter:sensitivity": field(_("知悉范围"), choices=c.MatterSensitivity),
        "consultation.matter:status": field(_("状态"), choices=c.MatterStatus),
        "consultation.matter:owner_org": field(_("牵头单位"), ORG),
        "consultation.matter:record_kind": field(_("记录类别"), choices=kinds),
        "consultation.matter:reason": field(_("理由")),
        "consultation.inspection:law": field(_("检查的法律法规")),
        "consultation.inspection:scope": field(_("检查范围")),
        "consultation.inspection:teams": field(_("检查组")),
        "consultation.inspection:departments": field(_("被检查单位"), ORGS),
        "consultation.inspection:department": field(_("被检查单位"), ORG),
        "consultation.inspection:topic": field(_("问题类别"), choices=c.InspectionTopic),
        "consultation.inspection:amount": field(_("涉及金额（万元）")),
    }
