from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "wulian.core.activities"
    label = "activities"
    verbose_name = "Activities"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from wulian.core import actions, nav

        # Register the access rules of activities and meetings, and 我的待办 of meetings.
        from wulian.core.activities import policies, todos  # noqa: F401
        from wulian.core.activities.choices import DEADLINE_ACTION
        from wulian.core.activities.labels import LABELS
        from wulian.core.deadlines import todos as deadline_todos
        from wulian.core.notifications import kinds

        actions.register(LABELS)
        actions.register_deadline_kinds({DEADLINE_ACTION: _("会议议定事项落实")})
        # 我的待办 lists the action items from this app's provider (in its own words).
        deadline_todos.listed_by_app(DEADLINE_ACTION)
        kinds.register("activities.", _("会议与监督活动"))
        nav.register(
            nav.NavEntry(
                _("会议落实事项"), "activities:action_list", "activities.actionitem.view", "shared"
            ),
            after="activities:activity_list",
        )

    def demo_seed(self) -> dict[str, int]:
        """The meetings' demo data (`wulian demo_seed`, after the core's)."""
        from django.db import transaction

        from wulian.core.activities import demo

        with transaction.atomic():
            return demo.seed()
