"""我的待办: what waits on the signed-in person, gathered from every app.

An app registers a provider: a function (actor) -> list[TodoItem]. Each provider must use a
constant number of queries. The home page shows the items sorted by deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.access import Actor


@dataclass(frozen=True)
class TodoItem:
    title: str
    url: str
    source: str  # the app or section that asks, shown as a badge
    due: datetime | None = None
    status: str = ""
    tone: str = "neutral"  # neutral | warning | danger
    # The due date was counted on a year the holiday calendar does not yet hold (暂定).
    provisional: bool = False

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.now()


Provider = Callable[[Actor], list[TodoItem]]
_providers: list[Provider] = []


def provider(fn: Provider) -> Provider:
    _providers.append(fn)
    return fn


def todos_for(actor: Actor) -> list[TodoItem]:
    items: list[TodoItem] = []
    for fn in _providers:
        items.extend(fn(actor))
    far = timezone.now().replace(year=9999)
    return sorted(items, key=lambda i: (i.due or far, i.title))


@provider
def _account_todos(actor: Actor) -> list[TodoItem]:
    """The account asks for attention: a password that must be changed soon."""
    from django.urls import reverse

    from wulian.accounts.passwords import password_expires_at

    user = actor.user
    if user is None:
        return []
    expires = password_expires_at(user)
    if expires is None or expires - timezone.now() > timedelta(days=14):
        return []
    return [
        TodoItem(
            title=_("修改登录密码"),
            url=reverse("accounts:password_change"),
            source=_("账号安全"),
            due=expires,
            status=_("密码即将到期"),
            tone="warning",
        )
    ]
