from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SuggestionsConfig(AppConfig):
    """联办: deputies' suggestions, from submission to the deputy's verdict."""

    name = "wulian.suggestions"
    label = "suggestions"
    verbose_name = "Deputies' suggestions"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from wulian.core import actions, nav
        from wulian.core.notifications import kinds
        from wulian.suggestions import jobs, policies, search, todos  # noqa: F401
        from wulian.suggestions.labels import LABELS

        actions.register(LABELS)
        # The reply deadline's extensions go through reply_extension_request/decide (the
        # 6-month cap, the notice to the deputies, the ledger's due date), never the generic
        # deadline page.
        from wulian.core.deadlines.services import own_extensions
        from wulian.suggestions.choices import DEADLINE_REPLY

        own_extensions(DEADLINE_REPLY)
        kinds.register("suggestions.", _("代表建议"))
        nav.register(
            nav.NavEntry(
                _("代表建议"), "suggestions:suggestion_list", "suggestions.suggestion.view"
            ),
            after="rectification:ledger",
        )
        # SQLite: a later migration that rebuilds the suggestion table drops the search
        # triggers; put them back (PostgreSQL's index is unaffected).
        post_migrate.connect(search.ensure_index, sender=self, dispatch_uid="suggestions-fts")
