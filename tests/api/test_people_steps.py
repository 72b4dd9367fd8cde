"""The people's declared steps through the API (wulian.core.people_steps): a grant of a CDI-side
role confirmed or refused under the two-person rule (docs/adr/0014), a membership read, a
person's profiles set — each with its success and each refusal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.api.conftest import assert_problem, audit_events
from tests.factories import PersonFactory, account
from tests.personas import client_for
from wulian.core import services
from wulian.core.choices import Role
from wulian.core.models import DeputyProfile, GrantState, Membership, RoleGrant

pytestmark = pytest.mark.django_db


def _proposed(personas, person=None, role=Role.CLUE_OFFICER, org="cdi") -> RoleGrant:
    grant = services.membership_add(
        actor=personas.secadmin,
        person_id=(person or PersonFactory(name="周新")).pk,
        organisation_id=personas.orgs[org].pk,
        role=role,
    )
    assert isinstance(grant, RoleGrant)
    return grant


def confirm_url(grant: RoleGrant) -> str:
    return f"/api/v1/role-grants/{grant.pk}/confirm/"


def refuse_url(grant: RoleGrant) -> str:
    return f"/api/v1/role-grants/{grant.pk}/refuse/"


# --- Confirm ----------------------------------------------------------------------------------


def test_a_second_person_confirms_a_grant_and_the_answer_names_the_membership(personas, api):
    grant = _proposed(personas)
    response = api(personas.cdi_clue).post_json(confirm_url(grant))
    assert response.status_code == 200, response.content
    body = response.json()
    membership = Membership.objects.get(person=grant.person)
    assert body["id"] == grant.pk and body["state"] == GrantState.CONFIRMED
    assert body["membership"] == membership.pk and body["decided_by"] == personas.cdi_clue.pk
    assert membership.is_active and membership.role == Role.CLUE_OFFICER
    assert len(audit_events("core.membership.confirmed")) == 1


def test_an_empty_post_confirms_too(personas, api):
    """The step takes no input: a client that posts no JSON body is not refused for it."""
    grant = _proposed(personas)
    assert api(personas.cdi_clue).post(confirm_url(grant)).status_code == 200


@pytest.mark.parametrize("who", ["secadmin", "sysadmin", "cdi_officer", "stationed", "unit_a"])
def test_nobody_but_a_confirmer_confirms(personas, api, who):
    grant = _proposed(personas)
    assert_problem(api(personas.users[who]).post_json(confirm_url(grant)), 403, "forbidden")
    assert not Membership.objects.filter(person=grant.person).exists()
    assert RoleGrant.objects.get(pk=grant.pk).state == GrantState.PENDING


def test_the_proposer_cannot_confirm_his_own_grant(personas, api):
    """The two-person rule holds through the API: a confirmer who proposed a grant (here made
    directly: proposing is the security administrator's) is refused its confirmation."""
    grant = RoleGrant.objects.create(
        person=PersonFactory(name="周新"),
        organisation=personas.orgs["cdi"],
        role=Role.CLUE_OFFICER,
        requested_by=personas.cdi_clue,
    )
    assert_problem(api(personas.cdi_clue).post_json(confirm_url(grant)), 403, "forbidden")
    assert not Membership.objects.filter(person=grant.person).exists()


def test_nobody_confirms_a_grant_to_himself(personas, api):
    leader = account(personas.orgs["cdi"], Role.LEADER, name="吴主任")
    grant = _proposed(personas, person=leader.person)
    assert_problem(api(leader).post_json(confirm_url(grant)), 403, "forbidden")
    assert RoleGrant.objects.get(pk=grant.pk).state == GrantState.PENDING


def test_confirming_a_decided_grant_is_a_409(personas, api):
    grant = _proposed(personas)
    client = api(personas.cdi_clue)
    assert client.post_json(confirm_url(grant)).status_code == 200
    assert_problem(client.post_json(confirm_url(grant)), 409)
    assert Membership.objects.filter(person=grant.person).count() == 1
    assert len(audit_events("core.membership.confirmed")) == 1


def test_a_missing_grant_is_a_404(personas, api):
    assert_problem(api(personas.cdi_clue).post_json("/api/v1/role-grants/999999/confirm/"), 404)


def test_confirming_without_a_token_is_401(personas, api):
    assert_problem(api().post_json(confirm_url(_proposed(personas))), 401)


# --- Refuse -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["cdi_clue", "secadmin"])
def test_a_confirmer_refuses_or_the_security_administrator_withdraws(personas, api, who):
    grant = _proposed(personas)
    response = api(personas.users[who]).post_json(refuse_url(grant), {"reason": "人选未定"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["reason"], body["membership"]) == ("refused", "人选未定", None)
    assert [e.after_data["reason"] for e in audit_events("core.membership.refused")] == ["人选未定"]


@pytest.mark.parametrize(("data", "code"), [({}, "invalid"), ({"reason": "  "}, None)])
def test_a_refusal_needs_a_reason_named_as_the_field(personas, api, data, code):
    grant = _proposed(personas)
    body = assert_problem(api(personas.cdi_clue).post_json(refuse_url(grant), data), 400, code)
    assert set(body["errors"]) == {"reason"}
    assert RoleGrant.objects.get(pk=grant.pk).state == GrantState.PENDING


def test_a_reason_too_long_is_named(personas, api):
    grant = _proposed(personas)
    body = assert_problem(
        api(personas.cdi_clue).post_json(refuse_url(grant), {"reason": "理" * 501}), 400
    )
    assert set(body["errors"]) == {"reason"}


@pytest.mark.parametrize("who", ["sysadmin", "cdi_officer", "unit_a"])
def test_others_may_not_refuse(personas, api, who):
    grant = _proposed(personas)
    assert_problem(api(personas.users[who]).post_json(refuse_url(grant), {"reason": "x"}), 403)
    assert RoleGrant.objects.get(pk=grant.pk).state == GrantState.PENDING


def test_refusing_a_confirmed_grant_is_a_409(personas, api):
    grant = _proposed(personas)
    services.role_grant_confirm(actor=personas.cdi_clue, grant_id=grant.pk)
    assert_problem(api(personas.secadmin).post_json(refuse_url(grant), {"reason": "晚了"}), 409)
    assert RoleGrant.objects.get(pk=grant.pk).state == GrantState.CONFIRMED


def test_the_page_shows_a_refusal_of_a_decided_grant_with_its_status(personas):
    grant = _proposed(personas)
    services.role_grant_refuse(actor=personas.cdi_clue, grant_id=grant.pk, reason="人选未定")
    response = client_for(personas.secadmin).post(
        reverse("core:grant_refuse", args=[grant.pk]), {f"g{grant.pk}-reason": "再次"}
    )
    assert response.status_code == 409
    assert RoleGrant.objects.get(pk=grant.pk).reason == "人选未定"


# --- Read -------------------------------------------------------------------------------------


def test_a_grant_and_a_membership_are_read_by_who_sees_them(personas, api):
    grant = _proposed(personas)
    body = api(personas.cdi_clue).get(f"/api/v1/role-grants/{grant.pk}/").json()
    assert (body["id"], body["state"]) == (grant.pk, "pending")
    assert_problem(api(personas.unit_a).get(f"/api/v1/role-grants/{grant.pk}/"), 403)

    seat = personas.unit_a.person.memberships.get()
    body = api(personas.unit_a).get(f"/api/v1/memberships/{seat.pk}/").json()
    assert (body["id"], body["person"], body["role"]) == (seat.pk, seat.person_id, seat.role)
    # Unit B does not see unit A's staff: their seats are not found either.
    assert_problem(api(personas.unit_b).get(f"/api/v1/memberships/{seat.pk}/"), 404)


# --- A person's profiles ----------------------------------------------------------------------


def test_the_system_administrator_sets_a_deputy_profile(personas, api):
    person = PersonFactory(name="陈代表")
    response = api(personas.sysadmin).post_json(
        f"/api/v1/people/{person.pk}/deputy/",
        {
            "certificate_no": "HS15-0100",
            "level": "municipal",
            "liaison_station": personas.orgs["station"].pk,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == person.pk and body["expert"] is None
    assert body["deputy"]["certificate_no"] == "HS15-0100"
    assert body["deputy"]["liaison_station"] == personas.orgs["station"].pk
    person.refresh_from_db()
    assert person.deputy.certificate_no == "HS15-0100"


def test_a_deputy_profile_with_bad_input_names_each_field(personas, api):
    person = PersonFactory(name="陈代表")
    body = assert_problem(
        api(personas.sysadmin).post_json(
            f"/api/v1/people/{person.pk}/deputy/",
            {"level": "emperor", "liaison_station": personas.orgs["unit_a"].pk},
        ),
        400,
    )
    assert set(body["errors"]) == {"certificate_no", "level", "liaison_station"}
    assert not DeputyProfile.objects.filter(person=person).exists()


def test_an_expert_profile_takes_its_specialties_as_one_text(personas, api):
    person = PersonFactory(name="周律师")
    response = api(personas.sysadmin).post_json(
        f"/api/v1/people/{person.pk}/expert/",
        {"category": "lawyer", "specialties": "民事、行政,刑事", "is_active": True},
    )
    assert response.status_code == 200, response.content
    assert response.json()["expert"]["specialties"] == ["民事", "行政", "刑事"]


def test_an_integrity_monitor_needs_the_appointing_unit(personas, api):
    person = PersonFactory(name="吴监督")
    url = f"/api/v1/people/{person.pk}/integrity-monitor/"
    body = assert_problem(api(personas.sysadmin).post_json(url, {"area": "民生"}), 400)
    assert set(body["errors"]) == {"appointed_by"}
    response = api(personas.sysadmin).post_json(
        url, {"appointed_by": personas.orgs["cdi"].pk, "appointed_on": "2025-03-01"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["integrity_monitor"]["appointed_on"] == "2025-03-01"


@pytest.mark.parametrize("who", ["secadmin", "unit_a", "congress_clerk"])
def test_only_the_system_administrator_sets_profiles(personas, api, who):
    person = personas.unit_a.person
    response = api(personas.users[who]).post_json(
        f"/api/v1/people/{person.pk}/deputy/", {"certificate_no": "X", "level": "municipal"}
    )
    assert response.status_code in (403, 404)
    assert_problem(response, response.status_code)
    assert not DeputyProfile.objects.filter(person=person).exists()


def test_a_profile_of_a_missing_person_is_a_404(personas, api):
    assert_problem(
        api(personas.sysadmin).post_json("/api/v1/people/999999/deputy/", {"certificate_no": "X"}),
        404,
    )
