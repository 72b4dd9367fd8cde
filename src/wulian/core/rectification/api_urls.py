"""`/api/v1/rectifications/{id}/` and its steps (commit, report, submit, close, reopen), made
from the declared steps; report and submit take their evidence files as multipart. Raising and
correcting a finding: rectification.api."""

from django.urls import path

from wulian.core import steps
from wulian.core.rectification import api
from wulian.core.rectification import steps as rectification_steps  # noqa: F401 - declares them
from wulian.core.rectification.models import Rectification

app_name = "rectification_api"

urlpatterns = [
    *steps.api_urls(Rectification),
    path(
        "findings/raise/<str:record_type>/<int:record_id>/",
        api.FindingRaise.as_view(),
        name="finding-raise",
    ),
    path("findings/<int:pk>/edit/", api.FindingEdit.as_view(), name="finding-edit"),
]
