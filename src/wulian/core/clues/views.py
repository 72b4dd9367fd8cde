"""Pages of clues: the list (scoped), the clue page — in full or in the status view, by policy —
the draft form, the steps (transfer, receipt, disposition, feedback) and the .xlsx register.

A clue the person may not follow at all answers 404, as if it did not exist. Every page that
shows clue information writes its audit event before it renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wulian.core import access, keyset, pages, records
from wulian.core.clues import exports, selectors, services
from wulian.core.clues.choices import (
    OUTCOMES_OF,
    TRANSITIONS,
    ClueState,
    Disposition,
    Outcome,
    Step,
)
from wulian.core.clues.filters import ClueFilter
from wulian.core.clues.forms import (
    ApproveForm,
    ClueForm,
    ConcludeForm,
    FeedbackForm,
    ProposeForm,
    ReturnForm,
    StepForm,
    apply_errors,
)
from wulian.core.clues.models import CONTENT_FIELDS, Clue
from wulian.core.clues.policies import sender_org_ids
from wulian.core.errors import DomainError
from wulian.core.models import Organisation
from wulian.core.viewpolicy import policy


def _visible(request: HttpRequest, pk: int) -> Clue:
    """The clue (without content) if the person may at least follow it; 404 otherwise."""
    clue = Clue.objects.defer(*CONTENT_FIELDS, "feedback").filter(pk=pk).first()
    if clue is None or not access.can(request.actor, "clues.clue.view_status", clue):
        raise Http404
    return clue


def _filters(request: HttpRequest) -> dict[str, str]:
    return {k: request.GET.get(k, "") for k in ClueFilter.base_filters}


@policy("clues.clue.view_status")
@require_GET
def clue_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    page = keyset.page_for(request, selectors.clue_list(actor=actor, filters=request.GET))
    statuses = services.clue_statuses(actor=actor, clues=page.object_list)
    rows = [
        {"clue": c, "status": s, "full": access.can(actor, "clues.clue.view", c)}
        for c, s in zip(page.object_list, statuses, strict=True)
    ]
    services.clues_listed(actor=actor, clue_ids=[c.pk for c in page.object_list], via="list")
    return render(
        request,
        "clues/clue_list.html",
        {
            "page": page,
            "rows": rows,
            "filter": ClueFilter(request.GET),
            "query": keyset.query_without_cursor(request),
            "can_create": access.can(actor, "clues.clue.create"),
        },
    )


@policy("clues.clue.view_status")
@require_GET
def clue_export(request: HttpRequest) -> HttpResponse:
    body, _count = exports.clue_register_workbook(actor=request.actor, filters=_filters(request))
    filename = _("问题线索台账-%(d)s.xlsx") % {"d": timezone.localdate().strftime("%Y%m%d")}
    return pages.download(body, filename)


def _senders(actor: access.Actor) -> Any:
    return Organisation.objects.filter(pk__in=sender_org_ids(actor), is_active=True).order_by(
        "sort_order", "code"
    )


def _source(request: HttpRequest) -> Any:
    """The record a new clue comes from (`?source=app_label.model:id`), if any; only a record
    the person may see."""
    from wulian.core.attachments.selectors import record_for

    value = request.POST.get("source") or request.GET.get("source") or ""
    if not value:
        return None
    kind, _sep, pk = value.partition(":")
    try:
        record = record_for(kind, int(pk))
    except (LookupError, ValueError):
        raise Http404 from None
    if isinstance(record, Clue) or not records.can_view(request.actor, record):
        raise Http404
    return record


@policy("clues.clue.create")
def clue_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    source = _source(request)
    form = ClueForm(request.POST if request.method == "POST" else None, senders=_senders(actor))
    return pages.form_page(
        request,
        form,
        lambda: services.clue_draft(actor=actor, data=form.to_data(), source=source),
        done=lambda clue: _("线索草稿已保存（%(n)s）。核对无误后请移送。") % {"n": clue.number},
        to=lambda clue: clue.get_absolute_url(),
        template="clues/clue_form.html",
        source=source,
        source_value=request.POST.get("source") or request.GET.get("source") or "",
    )


def _page(
    request: HttpRequest, pk: int, *, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    actor = request.actor
    clue = _visible(request, pk)
    forms = forms or {}
    if not access.can(actor, "clues.clue.view", clue):
        view = services.clue_open_status(actor=actor, clue_id=pk)
        return render(request, "clues/clue_status.html", {"status": view}, status=status)
    clue = services.clue_open(actor=actor, clue_id=pk)
    steps = {step for (state, step) in TRANSITIONS if state == clue.state}
    v = {"version": clue.version}
    context: dict[str, Any] = {
        "clue": clue,
        "status": services.clue_statuses(actor=actor, clues=[clue])[0],
        "timeline": selectors.clue_timeline(clue=clue),
        "reads": selectors.clue_reads(clue=clue),
        "source": clue.source if clue.source_type_id else None,
        "can_edit": clue.state == ClueState.DRAFT and access.can(actor, "clues.clue.edit", clue),
    }
    if Step.TRANSFER in steps and access.can(actor, "clues.clue.transfer", clue):
        context["transfer_form"] = forms.get("transfer") or StepForm(initial=v)
        context["transfer_office"], context["transfer_blocked"] = services.transfer_recipient(clue)
    if Step.RECEIVE in steps and access.can(actor, "clues.clue.receive", clue):
        context["receive_form"] = forms.get("receive") or StepForm(initial=v)
    if Step.PROPOSE in steps and access.can(actor, "clues.clue.propose", clue):
        context["propose_form"] = forms.get("propose") or ProposeForm(initial=v)
    if Step.APPROVE in steps and access.can(actor, "clues.clue.approve", clue):
        # The proposer may withdraw (return) but not approve their own proposal (ADR 0019).
        if clue.proposed_by_id != actor.user.pk or "approve" in forms:
            context["approve_form"] = forms.get("approve") or ApproveForm(initial=v)
        else:
            context["approve_by_other"] = True
        context["return_form"] = forms.get("return") or ReturnForm(initial=v)
    if (
        Step.REACTIVATE in steps
        and clue.disposition == Disposition.HOLD
        and access.can(actor, "clues.clue.reactivate", clue)
    ):
        context["reactivate_form"] = forms.get("reactivate") or StepForm(initial=v)
    if (
        Step.CONCLUDE in steps
        and clue.disposition in OUTCOMES_OF
        and not clue.outcome
        and access.can(actor, "clues.clue.conclude", clue)
    ):
        form = forms.get("conclude") or ConcludeForm(initial=v)
        allowed = OUTCOMES_OF[clue.disposition]
        form.fields["outcome"].choices = [
            (value, label) for value, label in Outcome.choices if value in allowed
        ]
        context["conclude_form"] = form
    if Step.FEEDBACK in steps and access.can(actor, "clues.clue.feedback", clue):
        context["feedback_form"] = forms.get("feedback") or FeedbackForm(initial=v)
    if context["source"] is not None and not records.can_view(actor, context["source"]):
        context["source"] = None
    return render(request, "clues/clue_detail.html", context, status=status)


clue_detail = pages.detail_view(_page, "clues.clue.view_status")


@policy("clues.clue.edit", per_record=True)
def clue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    visible = _visible(request, pk)
    access.require(actor, "clues.clue.edit", visible)
    if visible.state != ClueState.DRAFT:
        messages.error(request, _("该线索已移送，不能再修改。"))
        return redirect("clues:clue_detail", pk)
    if request.method == "POST":
        form = ClueForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.clue_update(
                    actor=actor,
                    clue_id=pk,
                    version=form.cleaned_data["version"] or 0,
                    data=form.to_data(),
                )
            except DomainError as exc:
                apply_errors(form, exc)
                status = exc.status
            else:
                messages.success(request, _("线索草稿已保存。"))
                return redirect("clues:clue_detail", pk)
        clue = _visible(request, pk)
    else:
        clue = services.clue_open(actor=actor, clue_id=pk, via="edit")
        form = ClueForm(
            initial={
                "receiving_org": clue.receiving_org_id,
                "subject_name": clue.subject_name,
                "subject_post": clue.subject_post,
                "subject_organisation": clue.subject_organisation_id,
                "violation_type": clue.violation_type,
                "content": clue.content,
                "evidence": clue.evidence,
                "found_on": clue.found_on,
                "version": clue.version,
            }
        )
        status = 200
    return render(request, "clues/clue_form.html", {"form": form, "clue": clue}, status=status)


# transfer, receive, dispose and feedback: the declared steps (clues/steps.py).
