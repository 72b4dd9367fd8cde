from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from wulian.core import access, background, checkpoints, imports, pages, selectors, services
from wulian.core.errors import DomainError
from wulian.core.filters import OrganisationFilter, PersonFilter
from wulian.core.formkit import deputy_label, organisation_label
from wulian.core.forms import (
    GrantRefuseForm,
    ImportForm,
    MembershipForm,
    OrganisationForm,
    PersonForm,
    apply_errors,
    grantable_roles,
)
from wulian.core.models import Organisation, Person, RoleGrant
from wulian.core.paging import paginate, query_without_page
from wulian.core.todos import counts_by_source, done_for, home_panels_for, todos_for
from wulian.core.viewpolicy import policy, public


@public
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


@policy("core.home.view")
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """我的待办: the person's own panels (the deputy's suggestions), then two tabs — 待办 (what
    waits, with the count of each kind, narrowed to one kind by `?source=`) and 已办 (the work
    finished lately)."""
    actor = request.actor
    tab = "done" if request.GET.get("tab") == "done" else "todo"
    items = todos_for(actor)
    counts = counts_by_source(items)
    source = request.GET.get("source", "")
    if source and any(name == source for name, _n in counts):
        shown = [i for i in items if str(i.source) == source]
    else:
        source, shown = "", items
    return render(
        request,
        "core/home.html",
        {
            "tab": tab,
            "items": shown,
            "total": len(items),
            "counts": counts,
            "source": source,
            "done": done_for(actor) if tab == "done" else [],
            "panels": home_panels_for(actor),
        },
    )


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
            "perms_org_manage": access.can(request.actor, "core.organisation.manage"),
        },
    )


@policy("core.organisation.view")
@require_GET
def organisation_lookup(request: HttpRequest) -> HttpResponse:
    """Suggestions for a unit search box (`formkit.OrganisationLookup`): at most 20 units,
    each with the label the box takes back."""
    orgs = selectors.organisation_lookup(actor=request.actor, q=request.GET.get("q", ""))
    return JsonResponse(
        {"results": [{"id": o.pk, "label": organisation_label(o)} for o in orgs]},
        headers={"Cache-Control": "private, max-age=60"},
    )


@policy("core.person.view")
@require_GET
def deputy_lookup(request: HttpRequest) -> HttpResponse:
    """Suggestions for a deputy search box (`formkit.DeputyLookup`): at most 20 deputies the
    person may see, each with the label the box takes back."""
    people = selectors.deputy_lookup(actor=request.actor, q=request.GET.get("q", ""))
    return JsonResponse(
        {"results": [{"id": p.pk, "label": deputy_label(p)} for p in people]},
        headers={"Cache-Control": "private, max-age=60"},
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
            "panels": [
                panel
                for panel in (show(request.actor, org) for show in pages.ORGANISATION_PANELS)
                if panel
            ],
        },
    )


@policy("core.person.view")
def person_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.person_list(actor=request.actor, filters=request.GET)
    page = paginate(request, qs)
    return render(
        request,
        "core/person_list.html",
        {
            "page": page,
            "filter": PersonFilter(request.GET),
            "query": query_without_page(request),
            "perms_person_manage": access.can(request.actor, "core.person.manage"),
        },
    )


def _person_page(
    request: HttpRequest,
    pk: int,
    *,
    membership_form: MembershipForm | None = None,
    status: int = 200,
) -> HttpResponse:
    get_object_or_404(Person, pk=pk)
    person = selectors.person_detail(actor=request.actor, person_id=pk)
    roles = grantable_roles(request.actor)
    if membership_form is None and roles:
        membership_form = MembershipForm(roles=roles)
    endable = {
        m.pk
        for m in person.active_memberships
        if access.can(request.actor, "core.membership.end", m)
    }
    return render(
        request,
        "core/person_detail.html",
        {
            "person": person,
            "timeline": selectors.record_timeline(target_type="core.person", target_id=pk),
            "can_manage": access.can(request.actor, "core.person.manage", person),
            "membership_form": membership_form,
            "endable_memberships": endable,
            "pending_grants": selectors.role_grants_of(person=person),
        },
        status=status,
    )


@policy("core.person.view", per_record=True)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_page(request, pk)


# --- Reference data: organisations, people, memberships, profiles ---------------------------


# kind → (model, form, create service, update service, done when created, done when saved)
_REFERENCE_FORMS: dict[str, tuple[Any, ...]] = {
    "organisation": (
        Organisation,
        OrganisationForm,
        services.organisation_create,
        services.organisation_update,
        gettext_lazy("单位已创建。"),
        gettext_lazy("单位信息已保存。"),
    ),
    "person": (
        Person,
        PersonForm,
        services.person_create,
        services.person_update,
        gettext_lazy("人员已创建。"),
        gettext_lazy("人员信息已保存。"),
    ),
}


def _reference_form(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    """An organisation's or a person's form page (`core/<kind>_form.html`), a new one or the
    record `pk`: the service run on a valid POST, then the record's page."""
    model, form_class, create, update, created, saved = _REFERENCE_FORMS[kind]
    record = None if pk is None else get_object_or_404(model, pk=pk)
    form = form_class(pages.bound(request), instance=record)

    def run() -> Any:
        if record is None:
            return create(actor=request.actor, data=form.to_data())
        return update(
            actor=request.actor,
            version=form.cleaned_data["version"],
            data=form.to_data(),
            **{f"{kind}_id": record.pk},
        )

    return pages.form_page(
        request,
        form,
        run,
        done=str(created if record is None else saved),
        to=lambda row: reverse(f"core:{kind}_detail", args=[row.pk]),
        template=f"core/{kind}_form.html",
        **({} if record is None else {kind: record}),
    )


@policy("core.organisation.manage")
def organisation_create(request: HttpRequest) -> HttpResponse:
    return _reference_form(request, "organisation")


@policy("core.organisation.manage")
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _reference_form(request, "organisation", pk)


@policy("core.person.manage")
def person_create(request: HttpRequest) -> HttpResponse:
    return _reference_form(request, "person")


@policy("core.person.manage")
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _reference_form(request, "person", pk)


# per_record: the role and organisation chosen decide (`core.membership.grant`); the service
# asks the rule. A role of the CDI side becomes a grant waiting for a CDI officer's confirmation.
@policy("core.membership.grant", per_record=True)
@require_POST
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.actor, "core.membership.grant")
    person = get_object_or_404(Person, pk=pk)
    form = MembershipForm(request.POST, roles=grantable_roles(request.actor))
    status = 400
    if form.is_valid():
        try:
            result = services.membership_add(
                actor=request.actor, person_id=person.pk, **form.to_kwargs()
            )
        except DomainError as exc:
            apply_errors(form, exc)
            status = exc.status
        else:
            if isinstance(result, RoleGrant):
                messages.success(request, _("已提出授权，经纪委监委负责人或线索管理员确认后生效。"))
            else:
                messages.success(request, _("已新增任职。"))
            return redirect("core:person_detail", person.pk)
    return _person_page(request, person.pk, membership_form=form, status=status)


def grant_page(
    request: HttpRequest, *, forms: dict[int, GrantRefuseForm] | None = None, status: int = 200
) -> HttpResponse:
    grants = selectors.pending_role_grants(actor=request.actor)
    forms = forms or {}
    rows = [
        {
            "grant": g,
            "may_confirm": access.can(request.actor, "core.membership.confirm", g),
            "may_refuse": access.can(request.actor, "core.membership.refuse", g),
            "refuse_form": forms.get(g.pk) or GrantRefuseForm(prefix=f"g{g.pk}"),
        }
        for g in grants
    ]
    return render(request, "core/grant_list.html", {"rows": rows}, status=status)


@policy("core.membership.review")
@require_GET
def grant_list(request: HttpRequest) -> HttpResponse:
    return grant_page(request)


# --- Import from .xlsx ---------------------------------------------------------------------

IMPORT_ERRORS_SHOWN = 500


@policy("core.reference.import")
def reference_import(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    return pages.import_page(
        request,
        form,
        lambda d: imports.reference_import(
            actor=request.actor, file=d["file"], filename=d["file"].name
        ),
        done=lambda result: _("导入完成：%(summary)s。") % {"summary": result.summary()},
        back=reverse("core:reference_import"),
        template="core/reference_import.html",
        shown=lambda result: {
            "errors_shown": result.errors[:IMPORT_ERRORS_SHOWN] if result else []
        },
        queued=lambda d: background.queue_import(
            request,
            kind=imports.BACKGROUND_KIND,
            title=_("导入基础数据"),
            upload=d["file"],
            params={},
        ),
        max_rows=settings.IMPORT_MAX_ROWS,
        max_mb=f"{settings.IMPORT_MAX_BYTES / 1024 / 1024:g}",
    )


@policy("core.reference.import")
@require_GET
def reference_import_template(request: HttpRequest) -> HttpResponse:
    return pages.download(imports.template_workbook(), _("五联基础数据导入模板.xlsx"))


@policy("core.audit.view")
def audit_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.audit_events(actor=request.actor, action_prefix=request.GET.get("action", ""))
    page = paginate(request, qs, per_page=50)
    return render(
        request,
        "core/audit_list.html",
        {
            "page": page,
            "query": query_without_page(request),
            "checkpoints_on_same_disk": checkpoints.on_the_databases_disk(),
        },
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
