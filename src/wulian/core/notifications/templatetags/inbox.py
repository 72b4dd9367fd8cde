"""`{% inbox_link %}`: the header link to the inbox with the unread count (one indexed count
per page, only for a signed-in person). Drawn by `core.shell.inbox_link_html`, the header's
one definition (base.html draws it with the rest of the header)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from wulian.core.shell import inbox_link_html, name_and_unread

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_link(context: template.Context) -> SafeString:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return mark_safe("")
    return mark_safe(inbox_link_html(name_and_unread(request, user)[1]))  # noqa: S308
