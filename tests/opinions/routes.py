"""The opinion-round rows of the route matrix (tests/core/test_route_matrix.py).

The records: a round of the congress working body (its clerk drafts) with the CDI, unit A and
the deputy (named) invited — open (the drafter and the invitees see it; the invitees comment),
in preparation (the clerk only), or concluded (the 说明 for all of them)."""

from __future__ import annotations

from tests.opinions.helpers import concluded_kwargs, draft_kwargs, open_kwargs
from tests.personas import PERSONA_NAMES
from tests.route_cases import Case

PARTICIPANTS = frozenset(PERSONA_NAMES) - {"sysadmin", "secadmin", "auditadmin"}
DRAFTERS = frozenset({"congress_clerk", "cdi_officer", "stationed", "gov_supervisor"})
CLERK = frozenset({"congress_clerk"})
INVITED = frozenset({"cdi_officer", "cdi_clue", "unit_a", "deputy"})
VIEWERS = CLERK | INVITED
API = {"api": True, "denied_status": (403, 404)}

ROUTES = {
    "opinions:ledger": Case(PARTICIPANTS),
    "opinions:figures": Case(PARTICIPANTS),
    "opinions:round_create": Case(DRAFTERS),
    "opinions:round_detail": Case(VIEWERS, kwargs=open_kwargs),
    "opinions:explanation_docx": Case(VIEWERS, kwargs=concluded_kwargs),
    "opinions:round_add_version": Case(CLERK, kwargs=draft_kwargs, method="post"),
    "opinions:round_invite": Case(CLERK, kwargs=draft_kwargs, method="post"),
    "opinions:round_open": Case(CLERK, kwargs=draft_kwargs, method="post"),
    "opinions:round_comment": Case(INVITED, kwargs=open_kwargs, method="post"),
    "opinions:round_no_opinion": Case(INVITED, kwargs=open_kwargs, method="post"),
    "opinions:round_dispose": Case(CLERK, kwargs=open_kwargs, method="post"),
    "opinions:round_close": Case(CLERK, kwargs=open_kwargs, method="post"),
    "opinions:round_conclude": Case(CLERK, kwargs=open_kwargs, method="post"),
    "opinions_api:opinion-round-detail": Case(VIEWERS, kwargs=open_kwargs, **API),
    "opinions_api:round-create": Case(DRAFTERS, method="post", api=True),
    "opinions_api:opinion-round-add-version": Case(
        CLERK, kwargs=draft_kwargs, method="post", **API
    ),
    "opinions_api:opinion-round-invite": Case(CLERK, kwargs=draft_kwargs, method="post", **API),
    "opinions_api:opinion-round-open": Case(CLERK, kwargs=draft_kwargs, method="post", **API),
    "opinions_api:opinion-round-comment": Case(INVITED, kwargs=open_kwargs, method="post", **API),
    "opinions_api:opinion-round-no-opinion": Case(
        INVITED, kwargs=open_kwargs, method="post", **API
    ),
    "opinions_api:opinion-round-dispose": Case(CLERK, kwargs=open_kwargs, method="post", **API),
    "opinions_api:opinion-round-close": Case(CLERK, kwargs=open_kwargs, method="post", **API),
    "opinions_api:opinion-round-conclude": Case(CLERK, kwargs=open_kwargs, method="post", **API),
}
