"""The review itself: each reviewer scores each of his cases on the batch's rubric, blind; the
organiser consolidates a grade (优秀 / 合格 / 瑕疵 / 不合格) once every reviewer has scored, and
records the problems found. A problem pointing at misconduct by judicial staff becomes a clue
transferred to the CDI (the clue service; confidential)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.clues import services as clue_services
from wulian.core.clues.models import Clue
from wulian.core.errors import TransitionNotAllowed, ValidationFailed
from wulian.judicial.choices import BatchState, Grade, grade_for
from wulian.judicial.models import Case, PanelSeat, Problem, Score
from wulian.judicial.services._common import digest, fail, get, lock, stale, text


@dataclass(frozen=True)
class Consensus:
    """What the scores of one case say: how many are in, the mean share of the rubric's
    points, the grade that share falls in, and whether the reviewers disagree (their totals
    differ by more than the batch's threshold, or they fall in different grades)."""

    scored: int
    seats: int
    mean_share: float | None
    suggested: str
    disagreement: bool
    spread: int


def consensus(totals: list[int], *, seats: int, max_points: int, threshold: int) -> Consensus:
    if not totals or max_points <= 0:
        return Consensus(len(totals), seats, None, "", False, 0)
    # Exact: the mean share is sum(totals) / (n × max_points), compared with the band floors
    # as fractions (float shares graded a mean on a floor one band lower).
    shares = [Fraction(t, max_points) for t in totals]
    mean = Fraction(sum(totals), len(totals) * max_points)
    spread = max(totals) - min(totals)
    grades = {grade_for(s) for s in shares}
    return Consensus(
        scored=len(totals),
        seats=seats,
        mean_share=round(float(mean), 4),
        suggested=grade_for(mean),
        disagreement=spread > threshold or len(grades) > 1,
        spread=spread,
    )


def case_consensus(case: Case) -> Consensus:
    totals = list(Score.objects.filter(seat__case=case).values_list("total", flat=True))
    return consensus(
        totals,
        seats=case.seats.count(),
        max_points=case.batch.max_points,
        threshold=case.batch.disagreement_points,
    )


def _seat(seat_id: int) -> PanelSeat:
    seat = (
        PanelSeat.objects.select_related("expert__profile", "case__batch")
        .filter(pk=seat_id)
        .first()
    )
    if seat is None:
        raise ValidationFailed(_("评查席位不存在。"))
    return seat


def _clean_sheet(
    case: Case, values: dict[str, Any], comment: str, extra: dict[str, list[str]] | None = None
) -> tuple[dict[str, int], str]:
    """A score sheet's points (one whole number per rubric criterion, 0 to its maximum) and
    its opinion — or ValidationFailed naming each field to correct."""
    errors: dict[str, list[str]] = dict(extra or {})
    clean: dict[str, int] = {}
    for criterion in case.batch.rubric:
        code, top = criterion["code"], int(criterion["max"])
        raw = (values or {}).get(code)
        try:
            points = int(raw)
        except (TypeError, ValueError):
            points = -1
        if not 0 <= points <= top:
            errors[f"c_{code}"] = [
                _("“%(n)s”请填写 0 到 %(m)d 之间的整数分。") % {"n": criterion["name"], "m": top}
            ]
        clean[code] = points
    comment = str(comment or "").strip()
    if len(comment) > 5000:
        errors["comment"] = [_("评查意见不能超过 5000 个字。")]
    if errors:
        raise ValidationFailed(_("评分未提交，请按提示更正。"), field_errors=errors)
    return clean, comment


def score_submit(
    *,
    actor: Actor,
    seat_id: int,
    values: dict[str, Any],
    comment: str = "",
    version: int | None = None,
) -> Score:
    """A reviewer's scores for his case (one number per rubric criterion, 0 to its maximum).
    He may correct them (stating the version he read) until the case is graded."""
    actor = access.require(actor, "judicial.review.score", _seat(seat_id))
    with transaction.atomic():
        seat = PanelSeat.objects.select_related("case__batch").get(pk=seat_id)
        case = lock(Case, seat.case_id, None, "batch")
        if case.batch.state != BatchState.REVIEWING:
            raise TransitionNotAllowed(_("评查尚未开始或已经结束，不能评分。"))
        if case.grade:
            raise TransitionNotAllowed(_("该案件已评定等次，评分不能再修改。"))
        clean, comment = _clean_sheet(case, values, comment)
        total = sum(clean.values())
        existing = Score.objects.select_for_update().filter(seat=seat).first()
        if existing is None:
            score = Score(
                seat=seat, values=clean, total=total, comment=comment, submitted_at=timezone.now()
            )
            score.save(force_insert=True)
            before = None
        else:
            if existing.on_paper:
                raise TransitionNotAllowed(
                    _("您的评分已由组织单位按纸质评分表代为录入。如需更正，请联系组织单位。")
                )
            if version is not None and existing.version != version:
                raise stale()
            before = {"values": existing.values, "total": existing.total}
            existing.values, existing.total, existing.comment = clean, total, comment
            versioned.save(existing, "values", "total", "comment", submitted_at=timezone.now())
            score = existing
        # On the seat, not the case: the case's timeline, which every reviewer of the case
        # reads, must not show the others' scores.
        audit.event(
            actor,
            "judicial.score.submitted",
            seat,
            case.batch.organiser_org_id,
            before=before,
            after={
                "seat": seat.pk,
                "values": clean,
                "total": total,
                "comment_sm3": digest(comment),
            },
        )
    return score


def _case_seat(case: Case, seat_id: int | None) -> PanelSeat:
    seat = (
        PanelSeat.objects.select_related("expert__profile__person")
        .filter(pk=seat_id, case=case)
        .first()
    )
    if seat is None:
        raise fail(_("请选择本案的评查专家。"), "seat")
    return seat


def score_enter_on_paper(
    *,
    actor: Actor,
    case_id: int,
    seat_id: int,
    values: dict[str, Any],
    comment: str = "",
    paper_note: str,
) -> Score:
    """The organiser enters a reviewer's paper score sheet (纸质评分表) on his behalf — a
    reviewer confirmed by telephone who has no account. The score is marked as entered on
    paper and counts towards the grade once the batch's witness has co-signed it
    (`score_paper_cosign`). A sheet not yet co-signed may be entered again (corrected); a
    score the reviewer submitted himself is never overwritten."""
    case = get(Case, case_id, _("案件不存在。"))
    actor = access.require(actor, "judicial.review.paper_score", case)
    note = str(paper_note or "").strip()
    extra: dict[str, list[str]] = {}
    if not note:
        extra["paper_note"] = [
            _("请写明纸质评分表的情况，例如评分表编号、专家签字日期、电话确认的时间。")
        ]
    elif len(note) > 500:
        extra["paper_note"] = [_("纸质评分表说明不能超过 500 个字。")]
    with transaction.atomic():
        case = lock(Case, case_id, None, "batch")
        if case.batch is None or case.batch.state != BatchState.REVIEWING:
            raise TransitionNotAllowed(_("评查尚未开始或已经结束，不能录入纸质评分表。"))
        if case.grade:
            raise TransitionNotAllowed(_("该案件已评定等次，评分不能再修改。"))
        seat = _case_seat(case, seat_id)
        clean, comment = _clean_sheet(case, values, comment, extra)
        total = sum(clean.values())
        existing = Score.objects.select_for_update().filter(seat=seat).first()
        now = timezone.now()
        if existing is None:
            score = Score(
                seat=seat,
                values=clean,
                total=total,
                comment=comment,
                submitted_at=now,
                on_paper=True,
                paper_note=note,
                entered_by=actor.user,
            )
            score.save(force_insert=True)
            before = None
        else:
            if not existing.on_paper:
                raise TransitionNotAllowed(
                    _("该评查专家已在系统中提交评分，不能以纸质评分表代替。")
                )
            if existing.cosigned_at is not None:
                raise TransitionNotAllowed(_("这份纸质评分表已由见证人会签，不能再修改。"))
            before = {"values": existing.values, "total": existing.total}
            existing.values, existing.total, existing.comment = clean, total, comment
            existing.paper_note, existing.entered_by, existing.submitted_at = note, actor.user, now
            versioned.save(
                existing, "values", "total", "comment", "paper_note", "entered_by", "submitted_at"
            )
            score = existing
        audit.event(
            actor,
            "judicial.score.entered_on_paper",
            seat,
            case.batch.organiser_org_id,
            before=before,
            after={
                "seat": seat.pk,
                "on_paper": True,
                "values": clean,
                "total": total,
                "paper_note": note,
                "comment_sm3": digest(comment),
            },
        )
    return score


def score_paper_cosign(*, actor: Actor, case_id: int, seat_id: int) -> Score:
    """The batch's witness co-signs a paper score sheet the organiser entered (见证人会签),
    having compared it with the signed sheet; from then on it counts towards the grade and
    can no longer be changed. The one who entered it cannot co-sign it."""
    case = get(Case, case_id, _("案件不存在。"))
    actor = access.require(actor, "judicial.review.paper_cosign", case)
    with transaction.atomic():
        case = lock(Case, case_id, None, "batch")
        if case.batch is None or case.batch.state != BatchState.REVIEWING:
            raise TransitionNotAllowed(_("评查尚未开始或已经结束，不能会签。"))
        seat = _case_seat(case, seat_id)
        score = Score.objects.select_for_update().filter(seat=seat).first()
        if score is None or not score.on_paper:
            raise fail(_("该评查专家没有待会签的纸质评分表。"), "seat")
        if score.cosigned_at is not None:
            raise TransitionNotAllowed(_("这份纸质评分表已经会签。"))
        if score.entered_by_id == actor.user.pk:
            raise TransitionNotAllowed(
                _("录入纸质评分表的人不能自己会签，请由见证单位的其他人员会签。")
            )
        versioned.save(score, cosigned_by=actor.user, cosigned_at=timezone.now())
        audit.event(
            actor,
            "judicial.score.paper_cosigned",
            seat,
            case.batch.witness_org_id,
            after={"seat": seat.pk, "total": score.total, "entered_by": score.entered_by_id},
        )
    return score


def case_grade(*, actor: Actor, case_id: int, version: int, grade: str, summary: str) -> Case:
    """The organiser's consolidated grade and review opinion, once every reviewer has scored.
    The grade may differ from the one the scores suggest (the opinion says why)."""
    case = get(Case, case_id, _("案件不存在。"))
    actor = access.require(actor, "judicial.review.consolidate", case)
    if grade not in Grade.values:
        raise fail(_("请选择评查等次（优秀、合格、瑕疵或不合格）。"), "grade")
    summary = text(summary, "summary", _("评查意见"))
    with transaction.atomic():
        case = lock(Case, case_id, version, "batch")
        if case.batch.state != BatchState.REVIEWING:
            raise TransitionNotAllowed(_("评查尚未开始或已经结束，不能定等。"))
        c = case_consensus(case)
        if c.scored < c.seats or not c.seats:
            raise TransitionNotAllowed(
                _("还有 %(n)d 名评查专家没有提交评分，全部提交后才能定等。")
                % {"n": c.seats - c.scored}
            )
        pending = Score.objects.filter(
            seat__case=case, on_paper=True, cosigned_at__isnull=True
        ).count()
        if pending:
            raise TransitionNotAllowed(
                _(
                    "还有 %(n)d 份纸质评分表待见证人会签，会签后才能定等。"
                    "请联系本批次的见证单位在案件页面会签。"
                )
                % {"n": pending}
            )
        before = {"grade": case.grade}
        versioned.save(
            case,
            grade=grade,
            review_summary=summary,
            mean_share=c.mean_share,
            graded_at=timezone.now(),
            graded_by=actor.user,
        )
        audit.event(
            actor,
            "judicial.case.graded",
            case,
            case.batch.organiser_org_id,
            before=before,
            after={
                "grade": grade,
                "suggested": c.suggested,
                "mean_share": c.mean_share,
                "disagreement": c.disagreement,
                "summary_sm3": digest(summary),
            },
        )
    return case


def problem_record(*, actor: Actor, case_id: int, data: dict[str, Any]) -> Problem:
    """Record a problem the review found. `data`: criterion (a rubric code, optional),
    description, is_misconduct (it points at misconduct by judicial staff)."""
    case = get(Case, case_id, _("案件不存在。"))
    actor = access.require(actor, "judicial.review.consolidate", case)
    description = text(data.get("description"), "description", _("问题描述"))
    criterion = str(data.get("criterion") or "").strip()
    with transaction.atomic():
        case = lock(Case, case_id, None, "batch")
        if case.batch.state not in (BatchState.REVIEWING, BatchState.CLOSED):
            raise TransitionNotAllowed(_("评查开始后才能记录发现的问题。"))
        codes = {c["code"] for c in case.batch.rubric}
        if criterion and criterion not in codes:
            raise fail(_("请选择本批次评分细则中的项目。"), "criterion")
        problem = Problem(
            case=case,
            criterion=criterion,
            description=description,
            is_misconduct=bool(data.get("is_misconduct")),
            created_by=actor.user,
        )
        problem.save(force_insert=True)
        audit.event(
            actor,
            "judicial.problem.recorded",
            case,
            case.batch.organiser_org_id,
            after={
                "problem": problem.pk,
                "criterion": criterion,
                "is_misconduct": problem.is_misconduct,
                "description_sm3": digest(description),
            },
        )
    return problem


def problem_refer_to_cdi(*, actor: Actor, problem_id: int, data: dict[str, Any]) -> Clue:
    """A problem that points at misconduct by judicial staff becomes a clue (问题线索) and is
    transferred to the CDI, through the clue service: drafted with the problem as its source,
    then transferred — both or neither. `data`: the clue's fields (subject_name, subject_post,
    violation_type, content, evidence, receiving_org_id, sending_org_id). The problem is not
    changed: who may follow the clue is the clue's business (its existence is not shown to
    others)."""
    problem = Problem.objects.select_related("case__batch").filter(pk=problem_id).first()
    if problem is None:
        raise ValidationFailed(_("问题不存在。"))
    access.require(actor, "judicial.problem.view", problem)
    if not problem.is_misconduct:
        raise TransitionNotAllowed(
            _("只有涉及司法人员违纪违法的问题才能作为问题线索移送纪委监委。")
        )
    fields = dict(data)
    if problem.case.court_id and not fields.get("subject_organisation_id"):
        fields["subject_organisation_id"] = problem.case.court_id
    with transaction.atomic():
        clue = clue_services.clue_draft(actor=actor, data=fields, source=problem)
        clue = clue_services.clue_transfer(actor=actor, clue_id=clue.pk, version=clue.version)
    return clue
