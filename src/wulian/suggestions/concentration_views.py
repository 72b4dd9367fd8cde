"""The congress office's list of concentrated opinions (集中反映) with the one-click 通报 to the
CDI, and the reports (通报记录) as the sending office and the CDI see them."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from wulian.core import access
from wulian.core.errors import AccessDenied, ValidationFailed
from wulian.core.viewpolicy import policy
from wulian.suggestions import concentration, figures
from wulian.suggestions.figures_views import parse_year
from wulian.suggestions.forms import ConcentrationReportForm
from wulian.suggestions.models import CampaignOpinion, ConcentrationReport, Suggestion

REPORT_VIEW = "suggestions.concentrationreport.view"


@policy("suggestions.concentration.view")
@require_GET
def concentration_list(request: HttpRequest) -> HttpResponse:
    try:
        year = parse_year(request.GET.get("year"))
    except ValidationFailed as exc:
        return render(
            request,
            "suggestions/concentration_list.html",
            {"error": exc.message, "years": figures.years()},
            status=400,
        )
    found = concentration.clusters(year)
    may_report = access.can(request.actor, "suggestions.concentration.report")
    rows = []
    for c in found:
        seed = c.members[0]
        name = "suggestion" if seed.kind == "suggestion" else "opinion"
        action = reverse(f"suggestions:{name}_report_concentrated", args=[seed.pk])
        rows.append(
            {
                "c": c,
                "action": action,
                # One form per cluster, field names as the step reads them; ids kept apart.
                "form": ConcentrationReportForm(auto_id=f"{c.seed}-%s") if may_report else None,
            }
        )
    return render(
        request,
        "suggestions/concentration_list.html",
        {
            "year": year,
            "years": sorted({year, *figures.years()}, reverse=True),
            "rows": rows,
            "reports": access.scope(
                request.actor, REPORT_VIEW, ConcentrationReport.objects.filter(year=year)
            ).select_related("sending_org", "receiving_org"),
        },
    )


@policy(REPORT_VIEW)
@require_GET
def concentration_report_list(request: HttpRequest) -> HttpResponse:
    reports = access.scope(
        request.actor, REPORT_VIEW, ConcentrationReport.objects.all()
    ).select_related("sending_org", "receiving_org")[:200]
    return render(
        request,
        "suggestions/concentration_report_list.html",
        {
            "reports": reports,
            "may_list": access.can(request.actor, "suggestions.concentration.view"),
        },
    )


@policy(REPORT_VIEW, per_record=True)
@require_GET
def concentration_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = (
        ConcentrationReport.objects.select_related("sending_org", "receiving_org", "sent_by")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    try:
        access.require(request.actor, REPORT_VIEW, report)
    except AccessDenied:
        raise Http404 from None  # a clue-grade report's existence is not told
    suggestions = [
        s
        for s in Suggestion.objects.filter(pk__in=report.suggestion_ids)
        .select_related("session", "lead_deputy", "lead_unit")
        .order_by("id")
        if access.can(request.actor, "suggestions.suggestion.view", s)
    ]
    opinions = [
        o
        for o in CampaignOpinion.objects.filter(pk__in=report.opinion_ids)
        .select_related("campaign", "collected_by")
        .order_by("id")
        if access.can(request.actor, "suggestions.campaignopinion.view", o)
    ]
    from wulian.core.bulletins.models import Bulletin

    bulletin = (
        Bulletin.objects.filter(pk=int(report.bulletin_ref)).first()
        if report.bulletin_ref.isdecimal()
        else None
    )
    if bulletin is not None and not access.can(request.actor, "bulletins.bulletin.view", bulletin):
        bulletin = None
    return render(
        request,
        "suggestions/concentration_report_detail.html",
        {"report": report, "suggestions": suggestions, "opinions": opinions, "bulletin": bulletin},
    )
