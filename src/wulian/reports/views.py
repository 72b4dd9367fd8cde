"""A department's supervision profile and the ranking of departments (pages and API). Each
view parses the year (and measure), calls one selector of `profile`, and renders; the rows are
written in Python (ADR 0018)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from wulian.core import access, pages, paging
from wulian.core.models import Organisation
from wulian.core.viewpolicy import policy
from wulian.reports import annual, profile


def _year(query: Any) -> int:
    return pages.year_of(query) or timezone.localdate().year


def _years(year: int) -> list[int]:
    this = timezone.localdate().year
    return sorted({year, *range(this - 5, this + 1)}, reverse=True)


def _value(signal: profile.Signal) -> SafeString:
    if signal.value is None:
        return format_html('<span class="muted">{}</span>', _("样本过少，不单独显示"))
    if signal.url:
        return format_html('<a href="{}">{}</a>', signal.url, signal.value)
    return format_html("{}", signal.value)


def section_rows(section: profile.Section) -> SafeString:
    return format_html_join(
        "\n",
        '<tr data-signal="{}"><th scope="row">{}</th>'
        '<td class="num">{}</td><td class="num">{}</td></tr>',
        (
            (s.key, s.label, _value(s), s.percent if s.of is not None else "")
            for s in section.signals
        ),
    )


@policy("reports.profile.view", per_record=True)
@require_GET
def organisation_profile(request: HttpRequest, pk: int) -> HttpResponse:
    if not Organisation.objects.filter(pk=pk).exists():
        raise Http404
    year = _year(request.GET)
    data = profile.organisation_profile(actor=request.actor, organisation_id=pk, year=year)
    return render(
        request,
        "reports/profile.html",
        {
            "profile": data,
            "year": year,
            "years": _years(year),
            "sections": [(s, section_rows(s)) for s in data.sections],
            "can_dashboard": access.can(request.actor, "reports.dashboard.view"),
        },
    )


def ranking_rows(rows: list[profile.RankRow], year: int) -> SafeString:
    return format_html_join(
        "\n",
        '<tr><td class="num">{}</td><th scope="row"><a href="{}?year={}">{}</a></th>'
        '<td class="num">{}</td><td class="num">{}</td></tr>',
        (
            (
                r.rank,
                reverse("reports:profile", args=[r.organisation_id]),
                year,
                r.organisation,
                _value(r.signal),
                r.signal.percent if r.signal.of is not None else "",
            )
            for r in rows
        ),
    )


RANKING_PAGE_SIZE = 50


@policy("reports.profile.view")
@require_GET
def ranking(request: HttpRequest) -> HttpResponse:
    year = _year(request.GET)
    choices = profile.measures(request.actor)
    measure = request.GET.get("measure") or (choices[0][0] if choices else "")
    rows = profile.ranking(actor=request.actor, year=year, measure=measure) if measure else None
    status = 200
    error = None
    if rows is None and choices:
        error = _("没有这项指标，或您无权查看该环节。请从下拉列表中选择指标。")
        status = 400
    label = next((f"{title} · {label}" for key, title, label in choices if key == measure), "")
    # At 3,000 units a whole ranking is a page too long to read and ~0.7 s to draw: a page of
    # RANKING_PAGE_SIZE at a time, the ranks counted over all of them.
    page = paging.paginate(request, rows or [], RANKING_PAGE_SIZE)
    return render(
        request,
        "reports/ranking.html",
        {
            "year": year,
            "years": _years(year),
            "choices": [(key, f"{title} · {label}") for key, title, label in choices],
            "measure": measure,
            "measure_label": label,
            "rows": ranking_rows(list(page), year),
            "count": page.paginator.count,
            "page": page,
            "query": paging.query_without_page(request),
            "error": error,
        },
        status=status,
    )


@extend_schema(
    summary="A department's supervision profile (监督画像): every link's figures about one "
    "organisation and year, as the caller may see them, each with the list URL of its records",
    parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="四位数年度；省略时为今年")],
    responses=OpenApiTypes.OBJECT,
    operation_id="organisations_profile",
)
@api_view(["GET"])
def profile_api(request: Request, pk: int) -> Response:
    if not Organisation.objects.filter(pk=pk).exists():
        raise Http404
    year = _year(request.query_params)
    data = profile.organisation_profile(actor=request.user, organisation_id=pk, year=year)
    return Response(data.as_dict())


profile_api.cls.wulian_policy = "reports.profile.view"  # type: ignore[attr-defined]


def _report_year(query: Any) -> int | None:
    """The year asked for (this year when none is given); None for one that is not a year."""
    if not query.get("year"):
        return timezone.localdate().year
    return pages.year_of(query)


BAD_YEAR = gettext_lazy("年度应为2000至2100之间的四位数字，例如 2023。")


@policy("reports.annual.view")
@require_GET
def annual_report(request: HttpRequest) -> HttpResponse:
    year = _report_year(request.GET)
    this = timezone.localdate().year
    context: dict[str, Any] = {"year": year or this, "years": annual.years(), "error": None}
    if year is None:
        context["error"] = BAD_YEAR
        return render(request, "reports/annual.html", context, status=400)
    report = annual.build(year)
    context.update(
        report=report,
        years=sorted({year, *annual.years()}, reverse=True),
        numbered=list(zip(annual.NUMERALS, report.sections, strict=False)),
    )
    return render(request, "reports/annual.html", context)


@policy("reports.annual.view")
@require_GET
def annual_report_docx(request: HttpRequest) -> HttpResponse:
    year = _report_year(request.GET)
    if year is None:
        return HttpResponse(BAD_YEAR, status=400, content_type="text/plain; charset=utf-8")
    report = annual.build(year)
    return pages.download(annual.to_docx(report), report.filename, annual.DOCX_CONTENT_TYPE)


@extend_schema(
    summary="The annual 五联 report (年度“五联”工作报告): each link's paragraphs and the figures "
    "they state, counted from the year's records (the .docx is /reports/annual/docx/?year=)",
    parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="四位数年度；省略时为今年")],
    responses=OpenApiTypes.OBJECT,
    operation_id="reports_annual",
)
@api_view(["GET"])
def annual_api(request: Request) -> Response:
    year = _report_year(request.query_params)
    if year is None:
        return Response({"detail": str(BAD_YEAR)}, status=400)
    return Response(annual.build(year).as_dict())


annual_api.cls.wulian_policy = "reports.annual.view"  # type: ignore[attr-defined]
