"""Role grants (docs/adr/0014): one rule for who may give whom which role; the roles of the
CDI side need the security administrator and a CDI officer who confirms; no grant to oneself;
no unsafe combination of seats. Every persona × every role: nobody reaches a role they could
not hold, through the page or the API."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, PersonFactory, account
from tests.personas import PERSONA_NAMES, Personas, client_for
from wulian.core import services
from wulian.core.choices import Role
from wulian.core.errors import AccessDenied, RuleViolation, TransitionNotAllowed, ValidationFailed
from wulian.core.models import AuditEvent, GrantState, Membership, RoleGrant
from wulian.core.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _seats(user) -> set[tuple[int, str]]:
    return set(
        Membership.objects.filter(person__user=user, is_active=True).values_list(
            "organisation_id", "role"
        )
    )


def _told(kind: str) -> set[str]:
    return set(
        OutboxMessage.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


# --- The two-person grant of a clue officer --------------------------------------------------


def test_a_clue_officer_is_proposed_then_confirmed_by_a_second_person(personas):
    newcomer = PersonFactory(name="周新")
    grant = services.membership_add(
        actor=personas.secadmin,
        person_id=newcomer.pk,
        organisation_id=personas.orgs["cdi"].pk,
        role=Role.CLUE_OFFICER,
    )
    assert isinstance(grant, RoleGrant) and grant.state == GrantState.PENDING
    assert not newcomer.memberships.exists()  # unconfirmed: no rights at all
    assert AuditEvent.objects.filter(action="core.membership.requested").count() == 1
    assert _told("core.membership.requested") == {"cdi_clue"}

    membership = services.role_grant_confirm(actor=personas.cdi_clue, grant_id=grant.pk)
    assert membership.is_active and membership.role == Role.CLUE_OFFICER
    grant.refresh_from_db()
    assert grant.state == GrantState.CONFIRMED and grant.decided_by == personas.cdi_clue
    event = AuditEvent.objects.get(action="core.membership.confirmed")
    assert event.after_data["role"] == Role.CLUE_OFFICER
    assert _told("core.membership.confirmed") == {"cdi_clue"}


def test_the_proposer_cannot_confirm_and_the_system_administrator_cannot_propose(personas):
    newcomer = PersonFactory(name="周新")
    with pytest.raises(AccessDenied, match="安全管理员"):
        services.membership_add(
            actor=personas.sysadmin,
            person_id=newcomer.pk,
            organisation_id=personas.orgs["cdi"].pk,
            role=Role.CLUE_OFFICER,
        )
    grant = services.membership_add(
        actor=personas.secadmin,
        person_id=newcomer.pk,
        organisation_id=personas.orgs["cdi"].pk,
        role=Role.CLUE_OFFICER,
    )
    for who in ("secadmin", "sysadmin", "cdi_officer", "stationed"):
        with pytest.raises(AccessDenied):
            services.role_grant_confirm(actor=personas.users[who], grant_id=grant.pk)
    assert not newcomer.memberships.exists()


def test_nobody_confirms_a_grant_to_himself(personas):
    user = account(personas.orgs["cdi"], Role.LEADER, name="吴主任")
    leader = user.person
    grant = services.membership_add(
        actor=personas.secadmin,
        person_id=leader.pk,
        organisation_id=personas.orgs["cdi"].pk,
        role=Role.CLUE_OFFICER,
    )
    with pytest.raises(AccessDenied):
        services.role_grant_confirm(actor=user, grant_id=grant.pk)
    services.role_grant_confirm(actor=personas.cdi_clue, grant_id=grant.pk)
    assert (personas.orgs["cdi"].pk, Role.CLUE_OFFICER) in _seats(user)


def test_a_refused_grant_gives_nothing_and_cannot_be_confirmed_after(personas):
    newcomer = PersonFactory(name="周新")
    grant = services.membership_add(
        actor=personas.secadmin,
        person_id=newcomer.pk,
        organisation_id=personas.orgs["stationed_group"].pk,
        role=Role.STAFF,
    )
    with pytest.raises(ValidationFailed):
        services.role_grant_refuse(actor=personas.cdi_clue, grant_id=grant.pk, reason=" ")
    services.role_grant_refuse(actor=personas.cdi_clue, grant_id=grant.pk, reason="人选未定")
    assert AuditEvent.objects.get(action="core.membership.refused").after_data["reason"] == (
        "人选未定"
    )
    assert _told("core.membership.refused") == {"cdi_clue"}
    with pytest.raises(TransitionNotAllowed):
        services.role_grant_confirm(actor=personas.cdi_clue, grant_id=grant.pk)
    assert not newcomer.memberships.exists()


def test_the_end_of_a_clue_officer_seat_is_audited_and_told(personas):
    seat = personas.cdi_clue.person.memberships.get()
    with pytest.raises(AccessDenied):
        services.membership_end(actor=personas.sysadmin, membership_id=seat.pk)
    services.membership_end(actor=personas.secadmin, membership_id=seat.pk)
    seat.refresh_from_db()
    assert seat.is_active is False
    assert AuditEvent.objects.filter(action="core.membership.ended").count() == 1
    # The ended officer is no longer one; nobody else was a clue officer to tell.
    assert _told("core.membership.ended") == set()


def test_an_ordinary_grant_is_immediate_and_not_told_to_the_cdi(personas):
    person = PersonFactory(name="李明")
    membership = services.membership_add(
        actor=personas.sysadmin,
        person_id=person.pk,
        organisation_id=personas.orgs["unit_b"].pk,
        role=Role.STAFF,
    )
    assert isinstance(membership, Membership) and membership.is_active
    assert not OutboxMessage.objects.exists()


# --- Unsafe combinations -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("holder", "reason"),
    [
        ("unit_a", "被监督单位"),
        ("court_clerk", "被监督单位"),
        ("gov_supervisor", "被监督单位"),
        ("congress_clerk", "起草、移送线索"),
        ("stationed", "派驻纪检监察组"),
        ("sysadmin", "三员分立"),
        ("auditadmin", "三员分立"),
    ],
)
def test_an_unsafe_combination_is_refused_with_its_reason(personas, holder, reason):
    with pytest.raises(RuleViolation, match=reason):
        services.membership_add(
            actor=personas.secadmin,
            person_id=personas.users[holder].person.pk,
            organisation_id=personas.orgs["cdi"].pk,
            role=Role.CLUE_OFFICER,
        )
    assert not RoleGrant.objects.exists()


def test_the_combination_is_refused_whichever_seat_comes_first(personas):
    """A clue officer cannot become a unit's liaison either (the system administrator's
    ordinary grant is refused by the same data)."""
    with pytest.raises(RuleViolation, match="被监督单位"):
        services.membership_add(
            actor=personas.sysadmin,
            person_id=personas.cdi_clue.person.pk,
            organisation_id=personas.orgs["unit_a"].pk,
            role=Role.LIAISON,
        )


def test_a_seat_taken_while_a_grant_waits_is_checked_again_at_confirmation(personas):
    person = PersonFactory(name="周新")
    grant = services.membership_add(
        actor=personas.secadmin,
        person_id=person.pk,
        organisation_id=personas.orgs["cdi"].pk,
        role=Role.CLUE_OFFICER,
    )
    # Written around the services (e.g. by an import of an older version).
    MembershipFactory(person=person, organisation=personas.orgs["unit_a"], role=Role.LIAISON)
    with pytest.raises(RuleViolation, match="被监督单位"):
        services.role_grant_confirm(actor=personas.cdi_clue, grant_id=grant.pk)
    assert not person.memberships.filter(role=Role.CLUE_OFFICER).exists()


def test_a_clue_officer_is_held_only_in_the_cdi(personas):
    with pytest.raises(ValidationFailed, match="线索管理员只能在"):
        services.membership_add(
            actor=personas.secadmin,
            person_id=PersonFactory().pk,
            organisation_id=personas.orgs["stationed_group"].pk,
            role=Role.CLUE_OFFICER,
        )


# --- Every persona × every role ------------------------------------------------------------

ORGS_FOR_ROLE = ("cdi", "stationed_group", "unit_a", "congress")


def _try_self_grant(personas: Personas, name: str, role: str) -> list[int]:
    """The persona tries to give itself the role in each kind of organisation, on the page
    and through the API. Returns the status codes."""
    user = personas.users[name]
    client = client_for(user)
    codes = []
    for org in ORGS_FOR_ROLE:
        organisation = personas.orgs[org]
        page = client.post(
            reverse("core:membership_add", args=[user.person.pk]),
            {"membership-organisation": organisation.pk, "membership-role": role},
        )
        api = client.post(
            reverse("api:membership-list"),
            json.dumps({"person": user.person.pk, "organisation": organisation.pk, "role": role}),
            content_type="application/json",
            HTTP_ACCEPT="application/json",
        )
        codes += [page.status_code, api.status_code]
    return codes


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_no_persona_reaches_a_role_by_granting_it_to_itself(name):
    personas = Personas.build()
    user = personas.users[name]
    before = _seats(user)
    for role in Role.values:
        codes = _try_self_grant(personas, name, role)
        assert all(code >= 400 for code in codes), (name, role, codes)
    assert _seats(user) == before
    assert not RoleGrant.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="core.membership.").exists()


# Who could hold each CDI-side seat with the two-person grant (proposed by the security
# administrator, confirmed by the CDI's clue officer). The others hold a seat that the
# combination rules exclude, or already hold it, or are the proposer or the confirmer.
HOLDABLE = {
    ("clue_officer", "cdi"): {"cdi_officer", "deputy", "expert"},
    ("staff", "cdi"): {"congress_clerk", "stationed", "deputy", "expert"},
    ("staff", "stationed_group"): {"congress_clerk", "cdi_officer", "deputy", "expert"},
}


@pytest.mark.parametrize(("role", "org"), sorted(HOLDABLE))
def test_every_persona_reaches_a_cdi_seat_only_through_two_people_and_if_safe(role, org):
    personas = Personas.build()
    reached = set()
    for name in PERSONA_NAMES:
        user = personas.users[name]
        before = _seats(user)
        try:
            grant = services.membership_add(
                actor=personas.secadmin,
                person_id=user.person.pk,
                organisation_id=personas.orgs[org].pk,
                role=role,
            )
            assert _seats(user) == before  # proposed only: no rights yet
            services.role_grant_confirm(actor=personas.cdi_clue, grant_id=grant.pk)
        except (AccessDenied, RuleViolation, ValidationFailed):
            continue
        if (personas.orgs[org].pk, role) in _seats(user):
            reached.add(name)
    assert reached == HOLDABLE[(role, org)]


def test_the_first_cdi_officer_is_set_from_the_console_and_only_the_first(db):
    from django.core.management import CommandError, call_command

    from tests.factories import OrganisationFactory
    from wulian.core.choices import OrgKind

    cdi = OrganisationFactory(kind=OrgKind.CDI, code="JW")
    user = account(OrganisationFactory(kind=OrgKind.OTHER), Role.EXPERT, username="liu")
    call_command("bootstrap_cdi_officer", username="liu", org_code="JW", role="clue_officer")
    assert (cdi.pk, Role.CLUE_OFFICER) in _seats(user)
    assert AuditEvent.objects.filter(action="core.membership.bootstrapped").count() == 1
    account(OrganisationFactory(kind=OrgKind.OTHER), Role.EXPERT, username="wang")
    with pytest.raises(CommandError, match="已有纪委监委负责人或线索管理员"):
        call_command("bootstrap_cdi_officer", username="wang", org_code="JW", role="leader")
