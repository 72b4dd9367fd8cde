"""我的待办 from meetings (ADR 0023): action items my organisation (or I) must carry out, items
reported to my convening organisation for verification, and minutes waiting for my
co-signature as a leader of a convening side. Three queries, whatever the number of items.
The action items' deadlines are listed here rather than by the deadlines app's provider (same
item, in this app's words; see apps.py)."""

from __future__ import annotations

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.access import Actor
from wulian.core.activities.choices import ActionState, MinutesState
from wulian.core.activities.models import ActionItem, MeetingConvener
from wulian.core.activities.policies import leader_org_ids, manager_org_ids
from wulian.core.todos import TodoItem, provider

LIMIT = 200


@provider
def meeting_todos(actor: Actor) -> list[TodoItem]:
    offices = actor.office_org_ids()
    if not offices and actor.person_id is None:
        return []
    source = _("会议")
    now = timezone.now()
    items: list[TodoItem] = []
    mine = Q(owner_org_id__in=offices)
    if actor.person_id is not None:
        mine |= Q(owner_person_id=actor.person_id)
    for a in (
        ActionItem.objects.filter(mine, state=ActionState.OPEN)
        .select_related("owner_org")
        .only("id", "title", "due_at", "owner_org__name", "owner_org__short_name")
        .order_by("due_at", "id")[:LIMIT]
    ):
        items.append(
            TodoItem(
                title=_("落实会议议定事项：%(t)s（%(org)s）")
                % {"t": a.title, "org": a.owner_org.display_name},
                url=a.get_absolute_url(),
                source=source,
                due=a.due_at,
                status=_("落实中"),
                tone="danger" if a.due_at < now else "warning",
            )
        )
    managed = manager_org_ids(actor)
    if managed:
        for a in (
            ActionItem.objects.filter(
                state=ActionState.REPORTED,
                decision__meeting__conveners__organisation_id__in=managed,
            )
            .distinct()
            .select_related("owner_org")
            .only("id", "title", "reported_at", "owner_org__name", "owner_org__short_name")
            .order_by("reported_at", "id")[:LIMIT]
        ):
            items.append(
                TodoItem(
                    title=_("核验落实事项：%(t)s（%(org)s）")
                    % {"t": a.title, "org": a.owner_org.display_name},
                    url=a.get_absolute_url(),
                    source=source,
                    status=_("待核验"),
                )
            )
    leads = leader_org_ids(actor)
    if leads:
        waiting = (
            MeetingConvener.objects.filter(
                organisation_id__in=leads, meeting__minutes_state=MinutesState.DRAFT
            )
            .filter(Q(signed_at__isnull=True) | ~Q(signed_version=F("meeting__version")))
            .select_related("meeting__activity", "organisation")
            .order_by("meeting__activity__starts_at", "id")[:LIMIT]
        )
        for c in waiting:
            activity = c.meeting.activity
            items.append(
                TodoItem(
                    title=_("会签会议纪要：%(t)s（%(org)s）")
                    % {"t": activity.title, "org": c.organisation.display_name},
                    url=activity.get_absolute_url() + "#minutes",
                    source=source,
                    status=_("待会签"),
                    tone="warning",
                )
            )
    return items
