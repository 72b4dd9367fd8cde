"""`{% inbox_link %}`: the header link to the inbox with the unread count (one indexed count
per page, only for a signed-in person)."""

from __future__ import annotations

from typing import Any

from django import template

from wulian.core.notifications.selectors import unread_count

register = template.Library()


@register.inclusion_tag("notifications/inbox_link.html", takes_context=True)
def inbox_link(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return {"show": False}
    count = getattr(request, "_wulian_unread", None)
    if count is None:
        count = unread_count(user=user)
        if request is not None:
            request._wulian_unread = count
    return {"show": True, "count": count}
