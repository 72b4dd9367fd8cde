"""Suggestions to the courts and procuratorates (意见建议) from the problems a review found.

Drafted by the batch's organiser, sent to the addressee — which opens a finding with one
rectification for the addressee in the shared rectification (its commitment and rectification
deadlines, progress, verification and 销号 by the organiser) — answered by the addressee
(adopted or not), and, once the rectification is verified and closed, its results recorded:
the cases corrected and the mechanisms built, which the figures count.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.errors import TransitionNotAllowed, ValidationFailed, next_state
from wulian.core.models import Organisation
from wulian.core.notifications import outbox
from wulian.core.rectification import services as rectification_services
from wulian.core.rectification.choices import RectificationState, Severity
from wulian.core.rectification.models import Rectification
from wulian.core.selectors import users_holding
from wulian.judicial.choices import (
    SUGGESTION_TRANSITIONS,
    BatchState,
    SuggestionState,
    SuggestionStep,
)
from wulian.judicial.models import Case, CourtSuggestion, Mechanism, Problem, ReviewBatch
from wulian.judicial.policies import JUDICIAL_KINDS
from wulian.judicial.services._common import digest, fail, get, lock, text, whole

MAX_MECHANISMS = 20


def _step(s: CourtSuggestion, step: str) -> str:
    refusal = _("该意见建议当前为“%(state)s”，不能%(step)s。")
    return next_state(SUGGESTION_TRANSITIONS, s, step, SuggestionStep, refusal)


def _clean(batch: ReviewBatch, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    addressee = Organisation.objects.filter(
        pk=data.get("addressee_id"), is_active=True, kind__in=sorted(JUDICIAL_KINDS)
    ).first()
    if addressee is None:
        errors["addressee"] = [_("请选择送达的法院或检察院。")]
    title = str(data.get("title") or "").strip()
    if not title or len(title) > 200:
        errors["title"] = [_("请填写标题（不超过 200 个字）。")]
    content = str(data.get("content") or "").strip()
    if not content:
        errors["content"] = [_("请填写意见建议的内容。")]
    elif len(content) > 10_000:
        errors["content"] = [_("内容不能超过 10000 个字。")]
    wanted = list(dict.fromkeys(int(i) for i in data.get("problem_ids") or ()))
    problems = list(Problem.objects.filter(pk__in=wanted, case__batch=batch).select_related("case"))
    if len(problems) != len(wanted):
        errors["problems"] = [_("所选问题不属于本批次。")]
    elif any(p.is_misconduct for p in problems):
        # A misconduct finding is the CDI's business (a clue); the addressee never sees it.
        errors["problems"] = [
            _("涉及司法人员违纪违法的问题不能写入意见建议，请作为问题线索移送纪委监委。")
        ]
    elif addressee is not None and any(p.case.court_id != addressee.pk for p in problems):
        errors["problems"] = [_("所选问题须是送达单位承办的案件中发现的问题。")]
    if errors:
        raise ValidationFailed(_("意见建议未保存，请按提示更正。"), field_errors=errors)
    return {"addressee": addressee, "title": title, "content": content, "problems": problems}


def _snapshot(s: CourtSuggestion, problem_ids: list[int]) -> dict[str, Any]:
    return {
        "addressee": s.addressee_id,
        "title": s.title,
        "content_sm3": digest(s.content),
        "problems": sorted(problem_ids),
    }


def suggestion_draft(*, actor: Actor, batch_id: int, data: dict[str, Any]) -> CourtSuggestion:
    """`data`: addressee_id (a court or procuratorate), title, content, problem_ids."""
    batch = get(ReviewBatch, batch_id, _("评查批次不存在。"))
    actor = access.require(actor, "judicial.batch.manage", batch)
    if batch.state not in (BatchState.REVIEWING, BatchState.CLOSED):
        raise TransitionNotAllowed(_("评查开始后才能起草意见建议。"))
    values = _clean(batch, data)
    with transaction.atomic():
        s = CourtSuggestion(
            batch=batch,
            addressee=values["addressee"],
            title=values["title"],
            content=values["content"],
            created_by=actor.user,
        )
        s.save(force_insert=True)
        s.problems.set(values["problems"])
        audit.event(
            actor,
            "judicial.suggestion.drafted",
            s,
            batch.organiser_org_id,
            after=_snapshot(s, [p.pk for p in values["problems"]]),
        )
    return s


def _get(suggestion_id: int) -> CourtSuggestion:
    s = CourtSuggestion.objects.select_related("batch").filter(pk=suggestion_id).first()
    if s is None:
        raise ValidationFailed(_("意见建议不存在。"))
    return s


def suggestion_update(
    *, actor: Actor, suggestion_id: int, version: int, data: dict[str, Any]
) -> CourtSuggestion:
    actor = access.require(actor, "judicial.courtsuggestion.manage", _get(suggestion_id))
    with transaction.atomic():
        s = lock(CourtSuggestion, suggestion_id, version, "batch")
        if s.state != SuggestionState.DRAFT:
            raise TransitionNotAllowed(_("意见建议已送达，不能再修改。"))
        values = _clean(s.batch, data)
        before = _snapshot(s, list(s.problems.values_list("pk", flat=True)))
        s.addressee, s.title, s.content = values["addressee"], values["title"], values["content"]
        after = _snapshot(s, [p.pk for p in values["problems"]])
        old, new = audit.diff(before, after)
        if not new:
            return s
        s.problems.set(values["problems"])
        versioned.save(s, "addressee", "title", "content")
        audit.event(
            actor, "judicial.suggestion.updated", s, s.batch.organiser_org_id, before=old, after=new
        )
    return s


def suggestion_send(
    *, actor: Actor, suggestion_id: int, version: int, rectification_months: int = 3
) -> CourtSuggestion:
    """Send the suggestion to its addressee: a finding is raised on it in the shared
    rectification, with one rectification for the addressee (commitment and rectification
    deadlines); the addressee's staff are told."""
    actor = access.require(actor, "judicial.courtsuggestion.manage", _get(suggestion_id))
    months = whole(
        rectification_months, "rectification_months", _("整改期限（月）"), low=1, high=36
    )
    with transaction.atomic():
        s = lock(CourtSuggestion, suggestion_id, version, "batch", "addressee")
        target = _step(s, SuggestionStep.SEND)
        finding = rectification_services.finding_raise(
            actor=actor,
            record=s,
            data={
                "title": s.title[:200],
                "description": s.content,
                "severity": Severity.GENERAL,
                "found_at": timezone.localdate(),
                "about_organisation_id": s.addressee_id,
                "found_by_org_id": s.batch.organiser_org_id,
                "responsible_org_ids": [s.addressee_id],
                "rectification_months": months,
            },
        )
        versioned.save(s, state=target, sent_at=timezone.now(), finding_id=finding.pk)
        outbox.announce(
            actor,
            "judicial.suggestion.sent",
            s,
            s.batch.organiser_org_id,
            before={"state": SuggestionState.DRAFT},
            after={"state": s.state, "addressee": s.addressee_id, "finding": finding.pk},
            recipients=users_holding([s.addressee_id]),
            title=_("收到人大常委会的意见建议：%(t)s") % {"t": s.title},
            dedupe=f"judicial:suggestion:{s.pk}:sent",
        )
    return s


def suggestion_answer(
    *, actor: Actor, suggestion_id: int, version: int, adopted: bool, answer: str
) -> CourtSuggestion:
    """The addressee answers: adopted (采纳) or not, with its reasons."""
    actor = access.require(actor, "judicial.courtsuggestion.respond", _get(suggestion_id))
    answer = text(answer, "answer", _("答复意见"))
    with transaction.atomic():
        s = lock(CourtSuggestion, suggestion_id, version, "batch")
        target = _step(s, SuggestionStep.ADOPT if adopted else SuggestionStep.REJECT)
        versioned.save(s, state=target, answer=answer, answered_at=timezone.now())
        outbox.announce(
            actor,
            "judicial.suggestion.adopted" if adopted else "judicial.suggestion.not_adopted",
            s,
            s.addressee_id,
            before={"state": SuggestionState.SENT},
            after={"state": s.state, "answer_sm3": digest(answer)},
            recipients=users_holding([s.batch.organiser_org_id]),
            title=(_("意见建议已被采纳：%(t)s") if adopted else _("意见建议未被采纳：%(t)s"))
            % {"t": s.title},
            dedupe=f"judicial:suggestion:{s.pk}:answered",
        )
    return s


def suggestion_record_results(
    *,
    actor: Actor,
    suggestion_id: int,
    version: int,
    corrected_case_ids: list[int],
    mechanisms: list[str],
    corrected_note: str = "",
) -> CourtSuggestion:
    """Once the addressee's rectification has been verified and closed (销号), the organiser
    records what it brought: cases corrected (of the addressee, in the batch) and mechanisms
    built. Recorded once per suggestion (a second call adds to it)."""
    actor = access.require(actor, "judicial.courtsuggestion.manage", _get(suggestion_id))
    corrected_note = text(
        corrected_note, "corrected_note", _("纠正情况"), required=False, limit=500
    )
    names = list(dict.fromkeys(str(m).strip() for m in mechanisms or () if str(m).strip()))
    if len(names) > MAX_MECHANISMS or any(len(n) > 200 for n in names):
        raise fail(
            _("制度机制最多 %(n)d 项，每项不超过 200 个字。") % {"n": MAX_MECHANISMS}, "mechanisms"
        )
    wanted = list(dict.fromkeys(int(i) for i in corrected_case_ids or ()))
    if not wanted and not names:
        raise fail(_("请至少选择一件纠正的案件或填写一项建立的制度机制。"))
    with transaction.atomic():
        s = lock(CourtSuggestion, suggestion_id, version, "batch")
        _step(s, SuggestionStep.RECORD_RESULTS)
        closed = Rectification.objects.filter(
            finding_id=s.finding_id, responsible_org_id=s.addressee_id
        ).values_list("state", flat=True)
        if not closed or any(state != RectificationState.CLOSED for state in closed):
            raise TransitionNotAllowed(_("该意见建议的整改尚未核验销号，销号后才能登记整改成效。"))
        cases = list(Case.objects.select_for_update().filter(pk__in=wanted))
        if len(cases) != len(wanted) or any(
            c.batch_id != s.batch_id or c.court_id != s.addressee_id for c in cases
        ):
            raise fail(_("纠正的案件须是本批次中送达单位承办的案件。"), "corrected_cases")
        already = [c.number for c in cases if c.corrected_by_id not in (None, s.pk)]
        if already:
            raise fail(
                _("案件 %(n)s 已登记为依据其他意见建议纠正。") % {"n": "、".join(already)},
                "corrected_cases",
            )
        for case in cases:
            case.corrected_by = s
            case.corrected_note = corrected_note
            case.save(update_fields=["corrected_by", "corrected_note", "updated_at"])
        created = []
        for name in names:
            try:
                with transaction.atomic():
                    created.append(
                        Mechanism.objects.create(
                            suggestion=s,
                            name=name,
                            established_on=timezone.localdate(),
                            recorded_by=actor.user,
                        )
                    )
            except IntegrityError:
                raise fail(_("制度机制“%(n)s”已登记。") % {"n": name}, "mechanisms") from None
        versioned.save(s)
        audit.event(
            actor,
            "judicial.suggestion.results_recorded",
            s,
            s.batch.organiser_org_id,
            after={
                "corrected_cases": sorted(c.pk for c in cases),
                "mechanisms": [m.name for m in created],
            },
        )
    return s
