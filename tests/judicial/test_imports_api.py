"""The judicial imports and the pool's versions through the API (issue 12): the .xlsx upload
pages (`judicial:expert_import`, `judicial:case_import`) and the pool-version button had no
API door. The doors take the page's upload form (multipart, field `file`), the page's service
and policy: all rows or none, each problem with its row; the templates download as on the
page."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.judicial.test_pool_and_cases import CASE_HEADER, EXPERT_HEADER, workbook
from tests.personas import client_for
from wulian.core.models import AuditEvent
from wulian.judicial.models import Case, Expert, PoolVersion

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}

GOOD_EXPERTS = [
    ["甲律师", "律师", "民事、商事", "湖北众邦律师事务所", "湖北众邦律师事务所"],
    ["乙教授", "高校教授", "行政", "湖北师范大学", None],
]
GOOD_CASE = [
    "(2023)鄂02民初5号",
    "FY",
    "涉企审判案件",
    "买卖合同纠纷",
    "某公司（被告，企业）、张三（原告）",
    "赵法官",
    "李四（某律所，代理张三）",
]


def _upload(user, name: str, data: bytes | None, filename: str = "import.xlsx"):
    body = {}
    if data is not None:
        f = io.BytesIO(data)
        f.name = filename
        body["file"] = f
    return client_for(user).post(reverse(name), body, **JSON)  # multipart


def test_the_organiser_imports_experts_through_the_api(p):
    data = workbook("专家", EXPERT_HEADER, GOOD_EXPERTS)
    r = _upload(p.users["congress_clerk"], "judicial_api:expert-import", data, "experts.xlsx")
    assert r.status_code == 201, r.content
    assert r.json()["counts"] == {"experts_added": 2}
    assert "2" in r.json()["summary"]
    assert Expert.objects.count() == 2
    event = AuditEvent.objects.get(action="judicial.experts.imported")
    assert event.after_data["file"] == "experts.xlsx"


def test_an_expert_file_with_problems_imports_nothing_and_names_each_row(p):
    data = workbook(
        "专家",
        EXPERT_HEADER,
        [*GOOD_EXPERTS, ["丙", "法官", None, None, None], GOOD_EXPERTS[0]],
    )
    r = _upload(p.users["congress_clerk"], "judicial_api:expert-import", data)
    assert r.status_code == 400, r.content
    assert r["Content-Type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == "import_rejected"
    where = {(x["row"], x["column"]) for x in body["rows"]}
    assert (4, "专家类别") in where
    assert (5, "姓名") in where
    assert body["errors"]["file"] and any("第 4 行" in m for m in body["errors"]["file"])
    assert not Expert.objects.exists()
    assert not AuditEvent.objects.filter(action="judicial.experts.imported").exists()


def test_an_expert_import_without_a_file_or_with_no_workbook_names_the_field(p):
    clerk = p.users["congress_clerk"]
    missing = _upload(clerk, "judicial_api:expert-import", None)
    assert missing.status_code == 400
    assert "file" in missing.json()["errors"]
    garbage = _upload(clerk, "judicial_api:expert-import", b"not a workbook")
    assert garbage.status_code == 400
    assert "file" in garbage.json()["errors"]
    assert not Expert.objects.exists()


def test_only_the_organiser_imports_experts(p):
    data = workbook("专家", EXPERT_HEADER, GOOD_EXPERTS)
    for name in ("cdi_officer", "stationed", "court_clerk", "expert"):
        r = _upload(p.users[name], "judicial_api:expert-import", data)
        assert r.status_code == 403, (name, r.status_code)
    assert not Expert.objects.exists()


def test_the_stationed_group_files_cases_through_the_api(p):
    data = workbook("案件", CASE_HEADER, [GOOD_CASE])
    r = _upload(p.users["stationed"], "judicial_api:case-import", data)
    assert r.status_code == 201, r.content
    assert r.json()["counts"] == {"cases_filed": 1}
    case = Case.objects.get()
    assert case.filed_by_org == p.orgs["stationed_group"]


def test_a_case_file_with_problems_files_nothing(p):
    bad = ["2023鄂02民初6号", "FY", "执行案件", None, "某公司", "钱法官", None]
    unknown = ["(2023)鄂02执7号", "NOPE", "执行案件", None, "某公司", "钱法官", None]
    data = workbook("案件", CASE_HEADER, [GOOD_CASE, bad, unknown])
    r = _upload(p.users["stationed"], "judicial_api:case-import", data)
    assert r.status_code == 400, r.content
    where = {(x["row"], x["column"]) for x in r.json()["rows"]}
    assert (3, "案号") in where and (4, "承办单位代码") in where
    assert not Case.objects.exists()


def test_who_may_not_file_cases_may_not_import_them(p):
    data = workbook("案件", CASE_HEADER, [GOOD_CASE])
    for name in ("cdi_officer", "court_clerk", "expert", "unit_a"):
        r = _upload(p.users[name], "judicial_api:case-import", data)
        assert r.status_code == 403, (name, r.status_code)
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("route", "user", "sheet"),
    [
        ("judicial_api:expert-import-template", "congress_clerk", "专家"),
        ("judicial_api:case-import-template", "stationed", "案件"),
    ],
)
def test_the_templates_download_through_the_api(p, route, user, sheet):
    r = client_for(p.users[user]).get(reverse(route))
    assert r.status_code == 200
    assert "attachment" in r["Content-Disposition"]
    assert sheet in load_workbook(io.BytesIO(r.content)).sheetnames
    denied = client_for(p.users["court_clerk"]).get(reverse(route), **JSON)
    assert denied.status_code == 403


def test_the_organiser_records_a_pool_version_through_the_api(p):
    clerk = client_for(p.users["congress_clerk"])
    url = reverse("judicial_api:poolversion-list")
    data = workbook("专家", EXPERT_HEADER, GOOD_EXPERTS)
    assert _upload(p.users["congress_clerk"], "judicial_api:expert-import", data).status_code == 201
    made = clerk.post(url, **JSON)
    assert made.status_code == 201, made.content
    assert made.json()["expert_count"] == PoolVersion.objects.get().expert_count
    again = clerk.post(url, **JSON)  # the pool has not changed: the same version
    assert again.status_code == 200
    assert again.json()["number"] == made.json()["number"]
    assert PoolVersion.objects.count() == 1
    listed = client_for(p.users["cdi_officer"]).get(url, **JSON)
    assert listed.status_code == 200
    assert [v["number"] for v in listed.json()["results"]] == [made.json()["number"]]


def test_watchers_may_not_record_a_pool_version(p):
    url = reverse("judicial_api:poolversion-list")
    for name in ("cdi_officer", "stationed", "court_clerk"):
        r = client_for(p.users[name]).post(url, **JSON)
        assert r.status_code == 403, (name, r.status_code)
    assert not PoolVersion.objects.exists()
