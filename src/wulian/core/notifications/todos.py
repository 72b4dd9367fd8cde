"""我的待办 for the system administrator: deliveries that need a decision."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from wulian.core.access import Actor
from wulian.core.notifications.selectors import problem_count
from wulian.core.todos import TodoItem, provider


@provider
def _delivery_problems(actor: Actor) -> list[TodoItem]:
    n = problem_count(actor=actor)
    if not n:
        return []
    return [
        TodoItem(
            title=_("%(n)d 条消息投递失败或中断，待处理") % {"n": n},
            url=reverse("notifications:outbox"),
            source=_("消息投递"),
            status=_("待处理"),
            tone="warning",
        )
    ]
