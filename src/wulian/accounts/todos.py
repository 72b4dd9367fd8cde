"""我的待办 of the security administrator: accounts still open for people who hold no seat any
more (they left their unit, their seat was ended) — switch them off (账号管理). One query."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.todos import TodoItem, provider


def leavers_with_open_accounts():
    """Active accounts of people without any active seat."""
    from wulian.accounts.models import User

    return User.objects.filter(is_active=True, person__isnull=False).exclude(
        person__memberships__is_active=True
    )


@provider
def _leavers(actor: Actor) -> list[TodoItem]:
    if not access.can(actor, "accounts.account.manage"):
        return []
    n = leavers_with_open_accounts().count()
    if not n:
        return []
    return [
        TodoItem(
            title=_("%(n)d 名已离任人员的账号仍可登录，请核实后停用") % {"n": n},
            url=reverse("accounts:account_list"),
            source=_("账号管理"),
            status=_("待停用"),
            tone="warning",
        )
    ]
