from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "wulian.core.deadlines"
    label = "deadlines"
    verbose_name = "Deadlines"

    def ready(self) -> None:
        # Register the access rules, the 我的待办 provider and the periodic sweep.
        from wulian.core.deadlines import policies, sweep, todos  # noqa: F401
