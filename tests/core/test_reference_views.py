"""The reference-data pages: forms that call the services and show their refusals inline in
Chinese with nothing saved, the membership actions on the person page, and list pages whose
query count does not grow with the number of rows."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.core.reference_xlsx import person_row, xlsx
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory
from wulian.core.choices import Role
from wulian.core.models import AuditEvent, ExpertProfile, Membership, Organisation, Person

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


# --- Organisations ----------------------------------------------------------------------------


def test_the_organisation_list_offers_new_to_the_system_administrator_only(personas, client_of):
    new = reverse("core:organisation_create")
    assert new in body(client_of(personas.sysadmin).get(reverse("core:organisation_list")))
    assert new not in body(client_of(personas.unit_a).get(reverse("core:organisation_list")))


def test_create_an_organisation(personas, client_of):
    client = client_of(personas.sysadmin)
    page = client.get(reverse("core:organisation_create"))
    assert page.status_code == 200 and "新建单位" in body(page)
    response = client.post(
        reverse("core:organisation_create"),
        {
            "code": "ZF-JY",
            "name": "市教育局",
            "kind": "handling_unit",
            "parent": personas.orgs["government"].pk,
            "sort_order": "3",
            "is_active": "on",
        },
    )
    org = Organisation.objects.get(code="ZF-JY")
    assert response.status_code == 302 and response["Location"] == reverse(
        "core:organisation_detail", args=[org.pk]
    )
    assert (org.parent_id, org.sort_order, org.is_active) == (
        personas.orgs["government"].pk,
        3,
        True,
    )


def test_a_duplicate_code_is_shown_on_its_field_and_nothing_is_saved(personas, client_of):
    count = Organisation.objects.count()
    response = client_of(personas.sysadmin).post(
        reverse("core:organisation_create"),
        {"code": "ZF-MZ", "name": "另一个民政局", "kind": "handling_unit"},
    )
    assert response.status_code == 400
    html = body(response)
    assert "保存失败，请按提示更正。" in html
    assert 'class="form-row has-error"' in html and "已存在" in html
    assert Organisation.objects.count() == count
    assert not AuditEvent.objects.exists()


def test_edit_an_organisation_carries_the_version(personas, client_of):
    org = personas.orgs["unit_a"]
    client = client_of(personas.sysadmin)
    page = client.get(reverse("core:organisation_edit", args=[org.pk]))
    assert 'type="hidden" name="version" value="1"' in body(page)
    response = client.post(
        reverse("core:organisation_edit", args=[org.pk]),
        {
            "version": "1",
            "code": org.code,
            "name": "市民政局",
            "short_name": "民政",
            "kind": org.kind,
            "parent": org.parent_id,
            "sort_order": "0",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.short_name, org.version) == ("民政", 2)


def test_a_stale_edit_shows_the_conflict_and_saves_nothing(personas, client_of):
    org = personas.orgs["unit_a"]
    Organisation.objects.filter(pk=org.pk).update(name="他人改过的名称", version=2)
    response = client_of(personas.sysadmin).post(
        reverse("core:organisation_edit", args=[org.pk]),
        {"version": "1", "code": org.code, "name": "我的名称", "kind": org.kind},
    )
    assert response.status_code == 409
    assert "该记录已被他人修改，您的修改未保存。" in body(response)
    org.refresh_from_db()
    assert (org.name, org.version) == ("他人改过的名称", 2)
    assert not AuditEvent.objects.exists()


def test_an_edit_without_version_saves_nothing(personas, client_of):
    org = personas.orgs["unit_a"]
    response = client_of(personas.sysadmin).post(
        reverse("core:organisation_edit", args=[org.pk]),
        {"code": org.code, "name": "我的名称", "kind": org.kind},
    )
    assert response.status_code == 400 and "页面已过期" in body(response)
    org.refresh_from_db()
    assert org.name == "市民政局"


def test_a_parent_cycle_is_shown_on_the_parent_field(personas, client_of):
    government = personas.orgs["government"]
    response = client_of(personas.sysadmin).post(
        reverse("core:organisation_edit", args=[government.pk]),
        {
            "version": "1",
            "code": government.code,
            "name": government.name,
            "kind": government.kind,
            "parent": personas.orgs["unit_a"].pk,
        },
    )
    assert response.status_code == 400
    assert '<p class="field-error" role="alert">上级单位不能是本单位或其下级单位。</p>' in body(
        response
    )
    government.refresh_from_db()
    assert government.parent_id is None


# --- People -----------------------------------------------------------------------------------


def test_create_and_edit_a_person(personas, client_of):
    client = client_of(personas.sysadmin)
    assert reverse("core:person_create") in body(client.get(reverse("core:person_list")))
    response = client.post(
        reverse("core:person_create"), {"name": "王芳", "gender": "female", "is_active": "on"}
    )
    person = Person.objects.get(name="王芳")
    assert response.status_code == 302
    response = client.post(
        reverse("core:person_edit", args=[person.pk]),
        {"version": "1", "name": "王芳", "title": "副局长", "is_active": "on"},
    )
    person.refresh_from_db()
    assert (person.title, person.version) == ("副局长", 2)


def test_a_bad_email_is_shown_in_chinese_and_nothing_is_saved(personas, client_of):
    count = Person.objects.count()
    response = client_of(personas.sysadmin).post(
        reverse("core:person_create"), {"name": "王芳", "email": "wangfang-at-example"}
    )
    assert response.status_code == 400
    assert "请填写有效的电子邮箱地址，例如 name@example.cn。" in body(response)
    assert Person.objects.count() == count


def test_a_stale_person_edit_saves_nothing(personas, client_of):
    person = personas.unit_a.person
    Person.objects.filter(pk=person.pk).update(version=2)
    response = client_of(personas.sysadmin).post(
        reverse("core:person_edit", args=[person.pk]),
        {"version": "1", "name": person.name, "title": "改了"},
    )
    assert response.status_code == 409 and "该记录已被他人修改" in body(response)
    person.refresh_from_db()
    assert person.title == ""


def test_the_person_list_offers_new_to_the_system_administrator_only(personas, client_of):
    assert reverse("core:person_create") not in body(
        client_of(personas.congress_clerk).get(reverse("core:person_list"))
    )


# --- Memberships on the person page ------------------------------------------------------------


def test_add_and_end_a_membership(personas, client_of):
    person = PersonFactory(name="李明")
    client = client_of(personas.sysadmin)
    page = body(client.get(reverse("core:person_detail", args=[person.pk])))
    assert reverse("core:membership_add", args=[person.pk]) in page
    assert 'value="security_admin"' not in page  # not the system administrator's to grant
    response = client.post(
        reverse("core:membership_add", args=[person.pk]),
        {
            "membership-organisation": personas.orgs["unit_b"].pk,
            "membership-role": "staff",
            "membership-post": "办公室主任",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(person=person)
    assert (membership.role, membership.post) == ("staff", "办公室主任")
    end = reverse("core:membership_end", args=[membership.pk])
    assert end in body(client.get(reverse("core:person_detail", args=[person.pk])))
    assert client.post(end).status_code == 302
    membership.refresh_from_db()
    assert membership.is_active is False


def test_the_system_administrator_cannot_grant_an_administrator_role(personas, client_of):
    person = PersonFactory(name="李明")
    response = client_of(personas.sysadmin).post(
        reverse("core:membership_add", args=[person.pk]),
        {"membership-organisation": personas.orgs["congress"].pk, "membership-role": "audit_admin"},
    )
    assert response.status_code == 400
    assert "has-error" in body(response)
    assert not Membership.objects.filter(person=person).exists()


def test_a_second_administrator_role_is_refused_with_the_rule(personas, client_of):
    target = personas.sysadmin.person
    client = client_of(personas.secadmin)
    page = body(client.get(reverse("core:person_detail", args=[target.pk])))
    # Administrator and CDI-side roles only: not the ordinary ones of the system administrator.
    assert 'value="security_admin"' in page and 'value="deputy"' not in page
    response = client.post(
        reverse("core:membership_add", args=[target.pk]),
        {
            "membership-organisation": personas.orgs["congress"].pk,
            "membership-role": "audit_admin",
        },
    )
    assert response.status_code == 409
    assert "三员分立" in body(response)
    assert target.memberships.filter(is_active=True).count() == 1


def test_a_duplicate_membership_is_refused_inline(personas, client_of):
    person = PersonFactory(name="李明")
    MembershipFactory(person=person, organisation=personas.orgs["unit_b"], role=Role.STAFF)
    response = client_of(personas.sysadmin).post(
        reverse("core:membership_add", args=[person.pk]),
        {"membership-organisation": personas.orgs["unit_b"].pk, "membership-role": "staff"},
    )
    assert response.status_code == 400 and "已在" in body(response)
    assert Membership.objects.filter(person=person).count() == 1


# --- Profiles ----------------------------------------------------------------------------------


def test_expert_specialties_are_entered_as_one_list(personas, client_of):
    person = PersonFactory(name="周律师")
    client = client_of(personas.sysadmin)
    response = client.post(
        reverse("core:person_expert_edit", args=[person.pk]),
        {"category": "lawyer", "specialties": "民事、行政,刑事，民事", "is_active": "on"},
    )
    assert response.status_code == 302
    assert ExpertProfile.objects.get(person=person).specialties == ["民事", "行政", "刑事"]
    page = body(client.get(reverse("core:person_expert_edit", args=[person.pk])))
    assert 'value="民事、行政、刑事"' in page


def test_a_deputy_needs_a_liaison_station_of_the_right_kind(personas, client_of):
    person = PersonFactory(name="陈代表")
    client = client_of(personas.sysadmin)
    response = client.post(
        reverse("core:person_deputy_edit", args=[person.pk]),
        {"certificate_no": "HS15-0100", "level": "municipal", "liaison_station": "999999"},
    )
    assert response.status_code == 400 and "has-error" in body(response)
    response = client.post(
        reverse("core:person_deputy_edit", args=[person.pk]),
        {
            "certificate_no": "HS15-0100",
            "level": "municipal",
            "liaison_station": personas.orgs["station"].pk,
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.deputy.liaison_station_id == personas.orgs["station"].pk


def test_integrity_monitor_profile_page(personas, client_of):
    person = PersonFactory(name="吴监督")
    client = client_of(personas.sysadmin)
    response = client.post(reverse("core:person_monitor_edit", args=[person.pk]), {"area": "民生"})
    assert response.status_code == 400 and "请填写此项。" in body(response)
    response = client.post(
        reverse("core:person_monitor_edit", args=[person.pk]),
        {"appointed_by": personas.orgs["cdi"].pk, "appointed_on": "2025-03-01", "area": "民生"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.integrity_monitor.area == "民生"


# --- Import ------------------------------------------------------------------------------------


def good_file_bytes() -> bytes:
    from tests.core.test_reference_import import good_file

    return good_file()


def test_the_import_page(personas, client_of):
    client = client_of(personas.sysadmin)
    url = reverse("core:reference_import")
    page = client.get(url)
    assert page.status_code == 200
    assert reverse("core:reference_import_template") in page.content.decode()
    assert url in client.get(reverse("core:organisation_list")).content.decode()  # navigation

    bad = xlsx(people=[person_row("王芳"), person_row("李雷", 性别="未知")])
    response = client.post(url, {"file": SimpleUploadedFile("people.xlsx", bad)})
    html = response.content.decode()
    assert response.status_code == 400
    assert "未导入任何数据" in html and "“未知”不是有效的性别" in html
    assert not Person.objects.filter(name="王芳").exists()

    response = client.post(
        url, {"file": SimpleUploadedFile("people.txt", b"not a workbook")}, follow=True
    )
    assert "不是有效的 Excel 工作簿" in response.content.decode()

    response = client.post(
        url, {"file": SimpleUploadedFile("orgs.xlsx", good_file_bytes())}, follow=True
    )
    assert response.status_code == 200
    assert "导入完成：新增单位 3" in response.content.decode()
    assert Person.objects.filter(name="王芳").exists()


def test_the_template_download(personas, client_of):
    response = client_of(personas.sysadmin).get(reverse("core:reference_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames == ["单位", "人员"]


# --- Lists: the same number of queries for 1 row as for 20 -----------------------------------


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("route", ["core:organisation_list", "core:person_list"])
def test_list_pages_cost_the_same_for_1_and_20_rows(
    route, client_of, django_assert_num_queries, db
):
    from tests.factories import account
    from wulian.core.choices import OrgKind

    congress = OrganisationFactory(kind=OrgKind.CONGRESS, code="RD")
    admin = account(congress, Role.SYSTEM_ADMIN, username="sysadmin")
    client = client_of(admin)
    url = reverse(route)
    client.get(url)  # warm up: session, second-factor check, caches
    one = _count_queries(client, url)
    parent = OrganisationFactory()
    for i in range(19):
        org = OrganisationFactory(parent=parent)
        person = PersonFactory(name=f"人员{i:02d}")
        MembershipFactory(person=person, organisation=org)
        MembershipFactory(person=person, organisation=parent, role=Role.LIAISON)
    with django_assert_num_queries(one):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("value", ["99999999999999999999", "1.5", "1e30", "-3"])
def test_an_out_of_range_id_filter_is_a_form_error_not_a_server_error(personas, client_of, value):
    response = client_of(personas.congress_clerk).get("/people/", {"organisation": value})
    assert response.status_code == 200
    response = client_of(personas.congress_clerk).get("/orgs/", {"parent": value})
    assert response.status_code == 200
