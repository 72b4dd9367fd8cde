"""/api/v1/people/: list (shared PersonFilter, scoped), retrieve, create, partial update."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import assert_problem, audit_dict, audit_events
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, account
from wulian.core.choices import OrgKind, Role
from wulian.core.models import AuditEvent, Person

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/people/"


def detail(person: Person) -> str:
    return f"{PEOPLE}{person.pk}/"


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {p["name"] for p in response.json()["results"]}


# --- Reading ----------------------------------------------------------------------------


def test_supervisors_see_everyone(personas, api):
    everyone = set(Person.objects.values_list("name", flat=True))
    assert names(api(personas.congress_clerk).get(PEOPLE)) == everyone


def test_a_unit_sees_its_own_staff_and_itself_only(personas, api):
    colleague = PersonFactory(name="同事")
    MembershipFactory(person=colleague, organisation=personas.orgs["unit_a"])
    PersonFactory(name="外人")
    assert names(api(personas.unit_a).get(PEOPLE)) == {personas.unit_a.person.name, "同事"}
    assert names(api(personas.deputy).get(PEOPLE)) == {personas.deputy.person.name}


def test_a_person_outside_the_callers_scope_is_a_404(personas, api):
    other = personas.unit_a.person
    assert_problem(api(personas.unit_b).get(detail(other)), 404, "not_found")
    assert api(personas.unit_a).get(detail(other)).status_code == 200
    assert api(personas.cdi_clue).get(detail(other)).status_code == 200


def test_retrieve_shows_the_active_memberships(personas, api):
    person = personas.unit_a.person
    body = api(personas.sysadmin).get(detail(person)).json()
    assert body["name"] == person.name and body["version"] == 1
    [membership] = body["memberships"]
    assert membership["organisation"] == personas.orgs["unit_a"].pk
    assert membership["organisation_name"] == "市民政局" and membership["role"] == Role.LIAISON


def test_the_list_takes_the_shared_filters(personas, api):
    client = api(personas.congress_clerk)
    in_a = client.get(PEOPLE, {"organisation": personas.orgs["unit_a"].pk})
    assert names(in_a) == {personas.unit_a.person.name}
    admins = names(client.get(PEOPLE, {"role": Role.SYSTEM_ADMIN}))
    assert admins == {personas.sysadmin.person.name}
    PersonFactory(name="欧阳锋", title="主任")
    assert names(client.get(PEOPLE, {"q": "主任"})) == {"欧阳锋"}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"role": "king"}, "role"), ({"organisation": "x"}, "organisation")],
)
def test_a_filter_value_that_is_not_valid_is_a_400(personas, api, params, field):
    body = assert_problem(api(personas.congress_clerk).get(PEOPLE, params), 400, "invalid")
    assert field in body["errors"]


def test_without_a_token_reading_is_401(personas, api):
    assert_problem(api().get(PEOPLE), 401)
    assert_problem(api().get(detail(personas.unit_a.person)), 401)


def test_the_list_runs_the_same_queries_for_1_row_as_for_20(db, api, django_assert_num_queries):
    office = OrganisationFactory(kind=OrgKind.CONGRESS, code="RD")
    client = api(account(office, Role.SYSTEM_ADMIN, name="管理员"))
    assert client.get(PEOPLE).json()["count"] == 1  # also records the token's first use
    with CaptureQueriesContext(connection) as one:
        assert client.get(PEOPLE).json()["count"] == 1
    assert len(one) <= 6, [q["sql"] for q in one]
    units = [OrganisationFactory() for _ in range(3)]
    for i in range(19):
        person = PersonFactory(name=f"人员{i:02d}")
        for unit in units[: i % 3 + 1]:
            MembershipFactory(person=person, organisation=unit)
    with django_assert_num_queries(len(one)):
        body = client.get(PEOPLE).json()
    assert body["count"] == 20
    assert sum(len(p["memberships"]) for p in body["results"]) == 1 + sum(
        i % 3 + 1 for i in range(19)
    )


# --- Creating ---------------------------------------------------------------------------


def test_the_system_administrator_creates_a_person(personas, api):
    response = api(personas.sysadmin).post_json(
        PEOPLE, {"name": "孙立新", "gender": "male", "title": "科长", "email": "sun@example.cn"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(name="孙立新")
    assert body["id"] == person.pk and body["memberships"] == [] and body["version"] == 1
    assert (person.title, person.email, person.user_id) == ("科长", "sun@example.cn", None)
    [event] = audit_events("core.person.created")
    assert audit_dict(event.after)["name"] == "孙立新"


@pytest.mark.parametrize("who", ["congress_clerk", "unit_a", "secadmin"])
def test_others_may_not_create_people(personas, api, who):
    assert_problem(api(getattr(personas, who)).post_json(PEOPLE, {"name": "孙立新"}), 403)
    assert not Person.objects.filter(name="孙立新").exists()


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({}, {"name"}),
        ({"name": "  "}, {"name"}),
        ({"name": "孙", "email": "not-an-email", "gender": "x"}, {"email", "gender"}),
        ({"name": "孙" * 61, "phone": "1" * 31}, {"name", "phone"}),
        ({"name": "孙", "title": "\ud800"}, {"title"}),
    ],
)
def test_bad_input_is_a_400_with_field_errors(personas, api, data, fields):
    before = Person.objects.count()
    body = assert_problem(api(personas.sysadmin).post_json(PEOPLE, data), 400, "invalid")
    assert set(body["errors"]) == fields, body["errors"]
    assert Person.objects.count() == before


# --- Changing ---------------------------------------------------------------------------


def test_the_system_administrator_changes_a_person(personas, api):
    person = personas.unit_a.person
    response = api(personas.sysadmin).patch_json(
        detail(person), {"version": 1, "phone": "0714-6200000", "title": "科员"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2 and body["phone"] == "0714-6200000"
    assert len(body["memberships"]) == 1
    person.refresh_from_db()
    assert (person.phone, person.title, person.version) == ("0714-6200000", "科员", 2)
    [event] = audit_events("core.person.updated")
    assert audit_dict(event.after) == {"phone": "0714-6200000", "title": "科员"}


def test_a_stale_version_is_a_409_and_nothing_is_saved(personas, api):
    person = personas.unit_a.person
    person.title = "别人改过"
    person.version = 2
    person.save()
    client = api(personas.sysadmin)
    events = AuditEvent.objects.count()
    response = client.patch_json(detail(person), {"version": 1, "title": "我的"})
    assert_problem(response, 409, "edit_conflict")
    person.refresh_from_db()
    assert (person.title, person.version) == ("别人改过", 2)
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"title": "x"}, {"version"}),
        ({"version": 0}, {"version"}),
        ({"version": "one"}, {"version"}),
        ({"version": 1, "email": "@"}, {"email"}),
    ],
)
def test_a_change_with_bad_input_is_a_400(personas, api, data, fields):
    person = personas.unit_a.person
    body = assert_problem(api(personas.sysadmin).patch_json(detail(person), data), 400)
    assert set(body["errors"]) == fields
    person.refresh_from_db()
    assert person.version == 1


def test_others_may_not_change_people(personas, api):
    person = personas.unit_a.person
    for who in (personas.unit_a, personas.congress_clerk, personas.secadmin):
        response = api(who).patch_json(detail(person), {"version": 1, "title": "改"})
        assert_problem(response, 403, "forbidden")
    person.refresh_from_db()
    assert person.title == "" and person.version == 1
