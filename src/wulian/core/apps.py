from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wulian.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Register the access rules, todo providers and periodic jobs of the core.
        from wulian.core import checkpoints, policies, text, todos  # noqa: F401

        # Every form and API text field: NFC, no bidi controls, no invisible-only text.
        text.install()
        # Form and validator messages in the product's voice (before any form is built).
        from wulian.core import messages

        messages.install()
        # The core's audit fields in words (the records' history).
        from wulian.core import actions

        actions.register_core()
