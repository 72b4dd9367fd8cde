"""/api/v1/memberships/: add (membership_add) and end (membership_end)."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_problem, audit_dict, audit_events
from tests.factories import PersonFactory
from wulian.core.choices import Role
from wulian.core.models import Membership

pytestmark = pytest.mark.django_db

MEMBERSHIPS = "/api/v1/memberships/"


def end_url(membership: Membership) -> str:
    return f"{MEMBERSHIPS}{membership.pk}/end/"


def _grant(personas, person=None, org="unit_a", role=Role.STAFF, **extra) -> dict:
    person = person or personas.unit_b.person
    return {"person": person.pk, "organisation": personas.orgs[org].pk, "role": role, **extra}


def test_the_system_administrator_adds_a_membership(personas, api):
    person = personas.unit_b.person
    response = api(personas.sysadmin).post_json(MEMBERSHIPS, _grant(personas, post="借调"))
    assert response.status_code == 201, response.content
    body = response.json()
    membership = Membership.objects.get(pk=body["id"])
    assert body == {
        "id": membership.pk,
        "person": person.pk,
        "organisation": personas.orgs["unit_a"].pk,
        "organisation_name": "市民政局",
        "role": "staff",
        "post": "借调",
        "is_active": True,
    }
    [event] = audit_events("core.membership.added")
    assert event.target_id == str(person.pk)
    assert audit_dict(event.after) == {"organisation": "ZF-MZ", "role": "staff", "post": "借调"}
    shown = api(personas.sysadmin).get(f"/api/v1/people/{person.pk}/").json()["memberships"]
    assert {m["organisation"] for m in shown} == {
        personas.orgs["unit_a"].pk,
        personas.orgs["unit_b"].pk,
    }


def test_the_security_administrator_grants_administrator_roles(personas, api):
    person = PersonFactory()
    data = _grant(personas, person, org="congress", role=Role.AUDIT_ADMIN)
    assert_problem(api(personas.sysadmin).post_json(MEMBERSHIPS, data), 403, "forbidden")
    assert not Membership.objects.filter(person=person).exists()
    response = api(personas.secadmin).post_json(MEMBERSHIPS, data)
    assert response.status_code == 201, response.content
    assert Membership.objects.get(person=person).role == Role.AUDIT_ADMIN


def test_the_security_administrator_does_not_grant_ordinary_roles(personas, api):
    assert_problem(api(personas.secadmin).post_json(MEMBERSHIPS, _grant(personas)), 403)
    assert not audit_events("core.membership.added")


def test_no_person_holds_two_administrator_roles(personas, api):
    data = _grant(personas, personas.sysadmin.person, org="congress", role=Role.SECURITY_ADMIN)
    body = assert_problem(api(personas.secadmin).post_json(MEMBERSHIPS, data), 409)
    assert body["code"] == "rule_violation" and "三员分立" in body["detail"]
    assert personas.sysadmin.person.memberships.filter(is_active=True).count() == 1


def test_the_same_active_role_twice_is_refused(personas, api):
    data = _grant(personas, personas.unit_a.person, role=Role.LIAISON)
    body = assert_problem(api(personas.sysadmin).post_json(MEMBERSHIPS, data), 400, "invalid")
    assert "已在" in body["detail"]
    assert personas.unit_a.person.memberships.count() == 1


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"role": "emperor"}, {"role"}),
        ({"person": 999999}, {"person"}),
        ({"organisation": "x"}, {"organisation"}),
        ({"post": "岗" * 121}, {"post"}),
    ],
)
def test_bad_input_is_a_400_with_field_errors(personas, api, change, fields):
    body = assert_problem(
        api(personas.sysadmin).post_json(MEMBERSHIPS, {**_grant(personas), **change}), 400
    )
    assert set(body["errors"]) == fields
    assert not audit_events("core.membership.added")


def test_missing_fields_are_field_errors(personas, api):
    body = assert_problem(api(personas.sysadmin).post_json(MEMBERSHIPS, {}), 400, "invalid")
    assert set(body["errors"]) == {"person", "organisation", "role"}


@pytest.mark.parametrize("who", ["unit_a", "congress_clerk", "auditadmin"])
def test_others_may_not_add_memberships(personas, api, who):
    assert_problem(api(getattr(personas, who)).post_json(MEMBERSHIPS, _grant(personas)), 403)
    assert not audit_events("core.membership.added")


def test_adding_without_a_token_is_401(personas, api):
    assert_problem(api().post_json(MEMBERSHIPS, _grant(personas)), 401)


# --- Ending -----------------------------------------------------------------------------


def test_the_system_administrator_ends_a_membership(personas, api):
    membership = personas.unit_a.person.memberships.get()
    client = api(personas.sysadmin)
    response = client.post(end_url(membership))
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False and response.json()["id"] == membership.pk
    membership.refresh_from_db()
    assert membership.is_active is False
    [event] = audit_events("core.membership.ended")
    assert audit_dict(event.before) == {"organisation": "ZF-MZ", "role": "liaison"}
    # Ending it again changes nothing and records nothing.
    assert client.post(end_url(membership)).status_code == 200
    assert len(audit_events("core.membership.ended")) == 1


def test_administrator_roles_are_ended_by_the_security_administrator(personas, api):
    membership = personas.auditadmin.person.memberships.get()
    assert_problem(api(personas.sysadmin).post(end_url(membership)), 403, "forbidden")
    membership.refresh_from_db()
    assert membership.is_active
    assert api(personas.secadmin).post(end_url(membership)).status_code == 200


@pytest.mark.parametrize("who", ["unit_a", "unit_b", "congress_clerk"])
def test_others_may_not_end_memberships(personas, api, who):
    membership = personas.unit_a.person.memberships.get()
    assert_problem(api(getattr(personas, who)).post(end_url(membership)), 403)
    membership.refresh_from_db()
    assert membership.is_active


def test_ending_a_missing_membership_is_a_404(personas, api):
    assert_problem(api(personas.sysadmin).post(f"{MEMBERSHIPS}999999/end/"), 404, "not_found")


def test_ending_without_a_token_is_401(personas, api):
    membership = personas.unit_a.person.memberships.get()
    assert_problem(api().post(end_url(membership)), 401)
