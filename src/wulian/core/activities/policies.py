"""Access rules of supervision activities.

- **view**: staff of the organising organisation, staff of each participating organisation, a
  person named as a participant, and the supervisors (congress side, CDI side, the government
  supervision office). Lists are scoped in the query.
- **create**: staff or leaders, for an activity organised by their own organisation.
- **manage** (edit, hold, cancel, participants, linked records): staff or leaders of the
  organising organisation.
- **attach** (attachments): whoever manages it, and the office staff of the participating
  organisations (they bring their reports and minutes).

"Staff" here means an office seat (staff, leader, clue officer, liaison) unless it says staff
or leaders.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from wulian.core.access import Actor, rule, scope_rule
from wulian.core.choices import ADMIN_ROLES, Role

MANAGER_ROLES = frozenset({Role.STAFF, Role.LEADER})


def manager_org_ids(actor: Actor) -> frozenset[int]:
    """Organisations in which the actor may organise and manage activities."""
    return frozenset(s.org_id for s in actor.seats if s.role in MANAGER_ROLES)


def _uses_ledger(actor: Actor) -> bool:
    """Everyone with a seat other than an administrator role (administrators run the system,
    not supervision)."""
    return any(s.role not in ADMIN_ROLES for s in actor.seats)


def _participants(activity: Any) -> list[tuple[int, int | None]]:
    cache = getattr(activity, "_prefetched_objects_cache", {})
    if "participants" in cache:
        return [(p.organisation_id, p.person_id) for p in cache["participants"]]
    return list(activity.participants.values_list("organisation_id", "person_id"))


@rule("activities.activity.view", describe="organiser, participants, supervisors")
def _view(actor: Actor, activity: Any) -> bool:
    if activity is None:
        return _uses_ledger(actor)
    if actor.is_supervisor:
        return True
    offices = actor.office_org_ids()
    if activity.organiser_id in offices:
        return True
    return any(
        org in offices or (person is not None and person == actor.person_id)
        for org, person in _participants(activity)
    )


@scope_rule("activities.activity.view")
def _view_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_supervisor:
        return qs
    from wulian.core.activities.models import ActivityParticipant

    offices = actor.office_org_ids()
    visible = Q(organiser_id__in=offices) | Q(
        pk__in=ActivityParticipant.objects.filter(organisation_id__in=offices).values("activity_id")
    )
    if actor.person_id is not None:
        visible |= Q(
            pk__in=ActivityParticipant.objects.filter(person_id=actor.person_id).values(
                "activity_id"
            )
        )
    return qs.filter(visible)


@rule("activities.activity.create", describe="staff or leaders, for their own organisation")
def _create(actor: Actor, organiser: Any) -> bool:
    """`organiser` is the organising Organisation (None: may the actor create any)."""
    mine = manager_org_ids(actor)
    return bool(mine) if organiser is None else organiser.pk in mine


@rule("activities.activity.manage", describe="staff or leaders of the organising organisation")
def _manage(actor: Actor, activity: Any) -> bool:
    mine = manager_org_ids(actor)
    return bool(mine) if activity is None else activity.organiser_id in mine


@rule("activities.activity.attach", describe="managers and participating organisations' staff")
def _attach(actor: Actor, activity: Any) -> bool:
    if activity is None:
        return bool(actor.office_org_ids())
    if _manage(actor, activity):
        return True
    offices = actor.office_org_ids()
    return any(org in offices for org, _person in _participants(activity))
