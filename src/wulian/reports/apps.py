from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports across the five links: each department's supervision profile and the ranking of
    departments on the same measures (issue 20)."""

    name = "wulian.reports"
    label = "reports"
    verbose_name = "Reports across the links"

    def ready(self) -> None:
        from wulian.reports import policies  # noqa: F401
