"""Access rules of 联商 (joint consultation). The reasons: docs/adr/0029-joint-consultation.md.

The two sides are the congress (人大常委会 and its working bodies) and the CDI (纪委监委 and its
stationed groups). Desk seats (staff, leader, clue officer, liaison) on either side use the
register; nobody else does (the supervised units, deputies, experts and the three
administrators see nothing of it).

- **A matter** is seen by its side and the other as its 知悉范围 allows: 双方共享 — desk seats of
  both sides; 本方内部 — desk seats of the owning side only (a CDI matter marked internal is
  invisible to congress staff); 限本单位 — desk seats of the owning organisation only.
  Staff or leaders of either side enter matters; those of the owning organisation change them
  and link records to them.
- **An analysis** (联合研判) is joint: both sides' desk seats see it; staff or leaders of either
  side start one; those of the lead or partner organisation import, add analysts, hand
  findings on and issue the report. A finding handed on as a clue is shown only to those who
  may see the clue (the clues' own rules).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from wulian.consultation.choices import SIDE_KINDS, MatterSensitivity
from wulian.core.access import Actor, rule, scope_rule
from wulian.core.choices import Role

MANAGER_ROLES = frozenset({Role.STAFF, Role.LEADER})


def sides(actor: Actor) -> frozenset[str]:
    """The sides on which the actor holds a desk seat."""
    return frozenset(side for side, kinds in SIDE_KINDS.items() if actor.office_org_ids(kinds))


def manager_org_ids(actor: Actor) -> frozenset[int]:
    """Organisations of either side in whose name the actor enters matters and analyses."""
    kinds = SIDE_KINDS["congress"] | SIDE_KINDS["cdi"]
    return frozenset(
        s.org_id for s in actor.seats if s.role in MANAGER_ROLES and s.org_kind in kinds
    )


def matter_visible_q(actor: Actor, prefix: str = "") -> Q:
    """The matters the actor sees, as a filter (on Matter, or through `prefix`)."""
    mine = sides(actor)
    if not mine:
        return Q(pk__in=[])
    return (
        Q(**{f"{prefix}sensitivity": MatterSensitivity.SHARED})
        | Q(**{f"{prefix}sensitivity": MatterSensitivity.INTERNAL, f"{prefix}side__in": mine})
        | Q(**{f"{prefix}owner_org_id__in": actor.office_org_ids()})
    )


def sees_matter(actor: Actor, matter: Any) -> bool:
    mine = sides(actor)
    if not mine:
        return False
    if matter.sensitivity == MatterSensitivity.SHARED:
        return True
    if matter.sensitivity == MatterSensitivity.INTERNAL and matter.side in mine:
        return True
    return matter.owner_org_id in actor.office_org_ids()


@rule("consultation.home.view", describe="desk seats of the congress side or the CDI side")
def _home(actor: Actor, obj: Any) -> bool:
    return bool(sides(actor))


@rule("consultation.matter.view", describe="both sides as the matter's 知悉范围 allows")
def _matter_view(actor: Actor, matter: Any) -> bool:
    return bool(sides(actor)) if matter is None else sees_matter(actor, matter)


@scope_rule("consultation.matter.view")
def _matter_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs.filter(matter_visible_q(actor))


@rule("consultation.matter.create", describe="staff or leaders of either side")
def _matter_create(actor: Actor, obj: Any) -> bool:
    return bool(manager_org_ids(actor))


@rule("consultation.matter.manage", describe="staff or leaders of the owning organisation")
def _matter_manage(actor: Actor, matter: Any) -> bool:
    mine = manager_org_ids(actor)
    return bool(mine) if matter is None else matter.owner_org_id in mine


@rule("consultation.analysis.view", describe="desk seats of either side")
def _analysis_view(actor: Actor, analysis: Any) -> bool:
    return bool(sides(actor))


@scope_rule("consultation.analysis.view")
def _analysis_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs if sides(actor) else qs.none()


@rule("consultation.analysis.create", describe="staff or leaders of either side")
def _analysis_create(actor: Actor, obj: Any) -> bool:
    return bool(manager_org_ids(actor))


@rule("consultation.analysis.manage", describe="staff or leaders of the lead or partner body")
def _analysis_manage(actor: Actor, analysis: Any) -> bool:
    mine = manager_org_ids(actor)
    if analysis is None:
        return bool(mine)
    return analysis.lead_org_id in mine or analysis.partner_org_id in mine


@rule("consultation.figures.view", describe="desk seats of either side")
def _figures(actor: Actor, obj: Any) -> bool:
    return bool(sides(actor))


# Record types whose view rule is not named `<app_label>.<model>.view`.
VIEW_ACTIONS = {"opinions.opinionround": "opinions.round.view"}


def can_view_record(actor: Actor, record: Any) -> bool:
    """Whether the actor may see a record linked to a matter (by the record's own rule)."""
    from wulian.core import access, records

    label = records.record_label(record)
    return access.can(actor, VIEW_ACTIONS.get(label, f"{label}.view"), record)
