from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "wulian.core.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Register the access rules, the channels and the delivery job.
        from wulian.core.notifications import channels, delivery, policies  # noqa: F401
