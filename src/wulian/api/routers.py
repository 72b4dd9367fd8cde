"""The router every app's API URLs use (issue 12: the same three lines in each api_urls.py)."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter


def api_router() -> DefaultRouter:
    """A router for /api/v1/: trailing slashes, no browsable root view, no `.json` suffixes
    (the root URL configuration mounts every app's router under one prefix)."""
    router = DefaultRouter(trailing_slash=True)
    router.include_root_view = False
    router.include_format_suffixes = False
    return router
