"""The judicial API, mounted at /api/v1/ by the root URL configuration (before the core API's
catch-all)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from wulian.judicial import api

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("judicial/experts", api.ExpertViewSet, basename="expert")
router.register("judicial/cases", api.CaseViewSet, basename="case")
router.register("judicial/batches", api.BatchViewSet, basename="batch")
router.register("judicial/draws", api.DrawViewSet, basename="draw")
router.register("judicial/invitations", api.InvitationViewSet, basename="invitation")
router.register("judicial/suggestions", api.SuggestionViewSet, basename="suggestion")
router.register("judicial/petitions", api.PetitionViewSet, basename="petition")

app_name = "judicial_api"
urlpatterns = [
    path("judicial/figures/", api.figures_api, name="figures"),
    *router.urls,
]
