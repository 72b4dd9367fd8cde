from django.urls import path

from wulian.core import people_steps, steps, task_views, views
from wulian.core.models import Membership, RoleGrant

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("orgs/", views.organisation_list, name="organisation_list"),
    path("orgs/lookup/", views.organisation_lookup, name="organisation_lookup"),
    path("orgs/new/", views.organisation_create, name="organisation_create"),
    path("orgs/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("orgs/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("people/", views.person_list, name="person_list"),
    path("people/deputies/lookup/", views.deputy_lookup, name="deputy_lookup"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/deputy/", people_steps.person_deputy_edit, name="person_deputy_edit"),
    path("people/<int:pk>/expert/", people_steps.person_expert_edit, name="person_expert_edit"),
    path(
        "people/<int:pk>/integrity-monitor/",
        people_steps.person_monitor_edit,
        name="person_monitor_edit",
    ),
    path("people/<int:pk>/memberships/", views.membership_add, name="membership_add"),
    # Declared steps (wulian.core.people_steps): their page doors. A person's profile pages
    # (above) are the doors of its profile steps.
    *steps.page_urls(Membership, prefix="memberships/<int:pk>/"),
    path("grants/", views.grant_list, name="grant_list"),
    *steps.page_urls(RoleGrant, prefix="grants/<int:pk>/"),
    path("reference/import/", views.reference_import, name="reference_import"),
    path(
        "reference/import/template.xlsx",
        views.reference_import_template,
        name="reference_import_template",
    ),
    path("audit/", views.audit_list, name="audit_list"),
    path("tasks/<int:pk>/", task_views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/download/", task_views.task_download, name="task_download"),
]
