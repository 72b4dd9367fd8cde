"""Pages of one deadline and of the holiday calendar. The deadline panel's actions (pause,
resume, extension request and decision) are declared steps (`deadlines/steps.py`). Each view
parses input, calls one service or selector, and renders or redirects."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wulian.core.deadlines import seed, selectors, services
from wulian.core.deadlines.forms import (
    CalendarDayForm,
)
from wulian.core.deadlines.models import CalendarDay, Deadline
from wulian.core.errors import DomainError
from wulian.core.viewpolicy import policy


def _show(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.message)
    for errors in exc.field_errors.values():
        for error in errors:
            if error != exc.message:
                messages.error(request, error)


@policy("deadlines.deadline.view", per_record=True)
@require_GET
def deadline_detail(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Deadline, pk=pk)
    deadline = selectors.deadline_detail(actor=request.actor, deadline_id=pk)
    return render(
        request, "deadlines/detail.html", {"deadline": deadline, "record": deadline.record}
    )


# --- The holiday calendar (system administrator) --------------------------------------------


def _calendar_page(
    request: HttpRequest, *, form: CalendarDayForm | None = None, status: int = 200
) -> HttpResponse:
    years = selectors.calendar_years(actor=request.actor)
    try:
        shown = int(request.GET.get("year", ""))
    except ValueError:
        shown = years[0].year if years else date.today().year
    known = {y.year for y in years}
    importable = [y for y in seed.package_years() if y not in known]
    return render(
        request,
        "deadlines/calendar.html",
        {
            "years": years,
            "shown": shown,
            "shown_year": next((y for y in years if y.year == shown), None),
            "days": selectors.calendar_days(actor=request.actor, year=shown),
            "form": form or CalendarDayForm(),
            "importable": importable,
            "package_version": seed.package_version(),
        },
        status=status,
    )


@policy("deadlines.calendar.manage")
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    return _calendar_page(request)


@policy("deadlines.calendar.manage")
@require_POST
def calendar_day_add(request: HttpRequest) -> HttpResponse:
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        try:
            day = services.calendar_day_add(
                actor=request.actor,
                day=form.cleaned_data["day"],
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
            )
        except DomainError as exc:
            for field, errors in exc.field_errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            form.add_error(None, exc.message)
            return _calendar_page(request, form=form, status=exc.status)
        messages.success(request, _("已添加 %(day)s。") % {"day": day.date.isoformat()})
        return redirect(f"{_calendar_url()}?year={day.date.year}")
    return _calendar_page(request, form=form, status=400)


def _calendar_url() -> str:
    from django.urls import reverse

    return reverse("deadlines:calendar")


@policy("deadlines.calendar.manage")
@require_POST
def calendar_day_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(CalendarDay, pk=pk)
    year = entry.date.year
    try:
        services.calendar_day_remove(actor=request.actor, day_id=pk)
    except DomainError as exc:
        _show(request, exc)
    else:
        messages.success(request, _("已删除 %(day)s。") % {"day": entry.date.isoformat()})
    return redirect(f"{_calendar_url()}?year={year}")


@policy("deadlines.calendar.manage")
@require_POST
def calendar_year_complete(request: HttpRequest, year: int) -> HttpResponse:
    confirmed = request.POST.get("confirm") in ("1", "on")
    try:
        if not confirmed:
            # Irreversible: a page says what cannot be undone, with what is unusual about the
            # year's entries (no JavaScript needed); an implausible year is refused here.
            warnings = services.calendar_year_check(actor=request.actor, year=year)
            return render(
                request,
                "components/step_confirm.html",
                {
                    "record": _("%(year)d 年节假日日历") % {"year": year},
                    "text": _(
                        "标记完整后不能撤销：%(year)d 年的工作日将只按本表计算，暂定期限将重新"
                        "计算并通知承办人。"
                    )
                    % {"year": year},
                    "warnings": warnings,
                    "carried": [],
                    "confirm_name": "confirm",
                    "action": request.get_full_path(),
                    "back": f"{_calendar_url()}?year={year}",
                },
            )
        services.calendar_year_complete(actor=request.actor, year=year, confirm=True)
    except DomainError as exc:
        _show(request, exc)
    else:
        messages.success(
            request,
            _(
                "%(year)d 年已标记为完整：该年的工作日按本表计算，暂定期限已重新计算，"
                "截止时间有变化的已通知承办人。"
            )
            % {"year": year},
        )
    return redirect(f"{_calendar_url()}?year={year}")


@policy("deadlines.calendar.manage")
@require_POST
def calendar_year_import(request: HttpRequest, year: int) -> HttpResponse:
    try:
        services.calendar_year_import(actor=request.actor, year=year)
    except DomainError as exc:
        _show(request, exc)
    else:
        messages.success(request, _("已从 chinesecalendar 导入 %(year)d 年。") % {"year": year})
    return redirect(f"{_calendar_url()}?year={year}")
