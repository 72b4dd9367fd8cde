"""Access rules of the liaison-station link (联督 II).

- **Stations, events and their figures** are seen by congress-side and CDI-side desk staff,
  by everyone who holds a seat at a liaison station (its deputies) and by integrity monitors.
  The public notice page needs no sign-in and shows dates, places and names only.
- **Managing** a station (its rules, its events' schedule): congress-side staff or leaders.
  Recording an event (attendance, record) and taking **opinions** at it: the station's
  deputies, or congress-side staff.
- An **opinion** is seen by the congress side, by its station's seat holders and, once handed
  to it, by the department's desk (which answers it). The CDI side does not see residents'
  opinions (they are not its business; a conduct concern is an observation).
- Raising an opinion as a **suggestion** is a deputy's own act (the suggestion is his).
- An integrity monitor's **observation** is clue-grade: the CDI clue officers of the receiving
  CDI see it, nobody else — not the monitor's station, not the congress side, not other CDI
  staff, not the administrators; the monitor who wrote it sees neither it nor a count of it.
  A monitor is appointed by the CDI (his seat is there) and writes one at a station where he
  is on duty.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from wulian.core.access import Actor, rule, scope_rule
from wulian.core.choices import CDI_SIDE, CONGRESS_SIDE, OFFICE_ROLES, OrgKind, Role
from wulian.core.clues.policies import clue_officer_org_ids
from wulian.stations.choices import Disposition, DutyRole
from wulian.stations.models import Duty

DESK_ROLES = frozenset({Role.STAFF, Role.LEADER})
STATION_KINDS = frozenset({OrgKind.LIAISON_STATION})


def congress_desk(actor: Actor) -> frozenset[int]:
    return frozenset(
        s.org_id for s in actor.seats if s.role in DESK_ROLES and s.org_kind in CONGRESS_SIDE
    )


def station_orgs(actor: Actor, *roles: str) -> frozenset[int]:
    """Liaison stations where the actor holds a seat (of one of `roles`, when given)."""
    return frozenset(
        s.org_id
        for s in actor.seats
        if s.org_kind in STATION_KINDS and (not roles or s.role in roles)
    )


def department_desk(actor: Actor) -> frozenset[int]:
    return frozenset(s.org_id for s in actor.seats if s.role in OFFICE_ROLES)


def is_watcher(actor: Actor) -> bool:
    return bool(
        congress_desk(actor)
        or actor.office_org_ids(CDI_SIDE)
        or station_orgs(actor)
        or actor.holds(Role.INTEGRITY_MONITOR)
    )


def _station_org(record: Any) -> int:
    station = getattr(record, "station", record)
    return station.organisation_id


# --- Stations and events --------------------------------------------------------------------


@rule("stations.station.view", describe="congress and CDI desks; seat holders of a station")
def _station_view(actor: Actor, station: Any) -> bool:
    return is_watcher(actor)


@scope_rule("stations.station.view")
def _station_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs if is_watcher(actor) else qs.none()


@rule("stations.station.manage", describe="congress-side staff or leaders")
def _station_manage(actor: Actor, station: Any) -> bool:
    return bool(congress_desk(actor))


@rule("stations.event.view", describe="as the stations")
def _event_view(actor: Actor, event: Any) -> bool:
    return is_watcher(actor)


@scope_rule("stations.event.view")
def _event_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs if is_watcher(actor) else qs.none()


def _at_station(actor: Actor, record: Any) -> bool:
    if congress_desk(actor):
        return True
    mine = station_orgs(actor, Role.DEPUTY)
    return bool(mine) if record is None else _station_org(record) in mine


@rule("stations.event.record", describe="the station's deputies; congress-side staff")
def _event_record(actor: Actor, event: Any) -> bool:
    return _at_station(actor, event)


@rule("stations.opinion.record", describe="the station's deputies; congress-side staff")
def _opinion_record(actor: Actor, event: Any) -> bool:
    return _at_station(actor, event)


@rule("stations.figures.view", describe="congress and CDI desks; seat holders of a station")
def _figures(actor: Actor, obj: Any) -> bool:
    return is_watcher(actor)


# --- Opinions -------------------------------------------------------------------------------


def _opinion_q(actor: Actor) -> Q | None:
    if congress_desk(actor):
        return None  # all
    q = Q(station__organisation_id__in=station_orgs(actor))
    depts = department_desk(actor)
    if depts:
        q |= Q(department_id__in=depts) & ~Q(disposition=Disposition.OPEN)
    return q


@rule("stations.opinion.view", describe="congress side; the station; the department it went to")
def _opinion_view(actor: Actor, opinion: Any) -> bool:
    if opinion is None:
        return bool(congress_desk(actor) or station_orgs(actor) or department_desk(actor))
    if congress_desk(actor) or _station_org(opinion) in station_orgs(actor):
        return True
    return opinion.department_id is not None and opinion.department_id in department_desk(actor)


@scope_rule("stations.opinion.view")
def _opinion_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    q = _opinion_q(actor)
    return qs if q is None else qs.filter(q)


@rule("stations.opinion.handle", describe="the station's deputies; congress-side staff")
def _opinion_handle(actor: Actor, opinion: Any) -> bool:
    return _at_station(actor, opinion)


@rule("stations.opinion.raise", describe="a deputy of the station (his own suggestion)")
def _opinion_raise(actor: Actor, opinion: Any) -> bool:
    mine = station_orgs(actor, Role.DEPUTY)
    return bool(mine) if opinion is None else _station_org(opinion) in mine


@rule("stations.opinion.reply", describe="the desk of the department it was handed to")
def _opinion_reply(actor: Actor, opinion: Any) -> bool:
    depts = department_desk(actor)
    if opinion is None:
        return bool(depts)
    return opinion.department_id is not None and opinion.department_id in depts


# --- Observations (clue-grade) --------------------------------------------------------------


@rule(
    "stations.observation.create",
    describe="an integrity monitor (appointed by the CDI) on duty at the event's station",
)
def _observation_create(actor: Actor, event: Any) -> bool:
    if not actor.holds(Role.INTEGRITY_MONITOR) or actor.person_id is None:
        return False
    if event is None:
        return True
    return Duty.objects.filter(
        station_id=event.station_id, person_id=actor.person_id, role=DutyRole.MONITOR
    ).exists()


@rule("stations.observation.view", describe="CDI clue officers of the receiving CDI only")
def _observation_view(actor: Actor, observation: Any) -> bool:
    officers = clue_officer_org_ids(actor)
    if observation is None:
        return bool(officers)
    return observation.receiving_org_id in officers


rule(
    "stations.observation.intake",
    describe="CDI clue officers of the receiving CDI: register it as a clue",
)(_observation_view)


@scope_rule("stations.observation.view")
def _observation_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    officers = clue_officer_org_ids(actor)
    return qs.filter(receiving_org_id__in=officers) if officers else qs.none()
