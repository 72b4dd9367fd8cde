"""The activities API, mounted at /api/v1/ by the root URL configuration (before the core API's
catch-all)."""

from rest_framework.routers import DefaultRouter

from wulian.core.activities.api import ActivityViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("activities", ActivityViewSet, basename="activity")

app_name = "activities_api"
urlpatterns = router.urls
