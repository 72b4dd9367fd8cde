"""The dashboards' page (ADR 0031): parse the role and the years, call `dashboards.dashboard`,
draw each link's trend and (on the supervising bodies' dashboards) its departments with the
shared SVG charts (`wulian.core.charts`, ADR 0020), each chart beside its table — the same
numbers and the same links, written in Python (ADR 0018)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wulian.core.charts import Point, Series, bar_chart, column_chart
from wulian.core.viewpolicy import policy
from wulian.reports import dashboards
from wulian.reports.dashboards import Cell, Dashboard, Trend
from wulian.reports.profile import providers


def _cell(cell: Cell) -> SafeString:
    if cell.value is None:
        return format_html('<span class="muted">{}</span>', _("不公开"))
    if cell.url:
        return format_html('<a href="{}">{}</a>', cell.url, cell.value)
    return format_html("{}", cell.value)


def _year(value: str | None) -> int | None:
    try:
        year = int(value or "")
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


def years_asked(query: Any) -> tuple[int, int, str | None]:
    """The range asked for (`?from=&to=`), else the last `DEFAULT_YEARS` years; a range that is
    not two years from 2000 to 2100 in order, at most `MAX_YEARS` long, is refused with a
    message saying what to fix (and the default range is shown)."""
    this = timezone.localdate().year
    default = (this - dashboards.DEFAULT_YEARS + 1, this)
    raw_first, raw_last = query.get("from"), query.get("to")
    if not raw_first and not raw_last:
        return (*default, None)
    first = _year(raw_first) if raw_first else default[0]
    last = _year(raw_last) if raw_last else this
    if first is None or last is None:
        return (*default, _("年度须为2000至2100之间的四位数字，请重新选择。"))
    if first > last:
        return (*default, _("起始年度不能晚于截止年度，请重新选择。"))
    if last - first + 1 > dashboards.MAX_YEARS:
        return (
            *default,
            _("年度跨度不能超过%(n)d年，请缩小范围。") % {"n": dashboards.MAX_YEARS},
        )
    return first, last, None


def trend_table(trend: Trend) -> SafeString:
    head = format_html_join("", '<th scope="col" class="num">{}</th>', ((y,) for y in trend.years))
    rows = format_html_join(
        "\n",
        '<tr data-measure="{}"><th scope="row">{}</th>{}</tr>',
        (
            (
                f"{trend.link}.{key}",
                label,
                format_html_join(
                    "",
                    '<td class="num" data-year="{}">{}</td>',
                    ((y, _cell(trend.cell(key, y))) for y in trend.years),
                ),
            )
            for key, label in trend.measures
        ),
    )
    return format_html(
        '<table class="data" data-table="{}-trend"><caption>{}</caption>'
        '<thead><tr><th scope="col">{}</th>{}</tr></thead><tbody>{}</tbody></table>',
        trend.link,
        _("%(title)s（数据表）") % {"title": trend.title},
        _("指标"),
        head,
        rows,
    )


def trend_chart(trend: Trend) -> SafeString:
    return column_chart(
        key=f"{trend.link}-trend",
        title=_("%(title)s：%(first)d—%(last)d年")
        % {"title": trend.title, "first": trend.years[0], "last": trend.years[-1]},
        categories=[str(y) for y in trend.years],
        series=[
            Series(
                str(label),
                [trend.cell(key, y).value for y in trend.years],
                [trend.cell(key, y).url for y in trend.years],
            )
            for key, label in trend.measures
        ],
    )


def organisation_title(trend: Trend) -> str:
    return _("%(year)d年各单位%(measure)s（%(title)s）") % {
        "year": trend.years[-1],
        "measure": trend.by_measure,
        "title": trend.title,
    }


def ranking_url(trend: Trend) -> str | None:
    """The ranking of every organisation on the trend's headline measure (where it ranks)."""
    provider = next((p for p in providers() if trend.link == p.LINK), None)
    measures = provider.measures() if provider is not None else ()
    measure = next((m for m in measures if m.key == trend.by_key), None)
    if measure is None or not measure.better:
        return None
    query = urlencode({"year": trend.years[-1], "measure": f"{trend.link}.{trend.by_key}"})
    return f"{reverse('reports:ranking')}?{query}"


def organisation_chart(trend: Trend) -> SafeString:
    top = trend.by_organisation
    return bar_chart(
        key=f"{trend.link}-organisations",
        title=organisation_title(trend),
        points=[
            Point(name, cell.value, "" if cell.value is not None else _("不公开"), cell.url)
            for _org, name, cell in top
        ],
        note=(
            ""
            if trend.organisations <= len(top)
            else _("列出前 %(n)d 个单位（共 %(all)d 个），全部单位见单位排名。")
            if ranking_url(trend)
            else _("列出前 %(n)d 个单位（共 %(all)d 个）。")
        )
        % {"n": len(top), "all": trend.organisations},
    )


def organisation_table(trend: Trend) -> SafeString:
    rows = format_html_join(
        "\n",
        '<tr><th scope="row"><a href="{}?year={}">{}</a></th><td class="num">{}</td></tr>',
        (
            (reverse("reports:profile", args=[org]), trend.years[-1], name, _cell(cell))
            for org, name, cell in trend.by_organisation
        ),
    )
    table = format_html(
        '<table class="data" data-table="{}-organisations"><caption>{}</caption>'
        '<thead><tr><th scope="col">{}</th><th scope="col" class="num">{}</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        trend.link,
        _("%(title)s（数据表）") % {"title": organisation_title(trend)},
        _("单位"),
        trend.by_measure,
        rows,
    )
    url = ranking_url(trend) if trend.organisations > len(trend.by_organisation) else None
    if url is None:
        return table
    return format_html(
        '{}<p class="more"><a href="{}">{}</a></p>',
        table,
        url,
        _("全部 %(n)d 个单位的排名") % {"n": trend.organisations},
    )


def sections(board: Dashboard) -> list[dict[str, Any]]:
    out = []
    for trend in board.trends:
        section: dict[str, Any] = {"link": trend.link, "title": trend.title}
        if trend.measures:
            section["trend"] = (trend_chart(trend), trend_table(trend))
        if trend.by_organisation:
            section["organisations"] = (organisation_chart(trend), organisation_table(trend))
        out.append(section)
    return out


@policy("reports.dashboard.view")
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    first, last, error = years_asked(request.GET)
    board = dashboards.dashboard(
        actor=request.actor, role_key=request.GET.get("role"), first=first, last=last
    )
    this = timezone.localdate().year
    return render(
        request,
        "reports/dashboard.html",
        {
            "board": board,
            "sections": sections(board),
            "years": list(range(this, 1999, -1))[:20],
            "error": error,
            "own_orgs": board.organisation_ids or [],
        },
        status=400 if error else 200,
    )
