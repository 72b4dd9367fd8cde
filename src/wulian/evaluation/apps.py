from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """联评: joint evaluation of government departments (issue 18, ADR 0028)."""

    name = "wulian.evaluation"
    label = "evaluation"
    verbose_name = "Joint evaluation"

    def ready(self) -> None:
        from wulian.core import actions, nav
        from wulian.core.notifications import kinds
        from wulian.evaluation import panels, policies, steps, todos  # noqa: F401
        from wulian.evaluation.labels import DEADLINE_KINDS, LABELS

        actions.register(LABELS)
        actions.register_deadline_kinds(DEADLINE_KINDS)
        kinds.register("evaluation.", _("联评"))
        nav.register(
            nav.NavEntry(_("工作评议"), "evaluation:list", "evaluation.evaluation.view", "links")
        )

    def demo_seed(self) -> dict[str, int]:
        from django.db import transaction

        from wulian.evaluation import demo

        with transaction.atomic():
            return demo.seed()
