"""The steps of the judicial link (联动), declared once: each record page's forms and
`POST /api/v1/judicial/<records>/{id}/<step>/` are made from them (wulian.core.steps, ADR 0017)
— the pool (edit, suspend, reinstate, conflicts and their withdrawal), the cases (edit, grade,
problems; a misconduct problem referred to the CDI as a clue), the batch (edit, freeze its
draw list, open, close, rate, draft a suggestion), the draw (commit, the witnesses' inputs,
run, and the two-signature abort: the organiser asks, the batch's witness confirms or
refuses), the reviewer's seat (score), the expert's answer to an invitation, suggestions to the
courts (edit, send, answer, results) and petitions (route, outcome, linked cases).

Three make a new record and answer it, not the one they act on: freezing makes the draw and
drafting makes the suggestion (the page leads to it; the API answers it, 201); referring makes
a clue (the API answers it as its sender follows it: the status, never the content; 201).
Scoring, referring, drafting and the edits have a page of their own (the score sheet, the
clue's form, the edit forms), shown by GET on the step's URL under the same check.

The records themselves are read through the judicial API's viewsets (judicial/api.py), whose
serializers answer each step here too — with the same rules: a draw's seed only for the
organiser and the witness until the review opens, a misconduct finding only for the CDI side
and the organiser (tests/judicial/test_misconduct.py), a seat and its score only for its
reviewer.

Not declared, because they act on no record yet: adding an expert, filing a case, creating a
batch and registering a petition — each a page (`judicial:*_create`) and `POST` to the API's
list (judicial/api.py, `_Create`: the page's form validates the body, under the page's policy;
filing a case keeps its own body) — and the spreadsheet imports and the pool's versioning,
which are pages only (see the report of issue 12)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from wulian.core import steps
from wulian.core.clues.models import Clue
from wulian.core.clues.policies import sender_org_ids
from wulian.core.clues.steps import ClueOut
from wulian.core.steps import RecordBinding, Step
from wulian.judicial import api, forms, selectors, services, views
from wulian.judicial.models import (
    Case,
    CourtSuggestion,
    Draw,
    Expert,
    ExpertConflict,
    Invitation,
    PanelSeat,
    Petition,
    Problem,
    ReviewBatch,
)


def _page_again(page: str, keys: dict[str, str] | None = None) -> Any:
    """The record page again, with the step's form (under its key on the page) and the status
    of the refusal — `judicial.views._<kind>_page`."""

    def invalid(request: HttpRequest, record: Model, step: Step, form: Any, **kw: Any) -> Any:
        key = (keys or {}).get(step.name, step.name)
        return getattr(views, page)(request, record.pk, {key: form}, kw["status"])

    return invalid


# --- The pool -----------------------------------------------------------------------------

EXPERT_MANAGE = "judicial.expert.manage"

steps.record(
    RecordBinding(
        model=Expert,
        queryset=lambda: Expert.objects.select_related("profile__person"),
        view_action="judicial.expert.view",
        invalid=_page_again("_expert_page", {"conflicts": "conflict"}),
        api_path="judicial/experts",
        api_name="expert",
        response=api.ExpertSerializer,
        rows=selectors.expert_list,
    )
)

expert = steps.on(Expert, url_prefix="expert_", action=EXPERT_MANAGE)

steps.declare(
    expert(
        "edit",
        form=forms.ExpertEditForm,
        page=views.expert_edit_page,
        call=steps.with_data(services.expert_update, forms.ExpertForm, versioned=True),
        done=_("专家信息已保存。"),
        summary="Change a pool entry (修改专家信息): category, specialties, employer, law firm, "
        "availability",
    ),
    expert(
        "suspend",
        form=forms.SuspendForm,
        service=services.expert_suspend,
        done=_("专家已暂停，不再参加抽取。"),
        summary="Suspend an expert from the pool, with the reason (暂停): no longer drawn",
    ),
    expert(
        "reinstate",
        form=forms.StepForm,
        service=services.expert_reinstate,
        done=_("专家已恢复在库。"),
        summary="Reinstate a suspended expert (恢复在库)",
    ),
    expert(
        "conflicts",
        url_name="conflict_add",
        form=forms.ConflictForm,
        call=steps.with_data(services.conflict_declare, forms.ConflictForm),
        done=_("利害关系申报已记录，抽取时将据此回避。"),
        summary="Declare an expert's conflict of interest (利害关系申报): the draws avoid it",
    ),
)

steps.record(
    RecordBinding(
        model=ExpertConflict,
        id_arg="conflict_id",
        queryset=lambda: ExpertConflict.objects.select_related("expert"),
        view_action="judicial.expert.view",
        guard=lambda c: c.expert,
        url=lambda c: c.expert.get_absolute_url(),
        api_path="judicial/conflicts",
        api_name="conflict",
        response=api.ConflictSerializer,
    )
)

expert_conflict = steps.on(ExpertConflict, url_prefix="conflict_")

steps.declare(
    expert_conflict(
        "withdraw",
        action=EXPERT_MANAGE,
        form=forms.NothingForm,
        service=services.conflict_withdraw,
        done=_("申报已撤销。"),
        summary="Withdraw a conflict-of-interest declaration (撤销申报)",
    ),
)

# --- The review: cases --------------------------------------------------------------------

CONSOLIDATE = "judicial.review.consolidate"

steps.record(
    RecordBinding(
        model=Case,
        queryset=lambda: Case.objects.select_related("batch"),
        view_action="judicial.case.view",
        invalid=_page_again("_case_page", {"problems": "problem"}),
        api_path="judicial/cases",
        api_name="case",
        response=api.CaseSerializer,
        rows=api.cases_for,
    )
)

case = steps.on(Case, url_prefix="case_")

steps.declare(
    case(
        "edit",
        action="judicial.case.file",
        form=forms.CaseForm,
        page=views.case_edit_page,
        call=steps.with_data(services.case_update, forms.CaseForm, versioned=True),
        done=_("案件信息已保存。"),
        summary="Correct a filed case (修改案件信息), until its batch freezes a draw",
    ),
    case(
        "grade",
        action=CONSOLIDATE,
        form=forms.GradeForm,
        service=services.case_grade,
        done=_("已评定等次。"),
        summary="Grade a reviewed case, with the panel's opinion (评定等次)",
    ),
    case(
        "paper_score",
        action="judicial.review.paper_score",
        form=forms.PaperScoreForm,
        form_kwargs=lambda actor, c: {
            "rubric": c.batch.rubric if c.batch else [],
            "seats": selectors.paper_seats(c),
        },
        page=views.paper_score_page,
        call=lambda actor, c, d: services.score_enter_on_paper(
            actor=actor,
            case_id=c.pk,
            seat_id=d["seat"].pk,
            values=forms.ScoreForm.values_of(d, c.batch.rubric),
            comment=d["comment"],
            paper_note=d["paper_note"],
        ),
        done=_(
            "纸质评分表已录入，标记为“纸质录入”。见证单位会签后，该评分计入定等；已通知见证单位。"
        ),
        summary="Enter a reviewer's paper score sheet on his behalf (代录纸质评分表; a reviewer "
        "confirmed by telephone, without an account): `seat`, one field c_<code> per criterion, "
        "the opinion and `paper_note` (what identifies the sheet); it counts once the witness "
        "co-signs it",
    ),
    case(
        "paper_cosign",
        action="judicial.review.paper_cosign",
        form=forms.PaperCosignForm,
        form_kwargs=lambda actor, c: {"seats": selectors.cosign_seats(c)},
        call=lambda actor, c, d: services.score_paper_cosign(
            actor=actor, case_id=c.pk, seat_id=d["seat"].pk
        ),
        done=_("您已会签这份纸质评分表，该评分计入定等。"),
        anchor="#panel-title",
        summary="Co-sign a paper score sheet as the batch's witness (见证人会签): `seat`; the "
        "score then counts towards the grade",
    ),
    case(
        "problems",
        url_name="problem_add",
        action=CONSOLIDATE,
        form=forms.ProblemForm,
        form_kwargs=lambda actor, c: {"rubric": c.batch.rubric},
        call=lambda actor, c, d: services.problem_record(actor=actor, case_id=c.pk, data=d),
        done=_("问题已记录。"),
        summary="Record a problem found in a reviewed case (问题), possibly judicial misconduct",
    ),
)

steps.record(
    RecordBinding(
        model=Problem,
        queryset=lambda: Problem.objects.select_related("case__batch", "case__court"),
        view_action="judicial.problem.view",
        url=lambda pr: pr.case.get_absolute_url(),
        api_path="judicial/problems",
        api_name="problem",
        response=api.ProblemSerializer,
    )
)

problem = steps.on(Problem, url_prefix="problem_")

steps.declare(
    problem(
        "refer",
        action="judicial.problem.refer",
        form=forms.ReferForm,
        form_kwargs=lambda actor, pr: {"senders": selectors.desk_orgs(sender_org_ids(actor))},
        page=views.refer_page,
        call=steps.with_data(services.problem_refer_to_cdi, forms.ReferForm),
        done=lambda clue: (
            _g("问题线索 %(n)s 已移送纪委监委。您可在“问题线索”中查看办理状态。")
            % {"n": clue.number}
        ),
        confirm=_(
            "移送后不能撤回：线索即交纪委监委签收，本单位不能再修改线索，也不能再查看线索内容，"
            "只能查看办理状态和反馈。"
        ),
        answer=lambda clue, actor: steps.binding_of(Clue).answer(clue, actor),
        answer_schema=ClueOut,
        api_status=201,
        summary="Refer a misconduct problem to the CDI as a clue (移送问题线索): drafted and "
        "transferred at once; the answer is the clue's status as its sender follows it",
    ),
)

# --- Batches ------------------------------------------------------------------------------

BATCH_MANAGE = "judicial.batch.manage"

steps.record(
    RecordBinding(
        model=ReviewBatch,
        id_arg="batch_id",
        queryset=lambda: ReviewBatch.objects.all(),
        view_action="judicial.batch.view",
        invalid=_page_again("_batch_page"),
        api_path="judicial/batches",
        api_name="batch",
        response=api.ReviewBatchSerializer,
        rows=selectors.batch_list,
    )
)

review_batch = steps.on(ReviewBatch, url_prefix="batch_", action=BATCH_MANAGE)

steps.declare(
    review_batch(
        "edit",
        form=forms.BatchForm,
        form_kwargs=lambda actor, b: selectors.batch_choices(actor, b),
        page=views.batch_edit_page,
        call=steps.with_data(services.batch_update, forms.BatchForm, versioned=True),
        done=_("评查批次已保存。"),
        summary="Change a batch's rules, rubric (one criterion a line: name and points) or "
        "cases (修改评查批次), until a draw is frozen",
    ),
    review_batch(
        "freeze",
        form=forms.FreezeForm,
        service=services.draw_freeze,
        done=lambda d: _g("抽取清单已冻结（%(c)s），请承诺服务器随机数。") % {"c": d.code},
        lands=lambda d: d.get_absolute_url(),
        answer=lambda d, actor: (
            api.DrawSerializer(api.draws().get(pk=d.pk), context={"actor": actor}).data
        ),
        answer_schema=api.DrawSerializer,
        api_status=201,
        summary="Freeze the batch's draw list (冻结抽取清单; nothing random yet), with the "
        "draw's code (`code`, blank: numbered by the system); refused with the reason when a "
        "quota cannot be met. The answer is the new draw",
    ),
    review_batch(
        "open",
        url_name="batch_open_review",
        form=forms.StepForm,
        service=services.batch_open_review,
        done=_("评查已开始，评查专家已收到通知。"),
        summary="Open the review (开始评查): the sealed panels are told their cases",
    ),
    review_batch(
        "close",
        form=forms.StepForm,
        service=services.batch_close,
        done=_("评查批次已结束。"),
        summary="Close the review batch (结束评查)",
    ),
    review_batch(
        "rate",
        url_name="expert_rate",
        form=forms.RatingForm,
        service=services.expert_rate,
        done=_("已评价。"),
        summary="Rate an expert who reviewed in the batch, 1 to 5 (评价评查专家)",
    ),
    review_batch(
        "draft_suggestion",
        url_name="suggestion_create",
        page_path="batches/<int:pk>/suggestions/new/",
        api_segment="suggestions",
        form=forms.SuggestionForm,
        form_kwargs=lambda actor, b: {"problems": selectors.batch_problems(b)},
        page=views.suggestion_new_page,
        call=steps.with_data(services.suggestion_draft, forms.SuggestionForm),
        done=_("意见建议草稿已保存。核对无误后请送达。"),
        lands=lambda sg: sg.get_absolute_url(),
        answer=lambda sg, actor: steps.binding_of(CourtSuggestion).answer(sg, actor),
        answer_schema=api.SuggestionSerializer,
        api_status=201,
        summary="Draft a suggestion to a court or procuratorate from the batch's findings "
        "(起草意见建议); the answer is the new draft",
    ),
)

# --- Draws --------------------------------------------------------------------------------


def _batch_of(d: Draw) -> ReviewBatch:
    return d.batch


steps.record(
    RecordBinding(
        model=Draw,
        queryset=lambda: api.draws(),
        view_action="judicial.draw.view",
        invalid=_page_again("_draw_page", {"inputs": "input"}),
        api_path="judicial/draws",
        api_name="draw",
        serialize=lambda d, actor: api.DrawSerializer(d, context={"actor": actor}).data,
        response=api.DrawSerializer,
    )
)

draw = steps.on(Draw, url_prefix="draw_")

steps.declare(
    draw(
        "commit",
        action=BATCH_MANAGE,
        guard=_batch_of,
        form=forms.StepForm,
        service=services.draw_commit,
        done=_("服务器随机数已承诺，承诺值已公布。请见证人录入随机数。"),
        summary="Commit the server's random number (its SM3 is published)",
    ),
    draw(
        "inputs",
        url_name="draw_input",
        page_path="draws/<int:pk>/input/",
        action="judicial.draw.witness",
        form=forms.WitnessForm,
        service=services.draw_enter_input,
        done=_("您的随机数已录入。"),
        api_status=201,
        summary="Enter a witness's dice (12 digits); refused before the commitment",
    ),
    draw(
        "run",
        action=BATCH_MANAGE,
        guard=_batch_of,
        form=forms.StepForm,
        service=services.draw_run,
        done=_("抽取完成，结果已密封；抽中的专家已收到邀请（不含案件信息）。"),
        confirm=_(
            "抽取不能重做：种子一经计算，结果即密封，抽中的专家立即收到邀请；"
            "此后只能经见证人确认作废，再以新的编号重新抽取。"
        ),
        summary="Reveal, seed, draw and seal",
    ),
    draw(
        "abort",
        action=BATCH_MANAGE,
        guard=_batch_of,
        form=forms.AbortRequestForm,
        service=services.draw_abort_request,
        done=_(
            "作废申请已提交，已通知见证人确认。见证人确认之前，本次抽取仍然有效，不能继续下一步。"
        ),
        summary="Ask to abort the draw, with the reason (the batch's witness confirms it): the "
        "draw stays live and its next steps wait until the witness confirms (abort/confirm/) or "
        "refuses (abort/refuse/)",
    ),
    draw(
        "abort_confirm",
        page_path="draws/<int:pk>/abort/confirm/",
        api_segment="abort/confirm",
        action="judicial.draw.cosign_abort",
        form=forms.StepForm,
        service=services.draw_abort_confirm,
        done=_("您已确认作废，本次抽取已作废并留存记录；已通知组织单位，重新抽取将引用本次抽取。"),
        summary="Confirm the abort as the batch's witness: the draw is aborted for good",
    ),
    draw(
        "abort_refuse",
        page_path="draws/<int:pk>/abort/refuse/",
        api_segment="abort/refuse",
        action="judicial.draw.cosign_abort",
        form=forms.AbortRefuseForm,
        service=services.draw_abort_refuse,
        done=_("您不同意作废，抽取继续；已将您的理由通知组织单位。"),
        summary="Refuse the abort as the batch's witness, with a note: the draw goes on",
    ),
)

# --- The expert's invitations -------------------------------------------------------------


def _invitation_back(request: HttpRequest, inv: Invitation) -> str:
    """The expert returns to his reviews; the organiser (an answer given by telephone) to the
    draw's result."""
    if inv.expert.profile.person_id == request.actor.person_id:
        return reverse("judicial:my_reviews")
    return reverse("judicial:draw_result", args=[inv.draw_id])


def _invitation_refused(
    request: HttpRequest, inv: Invitation, step: Step, form: Any, **kw: Any
) -> HttpResponse:
    said = [
        f"{form.fields[name].label}：{message}" if name in form.fields else str(message)
        for name, errors in form.errors.items()
        for message in errors
    ]
    for message in (
        [kw["error"]] if kw.get("error") else said or [_g("页面已过期，请刷新后再答复。")]
    ):
        messages.error(request, message)
    return redirect(_invitation_back(request, inv))


RESPOND = "judicial.invitation.respond"

steps.record(
    RecordBinding(
        model=Invitation,
        queryset=lambda: Invitation.objects.select_related("expert__profile", "draw__batch"),
        view_action=RESPOND,
        back=_invitation_back,
        invalid=_invitation_refused,
        api_path="judicial/invitations",
        api_name="invitation",
        response=api.InvitationSerializer,
    )
)

invitation = steps.on(Invitation, url_prefix="invitation_", action=RESPOND)

steps.declare(
    invitation(
        "accept",
        form=forms.StepForm,
        service=services.invitation_accept,
        done=lambda inv: (
            _("您已接受邀请。评查开始后，分配给您的案件将出现在本页。")
            if getattr(inv, "answered_by_expert", True)
            else _("已登记该专家接受邀请（电话答复）。")
        ),
        summary="Accept an invitation (the organiser may record an answer given by telephone)",
    ),
    invitation(
        "decline",
        form=forms.DeclineForm,
        service=services.invitation_decline,
        done=lambda inv: (
            _("您已谢绝邀请，将由同类别备选专家递补。")
            if getattr(inv, "answered_by_expert", True)
            else _("已登记该专家谢绝邀请（电话答复），已由同类别备选专家递补并发出邀请。")
        ),
        confirm=_("谢绝后不能撤回：本次邀请即失效，同类别的备选专家立即递补，不能再接受这次邀请。"),
        summary="Decline an invitation (the next reserve of the category is brought in)",
    ),
)

# --- The reviewer's seats ---------------------------------------------------------------

SCORE = "judicial.review.score"

steps.record(
    RecordBinding(
        model=PanelSeat,
        id_arg="seat_id",
        queryset=api.seats,
        view_action=SCORE,
        url=lambda seat: reverse("judicial:my_reviews"),
        api_path="judicial/seats",
        api_name="seat",
        response=api.SeatSerializer,
    )
)

seat = steps.on(PanelSeat)

steps.declare(
    seat(
        "score",
        action=SCORE,
        form=forms.ScoreForm,
        form_kwargs=lambda actor, s: {"rubric": s.case.batch.rubric},
        page=views.score_page,
        call=lambda actor, s, d: services.score_submit(
            actor=actor,
            seat_id=s.pk,
            values=forms.ScoreForm.values_of(d, s.case.batch.rubric),
            comment=d["comment"],
            version=d["version"],
        ),
        done=_("评分已提交。"),
        summary="Score a case as its reviewer (评分), blind: one field c_<code> per criterion of "
        "the batch's rubric (0 to its maximum) and the opinion; corrected (with the score's "
        "version) until the case is graded",
    ),
)

# --- Suggestions to the courts and procuratorates -----------------------------------------

SUGGESTION_MANAGE = "judicial.courtsuggestion.manage"


steps.record(
    RecordBinding(
        model=CourtSuggestion,
        id_arg="suggestion_id",
        queryset=lambda: CourtSuggestion.objects.select_related("batch"),
        view_action="judicial.courtsuggestion.view",
        invalid=_page_again("_suggestion_page"),
        api_path="judicial/suggestions",
        api_name="suggestion",
        response=api.SuggestionSerializer,
        rows=selectors.suggestion_list,
    )
)

court_suggestion = steps.on(CourtSuggestion, url_prefix="suggestion_")

steps.declare(
    court_suggestion(
        "edit",
        action=SUGGESTION_MANAGE,
        form=forms.SuggestionForm,
        form_kwargs=lambda actor, sg: {"problems": selectors.batch_problems(sg.batch)},
        page=views.suggestion_edit_page,
        call=steps.with_data(services.suggestion_update, forms.SuggestionForm, versioned=True),
        done=_("意见建议已保存。"),
        summary="Change a draft suggestion (修改意见建议) before it is sent",
    ),
    court_suggestion(
        "send",
        action=SUGGESTION_MANAGE,
        form=forms.SendForm,
        service=services.suggestion_send,
        done=_("意见建议已送达，并已交付整改（见整改台账）。"),
        summary="Send the suggestion to the court or procuratorate (送达): it becomes a finding "
        "to rectify, with its time limit in months",
    ),
    court_suggestion(
        "answer",
        action="judicial.courtsuggestion.respond",
        form=forms.AnswerForm,
        service=services.suggestion_answer,
        done=_("答复已提交。"),
        summary="The addressee answers: adopted or not (答复)",
    ),
    court_suggestion(
        "results",
        action=SUGGESTION_MANAGE,
        form=forms.ResultsForm,
        form_kwargs=lambda actor, s: {"cases": selectors.suggestion_cases(s)},
        call=lambda actor, s, d: services.suggestion_record_results(
            actor=actor,
            suggestion_id=s.pk,
            version=d["version"],
            corrected_case_ids=[c.pk for c in d["corrected_cases"]],
            mechanisms=d["mechanisms"],
            corrected_note=d["corrected_note"],
        ),
        done=_("整改成效已登记。"),
        summary="Record what the suggestion achieved (整改成效): corrected cases, mechanisms "
        "(one a line)",
    ),
)

# --- Petitions ----------------------------------------------------------------------------

PETITION_MANAGE = "judicial.petition.manage"


steps.record(
    RecordBinding(
        model=Petition,
        queryset=lambda: Petition.objects.all(),
        view_action="judicial.petition.view",
        invalid=_page_again("_petition_page"),
        api_path="judicial/petitions",
        api_name="petition",
        response=api.PetitionSerializer,
        rows=lambda actor: selectors.petition_list(actor=actor).prefetch_related("cases"),
    )
)

petition = steps.on(Petition, url_prefix="petition_")

steps.declare(
    petition(
        "route",
        action=PETITION_MANAGE,
        form=forms.RouteForm,
        service=services.petition_route,
        done=_("信访事项已转办，办理期限开始计算。"),
        summary="Route the petition to a court or procuratorate (转办), with its time limit in "
        "working days",
    ),
    petition(
        "answer",
        action="judicial.petition.respond",
        form=forms.PetitionAnswerForm,
        service=services.petition_answer,
        done=_("办理结果已记录。"),
        summary="The court or procuratorate records the outcome (办理结果)",
    ),
    petition(
        "link",
        page_path="petitions/<int:pk>/cases/",
        api_segment="cases",
        action=PETITION_MANAGE,
        form=forms.LinkCasesForm,
        form_kwargs=lambda actor, p: {"cases": selectors.linkable_cases()},
        call=lambda actor, p, d: services.petition_link_cases(
            actor=actor, petition_id=p.pk, version=d["version"], case_ids=[c.pk for c in d["cases"]]
        ),
        done=_("关联案件已保存。"),
        summary="Link the petition to reviewed cases (关联评查案件)",
    ),
)

# Where each kind of record's step pages are (`/judicial/<records>/<id>/<step>/`), for urls.py;
# the API's are under each binding's `api_path`.
PAGES = {
    Expert: "experts",
    ExpertConflict: "conflicts",
    Case: "cases",
    Problem: "problems",
    ReviewBatch: "batches",
    Draw: "draws",
    Invitation: "invitations",
    PanelSeat: "seats",
    CourtSuggestion: "suggestions",
    Petition: "petitions",
}
# Records no viewset reads (judicial/api.py): the declaration's own door reads them.
READ_HERE = (ExpertConflict, PanelSeat, Problem)
