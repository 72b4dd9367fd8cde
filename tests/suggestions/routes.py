"""The suggestions rows of the route matrix (tests/core/test_route_matrix.py): route name → who may
use it. Add a row with each new route.

The records: a suggestion led by the deputy persona, unit A leading and unit B co-handling once
assigned, in the congress working body's session. The supervising side (the clerk, the
supervision office, the stationed group) sees every suggestion; the deputy and the two units see
this one; everyone else gets a 404 for it (its existence is not told). Steps answer 403 to those
who see the suggestion but may not take the step."""

from __future__ import annotations

from tests.route_cases import PUBLIC, Case
from tests.suggestions.helpers import (
    accepted_kwargs,
    answered_kwargs,
    assigned_opinion_kwargs,
    assignment_kwargs,
    batch_kwargs,
    campaign_kwargs,
    co_assignment_kwargs,
    extension_suggestion_kwargs,
    handling_kwargs,
    opinion_kwargs,
    order_kwargs,
    reply_file_kwargs,
    report_kwargs,
    responded_order_kwargs,
    submitted_kwargs,
)

SEES_ALL = frozenset({"congress_clerk", "gov_supervisor", "stationed"})
# Everyone with a desk seat or a deputy's seat uses the ledger (scoped to what they may see).
LEDGER = SEES_ALL | {"cdi_officer", "cdi_clue", "unit_a", "unit_b", "court_clerk", "deputy"}
VIEWERS = SEES_ALL | {"deputy", "unit_a", "unit_b"}
CLERK = frozenset({"congress_clerk"})
ASSIGNERS = frozenset({"congress_clerk", "gov_supervisor"})
BATCH_VIEWERS = ASSIGNERS | {"stationed"}
SUBMITTERS = frozenset({"congress_clerk", "deputy"})
STEP = (403, 404)


def _post(allowed: frozenset[str], kwargs, **kw) -> Case:
    return Case(allowed, kwargs=kwargs, method="post", denied_status=STEP, **kw)


def _api(allowed: frozenset[str], kwargs, method: str = "post") -> Case:
    return Case(allowed, kwargs=kwargs, method=method, api=True, denied_status=STEP)


ROUTES: dict[str, Case | str] = {
    "suggestions:suggestion_list": Case(LEDGER),
    "suggestions:suggestion_export": Case(LEDGER),
    "suggestions:suggestion_submit": Case(SUBMITTERS),
    "suggestions:suggestion_import": Case(CLERK),
    "suggestions:import_template": Case(CLERK),
    "suggestions:session_list": Case(CLERK),
    "suggestions:suggestion_detail": Case(VIEWERS, kwargs=handling_kwargs, denied_status=(404,)),
    "suggestions:suggestion_withdraw": _post(SUBMITTERS, handling_kwargs),
    "suggestions:suggestion_accept": _post(CLERK, submitted_kwargs),
    "suggestions:suggestion_reject": _post(CLERK, submitted_kwargs),
    "suggestions:suggestion_as_letter": _post(CLERK, submitted_kwargs),
    "suggestions:suggestion_reassign": _post(CLERK, handling_kwargs),
    # Concentrated opinions (集中反映): the congress office lists them and reports one to the CDI
    # from its first member (a suggestion or a collected opinion); the reports are seen by the
    # sending office and the CDI (a clue-grade one: tests/suggestions/test_concentration.py).
    "suggestions:suggestion_report_concentrated": _post(CLERK, handling_kwargs),
    "suggestions:opinion_report_concentrated": _post(CLERK, opinion_kwargs),
    "suggestions:concentration_list": Case(CLERK),
    "suggestions:concentration_report_list": Case(CLERK | {"cdi_officer", "cdi_clue"}),
    "suggestions:concentration_report_detail": Case(
        CLERK | {"cdi_officer", "cdi_clue"}, kwargs=report_kwargs, denied_status=(404,)
    ),
    "suggestions:suggestion_propose": _post(ASSIGNERS, accepted_kwargs),
    "suggestions:suggestion_merge": _post(ASSIGNERS, accepted_kwargs),
    "suggestions:suggestion_unmerge": _post(ASSIGNERS, accepted_kwargs),
    "suggestions:contact_record": _post(frozenset({"unit_a"}), handling_kwargs),
    "suggestions:opinion_give": _post(frozenset({"unit_b"}), handling_kwargs),
    "suggestions:reply_send": _post(frozenset({"unit_a"}), handling_kwargs),
    "suggestions:extension_request": _post(frozenset({"unit_a"}), handling_kwargs),
    "suggestions:extension_decide": _post(CLERK, extension_suggestion_kwargs),
    "suggestions:verdict_give": _post(SUBMITTERS, answered_kwargs),
    "suggestions:supervision_issue": _post(ASSIGNERS, handling_kwargs),
    "suggestions:suggestion_mark_key": _post(CLERK, handling_kwargs),
    "suggestions:follow_up_visit": _post(frozenset({"stationed"}), handling_kwargs),
    # The publish step's own page (texts, preview; its POST approves) and taking a publication
    # back.
    "suggestions:suggestion_publish": Case(CLERK, kwargs=answered_kwargs, denied_status=STEP),
    "suggestions:suggestion_unpublish": _post(CLERK, answered_kwargs),
    "suggestions:assignment_receive": _post(frozenset({"unit_a"}), assignment_kwargs),
    "suggestions:assignment_send_back": _post(frozenset({"unit_a"}), assignment_kwargs),
    "suggestions:assignment_replace": _post(CLERK, assignment_kwargs),
    # The congress office waives a co-unit's opinion (the lead unit need not wait for it).
    "suggestions:assignment_waive": _post(CLERK, co_assignment_kwargs),
    "suggestions:order_respond": _post(frozenset({"unit_a"}), order_kwargs),
    "suggestions:order_close": _post(CLERK, responded_order_kwargs),
    "suggestions:order_escalate": _post(CLERK, order_kwargs),
    "suggestions:batch_list": Case(BATCH_VIEWERS),
    "suggestions:batch_create": Case(ASSIGNERS),
    "suggestions:batch_detail": Case(BATCH_VIEWERS, kwargs=batch_kwargs),
    # Prepared by the congress working body: only the other side (the supervision office)
    # confirms or returns it.
    "suggestions:batch_confirm": _post(frozenset({"gov_supervisor"}), batch_kwargs),
    "suggestions:batch_return": _post(frozenset({"gov_supervisor"}), batch_kwargs),
    "suggestions:consultation_create": Case(ASSIGNERS),
    "suggestions:campaign_list": Case(LEDGER),
    "suggestions:campaign_detail": Case(LEDGER, kwargs=campaign_kwargs),
    "suggestions:opinion_register": _post(SUBMITTERS, campaign_kwargs),
    "suggestions:opinion_assign": _post(CLERK, opinion_kwargs),
    "suggestions:opinion_complete": _post(frozenset({"unit_a"}), assigned_opinion_kwargs),
    "suggestions:public_list": PUBLIC,
    "suggestions:public_detail": PUBLIC,
    # The API: the same people as the pages; a record outside the caller's scope is a 404.
    # Each declared step's API door (steps.py) takes its page door's row
    # (tests/core/test_route_matrix.py); the rows below are the API's own routes.
    "suggestions_api:suggestion-list": Case(LEDGER, api=True),
    "suggestions_api:suggestion-import": Case(CLERK, api=True, method="post"),
    "suggestions_api:suggestion-import-template": Case(CLERK, api=True),
    "suggestions_api:consultation-create": Case(ASSIGNERS, api=True, method="post"),
    "suggestions_api:session-list": Case(CLERK, api=True),
    "suggestions_api:suggestion-detail": _api(VIEWERS, handling_kwargs, method="get"),
    "suggestions_api:suggestion-publication": _api(CLERK, answered_kwargs, method="get"),
    "suggestions_api:suggestion-reply-file": _api(VIEWERS, reply_file_kwargs, method="get"),
    "suggestions_api:batch-list": Case(BATCH_VIEWERS, api=True),
    "suggestions_api:batch-detail": _api(BATCH_VIEWERS, batch_kwargs, method="get"),
    "suggestions_api:campaign-list": Case(LEDGER, api=True),
    "suggestions_api:campaign-detail": _api(LEDGER, campaign_kwargs, method="get"),
    "suggestions_api:opinion-list": Case(LEDGER, api=True),
    # A registered opinion: the supervising side and the deputy who collected it.
    "suggestions_api:opinion-detail": _api(SEES_ALL | {"deputy"}, opinion_kwargs, method="get"),
}

# The year's figures and the documents (figure_routes.py).
from tests.suggestions.figure_routes import FIGURE_ROUTES  # noqa: E402

ROUTES.update(FIGURE_ROUTES)
