from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    name = "wulian.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Register the access rules, todo providers and periodic jobs of the core.
        from wulian.core import background, checkpoints, imports, policies, text, todos  # noqa: F401

        # Every form and API text field: NFC, no bidi controls, no invisible-only text.
        text.install()
        # Form and validator messages in the product's voice (before any form is built).
        from wulian.core import messages

        messages.install()
        # The core's audit fields in words (the records' history).
        from wulian.core import actions

        actions.register_core()

        from wulian.core.clientip import check_trusted_proxies

        checks.register(check_trusted_proxies, checks.Tags.security)
