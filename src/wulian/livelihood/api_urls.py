"""The livelihood API, mounted at /api/v1/ before the core API's catch-all."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from wulian.core import steps
from wulian.livelihood import api
from wulian.livelihood import steps as _declared  # noqa: F401 - the steps' routes below
from wulian.livelihood.models import Actual, Candidate, Cycle, Indicator, Order, Project

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("livelihood/cycles", api.CycleViewSet, basename="livelihood-cycle")
router.register("livelihood/projects", api.ProjectViewSet, basename="livelihood-project")

app_name = "livelihood_api"
urlpatterns = [
    path("livelihood/figures/", api.figures_api, name="figures"),
    *steps.api_urls(Cycle, read=False),
    *steps.api_urls(Project, read=False),
    *steps.api_urls(Candidate),
    *steps.api_urls(Indicator),
    *steps.api_urls(Actual),
    *steps.api_urls(Order),
    *router.urls,
]
