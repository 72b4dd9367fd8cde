"""Alongside: the 行风政风评议 grade, the dimension scores, clues for the CDI's campaigns."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wulian.core import audit
from wulian.core.access import Actor
from wulian.core.clues import services as clue_services
from wulian.evaluation.choices import (
    Stage,
)
from wulian.evaluation.models import Evaluation, EvaluationClue
from wulian.evaluation.services.common import (
    _bump,
    _change,
    _fail,
    _in_stage,
    _load,
    _locked,
    _record,
)

# --- Alongside: the conduct grade, the dimension scores, clues ----------------------------


def conduct_record(
    *, actor: Actor, evaluation_id: int, version: int, grade: str, source: str = ""
) -> Evaluation:
    """行风政风评议: the government's / the CDI's grade for the same department and year."""
    from wulian.evaluation.choices import CONDUCT_GRADES

    actor, evaluation = _load(actor, evaluation_id, "evaluation.evaluation.conduct")
    if grade not in CONDUCT_GRADES:
        raise _fail(_("请选择行风政风评议等次（优秀、良好、一般、较差）。"), "grade")
    with transaction.atomic():
        evaluation = _locked(evaluation_id, version)
        conduct_apply(actor, evaluation, grade, source)
    return evaluation


def conduct_apply(
    actor: Actor, evaluation: Evaluation, grade: str, source: str, **noted: Any
) -> None:
    """Set the conduct grade of a locked, checked evaluation (entered on its page or imported:
    `noted` says from which file and row) with its audit event."""
    before = {"conduct_grade": evaluation.conduct_grade}
    evaluation.conduct_grade = grade
    evaluation.conduct_source = (source or "").strip()[:200]
    _bump(evaluation, "conduct_grade", "conduct_source")
    _record(
        actor,
        evaluation,
        "evaluation.conduct.recorded",
        before=before,
        after={"conduct_grade": grade, **noted},
    )


def scores_record(
    *, actor: Actor, evaluation_id: int, version: int, scores: dict[str, int]
) -> Evaluation:
    """The team's score sheet: a whole number from 0 to 100 for each evaluated dimension (all
    of them, none other), while the department is evaluated (评议中, 测评)."""
    actor, _e = _load(actor, evaluation_id)
    with transaction.atomic():
        evaluation = _locked(evaluation_id, version)
        _in_stage(evaluation, Stage.DURING, Stage.VOTING, doing=_("登记各项评议得分"))
        unknown = [k for k in scores if k not in evaluation.dimensions]
        if unknown:
            raise _fail(
                _("“%(d)s”不是本评议的评议内容，请刷新页面后按现有评议内容评分。")
                % {"d": "、".join(unknown)}
            )
        missing = [d for d in evaluation.dimensions if scores.get(d) is None]
        if missing:
            raise _fail(_("请为“%(d)s”填写得分。") % {"d": "、".join(missing)})
        wrong = [k for k, v in scores.items() if isinstance(v, bool) or not isinstance(v, int)] or [
            k for k, v in scores.items() if not 0 <= v <= 100
        ]
        if wrong:
            raise _fail(_("“%(d)s”的得分须为 0 至 100 的整数。") % {"d": "、".join(wrong)})
        given = {d: int(scores[d]) for d in evaluation.dimensions}
        _change(actor, evaluation, "evaluation.scores.recorded", "scores", dimension_scores=given)
    return evaluation


def clue_refer(
    *,
    actor: Actor,
    evaluation_id: int,
    campaign: str,
    subject_name: str,
    subject_post: str,
    violation_type: str,
    content: str,
) -> EvaluationClue:
    """A problem implicating an official: a confidential clue (wulian.core.clues) drafted by
    the working body for the CDI, tagged with the campaign it feeds."""
    actor, evaluation = _load(actor, evaluation_id)
    campaign = (campaign or "").strip()
    if not campaign or len(campaign) > 100:
        raise _fail(_("请填写该线索对应的专项整治（如“整治医疗领域不正之风”）。"), "campaign")
    with transaction.atomic():
        evaluation = _locked(evaluation_id)
        clue = clue_services.clue_draft(
            actor=actor,
            data={
                "subject_name": subject_name,
                "subject_post": subject_post,
                "violation_type": violation_type,
                "content": content,
                "subject_organisation_id": evaluation.department_id,
                "receiving_org_id": evaluation.cdi_id,
                "sending_org_id": evaluation.working_body_id,
            },
            source=evaluation,
        )
        link = EvaluationClue.objects.create(evaluation=evaluation, clue=clue, campaign=campaign)
        audit.event(
            actor,
            "evaluation.clue.referred",
            evaluation,
            evaluation.working_body_id,
            after={"campaign": campaign},
        )
    return link


def grade_label(grade: str) -> str:
    from wulian.core.polls import tally

    return {
        tally.SATISFIED: _("满意"),
        tally.BASIC: _("基本满意"),
        tally.UNSATISFIED: _("不满意"),
    }.get(grade, "—")
