"""The polls rows of the route matrix (tests/core/test_route_matrix.py).

The records: a poll of the congress working body witnessed by the stationed group — a draft
(its clerk manages it), an open one with the deputy on its roster (the supervisors and the
deputy see it; the deputy votes), and a certified one (its results and receipts: whoever sees
it). Voting with a slip and checking a receipt are public."""

from __future__ import annotations

from tests.polls.helpers import certified_kwargs, draft_kwargs, open_kwargs
from tests.route_cases import PUBLIC, SUPERVISORS, Case

CLERK = frozenset({"congress_clerk"})
WITNESS = frozenset({"stationed"})
ORGANISERS = frozenset({"congress_clerk", "cdi_officer", "stationed", "gov_supervisor"})
VIEWERS = frozenset({"congress_clerk", "cdi_officer", "cdi_clue", "stationed", "deputy"})

ROUTES = {
    "polls:poll_list": Case(SUPERVISORS),
    "polls:poll_create": Case(ORGANISERS),
    "polls:poll_detail": Case(VIEWERS, kwargs=open_kwargs),
    "polls:poll_vote": Case(frozenset({"deputy"}), kwargs=open_kwargs),
    "polls:poll_results": Case(VIEWERS, kwargs=certified_kwargs),
    "polls:poll_results_docx": Case(VIEWERS, kwargs=certified_kwargs),
    "polls:poll_results_xlsx": Case(VIEWERS, kwargs=certified_kwargs),
    "polls:poll_receipts": Case(VIEWERS, kwargs=certified_kwargs),
    "polls:slip_vote": PUBLIC,
    "polls:receipt_check": PUBLIC,
    "polls:poll_roster_add": Case(CLERK, kwargs=draft_kwargs, method="post"),
    "polls:poll_slips_issue": Case(CLERK, kwargs=draft_kwargs, method="post"),
    "polls:poll_open_request": Case(CLERK, kwargs=draft_kwargs, method="post"),
    "polls:poll_open_cosign": Case(WITNESS, kwargs=draft_kwargs, method="post"),
    "polls:poll_close": Case(CLERK, kwargs=open_kwargs, method="post"),
    "polls:poll_paper_enter": Case(CLERK, kwargs=open_kwargs, method="post"),
    "polls:poll_seal": Case(CLERK, kwargs=draft_kwargs, method="post"),
    "polls:poll_certify": Case(WITNESS, kwargs=draft_kwargs, method="post"),
    "polls_api:poll-list": Case(SUPERVISORS, api=True),
    "polls_api:poll-create": Case(ORGANISERS, method="post", api=True),
    "polls_api:polls-detail": Case(VIEWERS, kwargs=open_kwargs, api=True, denied_status=(403, 404)),
    "polls_api:poll-results": Case(
        VIEWERS, kwargs=certified_kwargs, api=True, denied_status=(403, 404)
    ),
    "polls_api:poll-receipts": Case(
        VIEWERS, kwargs=certified_kwargs, api=True, denied_status=(403, 404)
    ),
    "polls_api:poll-vote": PUBLIC,
}
