"""Access rules of secret ballots.

- **manage** a poll (draft it, set its roster, print slips, ask to open, close, enter paper
  tallies, seal): staff or leaders of the organising organisation.
- **witness** (co-sign the opening and the tally): staff or leaders of the witness organisation
  (the stationed group by default).
- **see** a poll and, once certified, its results and published ballots: the organiser, the
  witness, the supervising bodies (congress side and CDI side), and whoever is on its roster.
- **vote**: a roster member with their account, once; or anyone with an unused slip of the poll
  (no account needed: the slip is the right to vote — the public slip page and the vote API).
- **create** a poll: staff or leaders of a supervising organisation (congress side, CDI side,
  the government supervision office); the service then checks the chosen organiser.
- **list** polls (the navigation's entry): the supervising bodies and whoever may create one
  (a voter reaches their poll from 我的待办).
- **results** and the published receipts: once sealed, the organiser and the witness; once
  certified, whoever sees the poll. A receipt's check on the public page needs no account.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from wulian.core.access import Actor, rule, scope_rule
from wulian.core.choices import CDI_SIDE, CONGRESS_SIDE, OrgKind, Role

MANAGER_ROLES = frozenset({Role.STAFF, Role.LEADER})
ORGANISING_KINDS = CONGRESS_SIDE | CDI_SIDE | frozenset({OrgKind.GOV_SUPERVISION_OFFICE})


def _manages(actor: Actor, org_id: int) -> bool:
    return any(s.org_id == org_id and s.role in MANAGER_ROLES for s in actor.seats)


@rule("polls.poll.manage", describe="组织单位的工作人员和负责人")
def can_manage(actor: Actor, poll: Any) -> bool:
    if poll is None:  # without a record (the API's gate): who may organise one
        return bool(organiser_org_ids(actor))
    return _manages(actor, poll.organiser_id)


@rule("polls.poll.witness", describe="见证单位（派驻纪检监察组）的工作人员和负责人")
def can_witness(actor: Actor, poll: Any) -> bool:
    if poll is None:  # without a record: staff or leaders of any organisation
        return any(s.role in MANAGER_ROLES for s in actor.seats)
    return _manages(actor, poll.witness_id)


def _on_roster(actor: Actor, poll: Any) -> bool:
    from wulian.core.polls.models import RosterEntry

    return actor.person_id is not None and (
        RosterEntry.objects.filter(group__poll=poll, person_id=actor.person_id).exists()
    )


@rule("polls.poll.see", describe="组织单位、见证单位、监督机关和参加投票的人员")
def can_see(actor: Actor, poll: Any) -> bool:
    if poll is None:
        # Without a record (the API's gate before it reads the poll): whoever has the list, and
        # any person, who may be on a poll's roster; the poll itself decides (404 outside).
        return can_list(actor) or actor.person_id is not None
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


def organiser_org_ids(actor: Actor) -> frozenset[int]:
    """Organisations in whose name the actor may organise a poll."""
    return frozenset(
        s.org_id for s in actor.seats if s.role in MANAGER_ROLES and s.org_kind in ORGANISING_KINDS
    )


@rule("polls.poll.create", describe="监督机关（人大、纪委监委、政务督查室）的工作人员和负责人")
def can_create(actor: Actor, _obj: Any = None) -> bool:
    return bool(organiser_org_ids(actor))


@rule("polls.poll.list", describe="监督机关和可组织测评的人员")
def can_list(actor: Actor, _obj: Any = None) -> bool:
    # No query: the navigation asks this on every page. A voter on a roster reaches the poll
    # from 我的待办 (请投票) and its page, not from the list.
    return (
        actor.is_congress_staff
        or actor.is_cdi_staff
        or actor.is_stationed_group
        or bool(organiser_org_ids(actor))
    )


@rule("polls.poll.vote", describe="投票人员名单中尚未投票的人员（投票中）")
def can_vote(actor: Actor, poll: Any) -> bool:
    from wulian.core.polls.choices import PollState
    from wulian.core.polls.models import RosterEntry

    return (
        poll is not None
        and poll.state == PollState.OPEN
        and actor.person_id is not None
        and RosterEntry.objects.filter(
            group__poll=poll, person_id=actor.person_id, has_voted=False
        ).exists()
    )


@rule(
    "polls.poll.results", describe="计票封存后：组织单位和见证单位；见证确认后：可查看该测评的人员"
)
def can_see_results(actor: Actor, poll: Any) -> bool:
    from wulian.core.polls.choices import PollState

    if poll is None:
        return can_see(actor, None)
    if poll.state not in (PollState.SEALED, PollState.CERTIFIED):
        return False
    if poll.state == PollState.SEALED:
        return _manages(actor, poll.organiser_id) or _manages(actor, poll.witness_id)
    return can_see(actor, poll)
