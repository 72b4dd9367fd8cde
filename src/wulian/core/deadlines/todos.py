"""我的待办 from deadlines: the live deadlines of the organisations where the person does desk
work (or assigned to the person), and the extension requests waiting on the person's
organisation as assigner. Two queries, whatever the number of items. Kinds an app lists itself
(`listed_by_app`) are left out."""

from __future__ import annotations

from datetime import date, time

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.deadlines import rules, titles
from wulian.core.deadlines.choices import LIVE_STATES, DeadlineState, Decision
from wulian.core.deadlines.models import CalendarYear, Deadline, ExtensionRequest
from wulian.core.deadlines.templatetags.deadlines import badge_state
from wulian.core.todos import DoneItem, TodoItem, done_provider, provider

LIMIT = 200

# Deadline kinds that their app lists in 我的待办 itself (with the record's own words, to the
# people who act on it), so that this provider leaves them out.
_LISTED_BY_APP: set[str] = set()


def listed_by_app(*kinds: str) -> None:
    """Declare that the record's app lists deadlines of these kinds in 我的待办 itself."""
    _LISTED_BY_APP.update(kinds)


@provider
def deadline_todos(actor: Actor) -> list[TodoItem]:
    orgs = actor.office_org_ids()
    user = actor.user
    if not orgs and user is None:
        return []
    # A deadline that names a responsible role reaches only the holders of that role.
    mine = Q(responsible_org_id__in=orgs, responsible_role="")
    for seat in actor.seats:
        if seat.org_id in orgs:
            mine |= Q(responsible_org_id=seat.org_id, responsible_role=seat.role)
    if user is not None and user.pk is not None:
        mine |= Q(responsible_user_id=user.pk)
    now = timezone.now()
    items: list[TodoItem] = []
    deadlines = (
        Deadline.objects.filter(mine, state__in=sorted(LIVE_STATES))
        .exclude(kind__in=sorted(_LISTED_BY_APP))
        .only("id", "title", "url", "state", "due_at", "schedule", "paused_at", "provisional")
        .order_by("due_at", "id")[:LIMIT]
    )
    for d in deadlines:
        label, tone = badge_state(d, now)
        items.append(
            TodoItem(
                title=titles.display(d.title),
                url=d.link,
                source=_("办理期限"),
                due=None if d.state == DeadlineState.PAUSED else d.due_at,
                status=label,
                tone=tone,
                provisional=d.provisional,
            )
        )
    if orgs:
        waiting = (
            ExtensionRequest.objects.filter(
                decision=Decision.PENDING,
                deadline__assigner_org_id__in=orgs,
                deadline__state__in=sorted(LIVE_STATES),
            )
            .select_related("deadline")
            .order_by("requested_at", "id")[:LIMIT]
        )
        for request in waiting:
            items.append(
                TodoItem(
                    title=_("审批延期申请：%(title)s")
                    % {"title": titles.display(request.deadline.title)},
                    url=request.deadline.link,
                    source=_("办理期限"),
                    due=request.deadline.due_at,
                    status=_("申请延至 %(due)s")
                    % {"due": timezone.localtime(request.new_due_at).strftime("%Y-%m-%d")},
                    tone="warning",
                )
            )
    return items


# From this day of the year on, the system administrator is asked for next year's calendar (the
# State Council's notice usually comes in November).
CALENDAR_REMINDER_FROM = (11, 1)


@provider
def calendar_todos(actor: Actor) -> list[TodoItem]:
    """From 1 November, while next year is not complete: enter it (deadlines reaching into it
    are provisional meanwhile)."""
    today = timezone.localdate()
    if (today.month, today.day) < CALENDAR_REMINDER_FROM:
        return []
    if not access.can(actor, "deadlines.calendar.manage"):
        return []
    year = today.year + 1
    if CalendarYear.objects.filter(year=year, complete=True).exists():
        return []
    provisional = Deadline.objects.filter(provisional=True, state__in=sorted(LIVE_STATES)).count()
    return [
        TodoItem(
            title=_("录入 %(year)d 年节假日安排并标记完整") % {"year": year},
            url=f"{reverse('deadlines:calendar')}?year={year}",
            source=_("节假日日历"),
            due=rules.at_local(date(year, 1, 1), time.min),
            status=_("%(n)d 个期限暂定") % {"n": provisional},
            tone="warning",
        )
    ]


@done_provider
def deadline_done(actor: Actor, limit: int) -> list[DoneItem]:
    """已办: the deadlines the person closed by doing the work (met or late), newest first. One
    query."""
    user = actor.user
    if user is None or user.pk is None:
        return []
    closed = (
        Deadline.objects.filter(
            closed_by_id=user.pk, state__in=[DeadlineState.MET, DeadlineState.MISSED]
        )
        .only("id", "title", "url", "state", "closed_at")
        .order_by("-closed_at", "-id")[:limit]
    )
    return [
        DoneItem(
            title=d.title,
            url=d.link,
            source=_("办理期限"),
            done_at=d.closed_at,
            status=d.get_state_display(),
            tone="ok" if d.state == DeadlineState.MET else "warning",
        )
        for d in closed
    ]
