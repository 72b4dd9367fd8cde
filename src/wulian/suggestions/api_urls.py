"""The suggestions API, mounted at /api/v1/ by the root URL configuration (before the core API's
catch-all)."""

from rest_framework.routers import DefaultRouter

from wulian.suggestions import api, figures_urls

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("suggestions", api.SuggestionViewSet, basename="suggestion")
router.register("suggestion-batches", api.BatchViewSet, basename="batch")
router.register("suggestion-assignments", api.AssignmentViewSet, basename="assignment")
router.register("suggestion-orders", api.OrderViewSet, basename="order")
router.register("suggestion-campaigns", api.CampaignViewSet, basename="campaign")
router.register("campaign-opinions", api.OpinionViewSet, basename="opinion")

app_name = "suggestions_api"
urlpatterns: list = [*router.urls]


# The year's figures (figures_urls.py).
urlpatterns += figures_urls.api_urlpatterns
