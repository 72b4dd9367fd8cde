"""The shapes of page that every app has, said once (issue 12): a list of records a keyset page
at a time, a record's page, a page whose form makes or changes a record, a spreadsheet import
and a file to download. An app's views name what differs (the template, the rows, the
service, the message); the declared steps (wulian.core.steps) are the record pages' POSTs.
No business rules here: each piece calls one selector or service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from wulian.core import access, keyset
from wulian.core.errors import DomainError
from wulian.core.formkit import apply_errors, submit
from wulian.core.viewpolicy import policy
from wulian.core.xlsx import XLSX_CONTENT_TYPE


def bound(request: HttpRequest) -> Any:
    """What a page's form is bound to: the POST, or nothing on a GET."""
    return request.POST if request.method == "POST" else None


def list_view(
    action: str,
    template: str,
    rows: Callable[..., Any],
    filter_class: Any = None,
    **flags: str,
) -> Callable[[HttpRequest], HttpResponse]:
    """A list page under `action`: the rows `rows(actor=…, filters=…)` (without `filters` when
    the list has no `filter_class`) a keyset page at a time, the filter, the query without its
    cursor, and whether the person may take each action of `flags`
    (`can_file="judicial.case.file"`)."""

    @policy(action)
    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        actor = request.actor  # type: ignore[attr-defined]
        filters = {"filters": request.GET} if filter_class is not None else {}
        context = {
            "page": keyset.page_for(request, rows(actor=actor, **filters)),
            "query": keyset.query_without_cursor(request),
            **{flag: access.can(actor, code) for flag, code in flags.items()},
        }
        if filter_class is not None:
            context["filter"] = filter_class(request.GET)
        return render(request, template, context)

    return view


def detail_view(page: Callable[..., HttpResponse], action: str) -> Callable[..., HttpResponse]:
    """A record's page (GET) under `action` on the record: `page(request, pk)`, which the
    declared steps show again with a refused form."""

    @policy(action, per_record=True)
    @require_GET
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return page(request, pk)

    return view


def form_page(
    request: HttpRequest,
    form: Any,
    run: Callable[[], Any],
    *,
    done: Any,
    to: Callable[[Any], Any] | str,
    template: str,
    **context: Any,
) -> HttpResponse:
    """A page whose form makes or changes one record: on a valid POST `run()` (the service),
    the message `done` (or `done(result)`) and the page `to(result)` (or the URL `to`);
    else the form again, with the refusal's errors on it and its status."""
    outcome = submit(form, run)
    if outcome.saved:
        messages.success(request, done(outcome.result) if callable(done) else done)
        return redirect(to(outcome.result) if callable(to) else to)
    return render(request, template, {"form": form, **context}, status=outcome.status)


def import_page(
    request: HttpRequest,
    form: Any,
    run: Callable[[dict[str, Any]], Any],
    *,
    done: Callable[[Any], str],
    back: str,
    template: str,
    shown: Callable[[Any], dict[str, Any]] = lambda result: {},
    queued: Callable[[dict[str, Any]], HttpResponse | None] | None = None,
    **context: Any,
) -> HttpResponse:
    """A spreadsheet import's page: on a valid POST `run(cleaned_data)` (the import service,
    which checks every row and imports all of them or none); all imported: the message
    `done(result)` and back to the list `back`; else the page with the rows' errors (400) or
    the refusal on the form (its status). `shown(result)`: what the page shows of the result
    besides it (result None before an upload). `queued(cleaned_data)`, asked first: the page of
    a background task a large workbook was queued as (core.background.queue_import), or None
    to import at once."""
    result = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            answer = queued(form.cleaned_data) if queued else None
            if answer is not None:
                return answer
            try:
                result = run(form.cleaned_data)
            except DomainError as exc:
                apply_errors(form, exc)
                status = exc.status
            else:
                if result.ok:
                    messages.success(request, done(result))
                    return redirect(back)
    context = {"form": form, "result": result, **shown(result), **context}
    return render(request, template, context, status=status)


def year_of(query: Any) -> int | None:
    """The year a list or figures page is asked for (`?year=`): four digits from 2000 to 2100,
    else None (all years)."""
    try:
        year = int(query.get("year") or 0)
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


def download(body: Any, filename: str, content_type: str = XLSX_CONTENT_TYPE) -> HttpResponse:
    """`body` as a file to save under `filename` (an export, a template workbook, a report)."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


# --- What a link adds to an organisation's page ------------------------------------------

# Each: (actor, organisation) → an HTML fragment ("" when it has nothing for this viewer).
# A link registers its panel from its AppConfig.ready (e.g. 联评's evaluation history).
ORGANISATION_PANELS: list[Callable[[Any, Any], str]] = []


def organisation_panel(fn: Callable[[Any, Any], str]) -> Callable[[Any, Any], str]:
    """Register a panel of the organisation page (once per function)."""
    if fn not in ORGANISATION_PANELS:
        ORGANISATION_PANELS.append(fn)
    return fn
