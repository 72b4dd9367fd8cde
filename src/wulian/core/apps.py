from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    name = "wulian.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Register the access rules, todo providers and periodic jobs of the core.
        from wulian.core import background, checkpoints, policies, text, todos  # noqa: F401

        # Every form and API text field: NFC, no bidi controls, no invisible-only text.
        text.install()

        from wulian.core.clientip import check_trusted_proxies

        checks.register(check_trusted_proxies, checks.Tags.security)
