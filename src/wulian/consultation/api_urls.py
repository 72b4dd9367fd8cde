"""The 联商 API under /api/v1/consultation/: the register and analyses (read, create), their
steps (from consultation/steps.py), the import and the figures."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from wulian.consultation import api
from wulian.consultation import steps as consultation_steps  # noqa: F401 - declares them
from wulian.consultation.models import Analysis, Matter
from wulian.core import steps

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("consultation/matters", api.MatterViewSet, basename="matter")
router.register("consultation/analyses", api.AnalysisViewSet, basename="analysis")

app_name = "consultation_api"
urlpatterns = [
    path("consultation/figures/", api.figures_api, name="figures"),
    path(
        "consultation/analyses/<int:pk>/import/",
        api.AnalysisImport.as_view(),
        name="analysis-import",
    ),
    *steps.api_urls(Matter, read=False),
    *steps.api_urls(Analysis, read=False),
    *router.urls,
]
