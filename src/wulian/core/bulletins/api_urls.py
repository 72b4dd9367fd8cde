"""`/api/v1/bulletins/{id}/` and its steps (issue, sign, feedback), made from the declared
steps; drafting, editing and opening a series: bulletins.api."""

from django.urls import path

from wulian.core import steps
from wulian.core.bulletins import api
from wulian.core.bulletins import steps as bulletin_steps  # noqa: F401 - declares them
from wulian.core.bulletins.models import Bulletin

app_name = "bulletins_api"

urlpatterns = [
    path("bulletins/", api.BulletinCreate.as_view(), name="bulletin-create"),
    *steps.api_urls(Bulletin),
    path("bulletins/<int:pk>/edit/", api.BulletinEdit.as_view(), name="bulletin-edit"),
    path("bulletin-series/", api.SeriesCreate.as_view(), name="series-create"),
]
