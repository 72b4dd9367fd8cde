"""The notifications API, mounted at /api/v1/ (before the core API's catch-all)."""

from django.urls import path

from wulian.api.routers import api_router
from wulian.core.notifications import delivery_api
from wulian.core.notifications.api import NotificationViewSet, PreferencesView

router = api_router()
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
