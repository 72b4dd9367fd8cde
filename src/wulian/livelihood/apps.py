from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivelihoodConfig(AppConfig):
    """联督: livelihood projects chosen by the deputies' vote (民生实事项目代表票决制), their
    numeric indicators with evidence, joint supervision and the satisfaction test."""

    name = "wulian.livelihood"
    label = "livelihood"
    verbose_name = "Livelihood projects"

    def ready(self) -> None:
        from wulian.core import actions, nav
        from wulian.core.deadlines import titles
        from wulian.core.notifications import kinds
        from wulian.livelihood import policies, steps, todos  # noqa: F401
        from wulian.livelihood.labels import LABELS

        actions.register(LABELS)
        kinds.register("livelihood.", _("民生实事项目"))
        titles.register(
            "民生实事项目进度预警：%(t)s",
            "民生实事项目进展待核实：%(t)s",
            "监督小组对民生实事项目进展提出疑问：%(t)s",
        )
        nav.register(
            nav.NavEntry(_("民生实事"), "livelihood:home", "livelihood.cycle.view", "links")
        )

    def demo_seed(self) -> dict[str, int]:
        """The 2023 cycle of the article (`wulian demo_seed`, after the core's)."""
        from django.db import transaction

        from wulian.livelihood import demo

        with transaction.atomic():
            return demo.seed()
