"""Pages of the livelihood link: the cycles, a cycle (candidates, screening, the vote, the
决定, the satisfaction test), a project (indicators, progress, warnings, reports, the group,
joint supervision), a monthly report (photos, verification), the figures, the .docx
documents and the public progress page. Each view parses input, calls one selector or
service, and renders."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wulian.core import access, pages
from wulian.core.steps import step_of
from wulian.core.viewpolicy import policy, public
from wulian.livelihood import documents, selectors, services, ui
from wulian.livelihood.choices import (
    NOT_YET_PUBLIC,
    ActualState,
    CandidateState,
    CycleState,
    OrderState,
)
from wulian.livelihood.filters import ProjectFilter
from wulian.livelihood.forms import CycleForm
from wulian.livelihood.models import (
    Actual,
    Candidate,
    Cycle,
    Indicator,
    IndicatorChange,
    Order,
    Photo,
    Project,
    Warning,
)


def _step_forms(
    actor: Any, record: Any, model: Any, names: list[str], given: dict[str, Any]
) -> dict[str, Any]:
    """The forms of the record's steps this person may take (or the refused one again)."""
    out = {}
    for name in names:
        step = step_of(model, name)
        if name in given:
            out[name] = given[name]
        elif access.can(actor, step.action, record):
            out[name] = step.page_form(actor, record)
    return out


home = pages.list_view(
    "livelihood.cycle.view",
    "livelihood/cycle_list.html",
    selectors.cycle_list,
    can_create="livelihood.cycle.manage",
)


@policy("livelihood.cycle.manage")
def cycle_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    form = CycleForm(pages.bound(request))

    def create() -> Cycle:
        data = dict(form.cleaned_data)
        organiser = data.pop("organiser")
        return services.cycle_create(actor, organiser_id=organiser.pk, **data)

    return pages.form_page(
        request,
        form,
        create,
        done=_("民生实事年度已建立，请登记候选项目。"),
        to=lambda c: c.get_absolute_url(),
        template="livelihood/cycle_form.html",
    )


CYCLE_STEPS = {
    CycleState.SCREENING: ["vote_open"],
    CycleState.VOTING: ["decide"],
    CycleState.IMPLEMENTING: ["satisfaction_open"],
    CycleState.EVALUATING: ["record_results"],
}


def _cycle_page(
    request: HttpRequest, pk: int, *, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    actor = request.actor
    cycle = selectors.cycle_detail(actor=actor, cycle_id=pk)
    forms = forms or {}
    names = list(CYCLE_STEPS.get(cycle.state, []))
    if cycle.state in (CycleState.COLLECTING, CycleState.SCREENING):
        names.append("candidate")
    step_forms = _step_forms(actor, cycle, Cycle, names, forms)
    candidates = selectors.candidates_of(cycle)
    may_screen = cycle.state in (
        CycleState.COLLECTING,
        CycleState.SCREENING,
    ) and access.can(actor, "livelihood.candidate.screen")
    screen = step_of(Candidate, "screen")
    screen_forms = {
        c.pk: forms.get(f"screen:{c.pk}") or screen.page_form(actor, c)
        for c in candidates
        if may_screen
    }
    projects = list(selectors.project_list(actor=actor, year=cycle.year))
    return render(
        request,
        "livelihood/cycle_detail.html",
        {
            "cycle": cycle,
            "forms": step_forms,
            "candidate_rows": ui.candidate_rows(candidates, screen_forms, get_token(request)),
            "project_rows": ui.project_rows(projects),
            "elected": [c for c in candidates if c.state == CandidateState.ELECTED],
            "figures": selectors.build_figures(cycle.year, cycle.pk, projects),
        },
        status=status,
    )


def _candidate_invalid(request: Any, candidate: Any, step: Any, form: Any, **kw: Any) -> Any:
    return _cycle_page(
        request, candidate.cycle_id, forms={f"screen:{candidate.pk}": form}, status=kw["status"]
    )


cycle_detail = pages.detail_view(_cycle_page, "livelihood.cycle.view")


@policy("livelihood.cycle.view", per_record=True)
@require_GET
def cycle_decision(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_detail(actor=request.actor, cycle_id=pk)
    if cycle.state in (CycleState.COLLECTING, CycleState.SCREENING, CycleState.VOTING):
        raise Http404
    name, body = documents.decision_docx(cycle)
    return pages.download(body, name, documents.DOCX)


def _project_page(
    request: HttpRequest, pk: int, *, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    actor = request.actor
    project = selectors.project_detail(actor=actor, project_id=pk)
    forms = forms or {}
    indicators = list(project.indicators.all())
    lagging = project.cycle.state == CycleState.IMPLEMENTING and any(
        i.warned_gap is not None for i in indicators
    )
    # The group's and the milestones' forms are drawn when asked for (`?edit=`, the section's
    # link) or refused: the group's choices of people cost every page their rendering.
    edit = request.GET.get("edit", "")
    editing = [n for n in ("group", "milestones") if n == edit or n in forms]
    names = ["report", *editing, *(["order"] if lagging else [])]
    step_forms = _step_forms(actor, project, Project, names, forms)
    change = step_of(Indicator, "change")
    may_change = access.can(actor, change.action, project)
    # One change form at a time (the row's link asks for it): a form per indicator would cost
    # every page its rendering.
    wanted = request.GET.get("change", "")
    change_forms = {
        i.pk: forms.get(f"change:{i.pk}") or change.page_form(actor, i)
        for i in indicators
        if may_change and (f"change:{i.pk}" in forms or wanted == str(i.pk))
    }
    actuals = selectors.actuals_of(project)
    return render(
        request,
        "livelihood/project_detail.html",
        {
            "project": project,
            "forms": step_forms,
            "indicator_rows": ui.indicator_rows(
                indicators, actuals, change_forms, get_token(request), may_change=may_change
            ),
            "changes": list(
                IndicatorChange.objects.filter(indicator__project=project)
                .select_related("indicator")
                .order_by("-changed_at")
            ),
            "warnings": list(
                Warning.objects.filter(indicator__project=project)
                .select_related("indicator")
                .order_by("-fired_at")
            ),
            "orders": _orders(actor, project, forms),
            "activities": selectors.activities_of(actor=actor, project=project),
            "may_manage": access.can(actor, "livelihood.project.manage", project),
            "may_raise": access.can(actor, "rectification.finding.raise", project),
            "may_clue": access.can(actor, "clues.clue.create"),
            "record_type": "livelihood.project",
        },
        status=status,
    )


ORDER_STEPS = {
    OrderState.ISSUED: ["answer", "escalate"],
    OrderState.ANSWERED: ["close", "escalate"],
}


def _orders(actor: Any, project: Project, given: dict[str, Any]) -> list[tuple[Order, Any]]:
    """The project's supervision orders, each with the forms of the steps this person may take
    on it (or the refused one again)."""
    out = []
    for order in project.orders.select_related("to_unit", "issued_by_org"):
        mine = {k.split(":")[0]: f for k, f in given.items() if k.endswith(f":{order.pk}")}
        out.append(
            (order, _step_forms(actor, order, Order, ORDER_STEPS.get(order.state, []), mine))
        )
    return out


def _order_invalid(request: Any, order: Any, step: Any, form: Any, **kw: Any) -> Any:
    return _project_page(
        request, order.project_id, forms={f"{step.name}:{order.pk}": form}, status=kw["status"]
    )


def _indicator_invalid(request: Any, indicator: Any, step: Any, form: Any, **kw: Any) -> Any:
    return _project_page(
        request, indicator.project_id, forms={f"change:{indicator.pk}": form}, status=kw["status"]
    )


project_detail = pages.detail_view(_project_page, "livelihood.project.view")

project_list = pages.list_view(
    "livelihood.project.view",
    "livelihood/project_list.html",
    selectors.project_list,
    ProjectFilter,
)


def _actual_page(
    request: HttpRequest, pk: int, *, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    actor = request.actor
    actual = selectors.actual_detail(actor=actor, actual_id=pk)
    names = {
        ActualState.REPORTED: ["verify", "question"],
        ActualState.QUESTIONED: ["verify"],
        ActualState.VERIFIED: ["publish"] if actual.photos.all() else [],
    }[ActualState(actual.state)]
    return render(
        request,
        "livelihood/actual_detail.html",
        {
            "actual": actual,
            "project": actual.indicator.project,
            "photo_rows": ui.photo_rows(list(actual.photos.all())),
            "forms": _step_forms(actor, actual, Actual, names, forms or {}),
        },
        status=status,
    )


actual_detail = pages.detail_view(_actual_page, "livelihood.actual.view")


def _year(request: HttpRequest) -> int:
    return selectors.year_or_latest(request.GET)


@policy("livelihood.figures.view")
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    data = selectors.figures(actor=request.actor, year=year)
    return render(
        request,
        "livelihood/figures.html",
        {"data": data, "year": year, "rows": ui.figure_rows(data)},
    )


@policy("livelihood.figures.view")
@require_GET
def figures_docx(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    name, body = documents.figures_docx(selectors.figures(actor=request.actor, year=year))
    return pages.download(body, name, documents.DOCX)


@public
@require_GET
def public_progress(request: HttpRequest, year: int) -> HttpResponse:
    cycle = Cycle.objects.filter(year=year).exclude(state__in=NOT_YET_PUBLIC)
    if not cycle.exists():
        raise Http404
    projects = selectors.public_projects(year)
    data = selectors.build_figures(year, None, projects)
    return render(
        request,
        "livelihood/public.html",
        {
            "year": year,
            "data": data,
            "rows": ui.public_rows(data, selectors.public_photos(year)),
        },
    )


@public
@require_GET
def public_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A photo chosen for the public page (only those); nothing else of the report."""
    photo = Photo.objects.filter(pk=pk, public=True).select_related("attachment").first()
    if photo is None:
        raise Http404
    response = FileResponse(
        default_storage.open(photo.attachment.storage_name, "rb"),
        content_type=photo.attachment.media_type,
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


def public_url(year: int) -> str:
    return reverse("livelihood:public", args=[year])
