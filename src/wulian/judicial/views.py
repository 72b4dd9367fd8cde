"""Pages of the judicial link (联动). Each view parses input, calls one service or selector, and
renders; steps are POSTed to their own URL and, when refused, the page is shown again with the
message on the form and the refusal's status."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Model, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from wulian.core import access, background, compiled, keyset, pages, records
from wulian.core.choices import ExpertCategory
from wulian.core.clues import selectors as clue_selectors
from wulian.core.clues.policies import sender_org_ids
from wulian.core.rectification.models import Rectification
from wulian.core.viewpolicy import policy
from wulian.judicial import documents, selectors, services
from wulian.judicial.choices import (
    SUGGESTION_TRANSITIONS,
    BatchState,
    DrawState,
    ExpertStatus,
    InvitationState,
    PetitionState,
    SuggestionState,
    SuggestionStep,
)
from wulian.judicial.filters import (
    BatchFilter,
    CaseFilter,
    ExpertFilter,
    PetitionFilter,
    SuggestionFilter,
)
from wulian.judicial.forms import (
    AbortRefuseForm,
    AbortRequestForm,
    AnswerForm,
    BatchForm,
    CaseForm,
    ConflictForm,
    DeclineForm,
    ExpertEditForm,
    ExpertForm,
    FreezeForm,
    GradeForm,
    ImportForm,
    LinkCasesForm,
    PaperCosignForm,
    PaperScoreForm,
    PetitionAnswerForm,
    PetitionForm,
    ProblemForm,
    RatingForm,
    ReferForm,
    ResultsForm,
    RouteForm,
    ScoreForm,
    SendForm,
    StepForm,
    SuggestionForm,
    SuspendForm,
    WitnessForm,
)
from wulian.judicial.models import (
    Case,
    CourtSuggestion,
    Draw,
    Expert,
    PanelSeat,
    Petition,
    PoolVersion,
    Problem,
    ReviewBatch,
    Score,
)
from wulian.judicial.policies import congress_desk, witness_desk
from wulian.judicial.services import imports as import_services

EXPERT_REF = re.compile(r"E\d{4,}")

# --- Helpers ------------------------------------------------------------------------------


def _load(model: type[Model], pk: int, action: str, request: HttpRequest, *related: str) -> Any:
    def build(pk: int) -> Any:
        qs = model._default_manager.filter(pk=pk)
        return qs.select_related(*related) if related else qs

    # The statement is built once per process (core.compiled).
    found = compiled.objects(f"judicial.load.{model._meta.label}.{related}", build, pk=pk)
    if not found:
        raise Http404
    obj = found[0]
    access.require(request.actor, action, obj)
    return obj


def _list_view(action: str, kind: str, rows: Any, filter_class: Any, **flags: str) -> Any:
    """A list page, `judicial/<kind>_list.html` (wulian.core.pages)."""
    return pages.list_view(action, f"judicial/{kind}_list.html", rows, filter_class, **flags)


def _create(
    request: HttpRequest, form: Any, run: Callable[..., Any], done: Any, template: str
) -> HttpResponse:
    """A page that makes a record from its form (`run(actor=…, data=…)`): its page, with the
    message `done(record)` — or the form again with the refusal's status."""
    return pages.form_page(
        request,
        form,
        lambda: run(actor=request.actor, data=form.to_data()),
        done=done,
        to=lambda record: record.get_absolute_url(),
        template=template,
    )


_detail = pages.detail_view  # a record's page (GET), which the declared steps show again


def _form_page(
    request: HttpRequest, template: str, form: Any, status: int, **context: Any
) -> HttpResponse:
    """A declared step's page of its own (an edit page): the form, with what it is about."""
    return render(request, template, {"form": form, **context}, status=status)


# --- Front page and figures ---------------------------------------------------------------


HOME_LINKS = (
    (
        "judicial.review.mine",
        "judicial:my_reviews",
        gettext_lazy("我的评查"),
        gettext_lazy("评查邀请和待评分案件"),
    ),
    (
        "judicial.batch.view",
        "judicial:batch_list",
        gettext_lazy("评查批次"),
        gettext_lazy("批次、抽取、评查和评查报告"),
    ),
    (
        "judicial.case.view",
        "judicial:case_list",
        gettext_lazy("备案案件"),
        gettext_lazy("纳入评查范围的案件"),
    ),
    (
        "judicial.expert.view",
        "judicial:expert_list",
        gettext_lazy("专家库"),
        gettext_lazy("评查专家、利害关系申报、评价"),
    ),
    (
        "judicial.draw.view",
        "judicial:draw_list",
        gettext_lazy("专家抽取"),
        gettext_lazy("每次抽取的记录和复核"),
    ),
    (
        "judicial.courtsuggestion.view",
        "judicial:suggestion_list",
        gettext_lazy("意见建议"),
        gettext_lazy("向法院、检察院提出的意见建议及整改"),
    ),
    (
        "judicial.petition.view",
        "judicial:petition_list",
        gettext_lazy("涉法涉诉信访"),
        gettext_lazy("登记、转办、办结"),
    ),
    (
        "judicial.figures.view",
        "judicial:figures",
        gettext_lazy("数据统计"),
        gettext_lazy("各项数字均可点击查看明细"),
    ),
)


@policy("judicial.home.view")
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    links = [
        {"url": reverse(name), "label": label, "hint": hint}
        for code, name, label, hint in HOME_LINKS
        if access.can(request.actor, code)
    ]
    return render(request, "judicial/home.html", {"links": links})


@policy("judicial.figures.view")
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    data = selectors.figures(actor=request.actor, year=pages.year_of(request.GET))
    return render(request, "judicial/figures.html", {"f": data, "charts": _figure_charts(data)})


def _figure_charts(data: Any) -> dict[str, Any]:
    """The figures' charts (ADR 0020: the shared SVG component), each bar a link to its list."""
    from wulian.core.charts import Point, bar_chart

    def points(figs: Any) -> list[Point]:
        return [
            Point(str(f.label), f.value, str(f.value), f"{reverse(f.url_name)}?{f.query}")
            for f in figs
        ]

    return {
        "experts": bar_chart(
            key="experts", title=_("专家库人员构成"), points=points(data.experts_by_category)
        ),
        "grades": bar_chart(key="grades", title=_("评查案件等次"), points=points(data.by_grade)),
    }


# --- The pool -----------------------------------------------------------------------------


expert_list = _list_view(
    "judicial.expert.view",
    "expert",
    selectors.expert_list,
    ExpertFilter,
    can_manage="judicial.expert.manage",
)


@policy("judicial.expert.manage")
def expert_create(request: HttpRequest) -> HttpResponse:
    form = ExpertForm(request.POST if request.method == "POST" else None)
    return _create(
        request, form, services.expert_add, lambda e: _("专家已入库。"), "judicial/expert_form.html"
    )


def _expert_page(
    request: HttpRequest, pk: int, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    expert = _load(Expert, pk, "judicial.expert.view", request, "profile__person")
    actor = request.actor
    forms = forms or {}
    v = {"version": expert.version}
    manage = access.can(actor, "judicial.expert.manage", expert)
    context: dict[str, Any] = {
        "expert": expert,
        "conflicts": list(expert.conflicts.select_related("case").order_by("-declared_on", "-id")),
        "ratings": list(expert.ratings.select_related("batch").order_by("-rated_at")),
        "seats": list(
            expert.seats.select_related("case__batch", "case__court").order_by("-case_id")[:50]
        ),
        "manage": manage,
        "timeline": selectors.timeline(expert),
    }
    if manage:
        if expert.status == ExpertStatus.ACTIVE:
            context["suspend_form"] = forms.get("suspend") or SuspendForm(initial=v)
        else:
            context["reinstate_form"] = forms.get("reinstate") or StepForm(initial=v)
        context["conflict_form"] = forms.get("conflict") or ConflictForm()
    return render(request, "judicial/expert_detail.html", context, status=status)


expert_detail = _detail(_expert_page, "judicial.expert.view")


def expert_edit_page(
    request: HttpRequest, expert: Expert, form: Any = None, status: int = 200
) -> HttpResponse:
    """The declared step `edit`'s page (judicial/steps.py)."""
    form = form or ExpertEditForm(initial=ExpertForm.initial_for(expert))
    return _form_page(request, "judicial/expert_form.html", form, status, expert=expert)


def _imports(kind: str, action: str, run: Callable[..., Any], title: Any, filename: Any) -> Any:
    """A spreadsheet import's two pages: the upload (`judicial:<kind>_import`) and its template
    workbook (`judicial:<kind>_import_template`)."""

    @policy(action)
    def upload(request: HttpRequest) -> HttpResponse:
        return pages.import_page(
            request,
            ImportForm(request.POST or None, request.FILES or None),
            lambda d: run(actor=request.actor, file=d["file"], filename=d["file"].name),
            done=lambda result: _("导入完成：%(s)s。") % {"s": import_services.summary(result)},
            back=reverse(f"judicial:{kind}_list"),
            template="judicial/import.html",
            title=str(title),
            template_url=reverse(f"judicial:{kind}_import_template"),
            queued=lambda d: background.queue_import(
                request,
                kind=import_services.BACKGROUND_KINDS[f"{kind}s"],
                title=str(title),
                upload=d["file"],
                params={},
            ),
        )

    @policy(action)
    @require_GET
    def template(request: HttpRequest) -> HttpResponse:
        return pages.download(import_services.template_workbook(f"{kind}s"), str(filename))

    return upload, template


expert_import, expert_import_template = _imports(
    "expert",
    "judicial.expert.manage",
    services.experts_import,
    gettext_lazy("导入专家库"),
    gettext_lazy("专家库导入模板.xlsx"),
)


@policy("judicial.expert.view")
def pool_versions(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        access.require(request.actor, "judicial.expert.manage")
        version = services.pool_version_create(actor=request.actor)
        messages.success(
            request,
            _("专家库当前版本为 V%(n)d（%(h)s）。") % {"n": version.number, "h": version.hash[:16]},
        )
        return redirect("judicial:pool_versions")
    rows = PoolVersion.objects.order_by("-number")[:100]
    return render(
        request,
        "judicial/pool_versions.html",
        {"rows": rows, "can_manage": access.can(request.actor, "judicial.expert.manage")},
    )


# --- Cases --------------------------------------------------------------------------------


case_list = _list_view(
    "judicial.case.view", "case", selectors.case_list, CaseFilter, can_file="judicial.case.file"
)


@policy("judicial.case.file")
def case_create(request: HttpRequest) -> HttpResponse:
    filers = selectors.desk_orgs(congress_desk(request.actor) | witness_desk(request.actor))
    form = CaseForm(request.POST if request.method == "POST" else None, filers=filers)
    return _create(
        request,
        form,
        services.case_file,
        lambda c: _("案件已备案：%(n)s。") % {"n": c.number},
        "judicial/case_form.html",
    )


def case_edit_page(
    request: HttpRequest, case: Case, form: Any = None, status: int = 200
) -> HttpResponse:
    """The declared step `edit`'s page (judicial/steps.py)."""
    form = form or CaseForm(initial=CaseForm.initial_for(case))
    return _form_page(request, "judicial/case_form.html", form, status, case=case)


def _case_page(
    request: HttpRequest, pk: int, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    case = _load(Case, pk, "judicial.case.view", request, "court", "batch", "corrected_by")
    actor = request.actor
    forms = forms or {}
    view = selectors.case_view(actor=actor, case=case)
    consolidate = access.can(actor, "judicial.review.consolidate", case)
    reviewing = case.batch is not None and case.batch.state == BatchState.REVIEWING
    problems = selectors.case_problems(actor=actor, case=case)
    criteria = {c["code"]: c["name"] for c in (case.batch.rubric if case.batch else [])}
    context: dict[str, Any] = {
        "case": case,
        "view": view,
        "can_see_batch": case.batch is not None
        and access.can(actor, "judicial.batch.view", case.batch),
        "problems": [
            {
                "problem": p,
                "criterion": criteria.get(p.criterion, ""),
                "clues": clue_selectors.clues_for_record(actor=actor, record=p),
                "can_refer": p.is_misconduct and bool(sender_org_ids(actor)),
            }
            for p in problems
        ],
        "petitions": list(
            access.scope(actor, "judicial.petition.view", case.petitions.all()).order_by("-id")
        ),
        "suggestions": list(
            access.scope(
                actor,
                "judicial.courtsuggestion.view",
                CourtSuggestion.objects.filter(problems__case=case).distinct(),
            ).order_by("-id")
        ),
        "can_edit": access.can(actor, "judicial.case.file", case),
        "timeline": selectors.case_timeline(actor=actor, case=case),
    }
    if consolidate and reviewing and not case.grade:
        context["grade_form"] = forms.get("grade") or GradeForm(
            initial={
                "version": case.version,
                "grade": view.consensus.suggested if view.consensus else "",
            }
        )
    if reviewing and not case.grade:
        if access.can(actor, "judicial.review.paper_score", case):
            context["can_enter_paper"] = selectors.paper_seats(case).exists()
        if access.can(actor, "judicial.review.paper_cosign", case):
            cosign = selectors.cosign_seats(case)
            if cosign.exists():
                context["cosign_form"] = forms.get("paper_cosign") or PaperCosignForm(seats=cosign)
    if consolidate and case.batch and case.batch.state in (BatchState.REVIEWING, BatchState.CLOSED):
        context["problem_form"] = forms.get("problem") or ProblemForm(rubric=case.batch.rubric)
    return render(request, "judicial/case_detail.html", context, status=status)


case_detail = _detail(_case_page, "judicial.case.view")


def refer_page(
    request: HttpRequest, problem: Problem, form: ReferForm | None = None, status: int = 200
) -> HttpResponse:
    """The clue a misconduct problem becomes (the declared step `refer`'s page)."""
    form = form or ReferForm(senders=selectors.desk_orgs(sender_org_ids(request.actor)))
    return _form_page(request, "judicial/problem_refer.html", form, status, problem=problem)


case_import, case_import_template = _imports(
    "case",
    "judicial.case.file",
    services.cases_import,
    gettext_lazy("导入备案案件"),
    gettext_lazy("案件备案导入模板.xlsx"),
)


# --- Batches ------------------------------------------------------------------------------


batch_list = _list_view(
    "judicial.batch.view",
    "batch",
    selectors.batch_list,
    BatchFilter,
    can_create="judicial.batch.create",
)


@policy("judicial.batch.create")
def batch_create(request: HttpRequest) -> HttpResponse:
    choices = selectors.batch_choices(request.actor)
    form = BatchForm(request.POST if request.method == "POST" else None, **choices)
    if request.method != "POST":
        form.initial.setdefault("year", timezone.localdate().year)
    return _create(
        request,
        form,
        services.batch_create,
        lambda b: _("评查批次已建立。"),
        "judicial/batch_form.html",
    )


def batch_edit_page(
    request: HttpRequest, batch: ReviewBatch, form: Any = None, status: int = 200
) -> HttpResponse:
    """The declared step `edit`'s page (judicial/steps.py)."""
    choices = selectors.batch_choices(request.actor, batch)
    form = form or BatchForm(**choices, initial=BatchForm.initial_for(batch))
    return _form_page(request, "judicial/batch_form.html", form, status, batch=batch)


def _batch_page(
    request: HttpRequest, pk: int, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    batch = _load(ReviewBatch, pk, "judicial.batch.view", request, "organiser_org", "witness_org")
    actor = request.actor
    forms = forms or {}
    manage = access.can(actor, "judicial.batch.manage", batch)
    draws = selectors.batch_draws(batch=batch)
    live = next((d for d in draws if d.state != DrawState.ABORTED), None)
    v = {"version": batch.version}
    context: dict[str, Any] = {
        "batch": batch,
        "rows": selectors.batch_cases(actor=actor, batch=batch),
        "draws": draws,
        "live": live,
        "counts": selectors.invitation_counts(draw=live)
        if live and live.state == DrawState.SEALED
        else None,
        "suggestions": list(
            access.scope(actor, "judicial.courtsuggestion.view", batch.suggestions.all())
            .select_related("addressee")
            .order_by("id")
        ),
        "manage": manage,
        "minimums": [
            (label, batch.minimums[value])
            for value, label in ExpertCategory.choices
            if (batch.minimums or {}).get(value)
        ],
        "timeline": selectors.timeline(batch),
    }
    if manage:
        if batch.state in (BatchState.PREPARING, BatchState.DRAWING) and live is None:
            context["freeze_form"] = forms.get("freeze") or FreezeForm(initial=v)
        if (
            batch.state == BatchState.DRAWING
            and live
            and live.state == DrawState.SEALED
            and not live.abort_pending
        ):
            context["open_form"] = forms.get("open") or StepForm(initial=v)
        if batch.state == BatchState.REVIEWING:
            context["close_form"] = forms.get("close") or StepForm(initial=v)
        if batch.state in (BatchState.REVIEWING, BatchState.CLOSED):
            rated = set(batch.ratings.values_list("expert_id", flat=True))
            context["to_rate"] = [
                e
                for e in Expert.objects.filter(seats__case__batch=batch)
                .select_related("profile__person")
                .distinct()
                .order_by("id")
                if e.pk not in rated
            ]
            context["rating_form"] = forms.get("rate") or RatingForm()
    return render(request, "judicial/batch_detail.html", context, status=status)


batch_detail = _detail(_batch_page, "judicial.batch.view")


@policy("judicial.batch.view", per_record=True)
@require_GET
def batch_report(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _load(ReviewBatch, pk, "judicial.batch.view", request, "organiser_org")
    body = documents.batch_report(actor=request.actor, batch=batch)
    closed = batch.state == BatchState.CLOSED
    name = _("评查报告-%(t)s.docx") if closed else _("评查报告（草稿）-%(t)s.docx")
    return pages.download(body, name % {"t": batch.title}, documents.DOCX_CONTENT_TYPE)


# --- Draws --------------------------------------------------------------------------------


@policy("judicial.draw.view")
@require_GET
def draw_list(request: HttpRequest) -> HttpResponse:
    qs = Draw.objects.select_related("batch", "replaces").order_by("-id")
    if year := pages.year_of(request.GET):
        qs = qs.filter(batch__year=year)
    state = request.GET.get("state") or ""
    if state in DrawState.values:
        qs = qs.filter(state=state)
    abort = request.GET.get("abort") or ""
    if abort in ABORT_FILTERS:
        qs = qs.filter(ABORT_FILTERS[abort][1])
    page = keyset.page_for(request, qs)
    return render(
        request,
        "judicial/draw_list.html",
        {
            "page": page,
            "query": keyset.query_without_cursor(request),
            "states": DrawState.choices,
            "aborts": [(k, label) for k, (label, _q) in ABORT_FILTERS.items()],
        },
    )


# The draw list's "作废申请" filter (the figures link to it).
ABORT_FILTERS = {
    "requested": (gettext_lazy("申请过作废"), Q(abort_requested_at__isnull=False)),
    "pending": (
        gettext_lazy("待见证人确认"),
        Q(abort_requested_at__isnull=False, abort_refused_at__isnull=True)
        & ~Q(state=DrawState.ABORTED),
    ),
    "refused": (gettext_lazy("见证人不同意作废"), Q(abort_refused_at__isnull=False)),
}


def _draw_page(
    request: HttpRequest, pk: int, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    d = _load(Draw, pk, "judicial.draw.view", request, "batch", "replaces", "pool_version")
    actor = request.actor
    forms = forms or {}
    batch = d.batch
    manage = access.can(actor, "judicial.batch.manage", batch)
    sealed_viewer = access.can(actor, "judicial.draw.view_sealed", d)
    inputs = list(d.inputs.select_related("person", "organisation").order_by("id"))
    manifest = services.draws.manifest_of(d) if d.manifest else None
    eligible = {cat: len(refs) for cat, refs in manifest.pool.items()} if manifest else {}
    by_rule: dict[str, int] = {}
    for e in manifest.exclusions if manifest else ():
        by_rule[e.rule] = by_rule.get(e.rule, 0) + 1
    v = {"version": d.version}
    entered_by_me = any(i.person_id == actor.person_id for i in inputs)
    context: dict[str, Any] = {
        "draw": d,
        "batch": batch,
        "inputs": inputs,
        "manifest": manifest,
        "eligible": eligible,
        "by_rule": sorted(by_rule.items()),
        "rule_labels": services.draws.engine.RULE_LABELS,
        "category_labels": services.draws.engine.CATEGORY_LABELS,
        "sealed_viewer": sealed_viewer,
        "show_seed": sealed_viewer or batch.state in (BatchState.REVIEWING, BatchState.CLOSED),
        "counts": selectors.invitation_counts(draw=d) if d.state == DrawState.SEALED else None,
        "timeline": selectors.timeline(d) if sealed_viewer else [],
        # Each excluded expert and the rule that excluded him — for the organiser and the
        # witness (who may see who is drawn), every watcher once the review opens; the public
        # record keeps pool refs only (ADR 0008).
        "exclusions": selectors.draw_exclusions(manifest) if sealed_viewer and manifest else [],
    }
    # While an abort waits for the witness, the draw's next steps wait too.
    going_on = not d.abort_pending
    if manage and going_on and d.state == DrawState.FROZEN:
        context["commit_form"] = forms.get("commit") or StepForm(initial=v)
    if (
        going_on
        and d.state in (DrawState.FROZEN, DrawState.COMMITTED)
        and access.can(actor, "judicial.draw.witness", d)
        and not entered_by_me
    ):
        context["input_form"] = forms.get("input") or WitnessForm()
    if manage and going_on and d.state == DrawState.COMMITTED:
        context["run_form"] = forms.get("run") or StepForm(initial=v)
    live = d.state != DrawState.ABORTED and batch.state == BatchState.DRAWING
    if manage and live and not d.abort_pending:
        context["abort_form"] = forms.get("abort") or AbortRequestForm(initial=v)
    if live and services.draws.may_cosign_abort(actor, d):
        context["abort_confirm_form"] = forms.get("abort_confirm") or StepForm(initial=v)
        context["abort_refuse_form"] = forms.get("abort_refuse") or AbortRefuseForm(initial=v)
    context["abort"] = services.draws.abort_record(d)
    return render(request, "judicial/draw_detail.html", context, status=status)


draw_detail = _detail(_draw_page, "judicial.draw.view")


@policy("judicial.draw.view_sealed", per_record=True)
@require_GET
def draw_result(request: HttpRequest, pk: int) -> HttpResponse:
    d = _load(Draw, pk, "judicial.draw.view_sealed", request, "batch")
    panels = services.draw_open_result(actor=request.actor, draw_id=pk)
    return render(
        request,
        "judicial/draw_result.html",
        {
            "draw": d,
            "panels": panels,
            "category_labels": services.draws.engine.CATEGORY_LABELS,
            "sealed": d.batch.state == BatchState.DRAWING,
            "can_record": d.state == DrawState.SEALED
            and d.batch.state == BatchState.DRAWING
            and access.can(request.actor, "judicial.batch.manage", d.batch),
        },
    )


@policy("judicial.draw.view_sealed", per_record=True)
@require_GET
def draw_record(request: HttpRequest, pk: int) -> HttpResponse:
    d = _load(Draw, pk, "judicial.draw.view_sealed", request, "batch", "replaces")
    if not d.seed:
        raise Http404
    body = json.dumps(services.public_record(d), ensure_ascii=False, indent=2, sort_keys=True)
    return pages.download(body, f"draw-{d.code}.json", "application/json; charset=utf-8")


@policy("judicial.draw.view", per_record=True)
@require_GET
def draw_verify(request: HttpRequest, pk: int) -> HttpResponse:
    d = _load(Draw, pk, "judicial.draw.view", request, "batch")
    result = services.draw_verify(actor=request.actor, draw_id=pk)
    problems = result.problems
    if not access.can(request.actor, "judicial.draw.view_sealed", d):
        # A mismatch line may quote panel members; while sealed, their ids are masked.
        problems = [EXPERT_REF.sub("E****", line) for line in problems]
    return render(
        request,
        "judicial/draw_verify.html",
        {"draw": d, "result": result, "problems": problems},
    )


# --- Experts: invitations and scoring ------------------------------------------------------


@policy("judicial.review.mine")
@require_GET
def my_reviews(request: HttpRequest) -> HttpResponse:
    mine = selectors.my_reviews(actor=request.actor)
    rows = [
        {
            "invitation": inv,
            "accept_form": StepForm(initial={"version": inv.version}),
            "decline_form": DeclineForm(initial={"version": inv.version}),
        }
        for inv in mine.invitations
    ]
    person_id = request.actor.person_id
    # The expert's own entry in the pool (his record's page: categories, availability).
    own = (
        Expert.objects.filter(profile__person_id=person_id).only("id").first()
        if person_id is not None
        else None
    )
    return render(
        request,
        "judicial/my_reviews.html",
        {"rows": rows, "seats": mine.seats, "invited": InvitationState.INVITED, "own": own},
    )


def score_page(
    request: HttpRequest, seat: PanelSeat, form: ScoreForm | None = None, status: int = 200
) -> HttpResponse:
    """The reviewer's score sheet (the declared step `score`'s page, judicial/steps.py)."""
    existing = Score.objects.filter(seat=seat).first()
    if form is None:
        initial: dict[str, Any] = {}
        if existing is not None:
            initial = {f"c_{k}": v for k, v in existing.values.items()}
            initial.update(comment=existing.comment, version=existing.version)
        form = ScoreForm(rubric=seat.case.batch.rubric, initial=initial)
    context = {"seat": seat, "case": seat.case, "existing": existing}
    return _form_page(request, "judicial/score_form.html", form, status, **context)


def paper_score_page(
    request: HttpRequest, case: Case, form: PaperScoreForm | None = None, status: int = 200
) -> HttpResponse:
    """The organiser enters a reviewer's paper score sheet (the declared step `paper_score`'s
    page, judicial/steps.py)."""
    rubric = case.batch.rubric if case.batch else []
    seats = selectors.paper_seats(case)
    if form is None:
        form = PaperScoreForm(rubric=rubric, seats=seats)
        only = list(seats[:2])
        if len(only) == 1:  # a single possible reviewer is preselected
            form.initial["seat"] = only[0].pk
    return _form_page(request, "judicial/paper_score_form.html", form, status, case=case)


# --- Suggestions --------------------------------------------------------------------------


suggestion_list = _list_view(
    "judicial.courtsuggestion.view", "suggestion", selectors.suggestion_list, SuggestionFilter
)


def suggestion_new_page(
    request: HttpRequest, batch: ReviewBatch, form: Any = None, status: int = 200
) -> HttpResponse:
    """The declared step `draft_suggestion`'s page (on the batch, judicial/steps.py)."""
    form = form or SuggestionForm(problems=selectors.batch_problems(batch))
    return _form_page(request, "judicial/suggestion_form.html", form, status, batch=batch)


def suggestion_edit_page(
    request: HttpRequest, s: CourtSuggestion, form: Any = None, status: int = 200
) -> HttpResponse:
    """The declared step `edit`'s page (judicial/steps.py)."""
    form = form or SuggestionForm(
        problems=selectors.batch_problems(s.batch),
        initial={
            "addressee": s.addressee_id,
            "title": s.title,
            "content": s.content,
            "problems": list(s.problems.values_list("pk", flat=True)),
            "version": s.version,
        },
    )
    return _form_page(
        request, "judicial/suggestion_form.html", form, status, batch=s.batch, suggestion=s
    )


def _suggestion_page(
    request: HttpRequest, pk: int, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    s = _load(CourtSuggestion, pk, "judicial.courtsuggestion.view", request, "batch", "addressee")
    actor = request.actor
    forms = forms or {}
    v = {"version": s.version}
    manage = access.can(actor, "judicial.courtsuggestion.manage", s)
    rects = (
        list(
            access.scope(
                actor,
                "rectification.rectification.view",
                Rectification.objects.filter(finding_id=s.finding_id),
            ).select_related("responsible_org")
        )
        if s.finding_id
        else []
    )
    steps = {step for (state, step) in SUGGESTION_TRANSITIONS if state == s.state}
    context: dict[str, Any] = {
        "s": s,
        "problems": list(
            access.scope(actor, "judicial.problem.view", s.problems.all())
            .select_related("case")
            .order_by("case_id", "id")
        ),
        "rects": rects,
        "mechanisms": list(s.mechanisms.order_by("id")),
        "corrected": list(s.corrected_cases.order_by("id")),
        "can_edit": manage and s.state == SuggestionState.DRAFT,
        "timeline": selectors.timeline(s),
    }
    if manage and SuggestionStep.SEND in steps:
        context["send_form"] = forms.get("send") or SendForm(initial=v)
    if SuggestionStep.ADOPT in steps and access.can(actor, "judicial.courtsuggestion.respond", s):
        context["answer_form"] = forms.get("answer") or AnswerForm(initial=v)
    if manage and SuggestionStep.RECORD_RESULTS in steps:
        context["results_form"] = forms.get("results") or ResultsForm(
            initial=v, cases=selectors.suggestion_cases(s)
        )
    return render(request, "judicial/suggestion_detail.html", context, status=status)


suggestion_detail = _detail(_suggestion_page, "judicial.courtsuggestion.view")


# --- Petitions ----------------------------------------------------------------------------


petition_list = _list_view(
    "judicial.petition.view",
    "petition",
    selectors.petition_list,
    PetitionFilter,
    can_register="judicial.petition.manage",
)


@policy("judicial.petition.manage")
def petition_create(request: HttpRequest) -> HttpResponse:
    form = PetitionForm(
        request.POST if request.method == "POST" else None,
        **selectors.petition_choices(request.actor),
    )
    return _create(
        request,
        form,
        services.petition_register,
        lambda p: _("信访事项已登记：%(n)s。") % {"n": p.number},
        "judicial/petition_form.html",
    )


def _petition_page(
    request: HttpRequest, pk: int, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    p = _load(Petition, pk, "judicial.petition.view", request, "organisation", "registering_org")
    actor = request.actor
    forms = forms or {}
    v = {"version": p.version}
    manage = access.can(actor, "judicial.petition.manage", p)
    from wulian.core.deadlines.models import Deadline

    context: dict[str, Any] = {
        "p": p,
        "cases": list(access.scope(actor, "judicial.case.view", p.cases.all()).order_by("id")),
        "deadlines": list(Deadline.objects.filter(**records.reference(p)).order_by("-id")),
        "timeline": selectors.timeline(p),
    }
    if manage and p.state == PetitionState.REGISTERED:
        context["route_form"] = forms.get("route") or RouteForm(initial=v)
    if p.state == PetitionState.ROUTED and access.can(actor, "judicial.petition.respond", p):
        context["answer_form"] = forms.get("answer") or PetitionAnswerForm(initial=v)
    if manage:
        context["link_form"] = forms.get("link") or LinkCasesForm(
            initial={**v, "cases": [c.pk for c in context["cases"]]},
            cases=selectors.linkable_cases(),
        )
    return render(request, "judicial/petition_detail.html", context, status=status)


petition_detail = _detail(_petition_page, "judicial.petition.view")
