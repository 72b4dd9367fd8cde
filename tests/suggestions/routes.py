"""The suggestions rows of the route matrix (tests/core/test_route_matrix.py): route name → who may
use it. Add a row with each new route."""

from __future__ import annotations

from tests.route_cases import Case

ROUTES: dict[str, Case | str] = {}
