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

**Restricted kinds** (`RESTRICTED_KINDS`: 暗访): an announced undercover visit would find
nothing, so until a bulletin (`wulian.core.bulletins`) linked to the activity is issued the
activity is seen only by its organisers (the office staff of the organising organisation) —
not the supervisors, not the participants. The rule and its scope say it once; every place the
activity shows (the list, its page, the API, the exports, the records it is linked to) reads
through them. Once the bulletin is issued the ordinary rule applies.
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


def _restricted_ids() -> Any:
    """Ids of activities of a restricted kind whose bulletin is not issued yet (a subquery)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Exists, OuterRef

    from wulian.core.activities.choices import RESTRICTED_KINDS
    from wulian.core.activities.models import Activity
    from wulian.core.bulletins.choices import BulletinState
    from wulian.core.bulletins.models import Bulletin

    issued = Bulletin.objects.filter(
        linked_type=ContentType.objects.get_for_model(Activity),
        linked_id=OuterRef("pk"),
        state=BulletinState.ISSUED,
    )
    return Activity.objects.filter(kind__in=RESTRICTED_KINDS).exclude(Exists(issued)).values("pk")


def is_restricted(activity: Any) -> bool:
    """A restricted kind (暗访) whose bulletin has not been issued: organisers only."""
    from wulian.core.activities.choices import RESTRICTED_KINDS

    if activity.kind not in RESTRICTED_KINDS:
        return False
    return _restricted_ids().filter(pk=activity.pk).exists()


@rule("activities.activity.view", describe="organiser, participants, supervisors")
def _view(actor: Actor, activity: Any) -> bool:
    if activity is None:
        return _uses_ledger(actor)
    if is_restricted(activity):
        return activity.organiser_id in actor.office_org_ids()
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
    offices = actor.office_org_ids()
    # A restricted activity (暗访) before its bulletin: its organisers only.
    qs = qs.exclude(Q(pk__in=_restricted_ids()) & ~Q(organiser_id__in=offices))
    if actor.is_supervisor:
        return qs
    from wulian.core.activities.models import ActivityParticipant

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


# --- Meetings (ADR 0023) ------------------------------------------------------------------
#
# - **activities.meeting.sign** (co-sign the minutes): a leader (负责人 seat) of a convening
#   organisation of the meeting.
# - **activities.actionitem.view**: whoever sees the meeting, the owner organisation's office
#   staff and the named owner person. Lists are scoped in the query.
# - **activities.actionitem.report** (report completion, add evidence): office staff of the
#   owner organisation, and the named owner person.
# - **activities.actionitem.verify** / **manage** (verify, send back, link records, the
#   deadline): staff or leaders of a convening organisation.
# - **activities.agendaitem.view** / **attach**: as the meeting's activity.


def _convener_ids(meeting: Any) -> list[int]:
    cache = getattr(meeting, "_prefetched_objects_cache", {})
    if "conveners" in cache:
        return [c.organisation_id for c in cache["conveners"]]
    return list(meeting.conveners.values_list("organisation_id", flat=True))


def _meeting_of(record: Any) -> Any:
    """The meeting of an activity, or None when the activity is not a meeting."""
    from wulian.core.activities.models import Meeting

    try:
        return record.meeting
    except Meeting.DoesNotExist:
        return None


def leader_org_ids(actor: Actor) -> frozenset[int]:
    return frozenset(s.org_id for s in actor.seats if s.role == Role.LEADER)


def signing_org_ids(actor: Actor, meeting: Any) -> list[int]:
    """The convening organisations of `meeting` for which the actor may co-sign, in order."""
    mine = leader_org_ids(actor)
    return [org for org in _convener_ids(meeting) if org in mine]


@rule("activities.meeting.sign", describe="a leader of a convening organisation")
def _sign(actor: Actor, activity: Any) -> bool:
    if activity is None:
        return bool(leader_org_ids(actor))
    meeting = _meeting_of(activity)
    return meeting is not None and bool(signing_org_ids(actor, meeting))


@rule("activities.meeting.view", describe="as its activity")
def _meeting_view(actor: Actor, meeting: Any) -> bool:
    return _view(actor, None if meeting is None else meeting.activity)


@rule("activities.agendaitem.view", describe="as the meeting's activity")
def _agenda_view(actor: Actor, item: Any) -> bool:
    return _view(actor, None if item is None else item.meeting.activity)


@rule("activities.agendaitem.attach", describe="as the meeting's activity")
def _agenda_attach(actor: Actor, item: Any) -> bool:
    return _attach(actor, None if item is None else item.meeting.activity)


def _convener_managers(actor: Actor, action: Any) -> bool:
    mine = manager_org_ids(actor)
    if action is None:
        return bool(mine)
    return any(org in mine for org in _convener_ids(action.decision.meeting))


@rule("activities.actionitem.view", describe="the meeting's viewers, the owner organisation")
def _action_view(actor: Actor, action: Any) -> bool:
    if action is None:
        return _uses_ledger(actor)
    if action.owner_org_id in actor.office_org_ids():
        return True
    if action.owner_person_id is not None and action.owner_person_id == actor.person_id:
        return True
    return _view(actor, action.decision.meeting.activity)


@scope_rule("activities.actionitem.view")
def _action_view_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_supervisor:
        return qs
    from wulian.core.activities.models import Activity

    offices = actor.office_org_ids()
    visible = Q(owner_org_id__in=offices) | Q(
        decision__meeting__activity__in=_view_scope(actor, Activity.objects.all()).values("pk")
    )
    if actor.person_id is not None:
        visible |= Q(owner_person_id=actor.person_id)
    return qs.filter(visible)


@rule("activities.actionitem.report", describe="the owner organisation's office staff")
def _action_report(actor: Actor, action: Any) -> bool:
    if action is None:
        return bool(actor.office_org_ids())
    if action.owner_org_id in actor.office_org_ids():
        return True
    return action.owner_person_id is not None and action.owner_person_id == actor.person_id


@rule("activities.actionitem.verify", describe="staff or leaders of a convening organisation")
def _action_verify(actor: Actor, action: Any) -> bool:
    return _convener_managers(actor, action)


@rule("activities.actionitem.manage", describe="staff or leaders of a convening organisation")
def _action_manage(actor: Actor, action: Any) -> bool:
    return _convener_managers(actor, action)


@rule("activities.actionitem.attach", describe="the owner organisation and the conveners")
def _action_attach(actor: Actor, action: Any) -> bool:
    return _action_report(actor, action) or _convener_managers(actor, action)
