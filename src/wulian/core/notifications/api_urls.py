"""The notifications API, mounted at /api/v1/ (before the core API's catch-all)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from wulian.core.notifications import delivery_api
from wulian.core.notifications.api import NotificationViewSet, PreferencesView

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("notifications", NotificationViewSet, basename="notification")

app_name = "notifications_api"
urlpatterns = [
    path("notification-preferences/", PreferencesView.as_view(), name="preferences"),
    *router.urls,
    # Delivery problems and group robots (the system administrator): delivery_api.
    path("outbox/<int:pk>/retry/", delivery_api.OutboxRetry.as_view(), name="outbox-retry"),
    path("outbox/<int:pk>/drop/", delivery_api.OutboxDrop.as_view(), name="outbox-drop"),
    path("webhooks/", delivery_api.WebhookCreate.as_view(), name="webhook-create"),
    path("webhooks/<int:pk>/edit/", delivery_api.WebhookEdit.as_view(), name="webhook-edit"),
    path("webhooks/<int:pk>/test/", delivery_api.WebhookTest.as_view(), name="webhook-test"),
]
