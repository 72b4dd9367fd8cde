"""The special inquiries' pages, mounted at /inquiries/."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from wulian.core import access, pages
from wulian.core.records import reference
from wulian.core.rectification.models import Finding
from wulian.core.viewpolicy import policy
from wulian.inquiries import forms, selectors, services
from wulian.inquiries.choices import InquiryState
from wulian.inquiries.models import Inquiry

inquiry_list = pages.list_view(
    "inquiries.inquiry.view",
    "inquiries/inquiry_list.html",
    selectors.inquiry_list,
    can_create="inquiries.inquiry.manage",
)


@policy("inquiries.inquiry.manage")
def inquiry_create(request: HttpRequest) -> HttpResponse:
    form = forms.InquiryForm(pages.bound(request))
    return pages.form_page(
        request,
        form,
        lambda: services.inquiry_create(actor=request.actor, data=form.to_data()),  # type: ignore[attr-defined]
        done=lambda i: i.title,
        to=lambda i: i.get_absolute_url(),
        template="inquiries/inquiry_form.html",
    )


def _inquiry_page(
    request: HttpRequest, pk: int, step_forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    inquiry = (
        Inquiry.objects.select_related("organiser", "meeting", "look_back").filter(pk=pk).first()
    )
    if inquiry is None:
        raise Http404
    actor = request.actor  # type: ignore[attr-defined]
    access.require(actor, "inquiries.inquiry.view", inquiry)
    step_forms = step_forms or {}
    v = {"version": inquiry.version}
    manage = access.can(actor, "inquiries.inquiry.manage", inquiry)
    rows = []
    for q in selectors.questions(actor=actor, inquiry=inquiry):
        found = list(
            access.scope(
                actor, "rectification.finding.view", Finding.objects.filter(**reference(q))
            )
        )
        row: dict[str, Any] = {"q": q, "findings": found}
        if manage and inquiry.held_on:
            row["answer_form"] = forms.AnswerForm(
                initial={"version": q.version, "answer": q.answer}, prefix=f"q{q.pk}"
            )
            if q.answer:
                row["commit_form"] = forms.CommitmentForm(
                    initial={"version": q.version}, prefix=f"c{q.pk}"
                )
        rows.append(row)
    context: dict[str, Any] = {"inquiry": inquiry, "rows": rows, "manage": manage}
    if manage:
        if inquiry.state == InquiryState.PREPARING:
            context["question_form"] = step_forms.get("question_add") or forms.QuestionForm(
                initial=v
            )
            context["hold_form"] = step_forms.get("hold") or forms.HoldForm(initial=v)
        if inquiry.state == InquiryState.HELD:
            context["opinion_form"] = step_forms.get("send_opinion") or forms.OpinionForm(initial=v)
        context["undercover_form"] = step_forms.get("undercover") or forms.UndercoverForm(initial=v)
    return render(request, "inquiries/inquiry_detail.html", context, status=status)


inquiry_detail = pages.detail_view(_inquiry_page, "inquiries.inquiry.view")
