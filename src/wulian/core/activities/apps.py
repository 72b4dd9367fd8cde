from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "wulian.core.activities"
    label = "activities"
    verbose_name = "Activities"

    def ready(self) -> None:
        # Register the access rules of activities.
        from wulian.core.activities import policies  # noqa: F401
