"""The suggestions' page-only doors, now in the API (issue 12): the .xlsx import (the page
`suggestions:suggestion_import`: its form — `session` and `file` —, service and policy; all
rows or none, each problem with its row), its template, the pre-consultation
(`suggestions:consultation_create`) and the campaign's creation (`suggestions:campaign_list`'s
form), each with its page's form as a JSON body."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import DeputyProfileFactory
from tests.suggestions.helpers import deputy, make_session
from tests.suggestions.test_views import _workbook
from wulian.core.activities.models import Activity
from wulian.core.models import AuditEvent
from wulian.suggestions.models import Campaign, CongressSession, Suggestion

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
IMPORT = "suggestions_api:suggestion-import"

GOOD = [
    ["", "关于公交的建议", "增设站点", "交通运输", "大会期间", "HS15-0001", ""],
    ["7", "关于学校的建议", "扩建", "education", "闭会期间", "HS15-0001", ""],
]


@pytest.fixture
def session(personas):
    DeputyProfileFactory(person=deputy(personas), certificate_no="HS15-0001")
    return make_session(personas)


def _post(client, body):
    return client.post(reverse(IMPORT), body, **JSON)  # multipart


def test_the_clerk_imports_a_sessions_suggestions_through_the_api(personas, client_of, session):
    r = _post(client_of(personas.congress_clerk), {"session": session.pk, "file": _workbook(GOOD)})
    assert r.status_code == 201, r.content
    assert r.json()["counts"] == {"created": 2}
    assert "2" in r.json()["summary"]
    assert sorted(Suggestion.objects.values_list("number", flat=True)) == [1, 7]
    assert AuditEvent.objects.filter(action="suggestions.suggestion.imported").count() == 2


def test_a_file_with_problems_imports_nothing_and_lists_each_row(personas, client_of, session):
    bad = _workbook(
        [
            GOOD[0],
            ["", "", "没有标题", "交通运输", "", "HS15-0001", ""],
            ["", "关于学校的建议", "扩建", "不存在的类别", "", "无此人", ""],
        ]
    )
    r = _post(client_of(personas.congress_clerk), {"session": session.pk, "file": bad})
    assert r.status_code == 400, r.content
    assert r["Content-Type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == "import_rejected"
    assert {(x["row"], x["column"]) for x in body["rows"]} >= {
        (3, "标题"),
        (4, "类别"),
        (4, "领衔代表"),
    }
    assert body["errors"]["file"]
    assert not Suggestion.objects.exists()
    assert not AuditEvent.objects.filter(action="suggestions.suggestion.imported").exists()


def test_a_bad_upload_names_its_field(personas, client_of, session):
    client = client_of(personas.congress_clerk)
    no_session = _post(client, {"file": _workbook(GOOD)})
    assert no_session.status_code == 400
    assert "session" in no_session.json()["errors"]
    no_file = _post(client, {"session": session.pk})
    assert no_file.status_code == 400
    assert "file" in no_file.json()["errors"]
    garbage = _post(
        client, {"session": session.pk, "file": SimpleUploadedFile("a.xlsx", b"not a zip")}
    )
    assert garbage.status_code == 400
    assert "file" in garbage.json()["errors"]
    assert not Suggestion.objects.exists()


def test_only_the_congress_clerk_imports(personas, client_of, session):
    for user in (personas.deputy, personas.unit_a, personas.gov_supervisor):
        r = _post(client_of(user), {"session": session.pk, "file": _workbook(GOOD)})
        assert r.status_code == 403, (user, r.status_code)
    assert not Suggestion.objects.exists()


def test_the_import_template_downloads_through_the_api(personas, client_of):
    url = reverse("suggestions_api:suggestion-import-template")
    r = client_of(personas.congress_clerk).get(url)
    assert r.status_code == 200
    assert "代表建议" in load_workbook(io.BytesIO(r.content)).sheetnames
    assert client_of(personas.deputy).get(url, **JSON).status_code == 403


def _consult(client, body):
    return client.post(
        reverse("suggestions_api:consultation-create"),
        json.dumps(body),
        content_type="application/json",
        **JSON,
    )


def test_an_assigner_records_a_pre_consultation_through_the_api(personas, client_of):
    p = personas
    r = _consult(
        client_of(p.congress_clerk),
        {
            "organiser": p.orgs["congress_body"].pk,
            "starts_at": "2026-03-01T09:00:00",
            "units": [p.orgs["unit_a"].pk, p.orgs["unit_b"].pk],
            "notes": "会商交办分工。",
        },
    )
    assert r.status_code == 201, r.content
    activity = Activity.objects.get(pk=r.json()["id"])
    assert activity.kind == "joint_meeting" and activity.participants.count() == 3
    assert AuditEvent.objects.filter(action="suggestions.consultation.recorded").count() == 1


def test_a_pre_consultation_without_units_or_with_a_foreign_organiser_is_refused(
    personas, client_of
):
    p = personas
    client = client_of(p.congress_clerk)
    no_units = _consult(
        client, {"organiser": p.orgs["congress_body"].pk, "starts_at": "2026-03-01T09:00:00"}
    )
    assert no_units.status_code == 400
    assert "units" in no_units.json()["errors"]
    foreign = _consult(
        client,
        {
            "organiser": p.orgs["unit_a"].pk,
            "starts_at": "2026-03-01T09:00:00",
            "units": [p.orgs["unit_b"].pk],
        },
    )
    assert foreign.status_code == 400
    assert "organiser" in foreign.json()["errors"]
    assert not Activity.objects.exists()


def test_who_may_not_assign_may_not_record_a_pre_consultation(personas, client_of):
    p = personas
    body = {
        "organiser": p.orgs["congress_body"].pk,
        "starts_at": "2026-03-01T09:00:00",
        "units": [p.orgs["unit_a"].pk],
    }
    for user in (p.deputy, p.unit_a):
        assert _consult(client_of(user), body).status_code == 403
    assert not Activity.objects.exists()


# --- Campaigns: the page's creation form (suggestions:campaign_list) ------------------------


def _campaign(client, body):
    return client.post(
        reverse("suggestions_api:campaign-list"),
        json.dumps(body),
        content_type="application/json",
        **JSON,
    )


def test_the_congress_clerk_creates_a_campaign_through_the_api(personas, client_of):
    p = personas
    r = _campaign(
        client_of(p.congress_clerk),
        {"name": "三进三促", "organiser": p.orgs["congress_body"].pk, "starts_on": "2026-03-01"},
    )
    assert r.status_code == 201, r.content
    assert r.json()["name"] == "三进三促" and r.json()["collected"] == 0
    assert Campaign.objects.get(pk=r.json()["id"]).organiser == p.orgs["congress_body"]
    assert AuditEvent.objects.filter(action="suggestions.campaign.created").count() == 1


def test_a_campaign_without_its_dates_or_by_a_foreign_organiser_is_refused(personas, client_of):
    p = personas
    client = client_of(p.congress_clerk)
    no_start = _campaign(client, {"name": "三进三促", "organiser": p.orgs["congress_body"].pk})
    assert no_start.status_code == 400
    assert "starts_on" in no_start.json()["errors"]
    foreign = _campaign(
        client, {"name": "三进三促", "organiser": p.orgs["unit_a"].pk, "starts_on": "2026-03-01"}
    )
    assert foreign.status_code == 400
    assert "organiser" in foreign.json()["errors"]
    assert not Campaign.objects.exists()


def test_who_may_not_manage_campaigns_may_not_create_one(personas, client_of):
    p = personas
    body = {"name": "三进三促", "organiser": p.orgs["congress_body"].pk, "starts_on": "2026-03-01"}
    for user in (p.deputy, p.unit_a, p.cdi_officer):
        assert _campaign(client_of(user), body).status_code == 403
    assert not Campaign.objects.exists()


# --- Sessions: the page suggestions:session_list ------------------------------------------


def test_the_clerk_lists_and_adds_sessions_through_the_api(personas, client_of):
    p = personas
    existing = make_session(p)
    client = client_of(p.congress_clerk)
    url = reverse("suggestions_api:session-list")
    listed = client.get(url, **JSON)
    assert listed.status_code == 200
    assert [s["id"] for s in listed.json()["results"]] == [existing.pk]
    made = client.post(
        url,
        json.dumps(
            {
                "name": "十六届二次会议",
                "opens_on": "2027-01-10",
                "closes_on": "2027-01-13",
                "office": existing.office_id,
            }
        ),
        content_type="application/json",
        **JSON,
    )
    assert made.status_code == 201, made.content
    assert CongressSession.objects.get(pk=made.json()["id"]).name == "十六届二次会议"
    bad = client.post(url, json.dumps({"name": "x"}), content_type="application/json", **JSON)
    assert bad.status_code == 400
    assert {"opens_on", "closes_on", "office"} <= set(bad.json()["errors"])
    for user in (p.deputy, p.unit_a, p.gov_supervisor):
        assert client_of(user).post(url, "{}", content_type="application/json").status_code == 403
    assert CongressSession.objects.count() == 2
