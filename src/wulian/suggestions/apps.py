from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SuggestionsConfig(AppConfig):
    """联办: deputies' suggestions, from submission to the deputy's verdict."""

    name = "wulian.suggestions"
    label = "suggestions"
    verbose_name = "Deputies' suggestions"
    # Message titles composed again in the reader's language at display time (the msgids
    # the services format; wulian.core.deadlines.titles reads this at start-up).
    message_titles = (
        "%(kind)s：代表建议 %(t)s",
        "%(unit)s提交了代表建议 %(t)s 的会办意见",
        "%(unit)s退回了代表建议 %(t)s（%(role)s），请重新交办",
        "交办闭会期间建议 %(t)s",
        "人大代表工委免除了%(unit)s对代表建议 %(t)s 的会办意见",
        "人大常委会通报代表建议办理中的突出问题：%(t)s",
        "代表已书面撤回建议 %(t)s，办理终止",
        "代表建议 %(t)s 列为重点督办建议",
        "代表建议 %(t)s 已答复（%(cat)s），请查看并评价",
        "代表建议 %(t)s 已重新交办，请于 %(due)s 前再次答复",
        "代表建议 %(t)s 的会办单位%(old)s已退回，不再另行指定会办单位",
        "代表建议 %(t)s 的会办单位%(old)s已退回，改由%(new)s会办",
        "代表建议 %(t)s 重新办理的答复期限延至 %(d)s",
        "代表建议 %(t)s 需重新办理：人大代表工委将于 %(d)s 前重新交办，"
        "承办单位在重新交办后 %(n)d 个月内再次答复",
        "向主办单位提交会办意见 %(t)s",
        "建议 %(t)s 及其答复已在公开页面公开",
        "建议 %(t)s 已从公开页面撤下",
        "您收集的意见（%(c)s 第 %(n)d 号）已办结",
        "您的建议 %(t)s 不作为代表建议办理，已转作代表来信处理",
        "您的建议 %(t)s 与%(p)s并案办理，办理结果仍将答复您",
        "您的建议 %(t)s 已交由 %(unit)s 主办",
        "您的建议 %(t)s 已立案，将交有关单位办理",
        "您的建议 %(t)s 已重新交办%(unit)s，将于 %(due)s 前再次答复",
        "您的建议 %(t)s 未予立案：%(reason)s",
        "收到交办的代表建议 %(t)s（%(role)s），请在 %(d)d 个工作日内签收或退回",
        "收到交办的代表收集意见（%(c)s 第 %(n)d 号）",
        "收到代表建议 %(t)s，请审查",
        "督办事项已报告：代表建议 %(t)s",
        "督办报告截止时间已按节假日安排重新计算：代表建议 %(t)s",
        "答复代表建议 %(t)s",
        "签收或退回代表建议 %(t)s",
        "联合交办待会签：%(n)d 件代表建议",
        "联合交办批次 %(n)s 未会签，已退回",
        "评价代表建议 %(t)s 的答复（反馈征询意见表）",
        "重新交办代表建议 %(t)s（代表不满意）",
        "重新办理并答复代表建议 %(t)s",
    )

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
                _("代表建议"),
                "suggestions:suggestion_list",
                "suggestions.suggestion.view",
                "links",
            ),
            after="core:person_list",
        )
        # SQLite: a later migration that rebuilds the suggestion table drops the search
        # triggers; put them back (PostgreSQL's index is unaffected).
        post_migrate.connect(search.ensure_index, sender=self, dispatch_uid="suggestions-fts")
