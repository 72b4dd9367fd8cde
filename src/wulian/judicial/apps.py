from django.apps import AppConfig


class JudicialConfig(AppConfig):
    """联动: linked judicial supervision — expert pool, sealed draws, case-quality reviews."""

    name = "wulian.judicial"
    label = "judicial"
    verbose_name = "Judicial supervision"

    def ready(self) -> None:
        # Policies, audit labels, to-do providers and notification kinds register here.
        pass
