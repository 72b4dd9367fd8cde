"""/api/v1/organisations/: list (shared OrganisationFilter), retrieve, create, partial update."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import assert_problem, audit_dict, audit_events
from tests.factories import OrganisationFactory, account
from wulian.core.choices import OrgKind, Role
from wulian.core.models import AuditEvent, Organisation

pytestmark = pytest.mark.django_db

ORGS = "/api/v1/organisations/"


def detail(org: Organisation) -> str:
    return f"{ORGS}{org.pk}/"


# --- Reading ----------------------------------------------------------------------------


def test_everyone_with_a_seat_lists_the_active_organisations(personas, api):
    closed = OrganisationFactory(code="OLD", is_active=False)
    response = api(personas.unit_b).get(ORGS)
    assert response.status_code == 200
    body = response.json()
    codes = {o["code"] for o in body["results"]}
    assert codes == {o.code for o in personas.orgs.values()}
    assert closed.code not in codes
    assert body["count"] == len(personas.orgs)
    first = body["results"][0]
    assert set(first) == {
        "id",
        "parent",
        "kind",
        "code",
        "name",
        "short_name",
        "region",
        "sort_order",
        "is_active",
        "version",
        "member_count",
    }


def test_the_system_administrator_also_sees_inactive_ones(personas, api):
    closed = OrganisationFactory(code="OLD", is_active=False)
    codes = {o["code"] for o in api(personas.sysadmin).get(ORGS).json()["results"]}
    assert closed.code in codes
    assert api(personas.sysadmin).get(detail(closed)).status_code == 200
    assert_problem(api(personas.unit_a).get(detail(closed)), 404, "not_found")


def test_the_list_takes_the_shared_filters(personas, api):
    client = api(personas.congress_clerk)
    by_kind = client.get(ORGS, {"kind": OrgKind.COURT}).json()["results"]
    assert [o["code"] for o in by_kind] == ["FY"]
    children = client.get(ORGS, {"parent": personas.orgs["government"].pk}).json()["results"]
    assert {o["code"] for o in children} == {"ZF-DCS", "ZF-MZ", "ZF-SF"}
    assert [o["code"] for o in client.get(ORGS, {"q": "民政"}).json()["results"]] == ["ZF-MZ"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"kind": "castle"}, "kind"), ({"parent": "x"}, "parent"), ({"parent": "1e30"}, "parent")],
)
def test_a_filter_value_that_is_not_valid_is_a_400(personas, api, params, field):
    body = assert_problem(api(personas.congress_clerk).get(ORGS, params), 400, "invalid")
    assert field in body["errors"]


def test_a_page_past_the_end_is_a_404(personas, api):
    assert_problem(api(personas.congress_clerk).get(ORGS, {"page": 99}), 404, "not_found")


def test_retrieve_one(personas, api):
    org = personas.orgs["unit_a"]
    body = api(personas.deputy).get(detail(org)).json()
    assert body["code"] == org.code and body["parent"] == personas.orgs["government"].pk
    assert body["version"] == 1 and body["member_count"] == 1


def test_without_a_token_reading_is_401(personas, api):
    assert_problem(api().get(ORGS), 401, "not_authenticated")
    assert_problem(api().get(detail(personas.orgs["unit_a"])), 401, "not_authenticated")


def test_a_person_without_a_seat_may_not_read_the_directory(personas, api):
    from tests.factories import UserFactory

    assert_problem(api(UserFactory()).get(ORGS), 403, "forbidden")


def test_the_list_runs_the_same_queries_for_1_row_as_for_20(db, api, django_assert_num_queries):
    home = OrganisationFactory(kind=OrgKind.CONGRESS, code="RD")
    client = api(account(home, Role.SYSTEM_ADMIN))
    assert client.get(ORGS).json()["count"] == 1  # also records the token's first use
    with CaptureQueriesContext(connection) as one:
        assert client.get(ORGS).json()["count"] == 1
    for i in range(19):
        OrganisationFactory(code=f"U{i:02d}", parent=home if i % 2 else None)
    assert len(one) <= 5, [q["sql"] for q in one]
    with django_assert_num_queries(len(one)):
        assert client.get(ORGS).json()["count"] == 20


# --- Creating ---------------------------------------------------------------------------


def _new(parent: Organisation | None = None, **extra) -> dict:
    return {
        "kind": OrgKind.HANDLING_UNIT,
        "code": "ZF-JY",
        "name": "市教育局",
        "short_name": "教育局",
        "parent": parent.pk if parent else None,
        **extra,
    }


def test_the_system_administrator_creates_an_organisation(personas, api):
    government = personas.orgs["government"]
    response = api(personas.sysadmin).post_json(ORGS, _new(government, sort_order=5))
    assert response.status_code == 201, response.content
    body = response.json()
    org = Organisation.objects.get(code="ZF-JY")
    assert body["id"] == org.pk and body["version"] == 1 and body["member_count"] == 0
    assert (org.name, org.parent_id, org.sort_order) == ("市教育局", government.pk, 5)
    [event] = audit_events("core.organisation.created")
    assert event.actor_id == personas.sysadmin.pk and event.target_id == str(org.pk)
    assert audit_dict(event.after)["code"] == "ZF-JY"


@pytest.mark.parametrize("who", ["congress_clerk", "unit_a", "secadmin", "auditadmin"])
def test_others_may_not_create_organisations(personas, api, who):
    response = api(getattr(personas, who)).post_json(ORGS, _new())
    assert_problem(response, 403, "forbidden")
    assert not Organisation.objects.filter(code="ZF-JY").exists()


def test_creating_without_a_token_is_401(personas, api):
    assert_problem(api().post_json(ORGS, _new()), 401)
    assert not Organisation.objects.filter(code="ZF-JY").exists()


def test_the_denial_comes_before_the_input_is_read(personas, api):
    """Someone who may not create learns nothing from validation messages."""
    response = api(personas.unit_a).post(ORGS, "{bad", content_type="application/json")
    assert_problem(response, 403, "forbidden")


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({}, {"kind", "code", "name"}),
        ({"kind": "castle", "code": "", "name": "x" * 201}, {"kind", "code", "name"}),
        ({**_new(), "parent": 999999}, {"parent"}),
        (_new(sort_order=-1), {"sort_order"}),
        (_new(code="RD"), {"code"}),  # taken: the service's full_clean says so
        (_new(name="\x00"), {"name"}),
    ],
)
def test_bad_input_is_a_400_with_field_errors(personas, api, data, fields):
    before = Organisation.objects.count()
    body = assert_problem(api(personas.sysadmin).post_json(ORGS, data), 400, "invalid")
    assert set(body["errors"]) == fields, body["errors"]
    assert all(isinstance(m, str) for msgs in body["errors"].values() for m in msgs)
    assert Organisation.objects.count() == before
    assert not audit_events("core.organisation.created")


# --- Changing ---------------------------------------------------------------------------


def test_the_system_administrator_changes_an_organisation(personas, api):
    org = personas.orgs["unit_a"]
    response = api(personas.sysadmin).patch_json(
        detail(org), {"version": 1, "short_name": "民政", "region": "黄石港区"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2 and response.json()["short_name"] == "民政"
    org.refresh_from_db()
    assert (org.short_name, org.region, org.version, org.name) == (
        "民政",
        "黄石港区",
        2,
        "市民政局",
    )
    [event] = audit_events("core.organisation.updated")
    assert audit_dict(event.before) == {"short_name": "市民政局", "region": ""}
    assert audit_dict(event.after) == {"short_name": "民政", "region": "黄石港区"}


def test_a_stale_version_is_a_409_and_nothing_is_saved(personas, api):
    org = personas.orgs["unit_a"]
    client = api(personas.sysadmin)
    assert client.patch_json(detail(org), {"version": 1, "name": "第一次"}).status_code == 200
    events = AuditEvent.objects.count()
    body = assert_problem(
        client.patch_json(detail(org), {"version": 1, "name": "第二次"}), 409, "edit_conflict"
    )
    assert body["title"] == "编辑冲突" and "刷新" in body["detail"]
    org.refresh_from_db()
    assert (org.name, org.version) == ("第一次", 2)
    assert AuditEvent.objects.count() == events


def test_a_change_without_the_version_is_a_400(personas, api):
    org = personas.orgs["unit_a"]
    body = assert_problem(
        api(personas.sysadmin).patch_json(detail(org), {"name": "新"}), 400, "invalid"
    )
    assert set(body["errors"]) == {"version"}
    org.refresh_from_db()
    assert org.name == "市民政局"


def test_a_parent_that_would_make_a_cycle_is_a_400(personas, api):
    government = personas.orgs["government"]
    body = assert_problem(
        api(personas.sysadmin).patch_json(
            detail(government), {"version": 1, "parent": personas.orgs["unit_a"].pk}
        ),
        400,
        "invalid",
    )
    assert set(body["errors"]) == {"parent"}
    government.refresh_from_db()
    assert government.parent_id is None


def test_a_change_with_bad_values_is_a_400(personas, api):
    org = personas.orgs["unit_a"]
    body = assert_problem(
        api(personas.sysadmin).patch_json(detail(org), {"version": 1, "name": "", "kind": "?"}),
        400,
    )
    assert set(body["errors"]) == {"name", "kind"}


@pytest.mark.parametrize("who", ["congress_clerk", "unit_a", "secadmin"])
def test_others_may_not_change_organisations(personas, api, who):
    org = personas.orgs["unit_a"]
    response = api(getattr(personas, who)).patch_json(detail(org), {"version": 1, "name": "改"})
    assert_problem(response, 403, "forbidden")
    org.refresh_from_db()
    assert org.name == "市民政局" and org.version == 1


def test_changing_a_missing_organisation_is_a_404(personas, api):
    response = api(personas.sysadmin).patch_json(f"{ORGS}999999/", {"version": 1})
    assert_problem(response, 404, "not_found")


def test_a_change_that_changes_nothing_keeps_the_version(personas, api):
    org = personas.orgs["unit_a"]
    response = api(personas.sysadmin).patch_json(detail(org), {"version": 1, "name": org.name})
    assert response.status_code == 200 and response.json()["version"] == 1
    assert not audit_events("core.organisation.updated")


def test_an_api_serializer_refuses_an_invisible_name_and_cleans_a_visible_one(personas, api):
    client = api(personas.sysadmin)
    new = {"kind": "handling_unit", "code": "ZF-JY", "short_name": "教育局"}
    refused = client.post_json(ORGS, {**new, "name": "\u200b\u200c\ufeff"})
    assert refused.status_code == 400 and "不可见的字符" in refused.content.decode()
    created = client.post_json(ORGS, {**new, "name": "市\u202e教育局"})
    assert created.status_code == 201, created.content
    assert Organisation.objects.get(code="ZF-JY").name == "市教育局"
