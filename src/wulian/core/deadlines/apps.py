from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "wulian.core.deadlines"
    label = "deadlines"
    verbose_name = "Deadlines"
    # Message titles composed again in the reader's language at display time (the msgids
    # the services format; wulian.core.deadlines.titles reads this at start-up).
    message_titles = (
        "延期申请已同意：%(title)s",
        "延期申请待审批：%(title)s",
        "延期申请未获同意：%(title)s",
        "期限已延长：%(title)s",
        "期限已恢复计时：%(title)s",
        "期限已按 %(years)s 年节假日安排重新计算：%(title)s",
        "期限已暂停计时：%(title)s",
        "期限提醒：%(title)s",
        "逾期督办：%(title)s",
    )

    def ready(self) -> None:
        # Every app's message_titles (the core's, this app's, the links').
        from wulian.core.deadlines import titles as message_titles

        message_titles.register_apps()
        # Register the access rules, the 我的待办 provider and the periodic sweep.
        from wulian.core.deadlines import policies, sweep, todos  # noqa: F401
