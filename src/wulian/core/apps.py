from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    name = "wulian.core"
    label = "core"
    verbose_name = "Core"
    # Message titles composed again in the reader's language at display time (the msgids
    # the services format; wulian.core.deadlines.titles reads this at start-up).
    message_titles = (
        "共 %(n)d 行。",
        "发现 %(n)d 处问题，未导入任何数据。请按提示更正后重新上传。",
        "后台任务失败：%(t)s",
        "导入专家库",
        "导入代表建议",
        "导入基础数据",
        "导入备案案件",
        "导入完成：%(s)s。",
        "导入完成：%(summary)s。",
        "导入已完成：%(t)s",
        "导入未完成：%(t)s",
        "导出代表建议台账",
        "导出整改台账",
        "导出已完成：%(t)s",
        "已导入 %(n)d 件代表建议。",
        "待确认授权：%(person)s 任%(org)s%(role)s",
        "授权已确认：%(person)s 任%(org)s%(role)s",
        "授权未确认：%(person)s 任%(org)s%(role)s",
        "授权：%(person)s 任%(org)s%(role)s",
        "终止任职：%(person)s 不再任%(org)s%(role)s",
    )

    def ready(self) -> None:
        # Register the access rules, todo providers and periodic jobs of the core.
        from wulian.core import background, checkpoints, imports, policies, text, todos  # noqa: F401

        background.register_import(
            imports.BACKGROUND_KIND, run=imports.background_run, summary=imports.background_summary
        )

        # Every form and API text field: NFC, no bidi controls, no invisible-only text.
        text.install()
        # Form and validator messages in the product's voice (before any form is built).
        from wulian.core import messages

        messages.install()
        # The core's audit fields in words (the records' history).
        from wulian.core import actions

        actions.register_core()

        from wulian.core.clientip import check_trusted_proxies

        checks.register(check_trusted_proxies, checks.Tags.security)
