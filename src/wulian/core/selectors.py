"""Reads of the core, each with a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.choices import OFFICE_ROLES
from wulian.core.models import (
    AuditEvent,
    GrantState,
    Membership,
    Organisation,
    Person,
    RoleGrant,
)
from wulian.core.querysets import deputies


def organisation_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet:
    from wulian.core.filters import OrganisationFilter

    qs = access.scope(actor, "core.organisation.view", Organisation.objects.all())
    qs = (
        qs.select_related("parent")
        .annotate(member_count=Count("memberships", filter=Q(memberships__is_active=True)))
        .order_by("sort_order", "code")
    )
    return OrganisationFilter(filters or {}, queryset=qs).qs


LOOKUP_LIMIT = 20


def organisation_lookup(*, actor: Actor, q: str, limit: int = LOOKUP_LIMIT) -> list[Organisation]:
    """The active units whose name, short name or code contains `q` (a search box's
    suggestions): those whose name or code starts with it first, then by the directory's order."""
    q = (q or "").strip()[:60]
    if not q:
        return []
    qs = access.scope(actor, "core.organisation.view", Organisation.objects.filter(is_active=True))
    qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(code__icontains=q))
    starts = Q(name__startswith=q) | Q(short_name__startswith=q) | Q(code__startswith=q)
    return list(
        qs.annotate(
            starts=Case(When(starts, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .only("id", "name", "code")
        .order_by("starts", "sort_order", "code")[:limit]
    )


def deputy_lookup(*, actor: Actor, q: str, limit: int = LOOKUP_LIMIT) -> list[Person]:
    """The active deputies the actor may see whose name or certificate number (代表证号)
    contains `q`: those that start with it first, then by name."""
    q = (q or "").strip()[:60]
    if not q:
        return []
    qs = access.scope(actor, "core.person.view", deputies().filter(is_active=True))
    qs = qs.filter(Q(name__icontains=q) | Q(deputy__certificate_no__icontains=q))
    starts = Q(name__startswith=q) | Q(deputy__certificate_no__startswith=q)
    return list(
        qs.annotate(
            starts=Case(When(starts, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .select_related("deputy")
        .order_by("starts", "name", "id")[:limit]
    )


def organisation_detail(*, actor: Actor, organisation_id: int) -> Organisation:
    org = (
        Organisation.objects.select_related("parent")
        .prefetch_related(
            Prefetch(
                "children",
                queryset=Organisation.objects.filter(is_active=True).order_by("sort_order", "code"),
            )
        )
        .get(pk=organisation_id)
    )
    access.require(actor, "core.organisation.view", org)
    return org


def organisation_members(*, actor: Actor, organisation: Organisation) -> QuerySet:
    people = access.scope(actor, "core.person.view", Person.objects.all())
    return (
        Membership.objects.filter(organisation=organisation, is_active=True, person__in=people)
        .select_related("person")
        .order_by("role", "person__name")
    )


def person_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet:
    from wulian.core.filters import PersonFilter

    qs = access.scope(actor, "core.person.view", Person.objects.all())
    qs = qs.select_related("deputy", "expert").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(is_active=True).select_related("organisation"),
            to_attr="active_memberships",
        )
    )
    return PersonFilter(filters or {}, queryset=qs).qs


def person_detail(*, actor: Actor, person_id: int) -> Person:
    person = (
        Person.objects.select_related(
            "deputy", "deputy__liaison_station", "expert", "integrity_monitor", "user"
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(is_active=True).select_related("organisation"),
                to_attr="active_memberships",
            )
        )
        .get(pk=person_id)
    )
    access.require(actor, "core.person.view", person)
    return person


def pending_role_grants(*, actor: Actor) -> list[RoleGrant]:
    """The CDI-side grants waiting for a CDI officer's confirmation (docs/adr/0014)."""
    access.require(actor, "core.membership.review")
    return list(
        RoleGrant.objects.filter(state=GrantState.PENDING)
        .select_related("person", "organisation", "requested_by")
        .order_by("requested_at", "id")
    )


def role_grants_of(*, person: Person) -> list[RoleGrant]:
    """A person's pending grants (shown on the person page to those who see the person)."""
    return list(
        RoleGrant.objects.filter(person=person, state=GrantState.PENDING).select_related(
            "organisation"
        )
    )


def record_timeline(*, target_type: str, target_id: Any, limit: int = 50) -> list[AuditEvent]:
    """The audit events about one record, newest first (the record page's timeline)."""
    return list(
        AuditEvent.objects.filter(target_type=target_type, target_id=str(target_id)).order_by(
            "-seq"
        )[:limit]
    )


def audit_events(*, actor: Actor, action_prefix: str = "") -> QuerySet:
    access.require(actor, "core.audit.view")
    qs = AuditEvent.objects.order_by("-seq")
    if action_prefix:
        qs = qs.filter(action__startswith=action_prefix)
    return qs


def seat_holders(
    org_ids: Iterable[int], roles: Iterable[str] = OFFICE_ROLES
) -> dict[int, list[Any]]:
    """Active users holding one of `roles` in each of these organisations, with one query:
    {organisation id: [user, …]} — who is told about a matter of the organisation."""
    result: dict[int, list[Any]] = {}
    rows = (
        Membership.objects.filter(
            organisation_id__in=set(org_ids),
            role__in=sorted(roles),
            is_active=True,
            person__is_active=True,
            person__user__is_active=True,
        )
        .select_related("person__user")
        .order_by("id")
    )
    for m in rows:
        result.setdefault(m.organisation_id, []).append(m.person.user)
    return result


def users_holding(org_ids: Iterable[int], roles: Iterable[str] = OFFICE_ROLES) -> list[Any]:
    """The same people as one list (a person with seats in two of them appears once)."""
    seen: dict[int, Any] = {}
    for users in seat_holders(org_ids, roles).values():
        for user in users:
            seen.setdefault(user.pk, user)
    return list(seen.values())
