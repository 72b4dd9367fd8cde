"""Audit action codes of bulletins and their labels (registered from apps.py)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "bulletins.series.created": _("建立定期通报"),
    "bulletins.bulletin.drafted": _("起草通报"),
    "bulletins.bulletin.updated": _("修改通报草稿"),
    "bulletins.bulletin.issued": _("印发通报"),
    "bulletins.bulletin.signed": _("签收通报"),
    "bulletins.bulletin.feedback_given": _("反馈通报意见"),
    "bulletins.bulletin.read": _("查阅敏感通报"),
}
