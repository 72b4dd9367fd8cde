"""Access rules of 联评 (ADR 0028).

- **see an evaluation** (its stage, team, activities, vote result, opinion, rectification):
  congress-side desk staff, the CDI side (CDI and stationed groups), the government supervision
  office, the evaluated department's desk staff, and the people on its team.
- **create** one: staff or leaders of a congress-side organisation.
- **manage** it (the team's work: stages, activities, vote, opinion, findings): staff or leaders
  of its working body, and the persons on its team as lead or member.
- **the dossier** (the CDI's reference material, confidential): seen only by the team (the
  working body's staff and leaders, the team's persons, the stationed group's staff and leaders)
  and by the CDI's staff, leaders and clue officers (any office of the CDI: the material is
  the CDI's own). Never by the department, nor by
  congress staff outside the team, nor in any count anyone else sees. Added by the CDI or the
  stationed group; how an item was used is recorded by the team (manage).
- **attach** (the department's self-report and its 整改报告, wulian.core.attachments): the
  department's desk staff, or the team uploading a report handed over on paper.
- **record the conduct grade** (行风政风评议): the CDI side and the government supervision
  office, and the team.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from wulian.core.access import Actor, rule, scope_rule
from wulian.core.choices import CDI_SIDE, CONGRESS_SIDE, OFFICE_ROLES, OrgKind, Role
from wulian.evaluation.choices import TeamRole

MANAGERS = frozenset({Role.STAFF, Role.LEADER})
CDI_DESK = frozenset({Role.STAFF, Role.LEADER, Role.CLUE_OFFICER})
GOV_OFFICE = frozenset({OrgKind.GOV_SUPERVISION_OFFICE})


def manager_orgs(actor: Actor, kinds: frozenset[str] | None = None) -> frozenset[int]:
    return frozenset(
        s.org_id
        for s in actor.seats
        if s.role in MANAGERS and (kinds is None or s.org_kind in kinds)
    )


def cdi_desk_orgs(actor: Actor) -> frozenset[int]:
    return frozenset(
        s.org_id for s in actor.seats if s.role in CDI_DESK and s.org_kind == OrgKind.CDI
    )


def _team_people(evaluation: Any) -> dict[int, str]:
    cache = getattr(evaluation, "_prefetched_objects_cache", {})
    rows = cache["team"] if "team" in cache else evaluation.team.all()
    return {m.person_id: m.role for m in rows if m.person_id}


def is_team(actor: Actor, evaluation: Any) -> bool:
    """On the team: the working body's or the stationed group's staff and leaders, or a person
    named on it."""
    mine = manager_orgs(actor)
    if evaluation.working_body_id in mine or evaluation.stationed_group_id in mine:
        return True
    return actor.person_id is not None and actor.person_id in _team_people(evaluation)


def manages(actor: Actor, evaluation: Any) -> bool:
    if evaluation.working_body_id in manager_orgs(actor):
        return True
    role = _team_people(evaluation).get(actor.person_id) if actor.person_id else None
    return role in (TeamRole.LEAD, TeamRole.MEMBER)


def _watchers(actor: Actor) -> bool:
    return bool(actor.office_org_ids(CONGRESS_SIDE | CDI_SIDE | GOV_OFFICE))


@rule("evaluation.evaluation.view", describe="supervisors, the department, the team")
def _view(actor: Actor, evaluation: Any) -> bool:
    if evaluation is None:
        return _watchers(actor) or bool(actor.office_org_ids()) or actor.holds(Role.DEPUTY)
    return (
        _watchers(actor)
        or evaluation.department_id in actor.office_org_ids()
        or is_team(actor, evaluation)
    )


@scope_rule("evaluation.evaluation.view")
def _view_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    if _watchers(actor):
        return qs
    q = Q(department_id__in=actor.office_org_ids())
    if actor.person_id is not None:
        q |= Q(team__person_id=actor.person_id)
    return qs.filter(q).distinct()


@rule("evaluation.evaluation.create", describe="congress-side staff or leaders")
def _create(actor: Actor, obj: Any) -> bool:
    return bool(manager_orgs(actor, CONGRESS_SIDE))


@rule("evaluation.evaluation.manage", describe="the working body and the team's lead/members")
def _manage(actor: Actor, evaluation: Any) -> bool:
    if evaluation is None:
        return bool(manager_orgs(actor, CONGRESS_SIDE))
    return manages(actor, evaluation)


def sees_dossier(actor: Actor, evaluation: Any) -> bool:
    return bool(cdi_desk_orgs(actor)) or is_team(actor, evaluation)


@rule("evaluation.dossier.view", describe="the team and the CDI only (confidential)")
def _dossier_view(actor: Actor, evaluation: Any) -> bool:
    if evaluation is None:
        return bool(cdi_desk_orgs(actor) or manager_orgs(actor, CONGRESS_SIDE | CDI_SIDE))
    return sees_dossier(actor, evaluation)


@scope_rule("evaluation.dossier.view")
def _dossier_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    """Evaluations whose dossier the actor sees (a queryset of evaluations)."""
    if cdi_desk_orgs(actor):
        return qs
    mine = manager_orgs(actor)
    q = Q(working_body_id__in=mine) | Q(stationed_group_id__in=mine)
    if actor.person_id is not None:
        q |= Q(team__person_id=actor.person_id)
    return qs.filter(q).distinct()


@rule("evaluation.dossier.add", describe="the CDI's or the stationed group's staff")
def _dossier_add(actor: Actor, evaluation: Any) -> bool:
    if evaluation is None:
        return bool(manager_orgs(actor, CDI_SIDE) or cdi_desk_orgs(actor))
    return bool(cdi_desk_orgs(actor)) or evaluation.stationed_group_id in manager_orgs(actor)


# A dossier item's files (wulian.core.attachments): the dossier's own confidentiality —
# seen (and each download audited) by the team and the CDI only, added by those who add items.
@rule("evaluation.dossieritem.view", describe="the team and the CDI only (confidential)")
def _dossier_item_view(actor: Actor, item: Any) -> bool:
    if item is None:
        return _dossier_view(actor, None)
    return sees_dossier(actor, item.evaluation)


@rule("evaluation.dossieritem.attach", describe="the CDI's or the stationed group's staff")
def _dossier_item_attach(actor: Actor, item: Any) -> bool:
    return _dossier_add(actor, None if item is None else item.evaluation)


@rule("evaluation.evaluation.conduct", describe="CDI side, government supervision office, team")
def _conduct(actor: Actor, evaluation: Any) -> bool:
    if manager_orgs(actor, CDI_SIDE | GOV_OFFICE):
        return True
    if evaluation is None:  # the route's gate: the record's rule decides after it
        return bool(manager_orgs(actor, CONGRESS_SIDE))
    return manages(actor, evaluation)


# Records attached to an evaluation (the self-report: wulian.core.attachments).
@rule("evaluation.evaluation.attach", describe="the department and the team")
def _attach(actor: Actor, evaluation: Any) -> bool:
    if evaluation is None:  # the route's gate: the record's rule decides after it
        return bool(actor.office_org_ids())
    return evaluation.department_id in actor.office_org_ids() or manages(actor, evaluation)


__all__ = ["OFFICE_ROLES", "is_team", "manages", "sees_dossier"]
