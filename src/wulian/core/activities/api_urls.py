"""The activities API, mounted at /api/v1/ by the root URL configuration (before the core API's
catch-all)."""

from django.urls import path

from wulian.api.routers import api_router
from wulian.core import steps
from wulian.core.activities import steps as activity_steps  # noqa: F401 - declares the steps
from wulian.core.activities.api import ActivityEdit, ActivityViewSet
from wulian.core.activities.models import ActionItem, Activity

router = api_router()
router.register("activities", ActivityViewSet, basename="activity")

app_name = "activities_api"
# The activity is read by the viewset; its steps come from their declarations.
urlpatterns = [
    *router.urls,
    *steps.api_urls(Activity, read=False),
    *steps.api_urls(ActionItem),
    path("activities/<int:pk>/edit/", ActivityEdit.as_view(), name="activity-edit"),
]
