"""The 联评 API, mounted at /api/v1/ before the core API's catch-all."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from wulian.core import steps
from wulian.evaluation import api
from wulian.evaluation.models import Evaluation

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("evaluations", api.EvaluationViewSet, basename="evaluation")

app_name = "evaluation_api"
urlpatterns = [
    path("evaluations/conduct-import/", api.ConductImport.as_view(), name="conduct-import"),
    *steps.api_urls(Evaluation, read=False),
    *router.urls,
]
