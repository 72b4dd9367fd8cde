from __future__ import annotations

from typing import Any

from rest_framework import permissions

from wulian.core import access


def declared_policies(view: Any) -> tuple[str, ...]:
    """The action codes a request to this view needs (any one of them): the view's
    `action_policies` entry for the viewset action, else its `wulian_policy`."""
    by_action: dict[str, tuple[str, ...]] = getattr(view, "action_policies", {})
    action = getattr(view, "action", None)
    if action in by_action:
        return by_action[action]
    declared = getattr(view, "wulian_policy", None)
    return (declared,) if declared and declared != "public" else ()


class DeclaredPolicy(permissions.BasePermission):
    """The API's counterpart of `@policy(...)`: sign-in, then the declared action code,
    checked before the view runs and before the request body is read. Checks on one record
    stay where the UI has them: scoped querysets (a record outside the scope is a 404) and
    `access.require()` in the services."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False  # DRF answers 401 when no credentials were given
        actor = access.actor_for(request.user)
        codes = declared_policies(view)
        if codes and not any(access.can(actor, code) for code in codes):
            access.require(actor, codes[0])  # raises AccessDenied with its message
        return True
