from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SuggestionsConfig(AppConfig):
    """联办: deputies' suggestions, from submission to the deputy's verdict."""

    name = "wulian.suggestions"
    label = "suggestions"
    verbose_name = "Deputies' suggestions"

    def demo_seed(self) -> dict[str, int]:
        """The suggestions' demo data (`wulian demo_seed`, after the core's)."""
        from django.db import transaction

        from wulian.suggestions import demo

        with transaction.atomic():  # one commit (SQLite: one sync, not one per step)
            return demo.seed()

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from wulian.core import actions, nav
        from wulian.core.notifications import kinds
        from wulian.suggestions import exports, imports, jobs, policies, search, todos  # noqa: F401
        from wulian.suggestions.labels import DEADLINE_KINDS, LABELS, fields

        actions.register(LABELS)
        actions.register_fields(fields())
        actions.register_deadline_kinds(DEADLINE_KINDS)
        # Deadline titles composed again in the reader's language (the services' msgids).
        from wulian.core.deadlines import titles

        titles.register(
            "评价代表建议 %(t)s 的答复（反馈征询意见表）",
            "签收或退回代表建议 %(t)s",
            "答复代表建议 %(t)s",
            "联系领衔代表 %(t)s",
            "交办闭会期间建议 %(t)s",
            "重新办理并答复代表建议 %(t)s",
            "向主办单位提交会办意见 %(t)s",
            "重新交办代表建议 %(t)s（代表不满意）",
        )
        from django.core import checks

        from wulian.suggestions.reply_classes import check_setting

        checks.register(check_setting, checks.Tags.compatibility)
        # The reply and re-reply deadlines' extensions go through reply_extension_request/
        # decide (the caps after assignment and after the reopening, the notice to the
        # deputies, the ledger's due date, merged suggestions following), never the generic
        # deadline page.
        from wulian.core.deadlines import sweep
        from wulian.core.deadlines import todos as deadline_todos
        from wulian.core.deadlines.services import on_moved, on_year_completed, own_extensions
        from wulian.suggestions.choices import (
            DEADLINE_OPINION,
            DEADLINE_RECEIPT,
            DEADLINE_REPLY,
            DEADLINE_REREPLY,
            DEADLINE_VERDICT,
        )
        from wulian.suggestions.services import (
            opinion_messages,
            orders_recompute,
            receipt_moved,
            verdict_messages,
        )

        own_extensions(DEADLINE_REPLY, DEADLINE_REREPLY)
        # Dates counted provisionally on next year's calendar follow it once it is complete:
        # the assignment's 签收或退回截止 (a copy of its receipt deadline) and the supervision
        # orders' report dates (not deadlines).
        on_moved(DEADLINE_RECEIPT, receipt_moved)
        on_year_completed(orders_recompute)
        # The deputy's verdict clock: reminders to the deputy and the office's follow-up at
        # the end in this app's words; 我的待办 lists it from this app's provider (the deputy's
        # reply to rate, with its due date; the office only once it has passed).
        sweep.word_messages(DEADLINE_VERDICT, verdict_messages)
        deadline_todos.listed_by_app(DEADLINE_VERDICT)
        # A co-unit's opinion time limit: reminders to the co-unit, and at the end the office
        # and the lead unit told that the lead unit may reply without it, in this app's words;
        # 我的待办 lists the opinion to give from this app's provider (one row, not two).
        sweep.word_messages(DEADLINE_OPINION, opinion_messages)
        deadline_todos.listed_by_app(DEADLINE_OPINION)
        kinds.register("suggestions.", _("代表建议"))
        nav.register(
            nav.NavEntry(
                _("代表建议"), "suggestions:suggestion_list", "suggestions.suggestion.view"
            ),
            after="rectification:ledger",
        )
        # SQLite: a later migration that rebuilds the suggestion table drops the search
        # triggers; put them back (PostgreSQL's index is unaffected).
        post_migrate.connect(search.ensure_index, sender=self, dispatch_uid="suggestions-fts")
