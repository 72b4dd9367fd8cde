from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CluesConfig(AppConfig):
    name = "wulian.core.clues"
    label = "clues"
    verbose_name = "Clues"
    # Message titles composed again in the reader's language at display time (the msgids
    # the services format; wulian.core.deadlines.titles reads this at start-up).
    message_titles = (
        "收到移送的问题线索 %(n)s，请及时签收",
        "移送的问题线索 %(n)s 已办结",
        "移送的问题线索 %(n)s 已反馈处置情况",
        "移送的问题线索 %(n)s 已处置",
        "移送的问题线索 %(n)s 已由暂存转为办理",
        "移送的问题线索 %(n)s 已签收",
        "移送问题线索 %(n)s",
        "问题线索 %(n)s 的处置意见已退回，请重新拟办",
        "问题线索 %(n)s 的处置意见待审批",
    )

    def ready(self) -> None:
        from wulian.core.clues import policies, todos  # noqa: F401
        from wulian.core.clues.choices import (
            DEADLINE_DISPOSITION,
            DEADLINE_RECEIPT,
            DEADLINE_TRANSFER,
        )
        from wulian.core.deadlines import todos as deadline_todos

        # 我的待办 lists a clue's time limits once, from this app's provider (签收/处置 with
        # their due dates; a draft with its transfer limit), not again as bare deadlines.
        deadline_todos.listed_by_app(DEADLINE_RECEIPT, DEADLINE_DISPOSITION, DEADLINE_TRANSFER)
        from wulian.core.notifications import kinds

        kinds.register("clues.", _("问题线索"))
        # Deadline titles composed again in the reader's language (the services' msgids).
        from wulian.core.deadlines import titles

        titles.register("移送问题线索 %(n)s", "签收问题线索 %(n)s", "处置问题线索 %(n)s")
