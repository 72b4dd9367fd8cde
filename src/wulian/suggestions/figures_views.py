"""The year's figures (page, .docx, API) and the suggestion documents (交办单, 督办通知, 答复函)
as downloads. Each view parses its input, calls one selector or builder, and renders.

Who: the figures are for whoever sees suggestions, counted over what they see; a 交办单 for
those who see the suggestion and its assignment; a 督办通知 for those who see the order; the
答复函 for the lead unit (to fill in) and, once sent, for whoever sees the suggestion.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from wulian.core import access, pages
from wulian.core.errors import ValidationFailed
from wulian.core.viewpolicy import policy
from wulian.reports import cache
from wulian.suggestions import documents, figure_charts, figures
from wulian.suggestions.models import CongressSession, Suggestion, SupervisionOrder

FIGURES_POLICY = "suggestions.suggestion.view"
UNITS_SHOWN = 50


def parse_year(value: Any) -> int:
    """The `year` parameter: a four-digit year; empty → the current session's year."""
    text = str(value or "").strip()
    if not text:
        current = CongressSession.objects.filter(is_current=True).values_list("year", flat=True)
        newest = CongressSession.objects.order_by("-year").values_list("year", flat=True)
        return next(iter(current), None) or next(iter(newest), None) or timezone.localdate().year
    if not text.isdecimal() or not 1949 <= int(text) <= 9999:
        message = _("请填写四位数的年度，例如 2023。")
        raise ValidationFailed(message, field_errors={"year": [message]})
    return int(text)


def _docx(name: str, content: bytes) -> HttpResponse:
    return pages.download(content, name, documents.DOCX)


def concentration_figures(actor: Any, year: int) -> dict[str, Any]:
    """The year's concentrated opinions reported to the CDI, beside the other figures (issue
    14): a count for everyone who sees the figures; the congress office links to its list of
    clusters (found there: finding them reads the year's texts, too slow for this page and
    its fixed query count)."""
    from wulian.suggestions.models import ConcentrationReport

    return {
        "reported": ConcentrationReport.objects.filter(year=year).count(),
        "listed": access.can(actor, "suggestions.concentration.view"),
    }


@policy(FIGURES_POLICY)
@require_GET
def figures_page(request: HttpRequest) -> HttpResponse:
    try:
        year = parse_year(request.GET.get("year"))
    except ValidationFailed as exc:
        return render(
            request,
            "suggestions/figures.html",
            {"error": exc.message, "years": figures.years()},
            status=400,
        )
    sessions = figures.session_years()  # read once: the picker, the figures, the charts
    # The counts are kept until a change is recorded (ADR 0031, kept counts); the categories
    # are counted in the figures' aggregate (the year's rows are read once).
    version = cache.data_version()
    data = figures.year_figures(
        actor=request.actor, year=year, sessions=sessions, by_category=True, version=version
    )
    show_all = request.GET.get("units") == "all"
    categories = figure_charts.category_rows(data.suggestion_categories or {})
    trend = figure_charts.by_year(
        actor=request.actor,
        sessions=sessions,
        known={year: figure_charts.year_totals(data)},  # the year's rows are counted above
        version=version,
    )
    return render(
        request,
        "suggestions/figures.html",
        {
            "data": data,
            "year": year,
            "years": sorted({year, *figures.years(sessions)}, reverse=True),
            "units": data.units if show_all else data.units[:UNITS_SHOWN],
            "units_hidden": 0 if show_all else max(0, len(data.units) - UNITS_SHOWN),
            "concentration": concentration_figures(request.actor, year),
            "suggestion_categories": categories,
            "trend": trend,
            "charts": figure_charts.charts(data, categories=categories, trend=trend),
        },
    )


@policy(FIGURES_POLICY)
@require_GET
def figures_docx(request: HttpRequest) -> HttpResponse:
    try:
        year = parse_year(request.GET.get("year"))
    except ValidationFailed as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    data = figures.year_figures(actor=request.actor, year=year)
    issuer = _("市人大常委会代表工作委员会")
    office = CongressSession.objects.filter(year=year).select_related("office").first()
    if office is not None:
        issuer = office.office.name
    return _docx(*documents.figures_report(data, issuer=issuer))


@extend_schema(
    summary="The year's figures of deputies' suggestions (代表建议办理情况), counted over what "
    "the caller may see, each with the ledger URL that lists its records",
    parameters=[
        OpenApiParameter("year", OpenApiTypes.INT, description="四位数年度；省略时为当前会次年度"),
        OpenApiParameter(
            "units",
            OpenApiTypes.STR,
            enum=["all"],
            description="all：返回全部承办单位排名；省略时返回前 50 名（units_total 为总数）",
        ),
    ],
    responses=OpenApiTypes.OBJECT,
    operation_id="suggestions_figures",
)
@api_view(["GET"])
def figures_api(request: Request) -> Response:
    year = parse_year(request.query_params.get("year"))
    data = figures.year_figures(actor=request.user, year=year).as_dict()
    data["units_total"] = len(data["units"])
    if request.query_params.get("units") != "all":
        data["units"] = data["units"][:UNITS_SHOWN]
    return Response(data)


figures_api.cls.wulian_policy = FIGURES_POLICY  # type: ignore[attr-defined]


# --- documents ------------------------------------------------------------------------------------


def _suggestion(request: HttpRequest, pk: int) -> Suggestion:
    s = Suggestion.objects.filter(pk=pk).first()
    if s is None or not access.can(request.actor, "suggestions.suggestion.view", s):
        raise Http404
    return s


@policy("suggestions.suggestion.view", per_record=True)
@require_GET
def assignment_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    s = _suggestion(request, pk)
    try:
        return _docx(*documents.assignment_sheet(s))
    except ValueError:
        raise Http404 from None  # not (or no longer) assigned: there is no 交办单


@policy("suggestions.supervisionorder.view", per_record=True)
@require_GET
def supervision_notice(request: HttpRequest, pk: int) -> HttpResponse:
    order = SupervisionOrder.objects.filter(pk=pk).first()
    if order is None or not access.can(request.actor, "suggestions.supervisionorder.view", order):
        raise Http404
    return _docx(*documents.supervision_notice(order))


@policy("suggestions.suggestion.view", per_record=True)
@require_GET
def reply_letter(request: HttpRequest, pk: int) -> HttpResponse:
    s = _suggestion(request, pk)
    drafting = access.can(request.actor, "suggestions.suggestion.handle", s)
    if not drafting and s.reply_round == 0:
        access.require(request.actor, "suggestions.suggestion.handle", s)  # 403: not sent yet
    return _docx(*documents.reply_letter(s))
