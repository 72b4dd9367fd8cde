from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    """征求意见: opinion rounds on drafts, with a disposition per comment and the 采纳情况说明."""

    name = "wulian.core.opinions"
    label = "opinions"
    verbose_name = "Opinion rounds"

    def ready(self) -> None:
        from django.utils.translation import pgettext_lazy

        from wulian.core import actions, nav
        from wulian.core.deadlines import sweep
        from wulian.core.deadlines import todos as deadline_todos
        from wulian.core.notifications import kinds
        from wulian.core.opinions import policies, todos  # noqa: F401
        from wulian.core.opinions.choices import DEADLINE_COMMENT
        from wulian.core.opinions.labels import LABELS
        from wulian.core.opinions.services import comment_messages

        actions.register(LABELS)
        # 我的待办 lists the comment deadlines from this app's provider (in its words).
        deadline_todos.listed_by_app(DEADLINE_COMMENT)
        sweep.word_messages(DEADLINE_COMMENT, comment_messages)
        kinds.register("opinions.", pgettext_lazy("opinions", "征求意见"))
        nav.register(
            nav.NavEntry(
                pgettext_lazy("opinions", "征求意见"),
                "opinions:ledger",
                "opinions.round.view",
                "shared",
            ),
            after="bulletins:ledger",
        )

    def demo_seed(self) -> dict[str, int]:
        """The opinion rounds' demo data (`wulian demo_seed`, after the core's)."""
        from django.db import transaction

        from wulian.core.opinions import demo

        with transaction.atomic():
            return demo.seed()
