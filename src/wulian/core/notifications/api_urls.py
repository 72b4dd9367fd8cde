"""The notifications API, mounted at /api/v1/ (before the core API's catch-all)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from wulian.core.notifications.api import NotificationViewSet, PreferencesView

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("notifications", NotificationViewSet, basename="notification")

app_name = "notifications_api"
urlpatterns = [
    path("notification-preferences/", PreferencesView.as_view(), name="preferences"),
    *router.urls,
]
