from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    """定期通报 / 工作通报: bulletins issued to a distribution list, with receipts and feedback."""

    name = "wulian.core.bulletins"
    label = "bulletins"
    verbose_name = "Bulletins"
    # Message titles composed again in the reader's language at display time (the msgids
    # the services format; wulian.core.deadlines.titles reads this at start-up).
    message_titles = (
        "%(org)s反馈了通报：%(t)s",
        "%(org)s已签收通报：%(t)s",
        "请签收通报：%(t)s",
    )

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _
        from django.utils.translation import pgettext_lazy

        from wulian.core import actions, nav
        from wulian.core.bulletins import policies, todos  # noqa: F401
        from wulian.core.bulletins.choices import DEADLINE_RECEIPT
        from wulian.core.bulletins.labels import LABELS
        from wulian.core.deadlines import todos as deadline_todos
        from wulian.core.notifications import kinds

        actions.register(LABELS)
        # 我的待办 lists the receipts from this app's provider (with the bulletin's number).
        deadline_todos.listed_by_app(DEADLINE_RECEIPT)
        # Reminders and escalation of a receipt in this app's words (who has not signed).
        from wulian.core.bulletins.services import receipt_messages
        from wulian.core.deadlines import sweep

        sweep.word_messages(DEADLINE_RECEIPT, receipt_messages)
        kinds.register("bulletins.", pgettext_lazy("bulletins", "通报"))
        nav.register(
            nav.NavEntry(_("通报台账"), "bulletins:ledger", "bulletins.bulletin.view", "shared"),
            after="activities:activity_list",
        )

    def demo_seed(self) -> dict[str, int]:
        """The bulletins' demo data (`wulian demo_seed`, after the core's)."""
        from django.db import transaction

        from wulian.core.bulletins import demo

        with transaction.atomic():
            return demo.seed()
