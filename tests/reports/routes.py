"""The reports' rows of the route matrix (tests/core/test_route_matrix.py): a department's
supervision profile and the ranking are open to whoever sees organisations — what each
section counts is the link's own business (tests/reports/test_profile.py)."""

from __future__ import annotations

from tests.route_cases import WITH_SEATS, Case, _org

# The annual report: the desks of the congress side and of the CDI side.
DESKS = frozenset({"congress_clerk", "cdi_officer", "cdi_clue", "stationed"})
# The dashboards (ADR 0031): a desk seat in a supervising body or a department.
DASHBOARDS = frozenset(
    {"congress_clerk", "cdi_officer", "cdi_clue", "stationed", "gov_supervisor", "unit_a", "unit_b"}
)

ROUTES = {
    "reports:profile": Case(WITH_SEATS, kwargs=_org("unit_a")),
    "reports:ranking": Case(WITH_SEATS),
    "reports:annual": Case(DESKS),
    "reports:annual_docx": Case(DESKS),
    "reports_api:annual": Case(DESKS, api=True),
    "reports:dashboard": Case(DASHBOARDS),
    "reports_api:organisation_profile": Case(WITH_SEATS, kwargs=_org("unit_a"), api=True),
}
