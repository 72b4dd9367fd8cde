"""Access rules of clues (问题线索). The decisions and their reasons: docs/adr/0007.

- **draft** (create, edit, transfer): staff or leaders of a congress-side organisation; the
  organisation they draft in is the sending office.
- **before transfer** only the sending office's staff and leaders see the clue.
- **after transfer** the full content (`clues.clue.view`) is seen only by the CDI clue officers
  (role clue_officer) of the receiving organisation (an organisation of kind cdi); they
  acknowledge receipt, dispose and give feedback.
- The sending office keeps a **status view** (`clues.clue.view_status`): state, dates, the
  disposition kind and the feedback — not the content.
- **Everyone else** — other CDI staff, the stationed group, the government, units, deputies,
  experts and the three administrators — sees nothing: not the clue, not its existence in a
  list or a count.

Which step is possible in which state is the transition table's business (`choices.py`); a
rule only looks at the state where the state decides who may see the clue at all.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from wulian.core.access import Actor, rule, scope_rule
from wulian.core.choices import CONGRESS_SIDE, OrgKind, Role
from wulian.core.clues.choices import ClueState

SENDER_ROLES = frozenset({Role.STAFF, Role.LEADER})
SENDING_KINDS = CONGRESS_SIDE
RECEIVING_KINDS = frozenset({OrgKind.CDI})


def sender_org_ids(actor: Actor) -> frozenset[int]:
    """Organisations in which the actor may draft and transfer clues."""
    return frozenset(
        s.org_id for s in actor.seats if s.role in SENDER_ROLES and s.org_kind in SENDING_KINDS
    )


def clue_officer_org_ids(actor: Actor) -> frozenset[int]:
    """CDI organisations in which the actor is a clue officer."""
    return frozenset(
        s.org_id
        for s in actor.seats
        if s.role == Role.CLUE_OFFICER and s.org_kind in RECEIVING_KINDS
    )


def _involved(actor: Actor) -> bool:
    return bool(sender_org_ids(actor) or clue_officer_org_ids(actor))


def _full(actor: Actor, clue: Any) -> bool:
    if clue.state == ClueState.DRAFT:
        return clue.sending_org_id in sender_org_ids(actor)
    return clue.receiving_org_id in clue_officer_org_ids(actor)


def _full_q(actor: Actor) -> Q:
    return Q(state=ClueState.DRAFT, sending_org_id__in=sender_org_ids(actor)) | (
        ~Q(state=ClueState.DRAFT) & Q(receiving_org_id__in=clue_officer_org_ids(actor))
    )


@rule("clues.clue.create", describe="congress-side staff or leaders")
def _create(actor: Actor, obj: Any) -> bool:
    return bool(sender_org_ids(actor))


@rule("clues.clue.view", describe="full content: drafting office before, CDI clue officers after")
def _view(actor: Actor, clue: Any) -> bool:
    if clue is None:
        return _involved(actor)
    return _full(actor, clue)


@scope_rule("clues.clue.view")
def _view_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    if not _involved(actor):
        return qs.none()
    return qs.filter(_full_q(actor))


@rule("clues.clue.view_status", describe="the full viewers, and the sending office after transfer")
def _view_status(actor: Actor, clue: Any) -> bool:
    if clue is None:
        return _involved(actor)
    if _full(actor, clue):
        return True
    return clue.state != ClueState.DRAFT and clue.sending_org_id in sender_org_ids(actor)


@scope_rule("clues.clue.view_status")
def _view_status_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    if not _involved(actor):
        return qs.none()
    return qs.filter(_full_q(actor) | Q(sending_org_id__in=sender_org_ids(actor)))


@rule("clues.clue.edit", describe="staff or leaders of the sending office (drafts only)")
def _edit(actor: Actor, clue: Any) -> bool:
    mine = sender_org_ids(actor)
    return bool(mine) if clue is None else clue.sending_org_id in mine


rule("clues.clue.transfer", describe="staff or leaders of the sending office")(_edit)


def _cdi_step(actor: Actor, clue: Any) -> bool:
    officers = clue_officer_org_ids(actor)
    if clue is None:
        return bool(officers)
    return clue.state != ClueState.DRAFT and clue.receiving_org_id in officers


rule("clues.clue.receive", describe="CDI clue officers of the receiving organisation")(_cdi_step)


rule("clues.clue.feedback", describe="CDI clue officers of the receiving organisation")(_cdi_step)


rule("clues.clue.propose", describe="CDI clue officers of the receiving organisation (拟办)")(
    _cdi_step
)


rule(
    "clues.clue.approve",
    describe="CDI clue officers of the receiving organisation (the leader approves or returns a "
    "proposal; never the proposer's own, which the service refuses)",
)(_cdi_step)


rule("clues.clue.reactivate", describe="CDI clue officers of the receiving organisation")(_cdi_step)


rule("clues.clue.conclude", describe="CDI clue officers of the receiving organisation")(_cdi_step)


@rule(
    "clues.clue.manage_deadlines",
    describe="opening the CDI's time limits at transfer (or at a CDI intake, while none is "
    "open); nobody pauses or cancels them after",
)
def _manage_deadlines(actor: Actor, clue: Any) -> bool:
    if clue is None:
        return bool(sender_org_ids(actor))
    if clue.state == ClueState.DRAFT:
        return clue.sending_org_id in sender_org_ids(actor)
    return (
        taken_in(clue)
        and clue.state == ClueState.RECEIVED
        and clue.receiving_org_id in clue_officer_org_ids(actor)
        and not _limits_open(clue)
    )


def taken_in(clue: Any) -> bool:
    """A clue the CDI took in directly (an integrity monitor's observation): its own office is
    both ends, so no congress-side office ever sees it (a transferred clue's sender is always
    congress-side)."""
    return clue.sending_org_id == clue.receiving_org_id


def _limits_open(clue: Any) -> bool:
    from django.contrib.contenttypes.models import ContentType

    from wulian.core.deadlines.models import Deadline

    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(clue), object_id=clue.pk
    ).exists()


@rule(
    "clues.clue.intake",
    describe="CDI clue officers: register a clue their CDI received directly (a monitor's "
    "observation)",
)
def _intake(actor: Actor, obj: Any) -> bool:
    return bool(clue_officer_org_ids(actor))


# --- Routing: which office's clue officers receive a clue -----------------------------------


def clue_office_for(organisation_id: int | None) -> Any:
    """The organisation whose clue officers receive a clue addressed to `organisation_id`
    (an organisation of kind cdi), by one rule: clues are received centrally
    (归口受理、集中管理, ADR 0007), so a clue sent to any part of a CDI goes to the office of
    that CDI that has clue officers — the organisation itself if it has them, otherwise the
    one nearest the top of the same CDI (its topmost CDI ancestor and that one's CDI
    descendants; then by sort order and code), normally the case-management office (案件监督
    管理室). None when that CDI has no active clue officer at all."""
    from wulian.core.models import Membership, Organisation

    if organisation_id is None:
        return None
    rows = {
        pk: (parent_id, sort_order, code)
        for pk, parent_id, sort_order, code in Organisation.objects.filter(
            kind__in=sorted(RECEIVING_KINDS), is_active=True
        ).values_list("pk", "parent_id", "sort_order", "code")
    }
    if organisation_id not in rows:
        return None
    root = organisation_id
    while rows[root][0] in rows:
        root = rows[root][0]
    children: dict[int, list[int]] = {}
    for pk, (parent, _order, _code) in rows.items():
        children.setdefault(parent, []).append(pk)
    depth = {root: 0}
    queue = [root]
    for pk in queue:  # breadth first: the queue grows while it is read
        for child in children.get(pk, []):
            if child not in depth:
                depth[child] = depth[pk] + 1
                queue.append(child)
    staffed = set(
        Membership.objects.filter(
            organisation_id__in=list(depth),
            role=Role.CLUE_OFFICER,
            is_active=True,
            person__is_active=True,
            person__user__is_active=True,
        ).values_list("organisation_id", flat=True)
    )
    if not staffed:
        return None
    if organisation_id in staffed:
        chosen = organisation_id
    else:
        chosen = min(staffed, key=lambda pk: (depth[pk], rows[pk][1], rows[pk][2]))
    return Organisation.objects.get(pk=chosen)
