"""Every view declares its access policy. `policy()` states the action code (and checks it
for actions that need no record); views that load a record call `access.require()` with it.
`public()` marks the few views anyone may open (sign-in, health check, error pages).

The route-matrix test walks the URL configuration and fails for a view with neither.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from wulian.core import access

View = Callable[..., HttpResponse]


def policy(action: str, *, per_record: bool = False) -> Callable[[View], View]:
    """Require sign-in and the action. With per_record=True the view itself checks the
    action against the record it loads (the decorator still requires sign-in)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            request.actor = access.actor_for(request.user)
            if not per_record:
                access.require(request.actor, action)
            return view(request, *args, **kwargs)

        wrapped.wulian_policy = action  # type: ignore[attr-defined]
        return wrapped

    return decorator


def public(view: View) -> View:
    view.wulian_policy = "public"  # type: ignore[attr-defined]
    return view
