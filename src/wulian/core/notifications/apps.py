from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "wulian.core.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Register the access rules, the channels, the delivery and retention jobs and the 待办
        # provider.
        from wulian.core.notifications import (  # noqa: F401
            channels,
            delivery,
            policies,
            retention,
            todos,
        )
