"""Audit action codes of 联商 and their labels (registered from apps.py)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "consultation.matter.created": _("登记重大事项"),
    "consultation.matter.updated": _("修改重大事项"),
    "consultation.matter.linked": _("关联重大事项记录"),
    "consultation.analysis.created": _("建立联合研判"),
    "consultation.analysis.analyst_added": _("加入研判人员"),
    "consultation.analysis.imported": _("导入审计整改清单"),
    "consultation.analysis.reported": _("出具研判报告"),
    "consultation.quarter.reminded": _("提醒召开季度联席会议"),
}
