"""Access rules of the core records: organisations, people, memberships, audit trail.

Every rule is a small function of (actor, record). The matrix in
`tests/core/test_policy_matrix.py` states, role by role, what each one answers.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from wulian.core.access import Actor, rule, scope_rule
from wulian.core.choices import Role

# --- Everyone signed in ------------------------------------------------------------------


@rule("core.home.view", describe="我的待办: every signed-in person")
def _home(actor: Actor, obj: Any) -> bool:
    return actor.is_authenticated


@rule("accounts.self.manage", describe="own password, second factor and API tokens")
def _self(actor: Actor, obj: Any) -> bool:
    return actor.is_authenticated


# --- Organisations: an internal directory every member of the platform may read -----------


@rule("core.organisation.view")
def _org_view(actor: Actor, obj: Any) -> bool:
    if obj is not None and not obj.is_active:
        return actor.admin_role == Role.SYSTEM_ADMIN
    return bool(actor.seats)


@scope_rule("core.organisation.view")
def _org_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    if not actor.seats:
        return qs.none()
    if actor.admin_role == Role.SYSTEM_ADMIN:
        return qs
    return qs.filter(is_active=True)


@rule("core.organisation.manage", describe="reference data: the system administrator")
def _org_manage(actor: Actor, obj: Any) -> bool:
    return actor.admin_role == Role.SYSTEM_ADMIN


# --- People: contact details are personal information -------------------------------------


def _sees_all_people(actor: Actor) -> bool:
    return actor.is_supervisor or actor.admin_role in {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}


@rule("core.person.view", describe="supervisors and administrators: all; a unit: its own staff")
def _person_view(actor: Actor, obj: Any) -> bool:
    if obj is None:
        return bool(actor.seats)
    if _sees_all_people(actor) or obj.pk == actor.person_id:
        return True
    own_units = actor.office_org_ids()
    return (
        bool(own_units)
        and obj.memberships.filter(organisation_id__in=own_units, is_active=True).exists()
    )


@scope_rule("core.person.view")
def _person_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    if _sees_all_people(actor):
        return qs
    own_units = actor.office_org_ids()
    visible = Q(pk=actor.person_id) if actor.person_id else Q(pk__in=[])
    if own_units:
        visible |= Q(
            pk__in=qs.model.memberships.rel.related_model.objects.filter(
                organisation_id__in=own_units, is_active=True
            ).values("person_id")
        )
    return qs.filter(visible)


@rule("core.person.manage", describe="reference data: the system administrator")
def _person_manage(actor: Actor, obj: Any) -> bool:
    return actor.admin_role == Role.SYSTEM_ADMIN


@rule("core.reference.import", describe="import organisations and people from .xlsx")
def _reference_import(actor: Actor, obj: Any) -> bool:
    return actor.admin_role == Role.SYSTEM_ADMIN


# --- Accounts and the three administrators (三员分立) ---------------------------------------


@rule("accounts.account.manage", describe="unlock, reset second factor, end sessions")
def _account_manage(actor: Actor, obj: Any) -> bool:
    return actor.admin_role == Role.SECURITY_ADMIN


@rule("accounts.admin_role.assign", describe="grant or revoke an administrator role")
def _admin_role_assign(actor: Actor, obj: Any) -> bool:
    return actor.admin_role == Role.SECURITY_ADMIN


@rule("core.audit.view", describe="the audit administrator reads the audit trail")
def _audit_view(actor: Actor, obj: Any) -> bool:
    return actor.admin_role == Role.AUDIT_ADMIN
