from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "wulian.core.notifications"
    label = "notifications"
    verbose_name = "Notifications"
