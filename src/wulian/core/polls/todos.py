"""我的待办 from secret ballots: 请投票 for each open poll where the person is on the roster
and has not voted (until it closes); 见证开启 / 见证确认 for the witness organisation's staff;
计票封存 for the organiser once closed. Three queries, whatever the number of polls. 已办: the
polls the person voted in (dated by the poll's closing, never by the vote: nothing records when
a person voted), leading to the poll and, once certified, its results."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.access import Actor
from wulian.core.polls.choices import PollState
from wulian.core.polls.models import Poll, RosterEntry
from wulian.core.polls.policies import MANAGER_ROLES
from wulian.core.todos import DoneItem, TodoItem, done_provider, provider

LIMIT = 100


@provider
def poll_todos(actor: Actor) -> list[TodoItem]:
    items: list[TodoItem] = []
    source = _("测评票决")
    now = timezone.now()
    if actor.person_id is not None:
        for entry in (
            RosterEntry.objects.filter(
                person_id=actor.person_id,
                has_voted=False,
                group__poll__state=PollState.OPEN,
                group__poll__closes_at__gt=now,
            )
            .select_related("group__poll")
            .order_by("group__poll__closes_at")[:LIMIT]
        ):
            poll = entry.group.poll
            items.append(
                TodoItem(
                    title=_("请投票：%(t)s") % {"t": poll.title},
                    url=poll.get_absolute_url(),
                    source=source,
                    due=poll.closes_at,
                    status=_("投票中"),
                    tone="warning",
                )
            )
    managed = [s.org_id for s in actor.seats if s.role in MANAGER_ROLES]
    if not managed:
        return items
    for poll in Poll.objects.filter(
        Q(witness_id__in=managed, state__in=[PollState.OPENING, PollState.SEALED])
        | Q(organiser_id__in=managed, state=PollState.CLOSED)
    ).order_by("closes_at")[:LIMIT]:
        if poll.state == PollState.OPENING and poll.witness_id in managed:
            title = _("见证开启投票：%(t)s")
        elif poll.state == PollState.SEALED and poll.witness_id in managed:
            title = _("见证确认计票结果：%(t)s")
        elif poll.state == PollState.CLOSED:
            title = _("计票封存：%(t)s")
        else:
            continue
        items.append(
            TodoItem(
                title=title % {"t": poll.title},
                url=poll.get_absolute_url(),
                source=source,
                status=poll.get_state_display(),
            )
        )
    return items


@done_provider
def voted_in(actor: Actor, limit: int) -> list[DoneItem]:
    if actor.person_id is None:
        return []
    return [
        DoneItem(
            title=_("已投票：%(t)s") % {"t": entry.group.poll.title},
            url=entry.group.poll.get_absolute_url(),
            source=_("测评票决"),
            done_at=entry.group.poll.closes_at,
            status=entry.group.poll.get_state_display(),
        )
        for entry in RosterEntry.objects.filter(person_id=actor.person_id, has_voted=True)
        .select_related("group__poll")
        .order_by("-group__poll__closes_at")[:limit]
    ]
