"""A problem flagged as possible misconduct by judicial staff (it may become a clue for the CDI)
is confidential like a clue: the CDI side and the batch's organiser see it; the reviewed court,
the reviewers and other congress offices do not — not on the case page, not in its trail, not
in the API, not in the 评查报告 addressed to the courts, not in a suggestion sent to the court.
The reviewed court does not learn who reviewed its case. The 评查报告 is a draft (草稿, no
document number) until the batch is closed."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from tests.factories import account
from tests.judicial import helpers as h
from tests.personas import client_for
from wulian.core.choices import Role
from wulian.core.errors import ValidationFailed
from wulian.judicial import services
from wulian.judicial.models import Problem

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("judicial_env")]

SECRET = "审判员收受当事人财物后违规延期执行"
PLAIN = "判决书对争议焦点说理不充分"
# Who sees the case; who of them sees the misconduct finding.
READERS = ("congress_clerk", "cdi_officer", "cdi_clue", "stationed", "court_clerk", "expert")
SEES = {"congress_clerk", "cdi_officer", "cdi_clue", "stationed"}
REVIEWERS = ("李教授", "王代表")


@pytest.fixture
def found(p):
    """A case under review at the court with a misconduct finding and a plain problem, both
    recorded through the service (so that the case's trail has their events)."""
    batch = h.reviewing_batch(p)
    case = batch.cases.get()
    clerk = p.users["congress_clerk"]
    services.problem_record(
        actor=clerk, case_id=case.pk, data={"description": SECRET, "is_misconduct": True}
    )
    services.problem_record(actor=clerk, case_id=case.pk, data={"description": PLAIN})
    p.users["other_office"] = account(p.orgs["congress"], Role.STAFF, username="other_office")
    return batch, case


@pytest.mark.parametrize("who", [*READERS, "other_office"])
def test_the_case_page_shows_a_misconduct_finding_only_to_the_cdi_side_and_the_organiser(
    p, found, who
):
    _batch, case = found
    response = client_for(p.users[who]).get(case.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert PLAIN in page
    assert (SECRET in page) is (who in SEES)
    # Not even that one was recorded: the trail shows the plain problem's recording only.
    recorded = page.count("记录评查发现的问题")
    assert recorded == (2 if who in SEES else 1), recorded


@pytest.mark.parametrize("who", READERS)
def test_the_reviewed_court_does_not_see_who_reviewed_its_case(p, found, who):
    _batch, case = found
    page = client_for(p.users[who]).get(case.get_absolute_url()).content.decode()
    names = [*REVIEWERS, p.users["expert"].person.name]
    if who == "court_clerk":
        assert not [n for n in names if n in page]
        assert "评查专家 3 名" in page
    else:
        assert all(n in page for n in names)


@pytest.mark.parametrize("who", [*(r for r in READERS if r != "expert"), "other_office"])
def test_the_case_api_lists_a_misconduct_finding_only_to_the_cdi_side_and_the_organiser(
    p, found, who
):
    _batch, case = found
    client = client_for(p.users[who])
    one = client.get(
        reverse("judicial_api:case-detail", args=[case.pk]), HTTP_ACCEPT="application/json"
    )
    listed = client.get(reverse("judicial_api:case-list"), HTTP_ACCEPT="application/json")
    assert one.status_code == listed.status_code == 200
    for body in (one.content.decode(), listed.content.decode()):
        assert PLAIN in body
        assert (SECRET in body) is (who in SEES)
    described = {x["description"] for x in one.json()["problems"]}
    assert described == ({SECRET, PLAIN} if who in SEES else {PLAIN})


def _report(p, batch, who="congress_clerk"):
    response = client_for(p.users[who]).get(reverse("judicial:batch_report", args=[batch.pk]))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(par.text for par in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    return response, text + "\n" + cells


@pytest.mark.parametrize("who", ["congress_clerk", "cdi_officer", "stationed"])
def test_the_review_report_never_names_a_misconduct_finding(p, found, who):
    batch, _case = found
    _response, text = _report(p, batch, who)
    assert "三、发现的主要问题" in text and PLAIN in text
    assert SECRET not in text


def test_the_review_report_is_a_draft_without_a_number_while_the_review_is_open(p, found):
    batch, _case = found
    response, text = _report(p, batch)
    assert (
        "草稿" in response["Content-Disposition"]
        or "%E8%8D%89%E7%A8%BF" in (response["Content-Disposition"])
    )
    lines = text.splitlines()
    assert lines[0] == "草稿"
    assert "评查报告（草稿）" in text
    assert f"评查〔{batch.year}〕" not in text
    page = client_for(p.users["congress_clerk"]).get(batch.get_absolute_url()).content.decode()
    assert "下载评查报告草稿" in page


def test_the_review_report_is_final_with_its_number_once_the_batch_is_closed(p, found):
    batch, _case = found
    h.graded_case(p, batch)
    batch.refresh_from_db()
    services.batch_close(actor=p.users["congress_clerk"], batch_id=batch.pk, version=batch.version)
    _response, text = _report(p, batch)
    assert f"评查〔{batch.year}〕{batch.pk}号" in text
    assert "草稿" not in text
    assert SECRET not in text


def test_a_misconduct_finding_cannot_be_cited_in_a_suggestion_to_the_court(p, found):
    batch, _case = found
    secret = Problem.objects.get(description=SECRET)
    with pytest.raises(ValidationFailed) as exc:
        services.suggestion_draft(
            actor=p.users["congress_clerk"],
            batch_id=batch.pk,
            data={
                "addressee_id": p.orgs["court"].pk,
                "title": "关于规范执行的建议",
                "content": "建议规范执行案款发放。",
                "problem_ids": [secret.pk],
            },
        )
    assert "问题线索" in exc.value.field_errors["problems"][0]
    form = client_for(p.users["congress_clerk"]).get(
        reverse("judicial:suggestion_create", args=[batch.pk])
    )
    assert SECRET not in form.content.decode()


def test_a_suggestion_page_shows_the_court_no_misconduct_finding_it_cites(p, found):
    """A suggestion recorded before this rule may cite one: the court's page leaves it out."""
    batch, _case = found
    s = h.make_suggestion(p, batch, state="sent")
    s.problems.set(Problem.objects.all())
    court = client_for(p.users["court_clerk"]).get(s.get_absolute_url()).content.decode()
    organiser = client_for(p.users["congress_clerk"]).get(s.get_absolute_url()).content.decode()
    assert PLAIN in court and SECRET not in court
    assert PLAIN in organiser and SECRET in organiser
