"""One batch through every service, end to end (the detailed tests are per service)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from tests.judicial import helpers as h
from wulian.core.rectification import services as rect_services
from wulian.core.rectification.models import Rectification
from wulian.judicial import services
from wulian.judicial.choices import BatchState, DrawState, SuggestionState
from wulian.judicial.models import Case, Draw, PanelSeat, Score

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("judicial_env")]


def test_a_batch_from_draw_to_results(p):
    batch = h.reviewing_batch(p)
    assert batch.state == BatchState.REVIEWING
    d = Draw.objects.get(batch=batch)
    assert d.state == DrawState.SEALED
    assert services.draw_verify_record(d).ok, services.draw_verify_record(d).problems
    seat = h.expert_seat(p, batch)
    services.score_submit(
        actor=p.users["expert"],
        seat_id=seat.pk,
        values={"substance": 30, "procedure": 20, "documents": 10, "enforcement": 10},
    )
    for other in PanelSeat.objects.filter(case__batch=batch).exclude(pk=seat.pk):
        Score.objects.create(
            seat=other,
            values={"substance": 30, "procedure": 20, "documents": 10, "enforcement": 10},
            total=70,
            submitted_at=timezone.now(),
        )
    case = batch.cases.get()
    case = services.case_grade(
        actor=p.users["congress_clerk"],
        case_id=case.pk,
        version=case.version,
        grade="flawed",
        summary="文书说理不充分。",
    )
    problem = services.problem_record(
        actor=p.users["congress_clerk"],
        case_id=case.pk,
        data={"criterion": "documents", "description": "判决书说理不充分"},
    )
    # A misconduct finding goes to the CDI as a clue, never into a suggestion to the court.
    misconduct = services.problem_record(
        actor=p.users["congress_clerk"],
        case_id=case.pk,
        data={"criterion": "procedure", "description": "疑似收受当事人财物", "is_misconduct": True},
    )
    clue = services.problem_refer_to_cdi(
        actor=p.users["congress_clerk"],
        problem_id=misconduct.pk,
        data={
            "sending_org_id": p.orgs["congress_body"].pk,
            "receiving_org_id": p.orgs["cdi"].pk,
            "subject_name": "赵法官",
            "violation_type": "integrity",
            "content": "疑似收受当事人财物",
        },
    )
    assert clue.state == "transferred"
    s = services.suggestion_draft(
        actor=p.users["congress_clerk"],
        batch_id=batch.pk,
        data={
            "addressee_id": p.orgs["court"].pk,
            "title": "规范文书说理",
            "content": "建议……",
            "problem_ids": [problem.pk],
        },
    )
    s = services.suggestion_send(
        actor=p.users["congress_clerk"], suggestion_id=s.pk, version=s.version
    )
    s = services.suggestion_answer(
        actor=p.users["court_clerk"],
        suggestion_id=s.pk,
        version=s.version,
        adopted=True,
        answer="采纳，已整改。",
    )
    assert s.state == SuggestionState.ADOPTED
    rect = Rectification.objects.get(finding_id=s.finding_id)
    rect = rect_services.rectification_commit(
        actor=p.users["court_clerk"],
        rectification_id=rect.pk,
        version=rect.version,
        commitment="建立文书说理审核机制",
        planned_completion=date(2026, 9, 1),
    )
    rect = rect_services.rectification_submit(
        actor=p.users["court_clerk"],
        rectification_id=rect.pk,
        version=rect.version,
        summary="已完成",
        files=[],
    )
    rect = rect_services.rectification_close(
        actor=p.users["congress_clerk"],
        rectification_id=rect.pk,
        version=rect.version,
    )
    s = services.suggestion_record_results(
        actor=p.users["congress_clerk"],
        suggestion_id=s.pk,
        version=s.version,
        corrected_case_ids=[case.pk],
        mechanisms=["裁判文书说理审核制度"],
    )
    assert Case.objects.get(pk=case.pk).corrected_by_id == s.pk
