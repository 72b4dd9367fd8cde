from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "wulian.core.rectification"
    label = "rectification"
    verbose_name = "Findings and rectification"
    # Message titles composed again in the reader's language at display time (the msgids
    # the services format; wulian.core.deadlines.titles reads this at start-up).
    message_titles = (
        "制定整改措施：%(t)s",
        "完成整改：%(t)s",
        "已制定整改措施：%(t)s",
        "整改已核验销号：%(t)s",
        "整改待核验：%(t)s",
        "整改被退回，请重新整改：%(t)s",
        "整改进展：%(t)s",
        "重新整改：%(t)s",
        "需要整改的问题：%(t)s",
    )

    def ready(self) -> None:
        # Access rules and the 我的待办 provider register on import.
        from wulian.core.notifications import kinds
        from wulian.core.rectification import exports, policies, todos  # noqa: F401

        kinds.register("rectification.", _("整改"))
        # Deadline titles composed again in the reader's language (the services' msgids).
        from wulian.core.deadlines import titles

        titles.register("制定整改措施：%(t)s", "完成整改：%(t)s", "重新整改：%(t)s")
        if apps.is_installed("wulian.core.activities"):
            from wulian.core.rectification import panels

            panels.register_activity_panel()
