"""Access rules of secret ballots.

- **manage** a poll (draft it, set its roster, print slips, ask to open, close, enter paper
  tallies, seal): staff or leaders of the organising organisation.
- **witness** (co-sign the opening and the tally): staff or leaders of the witness organisation
  (the stationed group by default).
- **see** a poll and, once certified, its results and published ballots: the organiser, the
  witness, the supervising bodies (congress side and CDI side), and whoever is on its roster.
- **vote**: a roster member with their account, once; or anyone with an unused slip of the poll
  (no account needed: the slip is the right to vote).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from wulian.core.access import Actor, rule, scope_rule
from wulian.core.choices import Role

MANAGER_ROLES = frozenset({Role.STAFF, Role.LEADER})


def _manages(actor: Actor, org_id: int) -> bool:
    return any(s.org_id == org_id and s.role in MANAGER_ROLES for s in actor.seats)


@rule("polls.poll.manage", describe="组织单位的工作人员和负责人")
def can_manage(actor: Actor, poll: Any) -> bool:
    return poll is not None and _manages(actor, poll.organiser_id)


@rule("polls.poll.witness", describe="见证单位（派驻纪检监察组）的工作人员和负责人")
def can_witness(actor: Actor, poll: Any) -> bool:
    return poll is not None and _manages(actor, poll.witness_id)


def _on_roster(actor: Actor, poll: Any) -> bool:
    from wulian.core.polls.models import RosterEntry

    return actor.person_id is not None and (
        RosterEntry.objects.filter(group__poll=poll, person_id=actor.person_id).exists()
    )


@rule("polls.poll.see", describe="组织单位、见证单位、监督机关和参加投票的人员")
def can_see(actor: Actor, poll: Any) -> bool:
    if poll is None:
        return False
    return (
        _manages(actor, poll.organiser_id)
        or _manages(actor, poll.witness_id)
        or actor.is_congress_staff
        or actor.is_cdi_staff
        or actor.is_stationed_group
        or _on_roster(actor, poll)
    )


@scope_rule("polls.poll.see")
def see_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_congress_staff or actor.is_cdi_staff or actor.is_stationed_group:
        return qs
    managed = [s.org_id for s in actor.seats if s.role in MANAGER_ROLES]
    return qs.filter(
        Q(organiser_id__in=managed)
        | Q(witness_id__in=managed)
        | Q(groups__roster__person_id=actor.person_id or 0)
    ).distinct()
