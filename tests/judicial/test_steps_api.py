"""The judicial steps that had a page and no API (issue 12): the review (grade, problems,
ratings), petitions (route, cases), suggestions (send, results) and experts' conflicts — now
declared once (judicial/steps.py), so the API takes them with the page's form as its body,
the same service and the same refusals; and an answer that differed (adopted: the page's
"1"/"0", the API's JSON boolean) is read alike."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.judicial import helpers as h
from tests.personas import client_for
from wulian.core.models import AuditEvent
from wulian.judicial.choices import PetitionState, SuggestionState
from wulian.judicial.models import ExpertConflict, Petition

pytestmark = pytest.mark.django_db


def _post(user, name: str, pk: int, body: dict):
    return client_for(user).post(
        reverse(name, args=[pk]),
        json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )


def test_the_organiser_grades_a_case_and_records_a_misconduct_problem_through_the_api(p):
    batch = h.reviewing_batch(p)
    h.score_all(batch)
    case = batch.cases.get()
    clerk = p.users["congress_clerk"]
    graded = _post(
        clerk,
        "judicial_api:case-grade",
        case.pk,
        {"grade": "flawed", "summary": "文书说理不充分。", "version": case.version},
    )
    assert graded.status_code == 200, graded.content
    assert graded.json()["grade"] == "flawed"
    problem = _post(
        clerk,
        "judicial_api:case-problems",
        case.pk,
        {"description": "违规会见当事人。", "is_misconduct": True},
    )
    assert problem.status_code == 200, problem.content
    assert [x["is_misconduct"] for x in problem.json()["problems"]] == [True]
    # The court of the case never learns of the misconduct finding (test_misconduct.py).
    court = client_for(p.users["court_clerk"]).get(
        reverse("judicial_api:case-detail", args=[case.pk]), HTTP_ACCEPT="application/json"
    )
    assert court.json()["problems"] == []


def test_the_court_cannot_grade_through_the_api(p):
    case = h.reviewing_batch(p).cases.get()
    refused = _post(
        p.users["court_clerk"],
        "judicial_api:case-grade",
        case.pk,
        {"grade": "flawed", "summary": "x", "version": case.version},
    )
    assert refused.status_code in (403, 404)
    assert refused["Content-Type"].startswith("application/problem+json")


def test_a_petition_is_routed_and_linked_through_the_api(p):
    petition = h.make_petition(p)
    case = h.make_case(p)
    clerk = p.users["congress_clerk"]
    bad = _post(clerk, "judicial_api:petition-route", petition.pk, {"version": petition.version})
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"organisation", "working_days"}
    routed = _post(
        clerk,
        "judicial_api:petition-route",
        petition.pk,
        {"organisation": p.orgs["court"].pk, "working_days": 10, "version": petition.version},
    )
    assert routed.status_code == 200, routed.content
    assert routed.json()["state"] == PetitionState.ROUTED
    assert AuditEvent.objects.filter(action="judicial.petition.routed").count() == 1
    linked = _post(
        clerk,
        "judicial_api:petition-cases",
        petition.pk,
        {"cases": [case.pk], "version": routed.json()["version"]},
    )
    assert linked.status_code == 200, linked.content
    assert linked.json()["cases"] == [case.pk]
    assert list(Petition.objects.get(pk=petition.pk).cases.all()) == [case]


def test_the_court_answers_not_adopted_with_a_json_boolean(p):
    s = h.make_suggestion(p, h.reviewing_batch(p), state=SuggestionState.SENT)
    answered = _post(
        p.users["court_clerk"],
        "judicial_api:suggestion-answer",
        s.pk,
        {"adopted": False, "answer": "该案已执行完毕，无需整改。", "version": s.version},
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["state"] == SuggestionState.NOT_ADOPTED
    missing = _post(
        p.users["court_clerk"],
        "judicial_api:suggestion-answer",
        s.pk,
        {"answer": "x", "version": s.version},
    )
    assert missing.status_code == 400 and "adopted" in missing.json()["errors"]


def test_a_conflict_is_declared_and_withdrawn_through_the_api(p):
    expert = h.small_pool(p)[0]
    clerk = p.users["congress_clerk"]
    declared = _post(
        clerk,
        "judicial_api:expert-conflicts",
        expert.pk,
        {"kind": "relative", "counterpart": "张三", "note": "近亲属"},
    )
    assert declared.status_code == 200, declared.content
    conflict = ExpertConflict.objects.get(expert=expert)
    assert conflict.counterpart == "张三" and conflict.is_active
    withdrawn = _post(clerk, "judicial_api:conflict-withdraw", conflict.pk, {})
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["is_active"] is False
    # Withdrawing twice: the service's refusal, problem+json.
    again = _post(clerk, "judicial_api:conflict-withdraw", conflict.pk, {})
    assert again.status_code >= 400 and again["Content-Type"].startswith("application/problem+json")


def test_the_organiser_rates_an_expert_through_the_api(p):
    batch = h.reviewing_batch(p)
    expert = h.expert_seat(p, batch).expert
    rated = _post(
        p.users["congress_clerk"],
        "judicial_api:batch-rate",
        batch.pk,
        {"expert": expert.pk, "score": 4, "note": "认真负责"},
    )
    assert rated.status_code == 200, rated.content
    assert batch.ratings.get(expert=expert).score == 4


def test_the_schema_reads_adopted_as_a_boolean_and_names_the_abort_paths(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    answer = schema["paths"]["/api/v1/judicial/suggestions/{id}/answer/"]["post"]
    body = answer["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["adopted"]["type"] == "boolean"
    assert "adopted" in body["required"]
    assert "/api/v1/judicial/draws/{id}/abort/confirm/" in schema["paths"]
    assert "/api/v1/judicial/petitions/{id}/route/" in schema["paths"]
