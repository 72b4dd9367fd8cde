"""`{% deadline_badge deadline %}`: the time left in Chinese — amber once a reminder point has
passed, red when overdue, and whether the clock is paused. `{% deadline_panel record %}`: the
record's deadlines with the buttons the signed-in person may use (pause, resume, extension)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access
from wulian.core.deadlines.choices import DeadlineState, Decision

register = template.Library()


def _duration(seconds: float) -> str:
    from wulian.core.deadlines.sweep import remaining_text

    return remaining_text(seconds)


def reminder_passed(deadline: Any, now: datetime) -> bool:
    for point in deadline.schedule or ():
        if point.get("kind") == "reminder" and datetime.fromisoformat(point["at"]) <= now:
            return True
    return False


def badge_state(deadline: Any, now: datetime | None = None) -> tuple[str, str]:
    """(label, tone) for a deadline: tone is neutral, warning (a reminder point passed),
    danger (overdue), info (paused), ok (met) or muted (cancelled)."""
    now = now or timezone.now()
    state = deadline.state
    if state == DeadlineState.CANCELLED:
        return _("已取消"), "muted"
    if state == DeadlineState.MET:
        return _("按期办结"), "ok"
    if state == DeadlineState.MISSED:
        return _("逾期办结"), "danger"
    if state == DeadlineState.PAUSED:
        left = (deadline.due_at - deadline.paused_at).total_seconds()
        if left < 0:
            return _("已暂停（暂停前已逾期 %(t)s）") % {"t": _duration(-left)}, "info"
        return _("已暂停（剩余 %(t)s）") % {"t": _duration(left)}, "info"
    left = (deadline.due_at - now).total_seconds()
    if left < 0:
        return _("已逾期 %(t)s") % {"t": _duration(-left)}, "danger"
    return _("剩余 %(t)s") % {"t": _duration(left)}, (
        "warning" if reminder_passed(deadline, now) else "neutral"
    )


@register.inclusion_tag("deadlines/badge.html")
def deadline_badge(deadline: Any) -> dict[str, Any]:
    label, tone = badge_state(deadline)
    return {"deadline": deadline, "label": label, "tone": tone}


@register.inclusion_tag("deadlines/panel.html", takes_context=True)
def deadline_panel(context: template.Context, record: Any) -> dict[str, Any]:
    """The deadlines of a record the page has already shown to the person (it checked that
    the person may see the record)."""
    from wulian.core.deadlines.selectors import deadlines_for_record
    from wulian.core.deadlines.services import extensions_owned

    request = context.get("request")
    actor = access.actor_for(getattr(request, "user", None))
    rows = deadlines_for_record(record=record)
    office = actor.office_org_ids()
    manage_cache: dict[str, bool] = {}
    entries = []
    for d in rows:
        if d.manage_action not in manage_cache:
            manage_cache[d.manage_action] = access.can(actor, d.manage_action, record)
        pending = next((e for e in d.extensions.all() if e.decision == Decision.PENDING), None)
        live = d.state in (DeadlineState.OPEN, DeadlineState.PAUSED)
        # Extensions an app owns are asked for and decided on the record's own page.
        generic = not extensions_owned(d)
        entries.append(
            {
                "deadline": d,
                "pending": pending,
                "can_pause": live
                and d.state == DeadlineState.OPEN
                and manage_cache[d.manage_action],
                "can_resume": d.state == DeadlineState.PAUSED and manage_cache[d.manage_action],
                "can_request": generic
                and live
                and pending is None
                and d.responsible_org_id in office,
                "can_decide": generic
                and live
                and pending is not None
                and d.assigner_org_id in office,
            }
        )
    return {
        "entries": entries,
        "next": getattr(request, "get_full_path", lambda: "")(),
        "csrf_token": context.get("csrf_token"),
        "content_type": ContentType.objects.get_for_model(record),
    }


@register.filter
def deadline_title(title: str) -> str:
    """A deadline's stored title in the reader's language (core.deadlines.titles)."""
    from wulian.core.deadlines import titles

    return titles.display(title)
