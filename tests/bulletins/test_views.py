"""The bulletin pages: visibility per persona (page, list, API, figures), the audited reading of
a sensitive bulletin, the ledger's query count, the .docx, 我的待办 and the figures."""

from __future__ import annotations

import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.bulletins.helpers import make_bulletin
from tests.personas import PERSONA_NAMES, client_for
from wulian.core import access
from wulian.core.access import actor_for
from wulian.core.bulletins import selectors, services
from wulian.core.bulletins.choices import BulletinSensitivity
from wulian.core.bulletins.models import Bulletin
from wulian.core.models import AuditEvent
from wulian.core.todos import todos_for

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db
LEDGER = "bulletins:ledger"


def ledger_ids(client) -> set[int]:
    response = client.get(reverse(LEDGER))
    assert response.status_code == 200
    return {b.pk for b in response.context["page"].object_list}


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# Who sees which bulletin of the congress working body to the CDI and unit A.
EXPECTED = {
    "draft": {"congress_clerk"},
    BulletinSensitivity.ORDINARY: {"congress_clerk", "cdi_officer", "cdi_clue", "unit_a"},
    BulletinSensitivity.SENSITIVE: {"congress_clerk", "cdi_officer"},
    BulletinSensitivity.CLUE: {"congress_clerk", "cdi_clue"},
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_each_persona_sees_what_its_level_allows(personas, kind):
    p = personas
    if kind == "draft":
        b = make_bulletin(p, issued=False)
    elif kind == BulletinSensitivity.CLUE:
        b = make_bulletin(p, sensitivity=kind, recipients=("cdi",))
    else:
        b = make_bulletin(p, sensitivity=kind)
    seen = set()
    for who in PERSONA_NAMES:
        actor = actor_for(p.users[who])
        can = access.can(actor, "bulletins.bulletin.view", b)
        scoped = access.scope(actor, "bulletins.bulletin.view", Bulletin.objects.all())
        assert can == scoped.filter(pk=b.pk).exists(), who
        status = client_for(p.users[who]).get(b.get_absolute_url()).status_code
        assert status == (200 if can else 403), who
        if can:
            seen.add(who)
    assert seen == EXPECTED[kind]


def test_the_ledger_shows_each_persona_its_own_scope(personas):
    p = personas
    ordinary = make_bulletin(p)
    sensitive = make_bulletin(p, sensitivity=BulletinSensitivity.SENSITIVE)
    to_b = make_bulletin(p, recipients=("unit_b",))
    draft = make_bulletin(p, issued=False)
    assert ledger_ids(client_for(p.congress_clerk)) == {
        ordinary.pk,
        sensitive.pk,
        to_b.pk,
        draft.pk,
    }
    assert ledger_ids(client_for(p.unit_a)) == {ordinary.pk}
    assert ledger_ids(client_for(p.unit_b)) == {to_b.pk}
    assert ledger_ids(client_for(p.cdi_officer)) == {ordinary.pk, sensitive.pk}
    assert ledger_ids(client_for(p.court_clerk)) == set()
    for who in ("deputy", "expert", "sysadmin", "auditadmin"):
        assert client_for(p.users[who]).get(reverse(LEDGER)).status_code == 403


def test_the_ledger_costs_the_same_queries_for_1_and_12_bulletins(personas):
    p = personas
    client = client_for(p.congress_clerk)
    make_bulletin(p)
    url = reverse(LEDGER)
    client.get(url)  # warm the per-process caches
    one = queries_for(client, url)
    for i in range(11):
        make_bulletin(p, issued=bool(i % 2), title=f"通报{i}")
    assert queries_for(client, url) == one
    receipts = reverse("bulletins:receipts")
    client.get(receipts)
    assert queries_for(client, receipts) <= one + 2
    figures = reverse("bulletins:figures")
    before = queries_for(client, figures)
    make_bulletin(p, recipients=("unit_b", "court"))
    assert queries_for(client, figures) == before


def test_every_reading_of_a_sensitive_bulletin_is_audited(personas):
    p = personas
    sensitive = make_bulletin(p, sensitivity=BulletinSensitivity.SENSITIVE)
    ordinary = make_bulletin(p)

    def reads(b: Bulletin) -> list[tuple[str, str]]:
        return [
            (e.actor_id, json.loads(e.after).get("via"))
            for e in AuditEvent.objects.filter(
                action="bulletins.bulletin.read", target_id=str(b.pk)
            ).order_by("seq")
        ]

    client = client_for(p.cdi_officer)
    client.get(sensitive.get_absolute_url())
    client.get(reverse("bulletins:bulletin_docx", args=[sensitive.pk]))
    client.get(reverse("bulletins_api:bulletins-detail", args=[sensitive.pk]))
    client.get(ordinary.get_absolute_url())
    assert [via for _who, via in reads(sensitive)] == ["page", "docx", "api"]
    assert reads(ordinary) == []
    # A refused look is no reading.
    client_for(p.unit_a).get(sensitive.get_absolute_url())
    assert len(reads(sensitive)) == 3


def test_the_docx_has_the_gbt_9704_elements(personas):
    from docx import Document

    p = personas
    b = make_bulletin(p)
    response = client_for(p.unit_a).get(reverse("bulletins:bulletin_docx", args=[b.pk]))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    texts = [para.text for para in doc.paragraphs]
    joined = "\n".join(texts)
    assert "代表工委工作通报" in joined  # 发文机关标志
    assert "〔2026〕第1期" in joined  # the number
    assert b.title in joined
    assert "市纪委监委、市民政局：" in joined  # 主送机关
    assert "一、总体情况" in joined and "本季度共交办代表建议52件。" in joined
    assert "2026年6月15日" in joined  # 成文日期
    mark = next(para for para in doc.paragraphs if para.text == "代表工委工作通报")
    assert str(mark.runs[0].font.color.rgb) == "FF0000"
    section = doc.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    draft = make_bulletin(p, issued=False)
    d = Document(
        io.BytesIO(
            client_for(p.congress_clerk)
            .get(reverse("bulletins:bulletin_docx", args=[draft.pk]))
            .content
        )
    )
    assert "草稿" in "\n".join(x.text for x in d.paragraphs)


def test_my_todos_ask_the_recipient_to_sign_then_to_give_feedback(personas):
    p = personas
    b = make_bulletin(p)
    titles = [t.title for t in todos_for(actor_for(p.unit_a))]
    assert any(t.startswith("签收通报：〔2026〕第1期") for t in titles)
    assert not any("签收通报" in t.title for t in todos_for(actor_for(p.unit_b)))
    services.bulletin_sign(
        actor=actor_for(p.unit_a), bulletin_id=b.pk, organisation_id=p.orgs["unit_a"].pk
    )
    titles = [t.title for t in todos_for(actor_for(p.unit_a))]
    assert not any(t.startswith("签收通报") for t in titles)
    assert any(t.startswith("反馈通报意见") for t in titles)
    # A sensitive bulletin's title is not on the liaison's list, nor on anyone's.
    make_bulletin(p, sensitivity=BulletinSensitivity.SENSITIVE, title="敏感标题")
    assert not any("敏感" in t.title for t in todos_for(actor_for(p.unit_a)))
    assert not any("敏感标题" in t.title for t in todos_for(actor_for(p.cdi_officer)))


def test_the_figures_count_on_time_late_and_missing(personas):
    p = personas
    b = make_bulletin(p, recipients=("cdi", "unit_a", "unit_b"))
    services.bulletin_sign(
        actor=actor_for(p.unit_a), bulletin_id=b.pk, organisation_id=p.orgs["unit_a"].pk
    )
    with time_machine.travel(datetime(2026, 6, 22, 9, 0, tzinfo=SH), tick=False):
        services.bulletin_sign(
            actor=actor_for(p.cdi_officer), bulletin_id=b.pk, organisation_id=p.orgs["cdi"].pk
        )
        data = selectors.figures(actor=actor_for(p.congress_clerk), year=2026)
        (year,) = data["by_year"]
        assert year.counts["receipt_on_time"] == 1
        assert year.counts["receipt_late"] == 1
        assert year.counts["receipt_missing"] == 1
        assert year.receipt_rate == "66.7%" and year.receipt_on_time_rate == "33.3%"
        by_org = {r.label: r.counts for r in data["by_organisation"]}
        assert by_org["市司法局"]["receipt_missing"] == 1
        # Click-through: the missing receipt is listed.
        client = client_for(p.congress_clerk)
        page = client.get(reverse("bulletins:receipts"), {"year": 2026, "receipt": "missing"})
        rows = page.context["rows"]
        assert [r["rec"].organisation.name for r in rows] == ["市司法局"]
        html = client.get(reverse("bulletins:figures"), {"year": 2026}).content.decode()
        assert "receipt=missing" in html
    # A recipient counts (and sees) only its own receipts, not the other recipients'.
    mine = selectors.figures(actor=actor_for(p.unit_b))["by_organisation"]
    assert [r.label for r in mine] == ["市司法局"]
    page = client_for(p.unit_b).get(b.get_absolute_url())
    assert [r["rec"].organisation.name for r in page.context["rows"]] == ["市司法局"]
    api = client_for(p.unit_b).get(reverse("bulletins_api:bulletins-detail", args=[b.pk]))
    assert [r["organisation_name"] for r in api.json()["recipients"]] == ["市司法局"]


def test_a_recipient_signs_on_the_page_and_the_api_says_why_a_second_try_fails(personas):
    p = personas
    b = make_bulletin(p)
    client = client_for(p.unit_a)
    page = client.get(b.get_absolute_url())
    assert "签收" in page.content.decode() and page.context["sign_form"] is not None
    response = client.post(
        reverse("bulletins:bulletin_sign", args=[b.pk]), {"organisation": p.orgs["unit_a"].pk}
    )
    assert response.status_code == 302
    assert b.recipients.get(organisation=p.orgs["unit_a"]).signed_at is not None
    api = client.post(
        reverse("bulletins_api:bulletins-sign", args=[b.pk]),
        {"organisation": p.orgs["unit_a"].pk},
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )
    assert api.status_code == 409
    assert "不能重复签收" in api.json()["detail"]


def test_a_draft_is_made_and_issued_through_the_api(personas):
    p = personas
    client = client_for(p.congress_clerk)
    made = client.post(
        reverse("bulletins_api:bulletin-create"),
        {
            "issuer": p.orgs["congress_body"].pk,
            "title": "API 通报",
            "body": "正文",
            "sensitivity": "ordinary",
            "recipients": [p.orgs["cdi"].pk],
        },
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    issued = client.post(
        reverse("bulletins_api:bulletins-issue", args=[body["id"]]),
        {"version": body["version"]},
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )
    assert issued.status_code == 200, issued.content
    assert issued.json()["number_label"] == "〔2026〕第1期"


def test_a_draft_is_edited_through_the_api_with_the_version_read(personas):
    p = personas
    b = make_bulletin(p, issued=False)
    client = client_for(p.congress_clerk)
    url = reverse("bulletins_api:bulletin-edit", args=[b.pk])
    body = {
        "version": b.version,
        "title": "改过的标题",
        "body": "正文",
        "sensitivity": "ordinary",
        "recipients": [p.orgs["unit_b"].pk],
    }
    ok = client.post(url, body, content_type="application/json", HTTP_ACCEPT="application/json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["title"] == "改过的标题"
    stale = client.post(url, body, content_type="application/json", HTTP_ACCEPT="application/json")
    assert stale.status_code == 409
    assert "已被他人修改" in stale.json()["detail"]
