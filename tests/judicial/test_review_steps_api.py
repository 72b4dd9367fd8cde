"""The judicial steps that were written by hand (issue 12) — freezing a batch's draw list,
scoring a seat (no API before), referring a misconduct problem to the CDI — now declared once
(judicial/steps.py), and registering a petition (no API before): through the API with the
page's form as the body, the same service and the same refusals — no access (403, or 404 where
the record is outside the caller's view), a wrong state (409), bad input (400 naming the field).
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.judicial import helpers as h
from tests.personas import client_for
from wulian.core.clues.models import Clue
from wulian.core.models import AuditEvent
from wulian.judicial.choices import BatchState, DrawState, PetitionState
from wulian.judicial.forms import BatchForm
from wulian.judicial.models import Draw, Petition, Score

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("judicial_env")]

SCORES = {"c_substance": 35, "c_procedure": 25, "c_documents": 12, "c_enforcement": 12}


def _post(user, name: str, body: object, *args: int):
    return client_for(user).post(
        reverse(name, args=list(args)),
        json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )


def _get(user, name: str, *args: int):
    return client_for(user).get(reverse(name, args=list(args)), HTTP_ACCEPT="application/json")


def _problem_json(response) -> bool:
    return response["Content-Type"].startswith("application/problem+json")


# --- Freezing the draw list ---------------------------------------------------------------


def test_the_organiser_freezes_a_batch_through_the_api_and_gets_the_new_draw(p):
    h.small_pool(p)
    batch = h.make_batch(p)
    frozen = _post(
        p.users["congress_clerk"],
        "judicial_api:batch-freeze",
        {"version": batch.version, "code": "SJ-2026-T01"},
        batch.pk,
    )
    assert frozen.status_code == 201, frozen.content
    body = frozen.json()
    d = Draw.objects.get(batch=batch)
    assert body["id"] == d.pk and body["draw_id"] == "SJ-2026-T01"
    assert body["state"] == DrawState.FROZEN and body["batch"] == batch.pk
    assert AuditEvent.objects.filter(action="judicial.draw.frozen").count() == 1


def test_freezing_through_the_page_leads_to_the_new_draw(p):
    h.small_pool(p)
    batch = h.make_batch(p)
    page = client_for(p.users["congress_clerk"]).post(
        reverse("judicial:batch_freeze", args=[batch.pk]), {"version": batch.version}
    )
    assert page.status_code == 302
    assert page["Location"] == Draw.objects.get(batch=batch).get_absolute_url()


@pytest.mark.parametrize("who", ["stationed", "court_clerk", "expert"])
def test_only_the_organiser_freezes_through_the_api(p, who):
    h.small_pool(p)
    batch = h.make_batch(p)
    refused = _post(p.users[who], "judicial_api:batch-freeze", {"version": 1}, batch.pk)
    assert refused.status_code == 403 and _problem_json(refused)
    assert not Draw.objects.exists()


def test_a_second_freeze_while_a_draw_is_live_is_a_conflict(p):
    d = h.frozen_draw(p)
    batch = d.batch
    batch.refresh_from_db()
    again = _post(
        p.users["congress_clerk"], "judicial_api:batch-freeze", {"version": batch.version}, batch.pk
    )
    assert again.status_code == 409 and _problem_json(again)
    assert Draw.objects.count() == 1


def test_bad_freeze_input_names_the_field(p):
    reused = h.frozen_draw(p).code
    batch = h.make_batch(p, cases=0, title="另一批次")
    h.make_case(p, "（2023）鄂02民初3001号", batch=batch)
    clerk = p.users["congress_clerk"]
    long_code = _post(
        clerk, "judicial_api:batch-freeze", {"version": 1, "code": "X" * 65}, batch.pk
    )
    assert long_code.status_code == 400 and "code" in long_code.json()["errors"]
    taken = _post(clerk, "judicial_api:batch-freeze", {"version": 1, "code": reused}, batch.pk)
    assert taken.status_code == 400 and "code" in taken.json()["errors"]
    stale = _post(clerk, "judicial_api:batch-freeze", {"code": "SJ-NEW"}, batch.pk)
    assert stale.status_code == 400 and "non_field_errors" in stale.json()["errors"]
    assert not Draw.objects.filter(batch=batch).exists()


def test_an_unmet_quota_is_refused_with_the_reason_and_nothing_saved(p):
    h.small_pool(p)
    batch = h.make_batch(p, minimums={"lawyer": 2, "professor": 1})
    refused = _post(
        p.users["congress_clerk"], "judicial_api:batch-freeze", {"version": 1}, batch.pk
    )
    assert refused.status_code == 400 and "rules" in refused.json()["errors"]
    assert "「律师」类至少需要2人" in refused.json()["detail"]
    assert not Draw.objects.exists()


# --- Scoring ------------------------------------------------------------------------------


def test_the_reviewer_scores_his_seat_through_the_api_and_corrects_it(p):
    batch = h.reviewing_batch(p)
    seat = h.expert_seat(p, batch)
    expert = p.users["expert"]
    scored = _post(expert, "judicial_api:seat-score", {**SCORES, "comment": "程序合法"}, seat.pk)
    assert scored.status_code == 200, scored.content
    body = scored.json()
    assert body["id"] == seat.pk and body["score"]["total"] == 84
    assert body["score"]["values"] == {
        "substance": 35,
        "procedure": 25,
        "documents": 12,
        "enforcement": 12,
    }
    version = body["score"]["version"]
    corrected = _post(
        expert,
        "judicial_api:seat-score",
        {**SCORES, "c_substance": 30, "version": version},
        seat.pk,
    )
    assert corrected.status_code == 200 and corrected.json()["score"]["total"] == 79
    # A correction from a stale read: a conflict, nothing changed.
    stale = _post(
        expert, "judicial_api:seat-score", {**SCORES, "c_substance": 1, "version": version}, seat.pk
    )
    assert stale.status_code == 409 and _problem_json(stale)
    assert Score.objects.get(seat=seat).total == 79
    # His seats and his own score, read back.
    mine = _get(expert, "judicial_api:seat-list").json()
    assert [s["id"] for s in mine["results"]] == [seat.pk]
    assert _get(expert, "judicial_api:seat-detail", seat.pk).json()["score"]["total"] == 79


@pytest.mark.parametrize("who", ["congress_clerk", "stationed", "cdi_officer", "court_clerk"])
def test_nobody_but_the_seated_reviewer_scores_or_reads_the_seat(p, who):
    """Not the organiser, not the witness, not the court: the seat is not even found (404),
    through the API; the page refuses them as every record page does (403)."""
    batch = h.reviewing_batch(p)
    seat = h.expert_seat(p, batch)
    refused = _post(p.users[who], "judicial_api:seat-score", SCORES, seat.pk)
    assert refused.status_code == 404 and _problem_json(refused)
    assert _get(p.users[who], "judicial_api:seat-detail", seat.pk).status_code == 404
    page = client_for(p.users[who])
    assert page.get(reverse("judicial:score", args=[seat.pk])).status_code == 403
    assert page.post(reverse("judicial:score", args=[seat.pk]), SCORES).status_code == 403
    assert not Score.objects.exists()


def test_the_score_sheet_is_still_a_page_of_its_own(p):
    batch = h.reviewing_batch(p)
    seat = h.expert_seat(p, batch)
    sheet = client_for(p.users["expert"]).get(reverse("judicial:score", args=[seat.pk]))
    assert sheet.status_code == 200
    assert seat.case.number in sheet.content.decode()
    assert 'name="c_substance"' in sheet.content.decode()


def test_no_seat_is_known_before_the_review_opens(p):
    """Sealed: while the draw's result is sealed there are no seats to list or to score."""
    h.sealed_draw(p)
    assert _get(p.users["expert"], "judicial_api:seat-list").json()["results"] == []


def test_a_graded_case_or_a_closed_review_takes_no_more_scores(p):
    batch = h.reviewing_batch(p)
    seat = h.expert_seat(p, batch)
    h.graded_case(p, batch)
    graded = _post(p.users["expert"], "judicial_api:seat-score", SCORES, seat.pk)
    assert graded.status_code == 409 and _problem_json(graded)
    batch.refresh_from_db()
    batch.state = BatchState.CLOSED
    batch.save(update_fields=["state"])
    closed = _post(p.users["expert"], "judicial_api:seat-score", SCORES, seat.pk)
    assert closed.status_code == 409


def test_bad_scores_name_each_field(p):
    batch = h.reviewing_batch(p)
    seat = h.expert_seat(p, batch)
    bad = _post(
        p.users["expert"],
        "judicial_api:seat-score",
        {"c_substance": 50, "c_procedure": "x", "c_documents": 1},
        seat.pk,
    )
    assert bad.status_code == 400
    assert {"c_substance", "c_procedure", "c_enforcement"} <= set(bad.json()["errors"])
    assert not Score.objects.exists()


def test_the_openapi_schema_has_the_new_doors(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    score = paths["/api/v1/judicial/seats/{id}/score/"]["post"]
    assert "评分" in score["summary"]
    assert "comment" in score["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert "201" in paths["/api/v1/judicial/batches/{id}/freeze/"]["post"]["responses"]
    refer = paths["/api/v1/judicial/problems/{id}/refer/"]["post"]
    assert "201" in refer["responses"]
    body = refer["requestBody"]["content"]["application/json"]["schema"]
    assert {"sending_org", "receiving_org", "subject_name", "content"} <= set(body["required"])
    register = paths["/api/v1/judicial/petitions/"]["post"]
    assert "201" in register["responses"]
    assert (
        "received_on"
        in register["requestBody"]["content"]["application/json"]["schema"]["properties"]
    )


# --- Referring a misconduct problem to the CDI ----------------------------------------------


def _clue_body(p) -> dict:
    return {
        "sending_org": p.orgs["congress_body"].pk,
        "receiving_org": p.orgs["cdi"].pk,
        "subject_name": "赵法官",
        "subject_post": "审判员",
        "violation_type": "integrity",
        "content": "疑似在执行中收受当事人财物",
        "evidence": "当事人陈述",
        # Referring is irreversible: it is confirmed (`Step.confirm`; the page asks first).
        "confirm": True,
    }


def test_a_misconduct_problem_is_referred_through_the_api_and_its_content_not_echoed(p):
    problem = h.make_problem(h.reviewing_batch(p).cases.get(), p, misconduct=True)
    referred = _post(
        p.users["congress_clerk"], "judicial_api:problem-refer", _clue_body(p), problem.pk
    )
    assert referred.status_code == 201, referred.content
    clue = Clue.objects.get()
    assert clue.source == problem and clue.state == "transferred"
    body = referred.json()
    # The sending office follows the status; the content is for the CDI's clue officers only.
    assert body["status"]["number"] == clue.number and body["content"] is None
    assert "收受" not in referred.content.decode()


@pytest.mark.parametrize("who", ["cdi_officer", "cdi_clue", "court_clerk", "expert"])
def test_only_who_sees_the_problem_and_sends_clues_refers_it(p, who):
    """The CDI sees the finding but sends no clues to itself; the reviewed court and the
    reviewer may not refer it either, nor read the finding."""
    problem = h.make_problem(h.reviewing_batch(p).cases.get(), p, misconduct=True)
    refused = _post(p.users[who], "judicial_api:problem-refer", _clue_body(p), problem.pk)
    assert refused.status_code == 403 and _problem_json(refused)
    assert not Clue.objects.exists()
    seen = _get(p.users[who], "judicial_api:problem-detail", problem.pk).status_code
    assert seen == 200 if who.startswith("cdi") else seen in (403, 404)


def test_a_problem_that_is_no_misconduct_is_not_referred(p):
    problem = h.make_problem(h.reviewing_batch(p).cases.get(), p, misconduct=False)
    refused = _post(
        p.users["congress_clerk"], "judicial_api:problem-refer", _clue_body(p), problem.pk
    )
    assert refused.status_code == 409 and _problem_json(refused)
    assert not Clue.objects.exists()


def test_a_referral_without_its_subject_names_the_field(p):
    problem = h.make_problem(h.reviewing_batch(p).cases.get(), p, misconduct=True)
    body = {**_clue_body(p), "subject_name": ""}
    del body["content"]
    bad = _post(p.users["congress_clerk"], "judicial_api:problem-refer", body, problem.pk)
    assert bad.status_code == 400 and {"subject_name", "content"} <= set(bad.json()["errors"])
    assert not Clue.objects.exists()


def test_the_referral_page_still_shows_the_form_and_leads_back_to_the_case(p):
    case = h.reviewing_batch(p).cases.get()
    problem = h.make_problem(case, p, misconduct=True)
    client = client_for(p.users["congress_clerk"])
    url = reverse("judicial:problem_refer", args=[problem.pk])
    assert 'name="subject_name"' in client.get(url).content.decode()
    data = {**_clue_body(p)}
    done = client.post(url, data)
    assert done.status_code == 302 and done["Location"] == case.get_absolute_url()
    assert Clue.objects.get().source == problem


# --- Registering a petition ---------------------------------------------------------------


def _petition_body(p, **extra) -> dict:
    return {
        "received_on": "2026-06-10",
        "petitioner": "王某",
        "petitioner_phone": "13900000000",
        "summary": "反映执行案件长期未执行到位。",
        "registering_org": p.orgs["congress_body"].pk,
        **extra,
    }


def test_a_petition_is_registered_through_the_api(p):
    case = h.make_case(p)
    made = _post(
        p.users["congress_clerk"], "judicial_api:petition-list", _petition_body(p, cases=[case.pk])
    )
    assert made.status_code == 201, made.content
    petition = Petition.objects.get()
    assert made.json()["id"] == petition.pk and made.json()["cases"] == [case.pk]
    assert petition.state == PetitionState.REGISTERED and petition.petitioner == "王某"
    assert AuditEvent.objects.filter(action="judicial.petition.registered").count() == 1


@pytest.mark.parametrize("who", ["court_clerk", "cdi_officer", "stationed", "expert"])
def test_only_the_congress_side_registers_a_petition(p, who):
    refused = _post(p.users[who], "judicial_api:petition-list", _petition_body(p))
    assert refused.status_code == 403 and _problem_json(refused)
    assert not Petition.objects.exists()


def test_bad_petition_input_names_each_field(p):
    clerk = p.users["congress_clerk"]
    bad = _post(clerk, "judicial_api:petition-list", {"petitioner": ""})
    assert bad.status_code == 400
    assert {"received_on", "petitioner", "summary", "registering_org"} <= set(bad.json()["errors"])
    future = _post(clerk, "judicial_api:petition-list", _petition_body(p, received_on="2099-01-01"))
    assert future.status_code == 400 and "received_on" in future.json()["errors"]
    assert not Petition.objects.exists()


# --- The edit pages and drafting a suggestion: declared steps with a page of their own -------


def test_the_edit_pages_still_show_their_form_to_whom_may_edit(p):
    expert = h.small_pool(p)[0]
    batch = h.make_batch(p)
    case = batch.cases.get()
    clerk, court = client_for(p.users["congress_clerk"]), client_for(p.users["court_clerk"])
    for url in (
        reverse("judicial:expert_edit", args=[expert.pk]),
        reverse("judicial:case_edit", args=[case.pk]),
        reverse("judicial:batch_edit", args=[batch.pk]),
    ):
        page = clerk.get(url)
        assert page.status_code == 200 and 'name="version"' in page.content.decode(), url
        assert court.get(url).status_code == 403, url


def test_an_expert_entry_is_changed_through_the_api(p):
    expert = h.small_pool(p)[0]
    clerk = p.users["congress_clerk"]
    body = {
        "category": expert.profile.category,
        "specialties": "民事、执行",
        "employer": "湖北某大学",
        "law_firm": expert.profile.law_firm,
        "availability": expert.availability,
        "version": expert.version,
    }
    changed = _post(clerk, "judicial_api:expert-edit", body, expert.pk)
    assert changed.status_code == 200, changed.content
    assert changed.json()["specialties"] == ["民事", "执行"]
    assert changed.json()["employer"] == "湖北某大学"
    stale = _post(clerk, "judicial_api:expert-edit", body, expert.pk)
    assert stale.status_code == 409 and _problem_json(stale)
    bad = _post(clerk, "judicial_api:expert-edit", {**body, "category": "x"}, expert.pk)
    assert bad.status_code == 400 and "category" in bad.json()["errors"]
    refused = _post(p.users["stationed"], "judicial_api:expert-edit", body, expert.pk)
    assert refused.status_code == 403


def test_a_suggestion_is_drafted_on_its_batch_and_changed_through_the_api(p):
    batch = h.reviewing_batch(p)
    problem = h.make_problem(batch.cases.get(), p)
    clerk = p.users["congress_clerk"]
    body = {
        "addressee": p.orgs["court"].pk,
        "title": "关于规范执行案款管理的建议",
        "content": "建议建立执行案款专人专管制度。",
        "problems": [problem.pk],
    }
    drafted = _post(clerk, "judicial_api:batch-suggestions", body, batch.pk)
    assert drafted.status_code == 201, drafted.content
    s = batch.suggestions.get()
    assert drafted.json()["id"] == s.pk and drafted.json()["state"] == "draft"
    changed = _post(
        clerk,
        "judicial_api:suggestion-edit",
        {**body, "title": "关于执行案款的建议", "version": s.version},
        s.pk,
    )
    assert changed.status_code == 200 and changed.json()["title"] == "关于执行案款的建议"
    bad = _post(clerk, "judicial_api:batch-suggestions", {**body, "title": ""}, batch.pk)
    assert bad.status_code == 400 and "title" in bad.json()["errors"]
    court = _post(p.users["court_clerk"], "judicial_api:batch-suggestions", body, batch.pk)
    assert court.status_code == 403
    # Before the review opens, no suggestion is drafted (a wrong state).
    early = h.make_batch(p, cases=0, title="准备中的批次")
    refused = _post(clerk, "judicial_api:batch-suggestions", {**body, "problems": []}, early.pk)
    assert refused.status_code == 409 and _problem_json(refused)


def test_a_case_and_a_batch_are_corrected_through_the_api_until_the_draw_is_frozen(p):
    h.small_pool(p)
    batch = h.make_batch(p)
    case = batch.cases.get()
    clerk = p.users["congress_clerk"]
    case_body = {
        "number": case.number,
        "court": case.court_id,
        "kind": case.kind,
        "cause": "买卖合同纠纷",
        "parties": "黄石某某机械有限公司（被告，企业）\n张三（原告）",
        "judges": "王法官",
        "version": case.version,
    }
    corrected = _post(clerk, "judicial_api:case-edit", case_body, case.pk)
    assert corrected.status_code == 200, corrected.content
    assert corrected.json()["cause"] == "买卖合同纠纷"
    batch.refresh_from_db()
    batch_body = {**BatchForm.initial_for(batch), "title": "改名后的批次"}
    renamed = _post(clerk, "judicial_api:batch-edit", batch_body, batch.pk)
    assert renamed.status_code == 200, renamed.content
    assert renamed.json()["title"] == "改名后的批次"
    frozen = _post(
        clerk, "judicial_api:batch-freeze", {"version": renamed.json()["version"]}, batch.pk
    )
    assert frozen.status_code == 201, frozen.content
    batch.refresh_from_db()
    late = _post(
        clerk, "judicial_api:batch-edit", {**batch_body, "version": batch.version}, batch.pk
    )
    assert late.status_code == 409 and _problem_json(late)


# --- Records under no other: POST to the API's list, with the page's form ------------------


def test_an_expert_is_added_and_a_batch_created_through_the_api(p):
    h.small_pool(p)
    clerk = p.users["congress_clerk"]
    added = _post(
        clerk,
        "judicial_api:expert-list",
        {
            "name": "钱教授",
            "category": "professor",
            "employer": "湖北某大学",
            "availability": "available",
        },
    )
    assert added.status_code == 201, added.content
    assert added.json()["name"] == "钱教授"
    missing = _post(clerk, "judicial_api:expert-list", {"category": "professor"})
    assert missing.status_code == 400 and "name" in missing.json()["errors"]
    refused = _post(p.users["stationed"], "judicial_api:expert-list", {"name": "x"})
    assert refused.status_code == 403
    case = h.make_case(p)
    batch = h.make_batch(p, cases=0)
    body = {
        **BatchForm.initial_for(batch),
        "title": "第二批次",
        "cases": [case.pk],
    }
    body.pop("version")
    made = _post(clerk, "judicial_api:batch-list", body)
    assert made.status_code == 201, made.content
    assert made.json()["title"] == "第二批次" and made.json()["n_cases"] == 1
    court = _post(p.users["court_clerk"], "judicial_api:batch-list", body)
    assert court.status_code == 403
