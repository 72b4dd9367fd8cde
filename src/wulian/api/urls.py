from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from drf_spectacular.views import SpectacularAPIView

from wulian.accounts import steps as account_steps  # noqa: F401 - declares the steps
from wulian.accounts.models import ApiToken, User
from wulian.api import errors, views
from wulian.api.imports import template_view, upload_view
from wulian.api.routers import api_router
from wulian.core import (
    imports,
    people_steps,  # noqa: F401 - declares the steps
    steps,
)
from wulian.core.audit_api import AuditEventExport, AuditEventList
from wulian.core.forms import ImportForm
from wulian.core.models import Membership, Person, RoleGrant

router = api_router()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("people", views.PersonViewSet, basename="person")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("role-grants", views.RoleGrantViewSet, basename="role-grant")

# Reference data (organisations, people, memberships) from a workbook, as the page imports it.
ReferenceImport = upload_view(
    name="reference",
    policy="core.reference.import",
    form=ImportForm,
    run=lambda actor, d: imports.reference_import(
        actor=actor, file=d["file"], filename=d["file"].name
    ),
    summary=lambda result: _("导入完成：%(summary)s。") % {"summary": result.summary()},
    title="Import organisations, people and memberships from a workbook (基础数据导入)",
    tag="reference",
)
ReferenceImportTemplate = template_view(
    name="reference",
    policy="core.reference.import",
    body=imports.template_workbook,
    filename=lambda: _("五联基础数据导入模板.xlsx"),
    tag="reference",
)

schema_view = SpectacularAPIView.as_view()
schema_view.wulian_policy = "public"

app_name = "api"

urlpatterns = [
    path("schema/", schema_view, name="schema"),
    path("me/", views.me, name="me"),
    path("audit-events/", AuditEventList.as_view(), name="audit-event-list"),
    path("audit-events/export.xlsx", AuditEventExport.as_view(), name="audit-event-export"),
    path("reference/import/", ReferenceImport.as_view(), name="reference-import"),
    path(
        "reference/import/template/",
        ReferenceImportTemplate.as_view(),
        name="reference-import-template",
    ),
    # Declared steps (wulian.core.people_steps, wulian.accounts.steps): a membership's end, a
    # grant's confirmation or refusal, a person's profiles, the account administrator's steps;
    # the records read here too, but people, which their viewset reads.
    *steps.api_urls(Membership),
    *steps.api_urls(RoleGrant),
    *steps.api_urls(Person, read=False),
    *steps.api_urls(User),
    *steps.api_urls(ApiToken),
    path("", include(router.urls)),
    # Last: any other path under /api/v1/ is a 404 problem, whatever the method.
    re_path(r"^(?P<rest>.*)$", errors.not_found, name="not_found"),
]
