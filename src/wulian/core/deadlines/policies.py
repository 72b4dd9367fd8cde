"""Who may do what to a deadline. Each rule delegates to the record the deadline belongs to:

- see it: whoever may see the record (`records.can_view`);
- open, pause, resume, cancel: whoever holds the record app's manage action, which the app
  names when it opens the deadline (`Deadline.manage_action`);
- close it as met: the same, or the responsible organisation's desk staff;
- request an extension: the responsible organisation's desk staff (the handler);
- approve or refuse one: the assigning organisation's desk staff (the assigner).

The holiday calendar is reference data of the system administrator.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from wulian.core import access, records
from wulian.core.access import Actor, rule, scope_rule
from wulian.core.choices import Role


def _record(deadline: Any) -> Any:
    return deadline.record


@rule("deadlines.deadline.view", describe="whoever may see the record the deadline is on")
def _view(actor: Actor, deadline: Any) -> bool:
    if deadline is None:
        return bool(actor.seats)
    return records.can_view(actor, _record(deadline))


@scope_rule("deadlines.deadline.view")
def _view_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    """Lists of deadlines: those of the actor's own organisations, as handler or assigner.
    Pages of one record show its deadlines after checking the record itself."""
    orgs = actor.office_org_ids()
    if not orgs:
        return qs.none()
    return qs.filter(Q(responsible_org_id__in=orgs) | Q(assigner_org_id__in=orgs))


@rule("deadlines.deadline.manage", describe="the record app's manage action (open, pause, …)")
def _manage(actor: Actor, deadline: Any) -> bool:
    if deadline is None:
        return bool(actor.seats)
    return access.can(actor, deadline.manage_action, _record(deadline))


@rule("deadlines.deadline.meet", describe="the record's managers or the responsible unit")
def _meet(actor: Actor, deadline: Any) -> bool:
    if deadline is None:
        return bool(actor.seats)
    if deadline.responsible_org_id in actor.office_org_ids():
        return records.can_view(actor, _record(deadline))
    return _manage(actor, deadline)


@rule("deadlines.extension.request", describe="the responsible unit's desk staff")
def _extension_request(actor: Actor, deadline: Any) -> bool:
    if deadline is None:
        return bool(actor.office_org_ids())
    return deadline.responsible_org_id in actor.office_org_ids() and records.can_view(
        actor, _record(deadline)
    )


@rule("deadlines.extension.decide", describe="the assigning unit's desk staff")
def _extension_decide(actor: Actor, deadline: Any) -> bool:
    if deadline is None:
        return bool(actor.office_org_ids())
    return deadline.assigner_org_id in actor.office_org_ids() and records.can_view(
        actor, _record(deadline)
    )


@rule("deadlines.calendar.manage", describe="holiday calendar: the system administrator")
def _calendar_manage(actor: Actor, obj: Any) -> bool:
    return actor.admin_role == Role.SYSTEM_ADMIN
