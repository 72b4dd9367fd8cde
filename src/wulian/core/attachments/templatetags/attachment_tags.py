"""`{% load attachment_tags %}{% attachments_panel record %}` — the attachments panel of a
record page (list, upload form, remove with reason), loaded in a constant number of queries."""

from __future__ import annotations

from typing import Any

from django import template

from wulian.core import access
from wulian.core.attachments import selectors, services, sniff

register = template.Library()


@register.inclusion_tag("attachments/panel.html", takes_context=True)
def attachments_panel(context: template.Context, record: Any) -> dict[str, Any]:
    request = context.get("request")
    actor = access.actor_for(getattr(request, "user", None))
    return {
        "panel": selectors.attachment_panel(actor=actor, record=record),
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path() if request is not None else "",
        "accept": sniff.accept_attribute(),
        "allowed": sniff.allowed_summary(),
        "max_mb": services.max_mb_text(),
    }
