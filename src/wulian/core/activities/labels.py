"""Audit action codes of meetings and their labels (registered from apps.py; ADR 0023)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "activities.meeting.convener_added": _("增加召集单位"),
    "activities.meeting.agenda_added": _("增加会议议题"),
    "activities.meeting.attendance_recorded": _("登记出席情况"),
    "activities.meeting.decision_added": _("记录议定事项"),
    "activities.minutes.saved": _("起草（修改）会议纪要"),
    "activities.minutes.signed": _("会签会议纪要"),
    "activities.minutes.issued": _("印发会议纪要"),
    "activities.action.assigned": _("交办落实事项"),
    "activities.action.reported": _("报告落实事项完成"),
    "activities.action.verified": _("核验落实事项办结"),
    "activities.action.returned": _("退回落实事项"),
    "activities.action.linked": _("落实事项关联记录"),
}
