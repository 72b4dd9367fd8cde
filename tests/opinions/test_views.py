"""The opinion-round pages and API: who reads which comment (an invitee its own until the
conclusion), the steps through the page and the API, the refusals shown on the page, the
ledger's and the round page's query counts, 我的待办, the 说明 download and the figures'
small-number rule."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from tests.opinions.helpers import comment, concluded_round, make_round
from tests.personas import client_for
from wulian.core.access import actor_for
from wulian.core.opinions import selectors, services
from wulian.core.opinions.models import Comment
from wulian.core.todos import todos_for

pytestmark = pytest.mark.django_db


def _page(client, r) -> str:
    response = client.get(reverse("opinions:round_detail", args=[r.pk]))
    assert response.status_code == 200
    return response.content.decode()


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_an_invitee_reads_its_own_comments_until_the_conclusion(personas):
    p = personas
    r = make_round(p)
    comment(p, r, text="纪委的意见")
    comment(p, r, who="unit_a", text="民政局的意见")
    assert "纪委的意见" in _page(client_for(p.congress_clerk), r)
    unit = _page(client_for(p.unit_a), r)
    assert "民政局的意见" in unit and "纪委的意见" not in unit
    api = client_for(p.unit_a).get(f"/api/v1/opinion-rounds/{r.pk}/")
    assert [c["text"] for c in api.json()["comments"]] == ["民政局的意见"]
    assert len(api.json()["invitees"]) == 1
    timeline = [e.action for e in selectors.timeline(actor_for(p.unit_a), r)]
    assert timeline.count("opinions.round.commented") == 1  # its own
    assert "opinions.round.invited" not in timeline
    assert "提出意见" in _page(client_for(p.congress_clerk), r)  # the timeline in words


def test_after_the_conclusion_every_invitee_reads_every_comment(personas):
    p = personas
    r = concluded_round(p)
    page = _page(client_for(p.deputy), r)
    assert "建议增加贯通协调的内容。" in page and "意见采纳情况说明" in page
    docx = client_for(p.deputy).get(reverse("opinions:explanation_docx", args=[r.pk]))
    assert docx.status_code == 200 and docx["Content-Type"].startswith("application/vnd")


def test_the_explanation_is_not_shown_to_invitees_before_the_conclusion(personas):
    p = personas
    r = make_round(p)
    url = reverse("opinions:explanation_docx", args=[r.pk])
    assert client_for(p.unit_a).get(url).status_code == 404
    assert client_for(p.congress_clerk).get(url).status_code == 200  # the drafter's preview


def test_a_comment_through_the_page_lands_on_the_paragraph(personas):
    p = personas
    r = make_round(p)
    client = client_for(p.unit_a)
    response = client.post(
        reverse("opinions:round_comment", args=[r.pk]), {"paragraph": "3", "text": "建议补充。"}
    )
    assert response.status_code == 302
    c = Comment.objects.get()
    assert c.paragraph.number == 3 and c.invitee.organisation == p.orgs["unit_a"]


def test_a_declined_disposition_without_reason_is_shown_again_with_the_message(personas):
    p = personas
    r = make_round(p)
    c = comment(p, r)
    response = client_for(p.congress_clerk).post(
        reverse("opinions:round_dispose", args=[r.pk]),
        {"comment": c.pk, "version": c.version, "disposition": "declined", "reason": ""},
    )
    assert response.status_code == 400
    assert "须说明理由" in response.content.decode()
    c.refresh_from_db()
    assert c.disposition == ""


def test_dispose_and_conclude_through_the_api(personas):
    p = personas
    r = make_round(p)
    c = comment(p, r)
    api = client_for(p.congress_clerk)
    body = {"comment": c.pk, "version": 1, "disposition": "partly", "reason": "部分内容已有规定。"}
    answer = api.post(
        f"/api/v1/opinion-rounds/{r.pk}/dispose/", json.dumps(body), "application/json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["comments"][0]["disposition"] == "partly"
    stale = api.post(
        f"/api/v1/opinion-rounds/{r.pk}/dispose/", json.dumps(body), "application/json"
    )
    assert stale.status_code == 409
    version = answer.json()["version"]
    early = api.post(
        f"/api/v1/opinion-rounds/{r.pk}/conclude/",
        json.dumps({"version": version, "confirm": True}),
        "application/json",
    )
    assert early.status_code == 409  # not yet closed
    closed = api.post(
        f"/api/v1/opinion-rounds/{r.pk}/close/",
        json.dumps({"version": version}),
        "application/json",
    )
    assert closed.status_code == 200
    done = api.post(
        f"/api/v1/opinion-rounds/{r.pk}/conclude/",
        json.dumps({"version": closed.json()["version"], "confirm": True}),
        "application/json",
    )
    assert done.status_code == 200 and done.json()["state"] == "concluded"


def test_a_round_is_started_through_the_api_with_pasted_text(personas):
    p = personas
    answer = client_for(p.congress_clerk).post(
        "/api/v1/opinion-rounds/",
        json.dumps(
            {"drafter": p.orgs["congress_body"].pk, "title": "草案", "text": "第一段\n第二段"}
        ),
        "application/json",
    )
    assert answer.status_code == 201, answer.content
    assert [x["number"] for x in answer.json()["versions"][0]["paragraphs"]] == [1, 2]


def test_an_older_version_stays_readable(personas):
    p = personas
    r = make_round(p)
    services.version_add(
        actor=actor_for(p.congress_clerk), round_id=r.pk, version=r.version, text="全新的第一段"
    )
    client = client_for(p.cdi_officer)
    url = reverse("opinions:round_detail", args=[r.pk])
    assert "全新的第一段" in client.get(url).content.decode()
    old = client.get(url + "?v=1").content.decode()
    assert "坚持依法监督。" in old and "现行稿为第2稿" in old


def test_the_ledger_and_the_round_page_cost_the_same_for_more_rows(personas):
    p = personas
    clerk = client_for(p.congress_clerk)
    r = make_round(p)
    comment(p, r)
    ledger = reverse("opinions:ledger")
    page = reverse("opinions:round_detail", args=[r.pk])
    queries_for(clerk, ledger), queries_for(clerk, page)  # the session and caches warmed
    few = queries_for(clerk, ledger), queries_for(clerk, page)
    for _ in range(3):
        make_round(p)
    for who in ("unit_a", "cdi_officer", "deputy"):
        comment(p, r, who=who)
    assert (queries_for(clerk, ledger), queries_for(clerk, page)) == few


def test_my_todos_say_what_is_due(personas):
    p = personas
    r = make_round(p)
    comment(p, r)
    titles = [t.title for t in todos_for(actor_for(p.unit_a))]
    assert any(t.startswith("提出意见：") for t in titles)
    assert not any(
        t.startswith("提出意见：") for t in map(str, todos_for(actor_for(p.cdi_officer)))
    )
    clerk = [t.title for t in todos_for(actor_for(p.congress_clerk))]
    assert any("处理意见" in t and "1条待处理" in t for t in clerk)


@override_settings(OPINION_FIGURES_MIN_COMMENTERS=3)
def test_figures_hide_a_split_an_invitee_could_single_out(personas):
    p = personas
    r = concluded_round(p)  # one commenter: the CDI
    mine = selectors.figures(actor=actor_for(p.congress_clerk))
    assert mine["by_round"][0].adopted == 1 and mine["by_round"][0].rate == "100.0%"
    theirs = selectors.figures(actor=actor_for(p.unit_a))
    assert theirs["by_round"][0].suppressed and theirs["by_round"][0].rate == "—"
    page = client_for(p.unit_a).get(reverse("opinions:figures")).content.decode()
    assert "不公开" in page and r.title in page
