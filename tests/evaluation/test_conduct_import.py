"""The 行风政风评议 grades imported from .xlsx: all rows or none, a row-by-row report in Chinese
that says where and what to fix; only evaluations the person may record the grade on; the page
and the API are the same import."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from tests.evaluation import helpers as h
from tests.personas import client_for
from wulian.core.access import actor_for
from wulian.core.errors import AccessDenied, ValidationFailed
from wulian.core.models import AuditEvent
from wulian.evaluation import imports
from wulian.evaluation.models import Evaluation

pytestmark = [pytest.mark.django_db]
HEADER = ["评议年度", "被评议部门", "单位代码", "评议等次", "来源"]


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(h.T0, tick=False):
        yield


def _book(rows, header=HEADER, sheet="行风政风评议") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _two(personas):
    return h.create(personas), h.create(personas, department="unit_b")


def test_all_rows_recorded_each_with_its_audit_event(personas):
    a, b = _two(personas)
    data = _book(
        [
            [2026, "市民政局", None, "优秀", "2026年度市直部门行风政风评议"],
            ["2026年", "司法局", "ZF-SF", "良好", None],
        ]
    )
    result = imports.conduct_import(
        actor=actor_for(personas.cdi_officer), file=data, filename="等次.xlsx"
    )
    assert result.ok and result.counts == {"grades": 2}
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.conduct_grade, a.conduct_source) == ("优秀", "2026年度市直部门行风政风评议")
    assert b.conduct_grade == "良好" and b.version == 2
    events = AuditEvent.objects.filter(action="evaluation.conduct.recorded")
    assert events.count() == 2
    assert {e.after_data["row"] for e in events} == {2, 3}


def test_any_wrong_row_imports_nothing_and_each_is_reported(personas):
    a, _b = _two(personas)
    data = _book(
        [
            [2026, "市民政局", None, "优秀", None],
            [2026, "市民政局", None, "良好", None],  # the same department twice
            [2026, "市教育局", None, "良好", None],  # no evaluation of it
            [26, "市司法局", None, "好", None],  # a wrong year and grade
        ]
    )
    result = imports.conduct_import(actor=actor_for(personas.cdi_officer), file=data)
    assert not result.ok and result.counts == {}
    report = [str(e) for e in result.errors]
    assert any("第 3 行" in r and "与第 2 行重复" in r for r in report)
    assert any("第 4 行" in r and "没有对“市教育局”的工作评议" in r for r in report)
    assert any("第 5 行" in r and "评议年度" in r and "2023" in r for r in report)
    assert any("第 5 行" in r and "“好”不是有效的等次" in r for r in report)
    a.refresh_from_db()
    assert a.conduct_grade == "" and a.version == 1
    assert not AuditEvent.objects.filter(action="evaluation.conduct.recorded").exists()


def test_a_grade_on_an_evaluation_outside_ones_rights_is_a_row_error(personas):
    from tests.factories import OrganisationFactory, account
    from wulian.core.choices import OrgKind, Role

    h.create(personas)
    other = OrganisationFactory(
        kind=OrgKind.CONGRESS_BODY,
        code="RD-JJGW",
        name="财经工委",
        parent=personas.orgs["congress"],
    )
    clerk = account(other, Role.STAFF, username="other_body_clerk")
    result = imports.conduct_import(
        actor=actor_for(clerk), file=_book([[2026, "市民政局", None, "优秀", None]])
    )
    assert not result.ok and "无权登记" in str(result.errors[0])
    with pytest.raises(AccessDenied):
        imports.conduct_import(actor=actor_for(personas.unit_a), file=b"x")


def test_a_file_that_is_not_the_template_is_refused_in_chinese(personas):
    _two(personas)
    cdi = actor_for(personas.cdi_officer)
    with pytest.raises(ValidationFailed, match="没有“行风政风评议”工作表"):
        imports.conduct_import(actor=cdi, file=_book([[2026]], sheet="Sheet1"))
    with pytest.raises(ValidationFailed):
        imports.conduct_import(actor=cdi, file=b"not a workbook")
    result = imports.conduct_import(
        actor=cdi, file=_book([[2026, "市民政局"]], header=["评议年度", "被评议部门"])
    )
    assert not result.ok and any("评议等次" in str(e) for e in result.errors)


def test_the_page_and_the_api(personas):
    a, _b = _two(personas)
    client = client_for(personas.cdi_officer)
    assert "conduct/import/" in client.get("/evaluation/").content.decode()
    template = client.get("/evaluation/conduct/template.xlsx")
    assert template.status_code == 200
    assert [c.value for c in load_workbook(io.BytesIO(template.content)).active[1]] == HEADER
    bad = client.post(
        "/evaluation/conduct/import/",
        {"file": SimpleUploadedFile("x.xlsx", _book([[2026, "市民政局", None, "差", None]]))},
    )
    assert bad.status_code == 400 and "未导入任何数据" in bad.content.decode()
    good = client.post(
        "/evaluation/conduct/import/",
        {"file": SimpleUploadedFile("x.xlsx", _book([[2026, "市民政局", None, "一般", None]]))},
    )
    assert good.status_code == 302
    assert Evaluation.objects.get(pk=a.pk).conduct_grade == "一般"
    api = client.post(
        "/api/v1/evaluations/conduct-import/",
        {"file": SimpleUploadedFile("x.xlsx", _book([[2026, "ZF-MZ", "ZF-MZ", "较差", None]]))},
    )
    assert api.status_code == 200 and api.json()["counts"] == {"grades": 1}
    refused = client_for(personas.unit_a).post(
        "/api/v1/evaluations/conduct-import/",
        {"file": SimpleUploadedFile("x.xlsx", _book([[2026, "市民政局", None, "优秀", None]]))},
    )
    assert refused.status_code in (403, 404)
    assert Evaluation.objects.get(pk=a.pk).conduct_grade == "较差"
