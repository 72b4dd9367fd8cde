from django.apps import AppConfig


class PollsConfig(AppConfig):
    name = "wulian.core.polls"
    label = "polls"
    verbose_name = "Secret ballots"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from wulian.core import actions, nav
        from wulian.core.polls import policies, todos  # noqa: F401
        from wulian.core.polls.labels import LABELS

        actions.register(LABELS)
        nav.register(
            nav.NavEntry(_("测评票决"), "polls:poll_list", "polls.poll.list", "shared"),
            after="activities:activity_list",
        )

    def demo_seed(self) -> dict[str, int]:
        """The polls' demo data (`wulian demo_seed`, after the core's)."""
        from django.db import transaction

        from wulian.core.polls import demo

        with transaction.atomic():
            return demo.seed()
