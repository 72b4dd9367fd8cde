"""我的待办 from opinion rounds: drafts I am invited to comment on (due at the close), and, for
the drafting side, rounds with comments still to dispose of. Two queries, whatever the number
of rounds. The comment deadlines are listed here rather than by the deadlines app's provider
(same item, in this app's words; see apps.py)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wulian.core.access import Actor
from wulian.core.opinions.choices import RoundState
from wulian.core.opinions.models import Comment, Invitee, OpinionRound
from wulian.core.opinions.policies import invitee_q, manager_org_ids
from wulian.core.todos import TodoItem, provider

LIMIT = 200


@provider
def opinion_todos(actor: Actor) -> list[TodoItem]:
    if not actor.seats:
        return []
    now = timezone.now()
    source = pgettext("opinions", "征求意见")
    items: list[TodoItem] = []
    silent = (
        Invitee.objects.filter(
            invitee_q(actor),
            round__state=RoundState.OPEN,
            round__closes_at__gte=now,
            no_opinion_at__isnull=True,
        )
        .exclude(Exists(Comment.objects.filter(invitee_id=OuterRef("pk"))))
        .select_related("round", "organisation", "person")
        .order_by("round__closes_at", "id")[:LIMIT]
    )
    for row in silent:
        items.append(
            TodoItem(
                title=_("提出意见：%(t)s（%(who)s）") % {"t": row.round.title, "who": row.name},
                url=row.round.get_absolute_url() + "#comment-form",
                source=source,
                due=row.round.closes_at,
                status=_("待提出意见"),
                tone="warning",
            )
        )
    own = manager_org_ids(actor)
    if own:
        pending = (
            OpinionRound.objects.filter(
                drafter_id__in=own, state__in=[RoundState.OPEN, RoundState.CLOSED]
            )
            .annotate(n=Count("comments", filter=Q(comments__disposition="")))
            .filter(n__gt=0)
            .order_by("closes_at", "id")[:LIMIT]
        )
        for r in pending:
            items.append(
                TodoItem(
                    title=_("处理意见：%(t)s（%(n)d条待处理）") % {"t": r.title, "n": r.n},
                    url=r.get_absolute_url() + "#comments",
                    source=source,
                    due=r.closes_at,
                    status=_("待处理"),
                    tone="danger" if r.closes_at and r.closes_at < now else "warning",
                )
            )
    return items
