from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "wulian.core.attachments"
    label = "attachments"
    verbose_name = "Attachments"

    def ready(self) -> None:
        # Register the access rules (which delegate to the rules of each record type).
        from wulian.core.attachments import policies  # noqa: F401
