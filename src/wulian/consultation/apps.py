from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    """联商: joint consultation — the register of major matters, joint meetings, opinions on
    each other's plans, coordinated supervision topics, joint analysis, figures."""

    name = "wulian.consultation"
    label = "consultation"
    verbose_name = "Joint consultation"

    def ready(self) -> None:
        from wulian.consultation import jobs, policies, todos  # noqa: F401
        from wulian.consultation.labels import LABELS, fields
        from wulian.consultation.services import imports  # noqa: F401 - registers the kind
        from wulian.core import actions, nav
        from wulian.core.notifications import kinds

        actions.register(LABELS)
        actions.register_fields(fields())
        kinds.register("consultation.", _("联商"))
        nav.register(
            nav.NavEntry(_("联商"), "consultation:register", "consultation.home.view", "links")
        )

    def demo_seed(self) -> dict[str, int]:
        """The 联商 demo data (`wulian demo_seed`, after the core's and its primitives')."""
        from django.db import transaction

        from wulian.consultation import demo

        with transaction.atomic():
            return demo.seed()
