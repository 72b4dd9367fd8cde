"""Walk the URL configuration: every route and the access policy its view declares.

Used by the route-matrix test (every route must declare a policy, and every route must have
a row in the matrix) and by `wulian routes` for reviewers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the pattern when the route has no name
    pattern: str
    callback: Any

    @property
    def policy(self) -> str | None:
        for holder in (self.callback, getattr(self.callback, "cls", None)):
            value = getattr(holder, "wulian_policy", None)
            if value:
                return value
        return None


def walk(patterns: list[Any] | None = None, prefix: str = "", ns: str = "") -> Iterator[Route]:
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = ":".join(p for p in (ns, entry.namespace or "") if p)
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), namespace)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            name = f"{ns}:{entry.name}" if ns and entry.name else (entry.name or pattern)
            yield Route(name=name, pattern=pattern, callback=entry.callback)


def undeclared(patterns: list[Any] | None = None) -> list[Route]:
    """Routes whose view declares no access policy."""
    return [r for r in walk(patterns) if r.policy is None]
