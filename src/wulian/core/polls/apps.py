from django.apps import AppConfig


class PollsConfig(AppConfig):
    name = "wulian.core.polls"
    label = "polls"
    verbose_name = "Secret ballots"

    def ready(self) -> None:
        from wulian.core import actions
        from wulian.core.polls import policies  # noqa: F401
        from wulian.core.polls.labels import LABELS

        actions.register(LABELS)
