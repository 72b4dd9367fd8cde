"""Pages of bulletins: the ledger (通报台账), the receipts list (the figures' click-through),
the figures, the bulletin page with its steps, its .docx, and the forms to draft, edit and open
a series. Each view parses input, calls one service or selector, and renders."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wulian.core import access, keyset, pages
from wulian.core.bulletins import exports, selectors, services
from wulian.core.bulletins.choices import BulletinState, FeedbackState, ReceiptState
from wulian.core.bulletins.filters import BulletinFilter, ReceiptFilter
from wulian.core.bulletins.forms import BulletinEditForm, BulletinForm, SeriesForm
from wulian.core.bulletins.models import Bulletin
from wulian.core.bulletins.policies import issuer_org_ids, own_rows
from wulian.core.models import Organisation
from wulian.core.steps import step_of
from wulian.core.viewpolicy import policy


def _issuers(actor: Any) -> Any:
    return Organisation.objects.filter(pk__in=issuer_org_ids(actor), is_active=True).order_by(
        "sort_order", "code"
    )


# --- Lists and figures ----------------------------------------------------------------------


@policy("bulletins.bulletin.view")
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    qs = selectors.bulletin_ledger(actor=request.actor, filters=request.GET)
    return render(
        request,
        "bulletins/ledger.html",
        {
            "page": keyset.page_for(request, qs),
            "filter": BulletinFilter(request.GET),
            "query": keyset.query_without_cursor(request),
            "may_create": access.can(request.actor, "bulletins.bulletin.create"),
        },
    )


@policy("bulletins.bulletin.view")
@require_GET
def receipts(request: HttpRequest) -> HttpResponse:
    qs = selectors.receipt_list(actor=request.actor, filters=request.GET).order_by("-id")
    page = keyset.page_for(request, qs)
    now = timezone.now()
    rows = [
        {
            "rec": r,
            "receipt": ReceiptState(selectors.receipt_state(r, now)),
            "feedback": FeedbackState(selectors.feedback_state(r, now)),
        }
        for r in page.object_list
    ]
    return render(
        request,
        "bulletins/receipts.html",
        {
            "page": page,
            "rows": rows,
            "filter": ReceiptFilter(request.GET),
            "query": keyset.query_without_cursor(request),
        },
    )


@policy("bulletins.figures.view")
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    if year is not None and not 1900 <= year <= 9999:
        year = None
    data = selectors.figures(actor=request.actor, year=year)
    return render(
        request,
        "bulletins/figures.html",
        {"year": year, "groups": data, "ReceiptState": ReceiptState},
    )


# --- The bulletin page ----------------------------------------------------------------------


def _detail_page(
    request: HttpRequest, pk: int, *, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    get_object_or_404(Bulletin, pk=pk)
    actor = request.actor
    bulletin = selectors.bulletin_detail(actor=actor, bulletin_id=pk)
    services.bulletin_read(actor=actor, bulletin=bulletin, via="page")
    forms = forms or {}
    now = timezone.now()
    context: dict[str, Any] = {
        "bulletin": bulletin,
        "rows": [
            {
                "rec": r,
                "receipt": ReceiptState(selectors.receipt_state(r, now)),
                "feedback": FeedbackState(selectors.feedback_state(r, now)),
            }
            for r in own_rows(actor, bulletin, bulletin.recipients.all())
        ],
        "may_edit": bulletin.state == BulletinState.DRAFT
        and access.can(actor, "bulletins.bulletin.edit", bulletin),
    }
    if context["may_edit"]:
        context["issue_form"] = forms.get("issue") or step_of(Bulletin, "issue").page_form(
            actor, bulletin
        )
    if access.can(actor, "bulletins.bulletin.sign", bulletin):
        if selectors.mine(actor, bulletin, signed=False) or "sign" in forms:
            context["sign_form"] = forms.get("sign") or step_of(Bulletin, "sign").page_form(
                actor, bulletin
            )
        if selectors.mine(actor, bulletin, signed=True) or "feedback" in forms:
            context["feedback_form"] = forms.get("feedback") or step_of(
                Bulletin, "feedback"
            ).page_form(actor, bulletin)
    linked = bulletin.linked_record if bulletin.linked_type_id else None
    if linked is not None:
        from wulian.core import records

        context["linked"] = linked if records.can_view(actor, linked) else None
    return render(request, "bulletins/bulletin_detail.html", context, status=status)


bulletin_detail = pages.detail_view(_detail_page, "bulletins.bulletin.view")


# issue, sign, feedback: the declared steps (bulletins/steps.py).


@policy("bulletins.bulletin.view", per_record=True)
@require_GET
def bulletin_docx(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Bulletin, pk=pk)
    bulletin = selectors.bulletin_detail(actor=request.actor, bulletin_id=pk)
    services.bulletin_read(actor=request.actor, bulletin=bulletin, via="docx")
    name, body = exports.bulletin_docx(bulletin)
    return pages.download(body, name, exports.DOCX_CONTENT_TYPE)


# --- Draft, edit, series --------------------------------------------------------------------


@policy("bulletins.bulletin.create")
def bulletin_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    form = BulletinForm(request.POST if request.method == "POST" else None, issuers=_issuers(actor))
    return pages.form_page(
        request,
        form,
        lambda: services.bulletin_create(actor=actor, data=form.to_data()),
        done=_("通报草稿已保存。核对无误后，可在本页印发。"),
        to=lambda bulletin: bulletin.get_absolute_url(),
        template="bulletins/bulletin_form.html",
    )


@policy("bulletins.bulletin.edit", per_record=True)
def bulletin_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = get_object_or_404(Bulletin, pk=pk)
    actor = access.require(request.actor, "bulletins.bulletin.edit", bulletin)
    initial = {
        "issuer": bulletin.issuer_id,
        "title": bulletin.title,
        "body": bulletin.body,
        "sensitivity": bulletin.sensitivity,
        "series": bulletin.series_id,
        "recipients": list(bulletin.recipients.values_list("organisation_id", flat=True)),
        "receipt_working_days": bulletin.receipt_working_days,
        "feedback_working_days": bulletin.feedback_working_days,
        "version": bulletin.version,
    }
    form = BulletinEditForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        issuers=Organisation.objects.filter(pk=bulletin.issuer_id),
    )
    return pages.form_page(
        request,
        form,
        lambda: services.bulletin_update(
            actor=actor,
            bulletin_id=bulletin.pk,
            version=form.cleaned_data["version"],
            data={
                **form.to_data(),
                "linked_record": bulletin.linked_record if bulletin.linked_type_id else None,
            },
        ),
        done=_("通报草稿已保存。"),
        to=bulletin.get_absolute_url(),
        template="bulletins/bulletin_form.html",
        bulletin=bulletin,
    )


@policy("bulletins.series.create")
def series_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    form = SeriesForm(request.POST if request.method == "POST" else None, issuers=_issuers(actor))
    return pages.form_page(
        request,
        form,
        lambda: services.series_create(
            actor=actor,
            issuer_id=form.cleaned_data["issuer"].pk,
            name=form.cleaned_data["name"],
            cadence=form.cleaned_data["cadence"],
        ),
        done=_("定期通报已建立，新建通报时可以选择它。"),
        to="bulletins:ledger",
        template="bulletins/series_form.html",
    )
