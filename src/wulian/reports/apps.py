from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports across the five links: each department's supervision profile, the ranking of
    departments on the same measures, the dashboards per role and the annual 五联 report
    (issue 20)."""

    name = "wulian.reports"
    label = "reports"
    verbose_name = "Reports across the links"

    def ready(self) -> None:
        from wulian.core import nav
        from wulian.reports import policies  # noqa: F401

        nav.register(
            nav.NavEntry(_("监督看板"), "reports:dashboard", "reports.dashboard.view", "links")
        )
        nav.register(nav.NavEntry(_("年度报告"), "reports:annual", "reports.annual.view", "links"))
