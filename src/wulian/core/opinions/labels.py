"""Audit action codes of opinion rounds and their labels (registered from apps.py)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "opinions.round.created": _("建立征求意见"),
    "opinions.round.version_added": _("上传征求意见稿新稿"),
    "opinions.round.invited": _("邀请提出意见"),
    "opinions.round.opened": _("发出征求意见"),
    "opinions.round.commented": _("提出意见"),
    "opinions.round.no_opinion": _("表示无意见"),
    "opinions.round.disposed": _("处理意见"),
    "opinions.round.closed": _("截止征求意见"),
    "opinions.round.concluded": _("印发意见采纳情况说明"),
}
