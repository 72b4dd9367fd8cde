from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wulian.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Register the access rules, todo providers and periodic jobs of the core.
        from wulian.core import checkpoints, policies, todos  # noqa: F401
