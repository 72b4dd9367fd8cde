"""三员分立: the system, security and audit administrators are three different people. The
service refuses a second administrator role, the database refuses it too, and only the
security administrator grants or ends administrator roles."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from tests.accounts.helpers import events
from tests.factories import PersonFactory
from wulian.core import services
from wulian.core.choices import ADMIN_ROLES, Role
from wulian.core.errors import AccessDenied, RuleViolation
from wulian.core.models import Membership

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("second", [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_the_service_refuses_a_second_administrator_role(personas, second):
    sysadmin = personas.sysadmin.person
    before = Membership.objects.count()
    with pytest.raises(RuleViolation) as caught:
        services.membership_add(
            actor=personas.secadmin,
            person_id=sysadmin.pk,
            organisation_id=personas.orgs["congress_body"].pk,
            role=second,
        )
    assert "三员分立" in caught.value.message
    assert "系统管理员" in caught.value.message
    assert Membership.objects.count() == before
    assert not events("core.membership.added")


def test_the_database_refuses_it_when_the_service_is_bypassed(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            person=personas.sysadmin.person,
            organisation=personas.orgs["congress_body"],
            role=Role.AUDIT_ADMIN,
        )
    # The same role in a second organisation counts as a second administrator seat too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            person=personas.sysadmin.person,
            organisation=personas.orgs["congress_body"],
            role=Role.SYSTEM_ADMIN,
        )


def test_an_ended_administrator_role_frees_the_person_for_another(personas):
    old = Membership.objects.get(person=personas.auditadmin.person, role=Role.AUDIT_ADMIN)
    services.membership_end(actor=personas.secadmin, membership_id=old.pk)
    services.membership_add(
        actor=personas.secadmin,
        person_id=personas.auditadmin.person.pk,
        organisation_id=personas.orgs["congress"].pk,
        role=Role.SYSTEM_ADMIN,
    )
    assert (
        Membership.objects.get(person=personas.auditadmin.person, is_active=True).role
        == Role.SYSTEM_ADMIN
    )


def test_the_security_administrator_grants_an_administrator_role(personas):
    newcomer = PersonFactory()
    membership = services.membership_add(
        actor=personas.secadmin,
        person_id=newcomer.pk,
        organisation_id=personas.orgs["congress"].pk,
        role=Role.AUDIT_ADMIN,
    )
    assert membership.is_active and membership.role == Role.AUDIT_ADMIN
    [event] = events("core.membership.added")
    assert event.actor_id == personas.secadmin.pk


@pytest.mark.parametrize("who", ["sysadmin", "auditadmin", "congress_clerk", "cdi_clue"])
@pytest.mark.parametrize("role", sorted(ADMIN_ROLES))
def test_nobody_else_grants_an_administrator_role(personas, who, role):
    newcomer = PersonFactory()
    with pytest.raises(AccessDenied):
        services.membership_add(
            actor=personas.users[who],
            person_id=newcomer.pk,
            organisation_id=personas.orgs["congress"].pk,
            role=role,
        )
    assert not newcomer.memberships.exists()


@pytest.mark.parametrize("who", ["sysadmin", "auditadmin"])
def test_nobody_else_ends_an_administrator_role(personas, who):
    seat = Membership.objects.get(person=personas.secadmin.person, role=Role.SECURITY_ADMIN)
    with pytest.raises(AccessDenied):
        services.membership_end(actor=personas.users[who], membership_id=seat.pk)
    seat.refresh_from_db()
    assert seat.is_active


def test_the_security_administrator_does_not_manage_ordinary_roles(personas):
    """Granting staff roles is the system administrator's reference-data work."""
    newcomer = PersonFactory()
    with pytest.raises(AccessDenied):
        services.membership_add(
            actor=personas.secadmin,
            person_id=newcomer.pk,
            organisation_id=personas.orgs["unit_a"].pk,
            role=Role.STAFF,
        )
    services.membership_add(
        actor=personas.sysadmin,
        person_id=newcomer.pk,
        organisation_id=personas.orgs["unit_a"].pk,
        role=Role.STAFF,
    )
