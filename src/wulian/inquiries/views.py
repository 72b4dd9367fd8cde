"""The special inquiries' pages, mounted at /inquiries/."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from wulian.core import access, pages, steps
from wulian.core.activities.choices import ActivityKind
from wulian.core.activities.models import Activity, ActivityRecordLink
from wulian.core.bulletins.models import Bulletin
from wulian.core.records import reference
from wulian.core.rectification.models import Finding
from wulian.core.viewpolicy import policy
from wulian.inquiries import documents, forms, selectors, services
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
        Inquiry.objects.select_related("organiser", "meeting", "look_back", "ballot")
        .filter(pk=pk)
        .first()
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
    context: dict[str, Any] = {
        "inquiry": inquiry,
        "rows": rows,
        "manage": manage,
        "research": _linked_activities(actor, inquiry, ActivityKind.RESEARCH_VISIT),
        "bulletins": access.scope(
            actor,
            "bulletins.bulletin.view",
            Bulletin.objects.filter(
                linked_type=ContentType.objects.get_for_model(Inquiry), linked_id=inquiry.pk
            ).order_by("id"),
        ),
    }
    if manage:

        def form(name: str) -> Any:
            return step_forms.get(name) or steps.step_of(Inquiry, name).page_form(actor, inquiry)

        if inquiry.state == InquiryState.PREPARING:
            context["question_form"] = step_forms.get("question_add") or forms.QuestionForm(
                initial=v
            )
            context["hold_form"] = step_forms.get("hold") or forms.HoldForm(initial=v)
            context["research_form"] = form("research")
        if inquiry.state == InquiryState.HELD:
            context["opinion_form"] = step_forms.get("send_opinion") or forms.OpinionForm(initial=v)
            if inquiry.ballot_id is None and all(r["q"].answer for r in rows):
                context["ballot_form"] = form("ballot")
        if inquiry.state == InquiryState.OPINION_SENT:
            context["look_back_form"] = form("look_back")
        context["undercover_form"] = step_forms.get("undercover") or forms.UndercoverForm(initial=v)
        context["bulletin_form"] = form("bulletin")
    return render(request, "inquiries/inquiry_detail.html", context, status=status)


def _linked_activities(actor: Any, inquiry: Inquiry, kind: str) -> Any:
    ids = ActivityRecordLink.objects.filter(
        content_type=ContentType.objects.get_for_model(Inquiry), object_id=inquiry.pk
    ).values("activity_id")
    return access.scope(
        actor,
        "activities.activity.view",
        Activity.objects.filter(pk__in=ids, kind=kind).order_by("starts_at"),
    )


@policy("inquiries.inquiry.view", per_record=True)
@require_GET
def opinion_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The 审议意见 as a .docx (a draft until it is sent)."""
    inquiry = get_object_or_404(Inquiry.objects.select_related("organiser", "ballot"), pk=pk)
    access.require(request.actor, "inquiries.inquiry.view", inquiry)  # type: ignore[attr-defined]
    name, body = documents.opinion_docx(inquiry)
    return pages.download(body, name, documents.DOCX)


@policy("inquiries.inquiry.view")
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    years = selectors.years(actor=actor)
    year = pages.year_of(request.GET) or (years[0] if years else timezone.localdate().year)
    data = selectors.figures(actor=actor, year=year)
    return render(
        request,
        "inquiries/figures.html",
        {
            "table": [(r, [r.values[k] for k, _label in FIGURE_LABELS]) for r in data.rows],
            "total": [data.total[k] for k, _label in FIGURE_LABELS],
            "year": year,
            "years": years,
            "fields": FIGURE_LABELS,
        },
    )


FIGURE_LABELS = (
    ("questions", _("询问问题")),
    ("answered", _("已答复")),
    ("commitments", _("承诺事项")),
    ("rectifications", _("整改任务")),
    ("rectifications_closed", _("已销号")),
    ("opinion_on_time", _("审议意见按期送达")),
    ("looked_back", _("已回头看")),
)


inquiry_detail = pages.detail_view(_inquiry_page, "inquiries.inquiry.view")
