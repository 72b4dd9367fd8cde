"""The portal's rows of the route matrix (tests/core/test_route_matrix.py): both pages are
public (no sign-in)."""

from __future__ import annotations

from tests.route_cases import PUBLIC

ROUTES = {
    "portal:home": PUBLIC,
    "portal:inquiries": PUBLIC,
}
