from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from wulian.core import access, nav


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    actor = access.actor_for(user)
    return {
        "site_name": settings.SITE_NAME,
        "demo_mode": settings.DEMO_MODE,
        "actor": actor,
        "nav_entries": nav.entries_for(actor) if actor.is_authenticated else [],
    }
