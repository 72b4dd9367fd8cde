"""The reports' rows of the route matrix (tests/core/test_route_matrix.py): a department's
supervision profile and the ranking are open to whoever sees organisations — what each
section counts is the link's own business (tests/reports/test_profile.py)."""

from __future__ import annotations

from tests.route_cases import WITH_SEATS, Case, _org

ROUTES = {
    "reports:profile": Case(WITH_SEATS, kwargs=_org("unit_a")),
    "reports:ranking": Case(WITH_SEATS),
    "reports_api:organisation_profile": Case(WITH_SEATS, kwargs=_org("unit_a"), api=True),
}
