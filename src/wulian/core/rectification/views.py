"""Pages of findings and rectification: the ledger (整改台账) and its .xlsx export, the
rectification page with its steps, the finding page, and the forms to raise and correct a
finding. Each view parses input, calls one service or selector, and renders."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wulian.core import access, background, keyset, pages, records
from wulian.core.models import Organisation
from wulian.core.rectification import exports, selectors, services
from wulian.core.rectification.choices import RectificationState, Step, steps_from
from wulian.core.rectification.filters import RectificationFilter
from wulian.core.rectification.forms import (
    CloseForm,
    CommitForm,
    FindingEditForm,
    FindingForm,
    ReopenForm,
    ReportForm,
    SubmitForm,
)
from wulian.core.rectification.models import Finding, Rectification
from wulian.core.rectification.policies import raising_org_ids
from wulian.core.viewpolicy import policy

# --- The ledger ----------------------------------------------------------------------------


def _filters(request: HttpRequest) -> dict[str, str]:
    return {k: request.GET.get(k, "") for k in RectificationFilter.base_filters}


@policy("rectification.rectification.view")
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    qs = selectors.rectification_ledger(actor=request.actor, filters=request.GET)
    page = keyset.page_for(request, selectors.ledger_rows(qs))
    query = keyset.query_without_cursor(request)
    return render(
        request,
        "rectification/ledger.html",
        {
            "page": page,
            "filter": RectificationFilter(request.GET),
            "query": query,
            "now": timezone.now(),
        },
    )


@policy("rectification.rectification.view")
@require_GET
def ledger_export(request: HttpRequest) -> HttpResponse:
    """The ledger's .xlsx: at once up to a few hundred rows, else a background export whose
    page shows its progress (core.background)."""
    filters = _filters(request)
    return background.export_response(
        request,
        kind=exports.BACKGROUND_KIND,
        title=_("导出整改台账"),
        filename=_("整改台账-%(d)s.xlsx") % {"d": timezone.localdate().strftime("%Y%m%d")},
        params=filters,
        total=exports.ledger_rows(actor=request.actor, filters=filters),
        now=lambda: exports.ledger_workbook(actor=request.actor, filters=filters),
        content_type=exports.XLSX_CONTENT_TYPE,
    )


# --- The rectification page and its steps --------------------------------------------------


def _detail_page(
    request: HttpRequest, pk: int, *, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    get_object_or_404(Rectification, pk=pk)
    actor = request.actor
    rect = selectors.rectification_detail(actor=actor, rectification_id=pk)
    forms = forms or {}
    steps = set(steps_from(rect.state))
    may_respond = access.can(actor, "rectification.rectification.respond", rect)
    may_verify = access.can(actor, "rectification.rectification.verify", rect)
    v = {"version": rect.version}
    context: dict[str, Any] = {
        "rect": rect,
        "finding": rect.finding,
        "reports": selectors.progress_reports(rectification=rect),
        "timeline": selectors.rectification_timeline(rectification=rect),
        "may_respond": may_respond,
        "may_verify": may_verify,
        "States": RectificationState,
    }
    if may_respond and Step.COMMIT in steps:
        context["commit_form"] = forms.get("commit") or CommitForm(
            initial={**v, "commitment": rect.commitment, "planned_completion": None}
        )
    if may_respond and Step.REPORT in steps:
        context["report_form"] = forms.get("report") or ReportForm(initial=v)
    if may_respond and Step.SUBMIT in steps:
        context["submit_form"] = forms.get("submit") or SubmitForm(initial=v)
    if may_verify and Step.CLOSE in steps:
        context["close_form"] = forms.get("close") or CloseForm(initial=v)
    if may_verify and Step.REOPEN in steps:
        context["reopen_form"] = forms.get("reopen") or ReopenForm(initial=v)
    return render(request, "rectification/rectification_detail.html", context, status=status)


rectification_detail = pages.detail_view(_detail_page, "rectification.rectification.view")


# commit, report, submit, close and reopen: the declared steps (rectification/steps.py).


# --- Findings ------------------------------------------------------------------------------


@policy("rectification.finding.view", per_record=True)
@require_GET
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Finding, pk=pk)
    finding = selectors.finding_detail(actor=request.actor, finding_id=pk)
    source = finding.record
    return render(
        request,
        "rectification/finding_detail.html",
        {
            "finding": finding,
            "rectifications": selectors.visible_rectifications(
                actor=request.actor, finding=finding
            ),
            "source": source
            if source is not None and records.can_view(request.actor, source)
            else None,
            "source_type": finding.content_type.model_class()._meta.verbose_name
            if finding.content_type.model_class()
            else "",
            "timeline": _finding_timeline(finding),
            "can_edit": access.can(request.actor, "rectification.finding.edit", finding),
        },
    )


def _finding_timeline(finding: Finding) -> list[Any]:
    from wulian.core.selectors import record_timeline

    return record_timeline(target_type="rectification.finding", target_id=finding.pk)


# Records a finding is not raised on: this app's own, and clues (confidential; a finding is
# seen by many more people than a clue).
NOT_A_SOURCE = frozenset(
    {"rectification.finding", "rectification.rectification", "rectification.progressreport"}
    | {"clues.clue"}
)


def _record(record_type: str, record_id: int) -> Any:
    from wulian.core.attachments.selectors import record_for

    try:
        record = record_for(record_type, record_id)
    except LookupError:
        raise Http404 from None
    if records.record_label(record) in NOT_A_SOURCE:
        raise Http404
    return record


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@policy("rectification.finding.raise", per_record=True)
def finding_raise(request: HttpRequest, record_type: str, record_id: int) -> HttpResponse:
    record = _record(record_type, record_id)
    actor = request.actor
    records.require_view(actor, record)
    access.require(actor, "rectification.finding.raise", record)
    raisers = Organisation.objects.filter(pk__in=raising_org_ids(actor), is_active=True).order_by(
        "sort_order", "code"
    )
    floor = getattr(record, "sensitivity", "") or ""
    form = FindingForm(
        request.POST if request.method == "POST" else None,
        raisers=raisers,
        sensitivity_floor=floor,
    )
    return pages.form_page(
        request,
        form,
        lambda: services.finding_raise(actor=actor, record=record, data=form.to_data()),
        done=_("问题已提出，已通知整改责任单位。"),
        to=lambda finding: _next_url(request, finding.get_absolute_url()),
        template="rectification/finding_form.html",
        record=record,
        record_type_label=record._meta.verbose_name,
        next=_next_url(request, ""),
    )


@policy("rectification.finding.edit", per_record=True)
def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_object_or_404(Finding, pk=pk)
    access.require(request.actor, "rectification.finding.edit", finding)
    initial = {k: getattr(finding, k) for k in FindingEditForm.base_fields if k != "version"}
    form = FindingEditForm(
        request.POST if request.method == "POST" else None,
        initial={**initial, "version": finding.version},
    )
    return pages.form_page(
        request,
        form,
        lambda: services.finding_update(
            actor=request.actor,
            finding_id=finding.pk,
            version=form.cleaned_data["version"],
            data=form.to_data(),
        ),
        done=_("问题信息已保存。"),
        to=finding.get_absolute_url(),
        template="rectification/finding_form.html",
        finding=finding,
    )
