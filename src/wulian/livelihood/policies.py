"""Access rules of the livelihood link (民生实事项目).

- **view** a cycle, a project, an actual, the figures: everyone with a seat other than the three
  administrators (deputies, departments, stations, the supervising bodies) — the projects are
  public business; the public page shows them without signing in, without personal data.
- **manage** a cycle (candidates, opening the vote, the 决定, the satisfaction test, changing an
  indicator on a recorded decision, choosing photos for publication): staff or leaders of the
  congress side.
- **screen** candidates (论证筛选: budget, indicators): staff or leaders of the government's
  supervision office, and the congress side's managers.
- **report** an actual (monthly progress with evidence): the office staff of the project's
  responsible department or of a co-department.
- **督办** a lagging project, close an answered order, escalate one to the CDI: the managers
  (`livelihood.project.manage`); **answer** an order: who reports (`livelihood.project.report`).
- **verify** (核实 / 提出疑问): a member of the project's supervision group, and the congress
  side's managers.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from wulian.core.access import Actor, rule, scope_rule
from wulian.core.choices import ADMIN_ROLES, CONGRESS_SIDE, OrgKind, Role

MANAGER_ROLES = frozenset({Role.STAFF, Role.LEADER})


def _seated(actor: Actor) -> bool:
    return any(s.role not in ADMIN_ROLES for s in actor.seats)


def congress_manager(actor: Actor) -> bool:
    return any(s.role in MANAGER_ROLES and s.org_kind in CONGRESS_SIDE for s in actor.seats)


def _project(record: Any) -> Any:
    """The project a record belongs to (a project, an indicator, an actual, an order)."""
    from wulian.livelihood.models import Actual, Indicator, Order

    if isinstance(record, Order):
        return record.project
    if isinstance(record, Actual):
        return record.indicator.project
    if isinstance(record, Indicator):
        return record.project
    return record


def department_ids(project: Any) -> set[int]:
    cache = getattr(project, "_prefetched_objects_cache", {})
    co = (
        [o.pk for o in cache["co_departments"]]
        if "co_departments" in cache
        else list(project.co_departments.values_list("pk", flat=True))
    )
    return {project.responsible_id, *co}


def in_group(actor: Actor, project: Any) -> bool:
    if actor.person_id is None:
        return False
    cache = getattr(project, "_prefetched_objects_cache", {})
    if "group" in cache:
        return any(m.person_id == actor.person_id for m in cache["group"])
    return project.group.filter(person_id=actor.person_id).exists()


@rule("livelihood.cycle.view", describe="有岗位的人员（管理员除外）")
def can_view(actor: Actor, _record: Any = None) -> bool:
    return _seated(actor)


def _all_or_none(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs if _seated(actor) else qs.none()


scope_rule("livelihood.cycle.view")(_all_or_none)
for code in (
    "livelihood.project.view",
    "livelihood.actual.view",
    "livelihood.figures.view",
    "livelihood.candidate.view",
):
    rule(code, describe="有岗位的人员（管理员除外）")(can_view)
    scope_rule(code)(_all_or_none)


@rule("livelihood.cycle.manage", describe="人大常委会及其工作机构的工作人员和负责人")
def can_manage(actor: Actor, _record: Any = None) -> bool:
    return congress_manager(actor)


rule("livelihood.project.manage", describe="人大常委会及其工作机构的工作人员和负责人")(can_manage)


@rule("livelihood.candidate.screen", describe="政务督查室和人大方面的工作人员、负责人")
def can_screen(actor: Actor, _record: Any = None) -> bool:
    return congress_manager(actor) or any(
        s.role in MANAGER_ROLES and s.org_kind == OrgKind.GOV_SUPERVISION_OFFICE
        for s in actor.seats
    )


@rule("livelihood.project.report", describe="责任单位和配合单位的办公人员")
def can_report(actor: Actor, record: Any = None) -> bool:
    offices = actor.office_org_ids()
    if record is None:
        return bool(offices)
    return bool(department_ids(_project(record)) & offices)


@rule("livelihood.actual.attach", describe="责任单位和配合单位的办公人员")
def can_attach(actor: Actor, record: Any = None) -> bool:
    return can_report(actor, record)


@rule("livelihood.project.verify", describe="项目监督小组成员和人大方面的工作人员、负责人")
def can_verify(actor: Actor, record: Any = None) -> bool:
    if congress_manager(actor):
        return True
    if record is None:  # without a record: whoever may sit on a group
        return actor.person_id is not None and _seated(actor)
    return in_group(actor, _project(record))
