from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from wulian.core import access, selectors
from wulian.core.filters import OrganisationFilter, PersonFilter
from wulian.core.models import Organisation, Person
from wulian.core.paging import paginate, query_without_page
from wulian.core.todos import todos_for
from wulian.core.viewpolicy import policy, public


@public
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


@policy("core.home.view")
def home(request: HttpRequest) -> HttpResponse:
    items = todos_for(request.actor)
    return render(request, "core/home.html", {"items": items})


@policy("core.organisation.view")
def organisation_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.organisation_list(actor=request.actor, filters=request.GET)
    page = paginate(request, qs)
    return render(
        request,
        "core/organisation_list.html",
        {
            "page": page,
            "filter": OrganisationFilter(request.GET),
            "query": query_without_page(request),
        },
    )


@policy("core.organisation.view", per_record=True)
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Organisation, pk=pk)
    org = selectors.organisation_detail(actor=request.actor, organisation_id=pk)
    members = selectors.organisation_members(actor=request.actor, organisation=org)
    return render(
        request,
        "core/organisation_detail.html",
        {
            "org": org,
            "members": members,
            "timeline": selectors.record_timeline(target_type="core.organisation", target_id=pk),
            "can_manage": access.can(request.actor, "core.organisation.manage", org),
        },
    )


@policy("core.person.view")
def person_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.person_list(actor=request.actor, filters=request.GET)
    page = paginate(request, qs)
    return render(
        request,
        "core/person_list.html",
        {"page": page, "filter": PersonFilter(request.GET), "query": query_without_page(request)},
    )


@policy("core.person.view", per_record=True)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Person, pk=pk)
    person = selectors.person_detail(actor=request.actor, person_id=pk)
    return render(
        request,
        "core/person_detail.html",
        {
            "person": person,
            "timeline": selectors.record_timeline(target_type="core.person", target_id=pk),
            "can_manage": access.can(request.actor, "core.person.manage", person),
        },
    )


@policy("core.audit.view")
def audit_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.audit_events(actor=request.actor, action_prefix=request.GET.get("action", ""))
    page = paginate(request, qs.select_related("actor"), per_page=50)
    return render(
        request,
        "core/audit_list.html",
        {"page": page, "query": query_without_page(request)},
    )


# --- Error pages: proper pages, never a stack trace ------------------------------------------


def _error(request: HttpRequest, status: int, exception: Exception | None = None) -> HttpResponse:
    message = getattr(exception, "message", "") if exception is not None else ""
    return render(
        request, "errors/error.html", {"status": status, "message": message}, status=status
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(request, 400, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(request, 403, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without context processors: the failure may be the database itself.
    from django.template import loader

    body = loader.get_template("errors/500.html").render(
        {"request_id": getattr(request, "request_id", "")}
    )
    return HttpResponse(body, status=500)
