from django.urls import path

from wulian.core.rectification import views

app_name = "rectification"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("export.xlsx", views.ledger_export, name="ledger_export"),
    path("<int:pk>/", views.rectification_detail, name="rectification_detail"),
    path("<int:pk>/commit/", views.rectification_commit, name="rectification_commit"),
    path("<int:pk>/report/", views.rectification_report, name="rectification_report"),
    path("<int:pk>/submit/", views.rectification_submit, name="rectification_submit"),
    path("<int:pk>/close/", views.rectification_close, name="rectification_close"),
    path("<int:pk>/reopen/", views.rectification_reopen, name="rectification_reopen"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/edit/", views.finding_edit, name="finding_edit"),
    path(
        "findings/new/<str:record_type>/<int:record_id>/",
        views.finding_raise,
        name="finding_raise",
    ),
]
