from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wulian.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Register the access rules and the todo providers of the core.
        from wulian.core import policies, todos  # noqa: F401
