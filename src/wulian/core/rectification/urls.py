from django.urls import path

from wulian.core import steps
from wulian.core.rectification import steps as rectification_steps  # noqa: F401 - declares them
from wulian.core.rectification import views
from wulian.core.rectification.models import Rectification

app_name = "rectification"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("export.xlsx", views.ledger_export, name="ledger_export"),
    path("<int:pk>/", views.rectification_detail, name="rectification_detail"),
    # commit, report, submit, close, reopen: the declared steps.
    *steps.page_urls(Rectification),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/edit/", views.finding_edit, name="finding_edit"),
    path(
        "findings/new/<str:record_type>/<int:record_id>/",
        views.finding_raise,
        name="finding_raise",
    ),
]
