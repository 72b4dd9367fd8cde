"""Audit action codes of the liaison-station link and their labels."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, str | Promise] = {
    "stations.rule.added": _("添加联络站活动规则"),
    "stations.events.scheduled": _("联络站活动排期并公告"),
    "stations.event.recorded": _("记录联络站活动"),
    "stations.opinion.recorded": _("记录群众意见"),
    "stations.opinion.answered": _("当场答复群众意见"),
    "stations.opinion.handed": _("群众意见转交部门"),
    "stations.opinion.replied": _("部门答复群众意见"),
    "stations.opinion.raised": _("群众意见形成代表建议"),
    "stations.opinion.declined": _("群众意见不予受理"),
    "stations.observation.reported": _("清廉监督员报送情况"),
}

DEADLINE_KINDS: dict[str, str | Promise] = {"station_opinion_reply": _("群众意见答复期限")}


def fields() -> dict[str, Any]:
    """The keys of this app's events in words (the record's history; core.actions)."""
    from wulian.core.actions import ORG, WHEN, field
    from wulian.stations import choices as c

    return {
        "stations.opinion:disposition": field(_("处理方式"), choices=c.Disposition),
        "stations.opinion:department": field(_("转交部门"), ORG),
        "stations.opinion:handed_at": field(_("转交时间"), WHEN),
        "stations.opinion:replied_at": field(_("答复时间"), WHEN),
        "stations.opinion:replied_on_time": field(_("按期答复")),
        "stations.opinion:elsewhere": field(_("引导途径"), choices=c.Elsewhere),
        "stations.opinion:topic": field(_("事项")),
        "stations.event:state": field(_("状态"), choices=c.EventState),
        "stations.event:attendance": field(_("参加群众人数")),
    }
