"""The reference-data import through the API (`POST /api/v1/reference/import/`, multipart):
the page's form and service, the system administrator's right, all or nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.core.reference_xlsx import org_row, person_row, xlsx
from wulian.core.models import Organisation, Person

URL = "api:reference-import"


def _upload(client, content: bytes):
    return client.post(reverse(URL), {"file": SimpleUploadedFile("data.xlsx", content)})


@pytest.mark.django_db
def test_the_system_administrator_imports_a_workbook(personas, client_of):
    book = xlsx(
        orgs=[org_row("ZF-JY", "市教育局", "handling_unit")],
        people=[person_row("王芳")],
    )
    response = _upload(client_of(personas.sysadmin), book)
    assert response.status_code == 201, response.content
    assert response.json()["counts"] and "导入完成" in response.json()["summary"]
    assert Organisation.objects.filter(code="ZF-JY").exists()
    assert Person.objects.filter(name="王芳").exists()


@pytest.mark.django_db
def test_a_workbook_with_problems_imports_nothing_and_names_the_rows(personas, client_of):
    bad = xlsx(
        orgs=[org_row("ZF-JY", "市教育局", "handling_unit")],
        people=[person_row("王芳"), person_row("李雷", 性别="未知")],
    )
    response = _upload(client_of(personas.sysadmin), bad)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rejected" and body["rows"] and body["errors"]["file"]
    assert not Organisation.objects.filter(code="ZF-JY").exists()
    assert not Person.objects.filter(name="王芳").exists()


@pytest.mark.django_db
def test_no_file_is_named_and_others_may_not_import(personas, client_of):
    missing = client_of(personas.sysadmin).post(reverse(URL), {})
    assert missing.status_code == 400 and "file" in missing.json()["errors"]
    refused = _upload(client_of(personas.congress_clerk), xlsx(people=[person_row("王芳")]))
    assert refused.status_code == 403
    assert not Person.objects.filter(name="王芳").exists()


@pytest.mark.django_db
def test_the_template_downloads(personas, client_of):
    response = client_of(personas.sysadmin).get(reverse("api:reference-import-template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
