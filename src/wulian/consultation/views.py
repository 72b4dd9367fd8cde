"""Pages of 联商: the register (重大事项登记簿) with its calendar, a matter's page, the joint
meetings, the joint analyses with their import and report, and the figures with the records
behind each number. Each view parses input, calls one selector or service, and renders."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from wulian.consultation import documents, selectors, services, ui
from wulian.consultation.choices import AnalysisSubject, MatterKind
from wulian.consultation.filters import AnalysisFilter, MatterFilter
from wulian.consultation.forms import AnalysisForm, MatterForm
from wulian.consultation.models import Analysis, Matter
from wulian.consultation.policies import manager_org_ids
from wulian.consultation.services import imports as import_services
from wulian.consultation.services.matters import FIELDS as MATTER_FIELDS
from wulian.core import access, background, keyset, pages
from wulian.core.forms import ImportForm
from wulian.core.models import Organisation
from wulian.core.steps import step_of
from wulian.core.viewpolicy import policy

# --- Rows -----------------------------------------------------------------------------------


def _matter_cells() -> list[ui.Cell]:
    return [
        (_("事项名称"), lambda m: ui.link(m.get_absolute_url(), m.title)),
        (_("所属方"), lambda m: m.get_side_display()),
        (_("牵头单位"), lambda m: m.owner_org.name),
        (_("事项类别"), lambda m: m.get_kind_display()),
        (_("期间"), lambda m: f"{m.starts_on:%Y-%m-%d} — {m.ends_on:%Y-%m-%d}"),
        (_("知悉范围"), lambda m: m.get_sensitivity_display()),
        (_("状态"), lambda m: m.get_status_display()),
    ]


def _analysis_cells() -> list[ui.Cell]:
    return [
        (_("研判名称"), lambda a: ui.link(a.get_absolute_url(), a.title)),
        (_("研判领域"), lambda a: a.get_subject_display()),
        (_("年度"), lambda a: a.year),
        (_("牵头单位"), lambda a: a.lead_org.name),
        (_("协同单位"), lambda a: a.partner_org.name),
        (_("整改事项"), lambda a: f"{a.n_rectified}/{a.n_items}"),
        (_("状态"), lambda a: a.get_state_display()),
    ]


def _meeting_cells() -> list[ui.Cell]:
    return [
        (_("会议名称"), lambda a: ui.link(a.get_absolute_url(), a.title)),
        (_("类型"), lambda a: a.get_kind_display()),
        (_("时间"), lambda a: f"{timezone.localtime(a.starts_at):%Y-%m-%d %H:%M}"),
        (_("组织单位"), lambda a: a.organiser.name),
        (_("状态"), lambda a: a.get_state_display()),
    ]


def _titled(title_of: Any, state_of: Any) -> list[ui.Cell]:
    return [
        (_("名称"), lambda r: ui.link(r.get_absolute_url(), title_of(r))),
        (_("状态"), state_of),
    ]


# The records behind each figure: (title, cells, how the queryset is read).
RECORD_LISTS: dict[str, tuple[Any, Any, Any]] = {
    "meetings": (
        gettext_lazy("联席会议和会商会审"),
        _meeting_cells,
        lambda qs: qs.select_related("organiser").order_by("-starts_at"),
    ),
    "actions": (
        gettext_lazy("议定事项"),
        lambda: [
            (_("落实事项"), lambda a: ui.link(a.get_absolute_url(), a.title)),
            (_("责任单位"), lambda a: a.owner_org.name),
            (_("完成时限"), lambda a: f"{timezone.localtime(a.due_at):%Y-%m-%d}"),
            (
                _("报告时间"),
                lambda a: f"{timezone.localtime(a.reported_at):%Y-%m-%d}" if a.reported_at else "—",
            ),
            (_("状态"), lambda a: a.get_state_display()),
        ],
        lambda qs: qs.select_related("owner_org").order_by("due_at", "id"),
    ),
    "rounds": (
        gettext_lazy("相互征求意见"),
        lambda: _titled(
            lambda r: f"{r.year} {r.title}（{r.drafter.name}）", lambda r: r.get_state_display()
        ),
        lambda qs: qs.select_related("drafter").order_by("-year", "-id"),
    ),
    "bulletins": (
        gettext_lazy("通报"),
        lambda: _titled(lambda b: f"{b.year} {b.title}", lambda b: b.get_state_display()),
        lambda qs: qs.order_by("-year", "-id"),
    ),
    "analyses": (gettext_lazy("联合研判"), _analysis_cells, None),
    "findings": (
        gettext_lazy("研判发现的问题"),
        lambda: _titled(lambda f: f.title, lambda f: f.get_severity_display()),
        lambda qs: qs.order_by("-found_at", "-id"),
    ),
    "rectifications": (
        gettext_lazy("整改"),
        lambda: [
            (_("问题"), lambda r: ui.link(r.get_absolute_url(), r.finding.title)),
            (_("整改责任单位"), lambda r: r.responsible_org.name),
            (_("状态"), lambda r: r.get_state_display()),
        ],
        lambda qs: qs.select_related("finding", "responsible_org").order_by("-id"),
    ),
}


# --- The register ---------------------------------------------------------------------------


def _owners(actor: Any) -> Any:
    return Organisation.objects.filter(pk__in=manager_org_ids(actor), is_active=True).order_by(
        "sort_order", "code"
    )


def _created(
    request: HttpRequest, form: Any, run: Any, *, done: str, title: str, back: str
) -> HttpResponse:
    """A page whose form makes a record (`run()`, the service), then shows the record."""
    return pages.form_page(
        request,
        form,
        run,
        done=done,
        to=lambda record: record.get_absolute_url(),
        template="consultation/form.html",
        title=title,
        back=back,
    )


def _step_page(
    request: HttpRequest, matter: Matter, form: Any, title: str, url_name: str, status: int
) -> HttpResponse:
    """A declared step's page on a matter: its form, posted to `url_name`."""
    return render(
        request,
        "consultation/form.html",
        {
            "form": form,
            "title": title,
            "back": matter.get_absolute_url(),
            "action": reverse(url_name, args=[matter.pk]),
        },
        status=status,
    )


def _or_404(model: Any, find: Any) -> Any:
    """`find()`'s record, or 404 where it is not there or not the caller's to see."""
    try:
        return find()
    except model.DoesNotExist:
        raise Http404 from None


@policy("consultation.home.view")
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    page = keyset.page_for(request, selectors.matter_list(actor=actor, filters=request.GET))
    cells = _matter_cells()
    return render(
        request,
        "consultation/register.html",
        {
            "page": page,
            "head": ui.head_html(cells),
            "rows": ui.rows_html(page.object_list, cells),
            "filter": MatterFilter(request.GET),
            "query": keyset.query_without_cursor(request),
            "may_create": access.can(actor, "consultation.matter.create"),
            "year": timezone.localdate().year,
        },
    )


@policy("consultation.matter.create")
def matter_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = MatterForm(pages.bound(request), owners=_owners(actor), parents=selectors.parents(actor))
    return _created(
        request,
        form,
        lambda: services.matter_create(actor=actor, data=form.to_data()),
        done=_("事项已登记；知悉范围为双方共享的，已告知对方。"),
        title=_("登记重大事项"),
        back=reverse("consultation:register"),
    )


def matter_page(
    request: HttpRequest, pk: int, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    matter = _or_404(Matter, lambda: selectors.matter_detail(actor=actor, matter_id=pk))
    forms = forms or {}
    manage = access.can(actor, "consultation.matter.manage", matter)
    links = selectors.linked_records(actor=actor, matter=matter)
    is_inspection = matter.kind == MatterKind.LAW_INSPECTION
    inspection = selectors.inspection(actor=actor, matter=matter) if is_inspection else None
    context = {
        "matter": matter,
        "links": links,
        "is_inspection": is_inspection,
        "inspection": inspection,
        "timeline": selectors.matter_timeline(matter=matter),
        "children": list(selectors.children(actor=actor, matter=matter)),
        "parent_visible": matter.parent is not None
        and access.can(actor, "consultation.matter.view", matter.parent),
        "manage": manage,
    }
    if manage:
        context["link_form"] = forms.get("link") or step_of(Matter, "link").page_form(actor, matter)
        if links or "unlink" in forms:
            context["unlink_form"] = forms.get("unlink") or step_of(Matter, "unlink").page_form(
                actor, matter
            )
        if inspection is not None:
            context["problem_form"] = forms.get("problem") or step_of(Matter, "problem").page_form(
                actor, matter
            )
            if any(r.finding_id is None for r in inspection.findings.all()) or "hand_on" in forms:
                context["hand_on_form"] = forms.get("hand_on") or step_of(
                    Matter, "hand_on"
                ).page_form(actor, matter)
    return render(request, "consultation/matter_detail.html", context, status=status)


matter_detail = pages.detail_view(matter_page, "consultation.matter.view")


def matter_edit_page(
    request: HttpRequest, matter: Matter, form: Any = None, status: int = 200
) -> HttpResponse:
    """The declared step `edit`'s page (consultation/steps.py)."""
    if form is None:
        initial = {k: getattr(matter, k) for k in MATTER_FIELDS}
        initial["parent"] = matter.parent_id
        form = step_of(Matter, "edit").page_form(request.actor, matter, initial=initial)  # type: ignore[attr-defined]
    return _step_page(request, matter, form, _("修改重大事项"), "consultation:matter_edit", status)


def inspection_edit_page(
    request: HttpRequest, matter: Matter, form: Any = None, status: int = 200
) -> HttpResponse:
    """The declared step `inspection`'s page (consultation/steps.py): the inspection's fields."""
    if form is None:
        from wulian.consultation.models import Inspection

        found = Inspection.objects.filter(matter=matter).first()
        initial: dict[str, Any] = {}
        if found is not None:
            initial = {k: getattr(found, k) for k in ("law", "scope", "plan", "teams")}
            initial |= {"report": found.report, "opinions": found.opinions}
            initial["departments"] = list(found.departments.values_list("pk", flat=True))
        form = step_of(Matter, "inspection").page_form(request.actor, matter, initial=initial)  # type: ignore[attr-defined]
    return _step_page(
        request,
        matter,
        form,
        _("执法检查情况：%(t)s") % {"t": matter.title},
        "consultation:matter_inspection",
        status,
    )


@policy("consultation.home.view")
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    year = pages.year_of(request.GET) or timezone.localdate().year
    months = selectors.calendar(actor=request.actor, year=year)  # type: ignore[attr-defined]
    return render(
        request,
        "consultation/calendar.html",
        {
            "year": year,
            "rows": ui.calendar_rows(months, _("%(m)s月")),
            "prev": year - 1,
            "next": year + 1,
        },
    )


@policy("consultation.home.view")
@require_GET
def meetings(request: HttpRequest) -> HttpResponse:
    year = pages.year_of(request.GET)
    qs = selectors.joint_meetings(actor=request.actor, year=year)  # type: ignore[attr-defined]
    page = keyset.page_for(request, qs.order_by("-id"))
    cells = _meeting_cells()
    return render(
        request,
        "consultation/records.html",
        {
            "title": _("联席会议和会商会审"),
            "page": page,
            "head": ui.head_html(cells),
            "rows": ui.rows_html(page.object_list, cells),
            "query": keyset.query_without_cursor(request),
            "new_meeting": access.can(request.actor, "activities.activity.create"),  # type: ignore[attr-defined]
        },
    )


# --- Joint analyses -------------------------------------------------------------------------


@policy("consultation.analysis.view")
@require_GET
def analyses(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    page = keyset.page_for(request, selectors.analysis_list(actor=actor, filters=request.GET))
    cells = _analysis_cells()
    return render(
        request,
        "consultation/analyses.html",
        {
            "page": page,
            "head": ui.head_html(cells),
            "rows": ui.rows_html(page.object_list, cells),
            "filter": AnalysisFilter(request.GET),
            "query": keyset.query_without_cursor(request),
            "may_create": access.can(actor, "consultation.analysis.create"),
        },
    )


def analysis_choices(actor: Any) -> dict[str, Any]:
    from wulian.consultation.selectors import BOTH_SIDES

    return {
        "leads": _owners(actor),
        "partners": Organisation.objects.filter(kind__in=BOTH_SIDES, is_active=True).order_by(
            "sort_order", "code"
        ),
        "matters": access.scope(actor, "consultation.matter.view", Matter.objects.all()),
    }


@policy("consultation.analysis.create")
def analysis_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = AnalysisForm(pages.bound(request), **analysis_choices(actor))
    return _created(
        request,
        form,
        lambda: services.analysis_create(actor=actor, data=form.to_data()),
        done=_("联合研判已建立，已通知协同单位指定研判人员。请导入审计整改清单或预算执行数据。"),
        title=_("建立联合研判"),
        back=reverse("consultation:analyses"),
    )


def analysis_page(
    request: HttpRequest, pk: int, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    analysis = _or_404(Analysis, lambda: selectors.analysis_detail(actor=actor, analysis_id=pk))
    forms = forms or {}
    manage = access.can(actor, "consultation.analysis.manage", analysis)
    is_open = analysis.state == "open"
    budget = analysis.subject == AnalysisSubject.BUDGET
    context = {
        "analysis": analysis,
        "budget": selectors.budget_counts(analysis) if budget else None,
        "counts": None if budget else selectors.analysis_counts(analysis),
        "analysts": list(analysis.analysts.select_related("person", "organisation").order_by("id")),
        "page": selectors.analysis_items(
            analysis=analysis, after=keyset.parse_after(request.GET.get("after"))
        ),
        "query": keyset.query_without_cursor(request),
        "clues": selectors.clues_from(actor=actor, analysis=analysis),
        "manage": manage,
        "is_open": is_open,
        "may_raise": access.can(actor, "rectification.finding.raise", analysis),
        "may_refer": access.can(actor, "clues.clue.create"),
        "matter_visible": analysis.matter is not None
        and access.can(actor, "consultation.matter.view", analysis.matter),
    }
    if manage:
        context["analyst_form"] = forms.get("analyst") or step_of(Analysis, "analyst").page_form(
            actor, analysis
        )
        if is_open:
            context["report_form"] = forms.get("report") or step_of(Analysis, "report").page_form(
                actor, analysis
            )
    return render(request, "consultation/analysis_detail.html", context, status=status)


analysis_detail = pages.detail_view(analysis_page, "consultation.analysis.view")


@policy("consultation.analysis.manage", per_record=True)
def analysis_import(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    analysis = Analysis.objects.filter(pk=pk).first()
    if analysis is None:
        raise Http404
    access.require(actor, "consultation.analysis.manage", analysis)
    if analysis.subject == AnalysisSubject.BUDGET:
        title = _("导入预算执行数据：%(t)s") % {"t": analysis.title}
    else:
        title = _("导入审计整改清单：%(t)s") % {"t": analysis.title}
    return pages.import_page(
        request,
        ImportForm(request.POST or None, request.FILES or None),
        lambda d: services.audit_items_import(
            actor=actor, analysis_id=analysis.pk, file=d["file"], filename=d["file"].name
        ),
        done=lambda result: _("导入完成：%(s)s。") % {"s": import_services.summary(result)},
        back=analysis.get_absolute_url(),
        template="consultation/import.html",
        title=title,
        analysis=analysis,
        queued=lambda d: background.queue_import(
            request,
            kind=import_services.BACKGROUND_KIND,
            title=title,
            upload=d["file"],
            params={"analysis_id": analysis.pk},
        ),
    )


@policy("consultation.analysis.create")
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    if request.GET.get("kind") == "budget":
        body = import_services.template_workbook(budget=True)
        return pages.download(body, _("预算执行数据导入模板.xlsx"))
    return pages.download(import_services.template_workbook(), _("审计整改清单导入模板.xlsx"))


@policy("consultation.analysis.view", per_record=True)
@require_GET
def analysis_docx(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = Analysis.objects.select_related("lead_org", "partner_org").filter(pk=pk).first()
    if analysis is None:
        raise Http404
    body = documents.analysis_report(actor=request.actor, analysis=analysis)  # type: ignore[attr-defined]
    return pages.download(body, f"{analysis.title}研判报告.docx", documents.DOCX_CONTENT_TYPE)


# --- Figures --------------------------------------------------------------------------------


@policy("consultation.figures.view")
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    year = pages.year_of(request.GET)
    rows = selectors.figures(actor=request.actor, year=year)  # type: ignore[attr-defined]
    return render(
        request,
        "consultation/figures.html",
        {"figures": rows, "year": year, "this_year": timezone.localdate().year},
    )


@policy("consultation.figures.view")
@require_GET
def figure_records(request: HttpRequest) -> HttpResponse:
    what = request.GET.get("what", "")
    if what not in RECORD_LISTS:
        raise Http404
    year = pages.year_of(request.GET)
    actor = request.actor  # type: ignore[attr-defined]
    title, cells_of, shape = RECORD_LISTS[what]
    if what == "analyses":
        qs = selectors.analysis_list(actor=actor, filters={"year": year} if year else {})
    else:
        qs = shape(selectors.figure_queries(actor=actor, year=year)[what])
    page = keyset.page_for(request, qs.order_by("-id"))
    cells = cells_of()
    return render(
        request,
        "consultation/records.html",
        {
            "title": f"{year or _('全部年度')} {title}",
            "page": page,
            "head": ui.head_html(cells),
            "rows": ui.rows_html(page.object_list, cells),
            "query": keyset.query_without_cursor(request),
            "back": reverse("consultation:figures") + (f"?year={year}" if year else ""),
        },
    )
