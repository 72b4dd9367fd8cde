from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "wulian.core.rectification"
    label = "rectification"
    verbose_name = "Findings and rectification"

    def ready(self) -> None:
        # Access rules and the 我的待办 provider register on import.
        from wulian.core.notifications import kinds
        from wulian.core.rectification import exports, policies, todos  # noqa: F401

        kinds.register("rectification.", _("整改"))
        if apps.is_installed("wulian.core.activities"):
            from wulian.core.rectification import panels

            panels.register_activity_panel()
