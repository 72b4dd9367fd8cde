"""Pages of 联评. Each view parses input, calls one service or selector, and renders; the steps
are POSTed to their own URLs (steps.py) and a refused one shows this page again."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from wulian.core import access, pages, records, steps
from wulian.core.models import Organisation
from wulian.core.viewpolicy import policy
from wulian.evaluation import documents, forms, selectors, services
from wulian.evaluation.choices import DEADLINE_DOSSIER, STAGE_ORDER, Stage
from wulian.evaluation.filters import EvaluationFilter
from wulian.evaluation.models import Evaluation

evaluation_list = pages.list_view(
    "evaluation.evaluation.view",
    "evaluation/list.html",
    selectors.evaluation_list,
    EvaluationFilter,
    can_create="evaluation.evaluation.create",
    can_figures="evaluation.evaluation.view",
    can_import="evaluation.evaluation.conduct",
)


def _create_data(form: forms.CreateForm) -> dict[str, Any]:
    d = form.cleaned_data
    return {
        "decision_id": d["decision"],
        "department_id": d["department"].pk,
        "year": d["year"],
        "working_body_id": d["working_body"].pk,
        "stationed_group_id": d["stationed_group"].pk if d.get("stationed_group") else None,
        "lead_id": d["lead"].pk if d.get("lead") else None,
        "cdi_id": d["cdi"].pk if d.get("cdi") else None,
        "title": d.get("title") or "",
    }


def create_from(*, actor: Any, data: dict[str, Any]) -> Evaluation:
    return services.evaluation_create(actor=actor, **data)


@policy("evaluation.evaluation.create")
def evaluation_create(request: HttpRequest) -> HttpResponse:
    form = forms.CreateForm(pages.bound(request))
    return pages.form_page(
        request,
        form,
        lambda: create_from(actor=request.actor, data=_create_data(form)),
        done=lambda e: (
            _("已立项：%(t)s。纪委监委须在10个工作日内提供评议参考材料。") % {"t": e.title}
        ),
        to=lambda e: e.get_absolute_url(),
        template="evaluation/form.html",
    )


# Which forms the record page offers, by stage (the declared steps; the rights are checked
# per person below).
STAGE_STEPS: dict[str, tuple[str, ...]] = {
    Stage.APPROVED: ("dossier_add", "dossier_deliver", "dimensions", "advance"),
    Stage.BEFORE: ("dossier_add", "activity_add", "dimensions", "advance", "self_report"),
    Stage.DURING: (
        "activity_add",
        "activity_held",
        "self_report",
        "finding",
        "scores",
        "dimensions",
        "advance",
        "clue",
    ),
    Stage.VOTING: ("vote", "opinion", "finding", "scores", "clue"),
    Stage.OPINION_SENT: ("share", "finding", "clue"),
    Stage.RECTIFYING: ("report_heard", "self_report", "finding", "clue"),
    Stage.REPORT_HEARD: ("close",),
    Stage.CLOSED: (),
}
ALWAYS = ("conduct",)


def _bound_forms(actor: Any, e: Evaluation, given: dict[str, Any]) -> dict[str, Any]:
    offered: dict[str, Any] = {}
    for name in (*STAGE_STEPS[e.stage], *ALWAYS):
        step = steps.step_of(Evaluation, name)
        if not access.can(actor, step.action, e):
            continue
        if name == "dossier_deliver" and e.dossier_delivered_at is not None:
            continue
        initial: dict[str, Any] = {}
        if name == "dimensions":
            initial["dimensions"] = "\n".join(e.dimensions)
        if name == "scores":  # a page of its own (the score sheet): the record page links it
            continue
        offered[name] = given.get(name) or step.page_form(actor, e, initial=initial)
    return offered


def evaluation_page(
    request: HttpRequest, pk: int, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    e = selectors.evaluation_for_page(pk)
    if e is None:
        raise Http404
    actor = request.actor  # type: ignore[attr-defined]
    access.require(actor, "evaluation.evaluation.view", e)
    acts = selectors.activities(e)
    offered = _bound_forms(actor, e, forms or {})
    if "activity_held" in offered:
        offered["activity_held"].fields["attended"].queryset = Organisation.objects.filter(
            pk__in=[e.stationed_group_id, e.department_id, e.working_body_id]
        )
    from wulian.core.attachments.models import Attachment

    history = selectors.department_history(actor=actor, evaluation=e)
    context = {
        "e": e,
        "stage_bar": [label for _v, label in Stage.choices],
        "stage_index": STAGE_ORDER.index(e.stage) if e.stage != Stage.CLOSED else len(STAGE_ORDER),
        "team": list(e.team.all()),
        "activities": acts,
        "planned": [a for a in acts if a.state == "planned" and a.pk != e.talk_id],
        "rects": selectors.rectifications(e),
        "deadlines": [
            d
            for d in selectors.deadlines(e)
            if d.kind != DEADLINE_DOSSIER or access.can(actor, "evaluation.dossier.view", e)
        ],
        "reports": list(
            Attachment.objects.filter(**records.reference(e), removed_at=None).order_by("id")
        ),
        "clues": selectors.clue_links(actor=actor, evaluation=e),
        "sees_dossier": access.can(actor, "evaluation.dossier.view", e),
        "grade": services.grade_label(e.grade) if e.grade else "",
        "reevaluate": services.reevaluation_due(e),
        "forms_html": step_forms_html(request, e, offered),
        "offered": list(offered),
        "scores_url": reverse("evaluation:step_scores", args=[e.pk])
        if "scores" in STAGE_STEPS[e.stage] and access.can(actor, services.MANAGE, e)
        else "",
        "timeline": selectors.records_timeline(e, actor),
        "history": [(h, services.grade_label(h.grade) if h.grade else "—") for h in history],
        "reevaluation_of": next(
            (h for h in history if h.year == e.year - 1 and services.reevaluation_due(h)), None
        ),
    }
    return render(request, "evaluation/detail.html", context, status=status)


def scores_page(
    request: HttpRequest, e: Evaluation, form: forms.ScoresForm | None = None, status: int = 200
) -> HttpResponse:
    """The team's score sheet (the declared step `scores`' page, evaluation/steps.py): one
    field per evaluated dimension, filled with the scores already recorded."""
    if form is None:
        initial = {
            f"d{i}": e.dimension_scores[d]
            for i, d in enumerate(e.dimensions, start=1)
            if d in (e.dimension_scores or {})
        }
        form = steps.step_of(Evaluation, "scores").page_form(
            request.actor,  # type: ignore[attr-defined]
            e,
            initial=initial,
        )
    return render(request, "evaluation/scores_form.html", {"form": form, "e": e}, status=status)


evaluation_detail = pages.detail_view(evaluation_page, "evaluation.evaluation.view")


DOSSIER_STEPS = ("dossier_attach", "dossier_use")


def dossier_page(
    request: HttpRequest, pk: int, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    """The confidential reference dossier with its files: the team and the CDI only; every
    reading audited (a refused step's form shown again is a reading too)."""
    e = get_object_or_404(Evaluation.objects.select_related("department", "cdi"), pk=pk)
    actor = request.actor  # type: ignore[attr-defined]
    access.require(actor, "evaluation.evaluation.view", e)
    items = services.dossier_read(actor=actor, evaluation=e, via="page")
    given = forms or {}
    offered: dict[str, Any] = {}
    for name in DOSSIER_STEPS:
        step = steps.step_of(Evaluation, name)
        if name == "dossier_attach" and e.stage not in STAGE_ORDER[:4]:
            continue
        if items and access.can(actor, step.action, e):
            offered[name] = given.get(name) or step.page_form(actor, e)
    return render(
        request,
        "evaluation/dossier.html",
        {
            "e": e,
            "items": items,
            "use_form": offered.get("dossier_use"),
            "attach_form": offered.get("dossier_attach"),
        },
        status=status,
    )


@policy("evaluation.evaluation.view", per_record=True)
@require_GET
def dossier(request: HttpRequest, pk: int) -> HttpResponse:
    return dossier_page(request, pk)


@policy("evaluation.evaluation.view", per_record=True)
@require_GET
def opinion_docx(request: HttpRequest, pk: int) -> HttpResponse:
    e = get_object_or_404(Evaluation.objects.select_related("department", "working_body"), pk=pk)
    access.require(request.actor, "evaluation.evaluation.view", e)  # type: ignore[attr-defined]
    body = documents.opinion_letter(e)
    return pages.download(body, f"{e.title}-评议意见书.docx", documents.DOCX_CONTENT_TYPE)


@policy("evaluation.evaluation.view")
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    years = selectors.years(actor=actor)
    year = pages.year_of(request.GET) or (years[0] if years else None)
    data = selectors.figures(actor=actor, year=year) if year else None
    return render(
        request,
        "evaluation/figures.html",
        {"f": data, "years": years, "year": year, "rows_html": _figure_rows(data)},
    )


def _figure_rows(data: dict[str, Any] | None) -> Any:
    """The figures' rows as one piece of HTML (ADR 0018: no include inside a loop)."""
    from django.utils.html import format_html_join

    if not data:
        return ""
    dims = list(data["dimensions"])
    return format_html_join(
        "\n",
        '<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td><td>{}</td>'
        '<td>{}</td>{}<td><a href="{}#rectification">{}/{}</a></td></tr>',
        (
            (
                r["evaluation"].get_absolute_url(),
                r["evaluation"].department.name,
                services.grade_label(r["evaluation"].grade),
                r["evaluation"].score or "—",
                r["evaluation"].conduct_grade or "—",
                r["evaluation"].get_stage_display(),
                format_html_join(
                    "",
                    "<td>{}</td>",
                    ((r["evaluation"].dimension_scores.get(d, "—"),) for d in dims),
                ),
                r["evaluation"].get_absolute_url(),
                r["rect_on_time"],
                r["rect_total"],
            )
            for r in data["rows"]
        ),
    )


@policy("evaluation.evaluation.conduct")
def conduct_import(request: HttpRequest) -> HttpResponse:
    """行风政风评议: the grades of many departments from one workbook (all rows or none)."""
    from wulian.evaluation import imports

    actor = request.actor  # type: ignore[attr-defined]
    return pages.import_page(
        request,
        forms.ConductImportForm(request.POST or None, request.FILES or None),
        lambda d: imports.conduct_import(actor=actor, file=d["file"], filename=d["file"].name),
        done=lambda result: _("导入完成：%(s)s。") % {"s": imports.summary(result)},
        back=reverse("evaluation:figures"),
        template="evaluation/conduct_import.html",
    )


@policy("evaluation.evaluation.conduct")
@require_GET
def conduct_template(request: HttpRequest) -> HttpResponse:
    from wulian.evaluation import imports

    return pages.download(imports.template_workbook(), str(imports.TEMPLATE_NAME))


def url_of(e: Evaluation) -> str:
    return reverse("evaluation:detail", args=[e.pk])


BUTTONS = {
    "dimensions": gettext_lazy("保存评议内容"),
    "dossier_add": gettext_lazy("提交参考材料"),
    "dossier_deliver": gettext_lazy("参考材料提交完毕"),
    "advance": gettext_lazy("进入下一阶段"),
    "activity_add": gettext_lazy("安排评议活动"),
    "activity_held": gettext_lazy("登记已举行"),
    "self_report": gettext_lazy("上传报告"),
    "finding": gettext_lazy("交办整改"),
    "vote": gettext_lazy("登记测评结果"),
    "opinion": gettext_lazy("送达评议意见书"),
    "share": gettext_lazy("向纪委监委通报评议结果"),
    "report_heard": gettext_lazy("登记整改报告审议"),
    "close": gettext_lazy("办结"),
    "conduct": gettext_lazy("登记行风政风评议等次"),
    "scores": gettext_lazy("保存各项得分"),
    "clue": gettext_lazy("起草问题线索"),
}


def step_forms_html(request: HttpRequest, e: Evaluation, offered: dict[str, Any]) -> Any:
    """Each offered step's form, one piece of HTML (ADR 0018: no include inside a loop)."""
    from django.middleware.csrf import get_token
    from django.utils.html import format_html, format_html_join

    token = get_token(request)
    return format_html_join(
        "\n",
        '<form method="post" action="{}" enctype="multipart/form-data" novalidate '
        'data-step="{}"><h3>{}</h3>{}{}<input type="hidden" name="csrfmiddlewaretoken" '
        'value="{}"><button type="submit" class="primary">{}</button></form>',
        (
            (
                reverse(f"evaluation:step_{name}", args=[e.pk]),
                name,
                BUTTONS[name],
                format_html(
                    '<div class="form-errors" role="alert">{}</div>',
                    " ".join(str(x) for x in form.non_field_errors()),
                )
                if form.non_field_errors()
                else "",
                form.as_div(),
                token,
                BUTTONS[name],
            )
            for name, form in offered.items()
        ),
    )
