from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CluesConfig(AppConfig):
    name = "wulian.core.clues"
    label = "clues"
    verbose_name = "Clues"

    def ready(self) -> None:
        from wulian.core.clues import policies, todos  # noqa: F401
        from wulian.core.notifications import kinds

        kinds.register("clues.", _("问题线索"))
