"""The bulletins rows of the route matrix (tests/core/test_route_matrix.py).

The records: a bulletin of the congress working body (its clerk issues) to the CDI and unit A —
issued (its people and the issuer's see it; the CDI's staff and clue officer and unit A's
liaison sign for it), or a draft (the issuer's clerk only)."""

from __future__ import annotations

from tests.bulletins.helpers import draft_kwargs, issued_kwargs
from tests.route_cases import SUPERVISORS, Case

DESKS = SUPERVISORS | {"unit_a", "unit_b", "court_clerk"}
ISSUERS = frozenset({"congress_clerk", "cdi_officer", "stationed", "gov_supervisor"})
CLERK = frozenset({"congress_clerk"})
SIGNERS = frozenset({"cdi_officer", "cdi_clue", "unit_a"})
VIEWERS = CLERK | SIGNERS

ROUTES = {
    "bulletins:ledger": Case(DESKS),
    "bulletins:receipts": Case(DESKS),
    "bulletins:figures": Case(DESKS),
    "bulletins:bulletin_create": Case(ISSUERS),
    "bulletins:series_create": Case(ISSUERS),
    "bulletins:bulletin_detail": Case(VIEWERS, kwargs=issued_kwargs),
    "bulletins:bulletin_docx": Case(VIEWERS, kwargs=issued_kwargs),
    "bulletins:bulletin_edit": Case(CLERK, kwargs=draft_kwargs),
    "bulletins:bulletin_issue": Case(CLERK, kwargs=draft_kwargs, method="post"),
    "bulletins:bulletin_sign": Case(SIGNERS, kwargs=issued_kwargs, method="post"),
    "bulletins:bulletin_feedback": Case(SIGNERS, kwargs=issued_kwargs, method="post"),
    "bulletins_api:bulletins-detail": Case(
        VIEWERS, kwargs=issued_kwargs, api=True, denied_status=(403, 404)
    ),
    "bulletins_api:bulletin-create": Case(ISSUERS, method="post", api=True),
    "bulletins_api:bulletin-edit": Case(
        CLERK, kwargs=draft_kwargs, method="post", api=True, denied_status=(403, 404)
    ),
    "bulletins_api:series-create": Case(ISSUERS, method="post", api=True),
}
