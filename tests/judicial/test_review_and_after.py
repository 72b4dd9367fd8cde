"""After the draw: opening the review, blind scoring, grades and disagreements, problems and
their referral to the CDI as clues, suggestions to the court through the shared
rectification, and petitions with their time limits."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.judicial import helpers as h
from wulian.core import access
from wulian.core.clues.models import Clue
from wulian.core.deadlines.models import Deadline
from wulian.core.errors import AccessDenied, TransitionNotAllowed, ValidationFailed
from wulian.core.models import AuditEvent
from wulian.core.notifications.models import OutboxMessage
from wulian.core.rectification import services as rect_services
from wulian.core.rectification.models import Finding, Rectification
from wulian.judicial import selectors, services
from wulian.judicial.choices import (
    BatchState,
    Grade,
    PetitionState,
    SuggestionState,
    grade_for,
)
from wulian.judicial.models import Case, PanelSeat, Petition, ReviewBatch, Score
from wulian.judicial.services.review import consensus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("judicial_env")]

FULL = {"substance": 38, "procedure": 28, "documents": 14, "enforcement": 14}


def only_event(code: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=code))
    assert len(events) == 1, [e.action for e in events]
    return events[0]


# --- Opening the review -------------------------------------------------------------------


def test_the_review_opens_only_when_everyone_accepted(p):
    d = h.sealed_draw(p)
    batch = ReviewBatch.objects.get(pk=d.batch_id)
    with pytest.raises(TransitionNotAllowed) as exc:
        services.batch_open_review(
            actor=p.users["congress_clerk"], batch_id=batch.pk, version=batch.version
        )
    assert "3 名抽中专家没有接受" in exc.value.message
    assert not PanelSeat.objects.exists()
    h.accept_all(d)
    batch = services.batch_open_review(
        actor=p.users["congress_clerk"], batch_id=batch.pk, version=batch.version
    )
    assert batch.state == BatchState.REVIEWING
    assert PanelSeat.objects.filter(case__batch=batch).count() == 3
    assert only_event("judicial.batch.review_opened").after_data["result_sm3"] == d.current_hash
    assert OutboxMessage.objects.filter(kind="judicial.batch.review_opened").exists()


def test_the_sealed_result_is_for_organiser_and_witness_until_the_review_opens(p):
    d = h.sealed_draw(p)
    for who in ("congress_clerk", "stationed"):
        assert access.can(p.users[who], "judicial.draw.view_sealed", d)
    for who in ("cdi_officer", "cdi_clue", "expert", "court_clerk", "unit_a", "sysadmin"):
        assert not access.can(p.users[who], "judicial.draw.view_sealed", d)
        with pytest.raises(AccessDenied):
            services.draw_open_result(actor=p.users[who], draw_id=d.pk)
    panels = services.draw_open_result(actor=p.users["stationed"], draw_id=d.pk)
    assert {s.name for s in panels[0].members} >= {p.users["expert"].person.name}
    assert only_event("judicial.draw.result_viewed").actor_id == p.users["stationed"].pk
    h.accept_all(d)
    batch = ReviewBatch.objects.get(pk=d.batch_id)
    services.batch_open_review(
        actor=p.users["congress_clerk"], batch_id=batch.pk, version=batch.version
    )
    d.refresh_from_db()
    assert access.can(p.users["cdi_officer"], "judicial.draw.view_sealed", d)


# --- Blind scoring ------------------------------------------------------------------------


def test_a_reviewer_scores_his_case_and_corrects_it(p):
    batch = h.reviewing_batch(p)
    seat = h.expert_seat(p, batch)
    score = services.score_submit(actor=p.users["expert"], seat_id=seat.pk, values=FULL)
    assert score.total == 94
    event = only_event("judicial.score.submitted")
    assert event.target_type == "judicial.panelseat"
    score = services.score_submit(
        actor=p.users["expert"], seat_id=seat.pk, values={**FULL, "substance": 30}, version=1
    )
    assert score.total == 86 and score.version == 2


def test_scores_are_refused_out_of_range_and_for_someone_elses_seat(p):
    batch = h.reviewing_batch(p)
    seat = h.expert_seat(p, batch)
    with pytest.raises(ValidationFailed) as exc:
        services.score_submit(
            actor=p.users["expert"], seat_id=seat.pk, values={**FULL, "substance": 41}
        )
    assert "c_substance" in exc.value.field_errors
    assert not Score.objects.exists()
    other = PanelSeat.objects.filter(case__batch=batch).exclude(pk=seat.pk).first()
    with pytest.raises(AccessDenied):
        services.score_submit(actor=p.users["expert"], seat_id=other.pk, values=FULL)
    with pytest.raises(AccessDenied):
        services.score_submit(actor=p.users["congress_clerk"], seat_id=seat.pk, values=FULL)


def test_reviewers_do_not_see_each_others_scores(p, client_of):
    batch = h.reviewing_batch(p)
    seat = h.expert_seat(p, batch)
    case = seat.case
    for other in PanelSeat.objects.filter(case=case).exclude(pk=seat.pk):
        Score.objects.create(
            seat=other,
            values={"substance": 17, "procedure": 13, "documents": 7, "enforcement": 6},
            total=43,
            submitted_at=timezone.now(),
        )
    view = selectors.case_view(actor=p.users["expert"], case=case)
    assert [r.seat.pk for r in view.score_rows] == [seat.pk]
    assert view.consensus is None and not view.sees_scores
    page = client_of(p.users["expert"]).get(case.get_absolute_url()).content.decode()
    assert "43 / 100" not in page
    page = client_of(p.users["congress_clerk"]).get(case.get_absolute_url()).content.decode()
    assert "43 / 100" in page
    organiser = selectors.case_view(actor=p.users["congress_clerk"], case=case)
    assert len(organiser.score_rows) == 3 and organiser.sees_scores


def test_grading_waits_for_every_score_and_flags_disagreement(p):
    batch = h.reviewing_batch(p)
    case = batch.cases.get()
    seats = list(PanelSeat.objects.filter(case=case))
    with pytest.raises(TransitionNotAllowed) as exc:
        services.case_grade(
            actor=p.users["congress_clerk"],
            case_id=case.pk,
            version=case.version,
            grade=Grade.QUALIFIED,
            summary="x",
        )
    assert "3 名评查专家没有提交评分" in exc.value.message
    for seat, total in zip(seats, (95, 80, 55), strict=True):
        Score.objects.create(seat=seat, values={}, total=total, submitted_at=timezone.now())
    c = services.review.case_consensus(Case.objects.get(pk=case.pk))
    assert c.disagreement and c.spread == 40
    case = services.case_grade(
        actor=p.users["congress_clerk"],
        case_id=case.pk,
        version=case.version,
        grade=Grade.QUALIFIED,
        summary="合议后认定合格。",
    )
    assert case.grade == Grade.QUALIFIED
    event = only_event("judicial.case.graded")
    assert event.after_data["disagreement"] is True
    assert event.after_data["suggested"] == grade_for((95 + 80 + 55) / 300)
    with pytest.raises(TransitionNotAllowed):
        services.score_submit(actor=p.users["expert"], seat_id=seats[0].pk, values=FULL)


def test_only_the_organiser_grades(p):
    batch = h.reviewing_batch(p)
    h.score_all(batch)
    case = batch.cases.get()
    for who in ("stationed", "cdi_officer", "expert", "court_clerk"):
        with pytest.raises(AccessDenied):
            services.case_grade(
                actor=p.users[who], case_id=case.pk, version=1, grade="excellent", summary="x"
            )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=7),
    st.integers(min_value=1, max_value=100),
)
def test_consensus_rules(totals, threshold):
    c = consensus(totals, seats=len(totals), max_points=100, threshold=threshold)
    # The oracle is exact: the mean share is sum / (n × 100) as a fraction.
    assert c.suggested == grade_for(Fraction(sum(totals), len(totals) * 100))
    assert c.spread == max(totals) - min(totals)
    if c.spread > threshold:
        assert c.disagreement
    if len({grade_for(Fraction(t, 100)) for t in totals}) > 1:
        assert c.disagreement
    if len(set(totals)) == 1:
        assert not c.disagreement


@pytest.mark.parametrize(
    ("totals", "max_points", "grade"),
    [
        # A mean exactly on a band's floor belongs to that band.
        ([90, 90, 90], 100, Grade.EXCELLENT),
        ([75, 75, 75], 100, Grade.QUALIFIED),
        ([60, 60, 60], 100, Grade.FLAWED),
        ([8, 53, 100, 100, 100, 100, 64], 100, Grade.QUALIFIED),  # 525 / 700 = 75 % exactly
        ([27, 27, 27], 30, Grade.EXCELLENT),  # 0.9 as 27/30, which floats make 0.8999…
        ([89, 91], 100, Grade.EXCELLENT),  # mean 90 %
        ([74, 75, 75], 100, Grade.FLAWED),  # just below 75 %
        ([599, 600, 600], 1000, Grade.UNQUALIFIED),  # just below 60 %
        ([0, 0], 100, Grade.UNQUALIFIED),
    ],
)
def test_band_floors_are_exact(totals, max_points, grade):
    c = consensus(totals, seats=len(totals), max_points=max_points, threshold=100)
    assert c.suggested == grade


def test_a_float_share_is_read_as_the_decimal_it_prints_as():
    assert grade_for(0.9) == Grade.EXCELLENT
    assert grade_for(0.75) == Grade.QUALIFIED
    assert grade_for(0.6) == Grade.FLAWED
    assert grade_for(0.5999) == Grade.UNQUALIFIED


def test_closing_the_batch_needs_every_grade(p):
    batch = h.reviewing_batch(p)
    with pytest.raises(TransitionNotAllowed):
        services.batch_close(
            actor=p.users["congress_clerk"], batch_id=batch.pk, version=batch.version
        )
    h.graded_case(p, batch)
    batch = services.batch_close(
        actor=p.users["congress_clerk"], batch_id=batch.pk, version=batch.version
    )
    assert batch.state == BatchState.CLOSED


# --- Problems and clues -------------------------------------------------------------------


def clue_data(p) -> dict:
    return {
        "sending_org_id": p.orgs["congress_body"].pk,
        "receiving_org_id": p.orgs["cdi"].pk,
        "subject_name": "赵法官",
        "subject_post": "审判员",
        "violation_type": "integrity",
        "content": "疑似在执行中收受当事人财物",
        "evidence": "当事人陈述",
    }


def test_a_misconduct_problem_becomes_a_confidential_clue_at_the_cdi(p, client_of):
    batch = h.reviewing_batch(p)
    case = batch.cases.get()
    problem = services.problem_record(
        actor=p.users["congress_clerk"],
        case_id=case.pk,
        data={"criterion": "enforcement", "description": "执行款长期未发放", "is_misconduct": True},
    )
    assert only_event("judicial.problem.recorded").after_data["is_misconduct"] is True
    clue = services.problem_refer_to_cdi(
        actor=p.users["congress_clerk"], problem_id=problem.pk, data=clue_data(p)
    )
    assert clue.state == "transferred" and clue.source == problem
    assert clue.subject_organisation_id == p.orgs["court"].pk
    with connection.cursor() as cur:
        cur.execute("SELECT content FROM clues_clue WHERE id = %s", [clue.pk])
        assert "收受" not in cur.fetchone()[0]
    assert access.can(p.users["cdi_clue"], "clues.clue.view", clue)
    for who in ("stationed", "cdi_officer", "court_clerk", "expert"):
        assert not access.can(p.users[who], "clues.clue.view_status", clue)
    page = client_of(p.users["stationed"]).get(case.get_absolute_url()).content.decode()
    assert clue.number not in page


def test_only_a_misconduct_problem_is_referred(p):
    batch = h.reviewing_batch(p)
    problem = h.make_problem(batch.cases.get(), p, misconduct=False)
    with pytest.raises(TransitionNotAllowed):
        services.problem_refer_to_cdi(
            actor=p.users["congress_clerk"], problem_id=problem.pk, data=clue_data(p)
        )
    assert not Clue.objects.exists()


def test_a_problem_needs_a_criterion_of_the_rubric(p):
    batch = h.reviewing_batch(p)
    with pytest.raises(ValidationFailed):
        services.problem_record(
            actor=p.users["congress_clerk"],
            case_id=batch.cases.get().pk,
            data={"criterion": "nonsense", "description": "x"},
        )


# --- Suggestions and rectification --------------------------------------------------------


def _draft(p, batch, problem=None):
    return services.suggestion_draft(
        actor=p.users["congress_clerk"],
        batch_id=batch.pk,
        data={
            "addressee_id": p.orgs["court"].pk,
            "title": "关于执行案款专人专管的建议",
            "content": "建议建立执行案款专人专管制度。",
            "problem_ids": [problem.pk] if problem else [],
        },
    )


def test_a_suggestion_sent_opens_a_rectification_for_the_court(p):
    batch = h.reviewing_batch(p)
    problem = h.make_problem(batch.cases.get(), p)
    s = _draft(p, batch, problem)
    assert only_event("judicial.suggestion.drafted").after_data["problems"] == [problem.pk]
    assert not access.can(p.users["court_clerk"], "judicial.courtsuggestion.view", s)
    s = services.suggestion_send(
        actor=p.users["congress_clerk"], suggestion_id=s.pk, version=s.version
    )
    assert s.state == SuggestionState.SENT
    finding = Finding.objects.get(pk=s.finding_id)
    assert finding.record == s and finding.about_organisation == p.orgs["court"]
    rect = Rectification.objects.get(finding=finding)
    assert rect.responsible_org == p.orgs["court"]
    assert Deadline.objects.filter(object_id=rect.pk, kind="commitment").exists()
    assert only_event("judicial.suggestion.sent").after_data["finding"] == finding.pk
    assert OutboxMessage.objects.filter(
        kind="judicial.suggestion.sent", recipient=p.users["court_clerk"]
    ).exists()
    assert access.can(p.users["court_clerk"], "judicial.courtsuggestion.view", s)
    with pytest.raises(TransitionNotAllowed):
        services.suggestion_send(
            actor=p.users["congress_clerk"], suggestion_id=s.pk, version=s.version
        )


def test_the_court_answers_and_results_wait_for_the_closed_rectification(p):
    batch = h.reviewing_batch(p)
    case = batch.cases.get()
    s = _draft(p, batch)
    s = services.suggestion_send(
        actor=p.users["congress_clerk"], suggestion_id=s.pk, version=s.version
    )
    for who in ("congress_clerk", "unit_a", "stationed"):
        with pytest.raises(AccessDenied):
            services.suggestion_answer(
                actor=p.users[who], suggestion_id=s.pk, version=s.version, adopted=True, answer="x"
            )
    s = services.suggestion_answer(
        actor=p.users["court_clerk"],
        suggestion_id=s.pk,
        version=s.version,
        adopted=True,
        answer="采纳，已制定制度。",
    )
    assert s.state == SuggestionState.ADOPTED
    assert only_event("judicial.suggestion.adopted").after_data["state"] == "adopted"
    with pytest.raises(TransitionNotAllowed) as exc:
        services.suggestion_record_results(
            actor=p.users["congress_clerk"],
            suggestion_id=s.pk,
            version=s.version,
            corrected_case_ids=[case.pk],
            mechanisms=["执行案款专人专管制度"],
        )
    assert "销号" in exc.value.message
    rect = Rectification.objects.get(finding_id=s.finding_id)
    rect = rect_services.rectification_commit(
        actor=p.users["court_clerk"],
        rectification_id=rect.pk,
        version=rect.version,
        commitment="建立制度",
        planned_completion=date(2026, 9, 1),
    )
    rect = rect_services.rectification_submit(
        actor=p.users["court_clerk"], rectification_id=rect.pk, version=rect.version, summary="完成"
    )
    rect_services.rectification_close(
        actor=p.users["congress_clerk"], rectification_id=rect.pk, version=rect.version
    )
    s = services.suggestion_record_results(
        actor=p.users["congress_clerk"],
        suggestion_id=s.pk,
        version=s.version,
        corrected_case_ids=[case.pk],
        mechanisms=["执行案款专人专管制度"],
        corrected_note="已依法纠正",
    )
    assert Case.objects.get(pk=case.pk).corrected_by_id == s.pk
    assert s.mechanisms.count() == 1
    event = only_event("judicial.suggestion.results_recorded")
    assert event.after_data == {
        "corrected_cases": [case.pk],
        "mechanisms": ["执行案款专人专管制度"],
    }
    figures = selectors.figures(actor=p.users["cdi_officer"])
    assert figures.cases_corrected.value == 1 and figures.mechanisms.value == 1
    assert figures.adopted.value == 1 and figures.suggestions.value == 1


def test_a_suggestion_can_only_cite_problems_of_the_addressees_cases(p):
    batch = h.reviewing_batch(p)
    other_batch = h.make_batch(p, cases=0, title="另一批")
    other = h.make_problem(h.make_case(p, "（2023）鄂02民初999号", batch=other_batch), p)
    with pytest.raises(ValidationFailed):
        _draft(p, batch, other)


# --- Petitions ----------------------------------------------------------------------------


def test_a_petition_registered_routed_and_answered(p):
    case = h.make_case(p)
    petition = services.petition_register(
        actor=p.users["congress_clerk"],
        data={
            "received_on": date(2026, 6, 10),
            "petitioner": "刘某",
            "petitioner_phone": "13800000000",
            "summary": "反映执行案件长期未执行到位",
            "case_number": case.number,
            "case_ids": [case.pk],
        },
    )
    assert petition.state == PetitionState.REGISTERED
    assert list(petition.cases.all()) == [case]
    with connection.cursor() as cur:
        cur.execute("SELECT petitioner_phone FROM judicial_petition WHERE id = %s", [petition.pk])
        assert "13800000000" not in cur.fetchone()[0]
    assert "13800000000" not in AuditEvent.objects.get(action="judicial.petition.registered").after
    assert not access.can(p.users["court_clerk"], "judicial.petition.view", petition)
    petition = services.petition_route(
        actor=p.users["congress_clerk"],
        petition_id=petition.pk,
        version=petition.version,
        organisation_id=p.orgs["court"].pk,
        working_days=10,
    )
    deadline = Deadline.objects.get(object_id=petition.pk, kind="petition_answer")
    assert deadline.responsible_org == p.orgs["court"]
    assert access.can(p.users["court_clerk"], "judicial.petition.view", petition)
    assert not access.can(p.users["unit_b"], "judicial.petition.view", petition)
    with pytest.raises(AccessDenied):
        services.petition_answer(
            actor=p.users["unit_b"],
            petition_id=petition.pk,
            version=2,
            outcome="resolved",
            note="x",
        )
    petition = services.petition_answer(
        actor=p.users["court_clerk"],
        petition_id=petition.pk,
        version=petition.version,
        outcome="corrected",
        note="已依法纠正并答复信访人",
    )
    assert petition.state == PetitionState.ANSWERED
    deadline.refresh_from_db()
    assert deadline.state in ("met", "missed")
    assert only_event("judicial.petition.answered").after_data["outcome"] == "corrected"


def test_a_petition_is_not_routed_twice_or_answered_before_routing(p):
    petition = h.make_petition(p)
    with pytest.raises(AccessDenied):
        services.petition_answer(
            actor=p.users["court_clerk"],
            petition_id=petition.pk,
            version=1,
            outcome="resolved",
            note="x",
        )
    with pytest.raises(ValidationFailed):
        services.petition_route(
            actor=p.users["congress_clerk"],
            petition_id=petition.pk,
            version=1,
            organisation_id=p.orgs["unit_a"].pk,
        )
    assert Petition.objects.get(pk=petition.pk).state == PetitionState.REGISTERED
