"""Pages of rectification: the ledger (scoped, filtered, constant queries, keyset pages), its
.xlsx export, the record page and its steps, raising a finding, the findings panel on another
record's page, and 我的待办."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.personas import client_for
from tests.rectification.helpers import make_finding, make_rectification
from wulian.core.models import AuditEvent
from wulian.core.rectification import services
from wulian.core.rectification.choices import RectificationState
from wulian.core.rectification.models import Finding, Rectification

S = RectificationState
LEDGER = "rectification:ledger"


def ledger_ids(client, **params) -> set[int]:
    response = client.get(reverse(LEDGER), params)
    assert response.status_code == 200
    return {r.pk for r in response.context["page"].object_list}


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_ledger_costs_the_same_queries_for_1_and_20_rows(personas):
    p = personas
    client = client_for(p.congress_clerk)
    make_finding(p)
    url = reverse(LEDGER)
    client.get(url)  # warm the per-process caches (content types, calendar)
    one = queries_for(client, url)
    for i in range(19):
        make_finding(p, units=("unit_a", "unit_b") if i % 2 else ("unit_b",), title=f"问题{i}")
    assert Rectification.objects.count() >= 20
    assert queries_for(client, url) == one


def test_ledger_shows_each_persona_its_own_scope(personas):
    p = personas
    a = make_rectification(p, "unit_a")
    b = make_rectification(p, "unit_b")
    secret = make_rectification(p, "unit_a", sensitivity="confidential")
    assert ledger_ids(client_for(p.unit_a)) == {a.pk, secret.pk}
    assert ledger_ids(client_for(p.unit_b)) == {b.pk}
    assert ledger_ids(client_for(p.congress_clerk)) == {a.pk, b.pk, secret.pk}  # the raiser
    assert ledger_ids(client_for(p.stationed)) == {a.pk, b.pk}  # supervisor, not 机密
    assert ledger_ids(client_for(p.court_clerk)) == set()
    for who in ("deputy", "expert", "sysadmin", "auditadmin"):
        assert client_for(p.users[who]).get(reverse(LEDGER)).status_code == 403


def test_ledger_filters(personas):
    p = personas
    a = make_rectification(p, "unit_a")
    b = make_rectification(p, "unit_b", state=S.CLOSED)
    old = make_rectification(p, "unit_b", found_at=date(2025, 3, 1))
    client = client_for(p.congress_clerk)
    assert ledger_ids(client, state=S.CLOSED) == {b.pk}
    assert ledger_ids(client, responsible_org=p.orgs["unit_a"].pk) == {a.pk}
    assert ledger_ids(client, raising_org=p.orgs["congress_body"].pk) == {a.pk, b.pk, old.pk}
    assert ledger_ids(client, raising_org=p.orgs["cdi"].pk) == set()
    assert ledger_ids(client, year=2025) == {old.pk}
    # A value that is not one: its message and no rows, not the whole ledger as if filtered.
    assert ledger_ids(client, state="nonsense") == set()


def test_overdue_filter_asks_the_deadlines(personas):
    p = personas
    finding = services.finding_raise(
        actor=p.congress_clerk,
        record=p.orgs["unit_a"],
        data={
            "title": "问题",
            "description": "描述",
            "found_at": date(2026, 6, 1),
            "about_organisation_id": p.orgs["unit_a"].pk,
            "found_by_org_id": p.orgs["congress_body"].pk,
            "responsible_org_ids": [p.orgs["unit_a"].pk],
            "rectification_months": 1,
        },
    )
    rect = finding.rectifications.get()
    other = make_rectification(p, "unit_b")  # no deadline at all
    client = client_for(p.congress_clerk)
    assert ledger_ids(client, overdue="yes") == set()
    with time_machine.travel(timezone.now() + timedelta(days=40), tick=False):
        client = client_for(p.congress_clerk)
        assert ledger_ids(client, overdue="yes") == {rect.pk}
        assert ledger_ids(client, overdue="no") == {other.pk}
        body = client.get(reverse(LEDGER)).content.decode()
        assert "已逾期" in body


def test_ledger_pages_by_keyset(personas, settings):
    settings.UI_PAGE_SIZE = 5
    p = personas
    for i in range(12):
        make_finding(p, title=f"问题{i}")
    client = client_for(p.congress_clerk)
    first = client.get(reverse(LEDGER)).context["page"]
    assert len(first.object_list) == 5 and first.has_next
    second = client.get(reverse(LEDGER), {"after": first.next_after}).context["page"]
    third = client.get(reverse(LEDGER), {"after": second.next_after}).context["page"]
    seen = [r.pk for pg in (first, second, third) for r in pg.object_list]
    assert len(seen) == 12 == len(set(seen)) and seen == sorted(seen, reverse=True)
    assert not third.has_next


def test_export_opens_with_openpyxl_and_has_the_rows(personas):
    p = personas
    make_rectification(p, "unit_a")
    make_rectification(p, "unit_b", state=S.CLOSED)
    response = client_for(p.congress_clerk).get(reverse("rectification:ledger_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "整改台账" and sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "问题概述", "严重程度")
    assert len(rows) == 3
    assert {r[5] for r in rows[1:]} == {"市民政局", "市司法局"}
    assert {r[7] for r in rows[1:]} == {"待制定整改措施", "已销号"}
    filtered = client_for(p.congress_clerk).get(
        reverse("rectification:ledger_export"), {"state": S.CLOSED}
    )
    assert len(list(load_workbook(io.BytesIO(filtered.content)).active.iter_rows())) == 2
    ev = AuditEvent.objects.filter(action="rectification.ledger.exported").first()
    assert ev.after_data["rows"] == 2


def test_unit_b_cannot_export_unit_as_rows(personas):
    p = personas
    make_rectification(p, "unit_a")
    response = client_for(p.unit_b).get(reverse("rectification:ledger_export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows())
    assert len(rows) == 1  # the header only


def test_the_record_page_offers_each_side_its_step(personas):
    p = personas
    rect = make_rectification(p)
    url = reverse("rectification:rectification_detail", args=[rect.pk])
    unit = client_for(p.unit_a).get(url)
    assert unit.status_code == 200 and "commit_form" in unit.context
    assert "close_form" not in unit.context
    raiser = client_for(p.congress_clerk).get(url)
    assert "commit_form" not in raiser.context
    assert client_for(p.unit_b).get(url).status_code == 403


def test_steps_through_the_pages(personas):
    p = personas
    rect = make_rectification(p)
    unit, raiser = client_for(p.unit_a), client_for(p.congress_clerk)
    commit = reverse("rectification:rectification_commit", args=[rect.pk])
    stale = unit.post(
        commit, {"version": 9, "commitment": "措施", "planned_completion": "2026-08-01"}
    )
    assert stale.status_code == 409
    assert "已被他人修改" in stale.content.decode()
    bad = unit.post(commit, {"version": 1, "commitment": "", "planned_completion": "2026-08-01"})
    assert bad.status_code == 400
    done = unit.post(
        commit, {"version": 1, "commitment": "措施", "planned_completion": "2026-08-01"}
    )
    assert done.status_code == 302
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.attachments.files import PDF

    report = unit.post(
        reverse("rectification:rectification_report", args=[rect.pk]),
        {
            "version": 2,
            "text": "已补发",
            "files": [
                SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf"),
                SimpleUploadedFile("名单.pdf", PDF, content_type="application/pdf"),
            ],
        },
    )
    assert report.status_code == 302
    submit = unit.post(
        reverse("rectification:rectification_submit", args=[rect.pk]),
        {"version": 3, "summary": "全部完成"},
    )
    assert submit.status_code == 302
    page = raiser.get(reverse("rectification:rectification_detail", args=[rect.pk]))
    assert "close_form" in page.context and "证明.pdf" in page.content.decode()
    closed = raiser.post(
        reverse("rectification:rectification_close", args=[rect.pk]), {"version": 4, "note": "好"}
    )
    assert closed.status_code == 302
    assert Rectification.objects.get(pk=rect.pk).state == S.CLOSED
    assert (
        unit.post(
            reverse("rectification:rectification_close", args=[rect.pk]), {"version": 5}
        ).status_code
        == 403
    )


def test_raise_a_finding_from_a_record_page(personas):
    p = personas
    client = client_for(p.congress_clerk)
    url = reverse("rectification:finding_raise", args=["core.organisation", p.orgs["unit_a"].pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "窗口服务不规范",
            "description": "群众反映办事排队时间长。",
            "severity": "general",
            "found_at": "2026-06-12",
            "sensitivity": "internal",
            "about_organisation": p.orgs["unit_a"].pk,
            "found_by_org": p.orgs["congress_body"].pk,
            "responsible_orgs": [p.orgs["unit_a"].pk],
            "rectification_months": 2,
            "next": "/orgs/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/orgs/"
    finding = Finding.objects.get()
    assert finding.title == "窗口服务不规范" and finding.rectifications.count() == 1
    assert client_for(p.unit_a).get(url).status_code == 403
    unknown = reverse("rectification:finding_raise", args=["core.auditevent", 1])
    assert client.get(unknown).status_code == 404
    offsite = client.post(
        url,
        {
            "title": "另一个问题",
            "description": "描述",
            "severity": "general",
            "found_at": "2026-06-12",
            "sensitivity": "internal",
            "about_organisation": p.orgs["unit_a"].pk,
            "found_by_org": p.orgs["congress_body"].pk,
            "responsible_orgs": [p.orgs["unit_b"].pk],
            "rectification_months": 2,
            "next": "https://evil.example/",
        },
    )
    assert offsite.status_code == 302
    assert offsite["Location"] == Finding.objects.latest("id").get_absolute_url()


def test_findings_panel_on_an_activity_page(personas):
    from tests.activities.helpers import make_activity

    p = personas
    activity = make_activity(p)
    finding = make_finding(p, record=activity, title="调研发现台账缺失")
    secret = make_finding(
        p, record=activity, title="机密问题", sensitivity="confidential", units=("unit_b",)
    )
    url = reverse("activities:activity_detail", args=[activity.pk])
    clerk = client_for(p.congress_clerk).get(url).content.decode()
    assert finding.title in clerk and secret.title in clerk and "提出问题并交付整改" in clerk
    unit = client_for(p.unit_a).get(url).content.decode()  # a participant, and responsible
    assert finding.title in unit and secret.title not in unit
    assert "提出问题并交付整改" not in unit
    stationed = client_for(p.stationed).get(url).content.decode()  # supervisor: not 机密
    assert finding.title in stationed and secret.title not in stationed


def test_todos_of_the_unit_and_of_the_raiser(personas):
    p = personas
    waiting = make_rectification(p, title="待制定措施的问题")
    submitted = make_rectification(p, "unit_b", state=S.SUBMITTED, title="待核验的问题")
    unit_a = client_for(p.unit_a).get(reverse("core:home")).content.decode()
    assert "制定整改措施：待制定措施的问题" in unit_a and "待核验的问题" not in unit_a
    clerk = client_for(p.congress_clerk).get(reverse("core:home")).content.decode()
    assert "核验整改：待核验的问题" in clerk
    unit_b = client_for(p.unit_b).get(reverse("core:home")).content.decode()
    assert "待制定措施的问题" not in unit_b
    assert waiting.pk != submitted.pk


@pytest.mark.parametrize("who", ["unit_a", "unit_b", "congress_clerk", "deputy"])
def test_finding_page_follows_the_rules(personas, who):
    p = personas
    finding = make_finding(p, units=("unit_a",))
    response = client_for(p.users[who]).get(
        reverse("rectification:finding_detail", args=[finding.pk])
    )
    assert response.status_code == (200 if who in ("unit_a", "congress_clerk") else 403)


def test_a_units_step_with_a_deadline_is_listed_once(personas):
    """The deadlines app lists the step with its time left; this app does not repeat it."""
    p = personas
    services.finding_raise(
        actor=p.congress_clerk,
        record=p.orgs["unit_a"],
        data={
            "title": "窗口服务不规范",
            "description": "描述",
            "found_at": date(2026, 6, 1),
            "about_organisation_id": p.orgs["unit_a"].pk,
            "found_by_org_id": p.orgs["congress_body"].pk,
            "responsible_org_ids": [p.orgs["unit_a"].pk],
        },
    )
    body = client_for(p.unit_a).get(reverse("core:home")).content.decode()
    assert body.count("制定整改措施：窗口服务不规范") == 1


def test_export_writes_a_formula_like_title_as_text(personas):
    from tests.rectification.helpers import make_finding
    from tests.xlsx_checks import HOSTILE, assert_shown_as_text

    make_finding(personas, title=HOSTILE)
    response = client_for(personas.congress_clerk).get(reverse("rectification:ledger_export"))
    assert response.status_code == 200
    assert_shown_as_text(response.content)
