"""Issue 13, item 2: a reviewer confirmed by telephone has no account — the organiser enters
his paper score sheet on his behalf, the batch's witness co-signs it, and the score is marked
as entered on paper (on the score, on the case page, in the audit trail); a sheet not yet
co-signed does not count towards the grade."""

from __future__ import annotations

import pytest

from tests.judicial import helpers as h
from wulian.core.errors import AccessDenied, TransitionNotAllowed, ValidationFailed
from wulian.core.models import AuditEvent
from wulian.judicial import services
from wulian.judicial.models import PanelSeat, Score

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("judicial_env")]

FULL = {"substance": 38, "procedure": 28, "documents": 14, "enforcement": 14}


def _setup(p):
    batch = h.reviewing_batch(p)
    case = batch.cases.first()
    seats = list(PanelSeat.objects.filter(case=case).order_by("position"))
    return batch, case, seats


def _enter(p, case, seat, values=FULL, note="纸质评分表第 3 号，2026-06-15 电话确认"):
    return services.score_enter_on_paper(
        actor=p.users["congress_clerk"],
        case_id=case.pk,
        seat_id=seat.pk,
        values=values,
        comment="文书说理不充分。",
        paper_note=note,
    )


def test_the_organiser_enters_a_paper_sheet_and_the_witness_cosigns_it(p):
    _batch, case, seats = _setup(p)
    score = _enter(p, case, seats[0])
    assert score.on_paper and score.awaits_cosign and score.total == 94
    assert score.entered_by == p.users["congress_clerk"]
    event = AuditEvent.objects.get(action="judicial.score.entered_on_paper")
    assert event.after_data["on_paper"] is True
    assert event.after_data["paper_note"].startswith("纸质评分表第 3 号")
    score = services.score_paper_cosign(
        actor=p.users["stationed"], case_id=case.pk, seat_id=seats[0].pk
    )
    assert not score.awaits_cosign and score.cosigned_by == p.users["stationed"]
    assert AuditEvent.objects.filter(action="judicial.score.paper_cosigned").count() == 1
    with pytest.raises(TransitionNotAllowed, match="已经会签"):
        services.score_paper_cosign(
            actor=p.users["stationed"], case_id=case.pk, seat_id=seats[0].pk
        )
    with pytest.raises(TransitionNotAllowed, match="已由见证人会签"):
        _enter(p, case, seats[0])


def test_a_sheet_not_yet_cosigned_does_not_count_towards_the_grade(p):
    _batch, case, seats = _setup(p)
    for seat in seats:
        _enter(p, case, seat)
    case.refresh_from_db()
    with pytest.raises(TransitionNotAllowed, match="3 份纸质评分表待见证人会签"):
        services.case_grade(
            actor=p.users["congress_clerk"],
            case_id=case.pk,
            version=case.version,
            grade="excellent",
            summary="优秀。",
        )
    for seat in seats:
        services.score_paper_cosign(actor=p.users["stationed"], case_id=case.pk, seat_id=seat.pk)
    case.refresh_from_db()
    graded = services.case_grade(
        actor=p.users["congress_clerk"],
        case_id=case.pk,
        version=case.version,
        grade="excellent",
        summary="优秀。",
    )
    assert graded.grade == "excellent"


def test_who_may_enter_and_cosign(p):
    _batch, case, seats = _setup(p)
    for who in ("stationed", "expert", "court_clerk", "cdi_officer"):
        with pytest.raises(AccessDenied):
            services.score_enter_on_paper(
                actor=p.users[who],
                case_id=case.pk,
                seat_id=seats[0].pk,
                values=FULL,
                paper_note="x",
            )
    _enter(p, case, seats[0])
    for who in ("congress_clerk", "expert", "court_clerk"):
        with pytest.raises(AccessDenied):
            services.score_paper_cosign(actor=p.users[who], case_id=case.pk, seat_id=seats[0].pk)
    assert not Score.objects.filter(cosigned_at__isnull=False).exists()


def test_bad_input_names_each_field_and_saves_nothing(p):
    _batch, case, seats = _setup(p)
    with pytest.raises(ValidationFailed) as exc:
        _enter(p, case, seats[0], values={**FULL, "substance": 99}, note=" ")
    assert set(exc.value.field_errors) == {"c_substance", "paper_note"}
    other = PanelSeat.objects.exclude(case=case).first()
    if other is not None:
        with pytest.raises(ValidationFailed, match="本案的评查专家"):
            _enter(p, case, other)
    assert not Score.objects.exists()
    with pytest.raises(ValidationFailed, match="没有待会签"):
        services.score_paper_cosign(
            actor=p.users["stationed"], case_id=case.pk, seat_id=seats[0].pk
        )


def test_a_reviewers_own_score_is_never_replaced_by_paper_nor_paper_by_him(p):
    batch, _case, _seats = _setup(p)
    mine = h.expert_seat(p, batch)
    services.score_submit(actor=p.users["expert"], seat_id=mine.pk, values=FULL)
    with pytest.raises(TransitionNotAllowed, match="已在系统中提交评分"):
        _enter(p, mine.case, mine)
    Score.objects.all().delete()
    _enter(p, mine.case, mine)
    with pytest.raises(TransitionNotAllowed, match="纸质评分表代为录入"):
        services.score_submit(actor=p.users["expert"], seat_id=mine.pk, values=FULL)


def test_the_paper_sheet_is_corrected_until_cosigned(p):
    _batch, case, seats = _setup(p)
    _enter(p, case, seats[0])
    score = _enter(p, case, seats[0], values={**FULL, "substance": 30})
    assert score.total == 86 and score.version == 2
    assert AuditEvent.objects.filter(action="judicial.score.entered_on_paper").count() == 2


def test_the_steps_through_the_page_and_the_api(p, client_of):
    _batch, case, seats = _setup(p)
    organiser = client_of(p.users["congress_clerk"])
    page = organiser.get(f"/judicial/cases/{case.pk}/paper-score/")
    assert page.status_code == 200 and "代录纸质评分表" in page.content.decode()
    response = organiser.post(
        f"/judicial/cases/{case.pk}/paper-score/",
        {
            "seat": seats[0].pk,
            **{f"c_{k}": v for k, v in FULL.items()},
            "comment": "",
            "paper_note": "纸质评分表第 1 号",
        },
    )
    assert response.status_code == 302
    detail = client_of(p.users["stationed"]).get(case.get_absolute_url()).content.decode()
    assert "纸质录入，待见证人会签" in detail and "会签纸质评分表" in detail
    api = client_of(p.users["stationed"])
    answer = api.post(
        f"/api/v1/judicial/cases/{case.pk}/paper-cosign/",
        {"seat": seats[0].pk},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert Score.objects.get(seat=seats[0]).cosigned_by == p.users["stationed"]
    detail = organiser.get(case.get_absolute_url()).content.decode()
    assert "纸质录入，已会签" in detail


def test_the_report_marks_the_scores_entered_on_paper(p):
    import io

    from docx import Document

    from wulian.judicial.documents import batch_report

    batch, case, seats = _setup(p)
    _enter(p, case, seats[0])
    text = "\n".join(
        par.text
        for par in Document(
            io.BytesIO(batch_report(actor=p.users["stationed"], batch=batch))
        ).paragraphs
    )
    assert "纸质录入" in text and f"{case.number} 1份" in text
    assert seats[0].expert.profile.person.name not in text  # no reviewer's name
