from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudicialConfig(AppConfig):
    """联动: linked judicial supervision — expert pool, sealed draws, case-quality reviews."""

    name = "wulian.judicial"
    label = "judicial"
    verbose_name = "Judicial supervision"

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
        nav.register(nav.NavEntry(_("司法监督"), "judicial:home", "judicial.home.view"))

    def demo_seed(self) -> dict[str, int]:
        """The judicial demo data (`wulian demo_seed`, after the core's)."""
        from django.db import transaction

        from wulian.judicial import demo

        with transaction.atomic():
            return demo.seed()
