"""Audit action codes of secret ballots and their labels (registered from apps.py). "Voted"
says who voted, never how (ADR 0022)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "polls.poll.created": _("拟定测评（票决）"),
    "polls.roster.added": _("添加投票人员"),
    "polls.slips.issued": _("印制投票码"),
    "polls.poll.open_requested": _("提请开启投票"),
    "polls.poll.opened": _("见证开启投票"),
    "polls.ballot.cast": _("已投票"),
    "polls.poll.closed": _("截止投票"),
    "polls.paper.entered": _("录入纸质票"),
    "polls.poll.sealed": _("计票封存"),
    "polls.poll.certified": _("见证确认计票结果"),
}
