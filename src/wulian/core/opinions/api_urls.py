"""`/api/v1/opinion-rounds/{id}/` and its steps, made from the declared steps; starting a
round: opinions.api."""

from django.urls import path

from wulian.core import steps
from wulian.core.opinions import api
from wulian.core.opinions import steps as opinion_steps  # noqa: F401 - declares them
from wulian.core.opinions.models import OpinionRound

app_name = "opinions_api"

urlpatterns = [
    path("opinion-rounds/", api.RoundCreate.as_view(), name="round-create"),
    *steps.api_urls(OpinionRound),
]
