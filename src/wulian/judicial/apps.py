from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudicialConfig(AppConfig):
    """联动: linked judicial supervision — expert pool, sealed draws, case-quality reviews."""

    name = "wulian.judicial"
    label = "judicial"
    verbose_name = "Judicial supervision"
    # Message titles composed again in the reader's language at display time (the msgids
    # the services format; wulian.core.deadlines.titles reads this at start-up).
    message_titles = (
        "专家抽取 %(c)s 已申请作废，等待见证人确认",
        "专家抽取 %(c)s 申请作废，请您作为见证人确认或拒绝",
        "办理涉法涉诉信访 %(n)s",
        "您被随机抽取为案件质量评查专家，请登录确认是否参加",
        "意见建议已被采纳：%(t)s",
        "意见建议未被采纳：%(t)s",
        "收到人大常委会的意见建议：%(t)s",
        "案件质量评查已开始，请登录查看分配给您的案件并评分",
        "涉法涉诉信访 %(n)s 已办结",
        "见证人不同意作废专家抽取 %(c)s，抽取继续",
        "见证人已确认作废专家抽取 %(c)s，可以重新抽取",
        "转办涉法涉诉信访 %(n)s，请在期限内办结",
    )

    def ready(self) -> None:
        from wulian.core import actions, nav
        from wulian.core.notifications import kinds
        from wulian.judicial import policies, todos  # noqa: F401
        from wulian.judicial.labels import DEADLINE_KINDS, LABELS, fields
        from wulian.judicial.services import imports  # noqa: F401

        actions.register(LABELS)
        actions.register_fields(fields())
        actions.register_deadline_kinds(DEADLINE_KINDS)
        from wulian.core.deadlines import titles

        titles.register("办理涉法涉诉信访 %(n)s")
        kinds.register("judicial.", _("司法监督联动"))
        nav.register(nav.NavEntry(_("司法监督"), "judicial:home", "judicial.home.view", "links"))

    def demo_seed(self) -> dict[str, int]:
        """The judicial demo data (`wulian demo_seed`, after the core's)."""
        from django.db import transaction

        from wulian.judicial import demo

        with transaction.atomic():
            return demo.seed()
