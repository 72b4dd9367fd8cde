"""`/api/v1/clues/{id}/` and its steps (transfer, receive, dispose, feedback), made from the
declared steps; every confidentiality rule of the pages holds (ADR 0007)."""

from django.urls import path

from wulian.core import steps
from wulian.core.clues import api
from wulian.core.clues import steps as clue_steps  # noqa: F401 - declares the steps
from wulian.core.clues.models import Clue

app_name = "clues_api"

urlpatterns = [
    path("clues/", api.ClueCreate.as_view(), name="clues-create"),
    path("clues/<int:pk>/edit/", api.ClueEdit.as_view(), name="clues-edit"),
    *steps.api_urls(Clue),
]
