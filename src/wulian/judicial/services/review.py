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

from wulian.core import access, audit
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
        errors: dict[str, list[str]] = {}
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
                    _("“%(n)s”请填写 0 到 %(m)d 之间的整数分。")
                    % {"n": criterion["name"], "m": top}
                ]
            clean[code] = points
        comment = str(comment or "").strip()
        if len(comment) > 5000:
            errors["comment"] = [_("评查意见不能超过 5000 个字。")]
        if errors:
            raise ValidationFailed(_("评分未提交，请按提示更正。"), field_errors=errors)
        total = sum(clean.values())
        existing = Score.objects.select_for_update().filter(seat=seat).first()
        if existing is None:
            score = Score(
                seat=seat, values=clean, total=total, comment=comment, submitted_at=timezone.now()
            )
            score.save(force_insert=True)
            before = None
        else:
            if version is not None and existing.version != version:
                raise stale()
            before = {"values": existing.values, "total": existing.total}
            existing.values, existing.total, existing.comment = clean, total, comment
            existing.submitted_at = timezone.now()
            existing.version += 1
            existing.save(
                update_fields=[
                    "values",
                    "total",
                    "comment",
                    "submitted_at",
                    "version",
                    "updated_at",
                ]
            )
            score = existing
        # On the seat, not the case: the case's timeline, which every reviewer of the case
        # reads, must not show the others' scores.
        audit.record(
            action="judicial.score.submitted",
            actor=actor,
            target=seat,
            organisation_id=case.batch.organiser_org_id,
            before=before,
            after={
                "seat": seat.pk,
                "values": clean,
                "total": total,
                "comment_sm3": digest(comment),
            },
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
        before = {"grade": case.grade}
        case.grade = grade
        case.review_summary = summary
        case.mean_share = c.mean_share
        case.graded_at = timezone.now()
        case.graded_by = actor.user
        case.version += 1
        case.save(
            update_fields=[
                "grade",
                "review_summary",
                "mean_share",
                "graded_at",
                "graded_by",
                "version",
                "updated_at",
            ]
        )
        audit.record(
            action="judicial.case.graded",
            actor=actor,
            target=case,
            organisation_id=case.batch.organiser_org_id,
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
        audit.record(
            action="judicial.problem.recorded",
            actor=actor,
            target=case,
            organisation_id=case.batch.organiser_org_id,
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
