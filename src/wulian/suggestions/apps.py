from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    """联办: deputies' suggestions, from submission to the deputy's verdict."""

    name = "wulian.suggestions"
    label = "suggestions"
    verbose_name = "Deputies' suggestions"

    def ready(self) -> None:
        # Policies, audit labels, to-do providers and notification kinds register here.
        from wulian.suggestions import policies  # noqa: F401
