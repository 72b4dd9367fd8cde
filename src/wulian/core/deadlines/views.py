"""Pages of deadlines (one deadline, and the panel's actions) and of the holiday calendar.
Each view parses input, calls one service or selector, and renders or redirects."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wulian.core import access
from wulian.core.deadlines import seed, selectors, services
from wulian.core.deadlines.forms import (
    CalendarDayForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    PauseForm,
    VersionForm,
)
from wulian.core.deadlines.models import CalendarDay, Deadline, ExtensionRequest
from wulian.core.errors import DomainError
from wulian.core.viewpolicy import policy


def _back(request: HttpRequest, deadline_id: int) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("deadlines:detail", deadline_id)


def _form_problem(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


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


@policy("deadlines.deadline.manage", per_record=True)
@require_POST
def deadline_pause(request: HttpRequest, pk: int) -> HttpResponse:
    deadline = get_object_or_404(Deadline, pk=pk)
    access.require(request.actor, "deadlines.deadline.manage", deadline)
    form = PauseForm(request.POST)
    if not form.is_valid():
        _form_problem(request, form)
        return _back(request, pk)
    try:
        services.deadline_pause(
            actor=request.actor,
            deadline_id=pk,
            version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        _show(request, exc)
    else:
        messages.success(request, _("已暂停计时。恢复计时后，截止时间将顺延暂停的时间。"))
    return _back(request, pk)


@policy("deadlines.deadline.manage", per_record=True)
@require_POST
def deadline_resume(request: HttpRequest, pk: int) -> HttpResponse:
    deadline = get_object_or_404(Deadline, pk=pk)
    access.require(request.actor, "deadlines.deadline.manage", deadline)
    form = VersionForm(request.POST)
    form.is_valid()
    try:
        services.deadline_resume(
            actor=request.actor, deadline_id=pk, version=form.cleaned_data.get("version")
        )
    except DomainError as exc:
        _show(request, exc)
    else:
        messages.success(request, _("已恢复计时，截止时间已顺延。"))
    return _back(request, pk)


@policy("deadlines.extension.request", per_record=True)
@require_POST
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    deadline = get_object_or_404(Deadline, pk=pk)
    access.require(request.actor, "deadlines.extension.request", deadline)
    form = ExtensionRequestForm(request.POST)
    if not form.is_valid():
        _form_problem(request, form)
        return _back(request, pk)
    try:
        services.extension_request(
            actor=request.actor,
            deadline_id=pk,
            version=form.cleaned_data["version"],
            new_due=form.cleaned_data["new_due"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        _show(request, exc)
    else:
        messages.success(request, _("延期申请已提交，等待交办单位审批。"))
    return _back(request, pk)


@policy("deadlines.extension.decide", per_record=True)
@require_POST
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    extension = get_object_or_404(ExtensionRequest.objects.select_related("deadline"), pk=pk)
    access.require(request.actor, "deadlines.extension.decide", extension.deadline)
    form = ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        _form_problem(request, form)
        return _back(request, extension.deadline_id)
    note = form.cleaned_data["note"]
    try:
        if form.cleaned_data["decision"] == "approve":
            services.extension_approve(actor=request.actor, extension_id=pk, note=note)
            messages.success(request, _("已同意延期，截止时间已更新。"))
        else:
            services.extension_refuse(actor=request.actor, extension_id=pk, note=note)
            messages.success(request, _("已退回延期申请。"))
    except DomainError as exc:
        _show(request, exc)
    return _back(request, extension.deadline_id)


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
    try:
        services.calendar_year_complete(
            actor=request.actor, year=year, confirm=request.POST.get("confirm") == "1"
        )
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
