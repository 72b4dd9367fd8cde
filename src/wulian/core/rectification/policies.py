"""Access rules of findings and rectification.

- **see** a finding or a rectification: the raising organisation, the responsible unit (its
  own rectification, and the finding behind it), and the supervisors (congress side, CDI side,
  government supervision office) — except for a finding marked 机密 (confidential), which only
  the raising organisation and the responsible units see. Everyone else sees nothing. Lists are
  scoped in the query.
- **raise** a finding on a record: staff or leaders of a supervising organisation who may see
  that record.
- **edit** a finding, **verify** (close or reopen) a rectification and **manage** its
  deadlines: staff or leaders of the raising organisation.
- **respond** (commit, report progress, submit for verification): the responsible unit's desk
  staff (staff, leader, clue officer, liaison).
- Evidence files are attachments of progress reports: the responsible unit attaches them while
  the rectification is in progress; whoever sees the rectification sees them.

Which step is possible in which state is the transition table's business (`choices.py`), not
these rules'.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from wulian.core import records
from wulian.core.access import Actor, rule, scope_rule
from wulian.core.choices import CDI_SIDE, CONGRESS_SIDE, OrgKind, Role, Sensitivity
from wulian.core.rectification.choices import RectificationState

MANAGER_ROLES = frozenset({Role.STAFF, Role.LEADER})
RAISING_KINDS = CONGRESS_SIDE | CDI_SIDE | frozenset({OrgKind.GOV_SUPERVISION_OFFICE})


def manager_org_ids(actor: Actor) -> frozenset[int]:
    """Organisations where the actor is staff or leader."""
    return frozenset(s.org_id for s in actor.seats if s.role in MANAGER_ROLES)


def raising_org_ids(actor: Actor) -> frozenset[int]:
    """Organisations for which the actor may raise findings."""
    return frozenset(
        s.org_id for s in actor.seats if s.role in MANAGER_ROLES and s.org_kind in RAISING_KINDS
    )


def _supervisor_sees(actor: Actor, sensitivity: str) -> bool:
    return actor.is_supervisor and sensitivity != Sensitivity.CONFIDENTIAL


def _responsible_org_ids(finding: Any) -> set[int]:
    cache = getattr(finding, "_prefetched_objects_cache", {})
    if "rectifications" in cache:
        return {r.responsible_org_id for r in cache["rectifications"]}
    return set(finding.rectifications.values_list("responsible_org_id", flat=True))


# --- Findings ------------------------------------------------------------------------------


@rule("rectification.finding.view", describe="raising organisation, responsible units, supervisors")
def _finding_view(actor: Actor, finding: Any) -> bool:
    offices = actor.office_org_ids()
    if finding is None:
        return bool(offices)
    if finding.found_by_org_id in offices or _supervisor_sees(actor, finding.sensitivity):
        return True
    return bool(offices) and bool(_responsible_org_ids(finding) & offices)


@scope_rule("rectification.finding.view")
def _finding_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    from wulian.core.rectification.models import Rectification

    offices = actor.office_org_ids()
    visible = Q(found_by_org_id__in=offices) | Q(
        pk__in=Rectification.objects.filter(responsible_org_id__in=offices).values("finding_id")
    )
    if actor.is_supervisor:
        visible |= ~Q(sensitivity=Sensitivity.CONFIDENTIAL)
    return qs.filter(visible)


@rule("rectification.finding.raise", describe="supervising staff or leaders who see the record")
def _finding_raise(actor: Actor, record: Any) -> bool:
    if not raising_org_ids(actor):
        return False
    return record is None or records.can_view(actor, record)


@rule("rectification.finding.edit", describe="staff or leaders of the raising organisation")
def _finding_edit(actor: Actor, finding: Any) -> bool:
    mine = manager_org_ids(actor)
    return bool(raising_org_ids(actor)) if finding is None else finding.found_by_org_id in mine


# --- Rectifications ------------------------------------------------------------------------


@rule(
    "rectification.rectification.view",
    describe="raising organisation, the responsible unit, supervisors",
)
def _view(actor: Actor, rect: Any) -> bool:
    offices = actor.office_org_ids()
    if rect is None:
        return bool(offices)
    return (
        rect.raising_org_id in offices
        or rect.responsible_org_id in offices
        or _supervisor_sees(actor, rect.finding.sensitivity)
    )


@scope_rule("rectification.rectification.view")
def _view_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    offices = actor.office_org_ids()
    visible = Q(raising_org_id__in=offices) | Q(responsible_org_id__in=offices)
    if actor.is_supervisor:
        visible |= ~Q(finding__sensitivity=Sensitivity.CONFIDENTIAL)
    return qs.filter(visible)


@rule("rectification.rectification.respond", describe="the responsible unit's desk staff")
def _respond(actor: Actor, rect: Any) -> bool:
    offices = actor.office_org_ids()
    return bool(offices) if rect is None else rect.responsible_org_id in offices


@rule("rectification.rectification.verify", describe="staff or leaders of the raising org")
def _verify(actor: Actor, rect: Any) -> bool:
    if rect is None:
        return bool(raising_org_ids(actor))
    return rect.raising_org_id in manager_org_ids(actor)


rule(
    "rectification.rectification.manage",
    describe="deadlines of a rectification: staff or leaders of the raising organisation",
)(_verify)


# --- Progress reports (evidence files are their attachments) ------------------------------


@rule("rectification.progressreport.view", describe="whoever sees the rectification")
def _report_view(actor: Actor, report: Any) -> bool:
    if report is None:
        return bool(actor.office_org_ids())
    return _view(actor, report.rectification)


@rule(
    "rectification.progressreport.attach",
    describe="the responsible unit, while the rectification is in progress",
)
def _report_attach(actor: Actor, report: Any) -> bool:
    if report is None:
        return bool(actor.office_org_ids())
    rect = report.rectification
    return (
        rect.state == RectificationState.IN_PROGRESS
        and rect.responsible_org_id in actor.office_org_ids()
    )
