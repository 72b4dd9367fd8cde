"""Template helpers for the shared UI components."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from wulian.core.actions import label_for

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return str(label_for(code))


@register.filter
def changes(after: Any) -> str:
    if not isinstance(after, dict):
        return ""
    parts = [f"{k}: {v}" for k, v in list(after.items())[:6]]
    return "；".join(parts)


@register.inclusion_tag("components/badge.html")
def badge(label: Any, tone: str = "neutral") -> dict[str, Any]:
    return {"label": label, "tone": tone}


@register.inclusion_tag("components/badge.html")
def active_badge(is_active: bool) -> dict[str, Any]:
    return {"label": _("在用") if is_active else _("停用"), "tone": "ok" if is_active else "muted"}
