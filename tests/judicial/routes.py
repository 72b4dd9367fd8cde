"""The judicial rows of the route matrix (tests/core/test_route_matrix.py): route name → who may
use it. Add a row with each new route.

Who is who here: the congress working body's clerk organises the batches (and files cases,
registers petitions, drafts suggestions); the stationed group witnesses the draws (and may
file cases); the CDI's staff watch; the court answers what is addressed to it; the `expert`
persona is a lawyer in the pool, always drawn in the small batch of `tests.judicial.helpers`.
The government's offices, the units, deputies and the three administrators see nothing.

Sealing: the draw's result page names who sits on which case — before the review opens only
the organiser and the witness may open it (`judicial:draw_result`, `judicial:draw_record`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from tests.judicial import helpers as h
from tests.personas import Personas
from tests.route_cases import Case
from wulian.judicial.choices import ConflictKind, PetitionState, SuggestionState
from wulian.judicial.models import ExpertConflict, Invitation

WATCHERS = frozenset({"congress_clerk", "cdi_officer", "cdi_clue", "stationed"})
ORGANISER = frozenset({"congress_clerk"})
FILERS = frozenset({"congress_clerk", "stationed"})
WITNESSES = frozenset({"congress_clerk", "stationed"})
WITNESS_GROUP = frozenset({"stationed"})
COURT = frozenset({"court_clerk"})
EXPERT = frozenset({"expert"})

Kwargs = Callable[[Personas], dict[str, Any]]


def _pk(build: Callable[[Personas], Any]) -> Kwargs:
    return lambda p: {"pk": build(p).pk}


def _expert(p: Personas) -> Any:
    return h.small_pool(p)[0]


def _conflict(p: Personas) -> Any:
    expert = _expert(p)
    return ExpertConflict.objects.create(
        expert=expert,
        kind=ConflictKind.RELATIVE,
        counterpart="张三",
        declared_on=timezone.localdate(),
        created_by=p.users["congress_clerk"],
    )


def _case(p: Personas) -> Any:
    return h.make_case(p)


def _reviewing_case(p: Personas) -> Any:
    return h.reviewing_batch(p).cases.get()


def _problem(p: Personas) -> Any:
    return h.make_problem(_reviewing_case(p), p, misconduct=True)


def _batch(p: Personas) -> Any:
    h.small_pool(p)
    return h.make_batch(p)


def _reviewing(p: Personas) -> Any:
    return h.reviewing_batch(p)


def _invitation(p: Personas) -> Any:
    d = h.sealed_draw(p)
    return Invitation.objects.get(draw=d, expert__profile__person=p.users["expert"].person)


def _seat(p: Personas) -> Any:
    return h.expert_seat(p, h.reviewing_batch(p))


def _suggestion(state: str) -> Callable[[Personas], Any]:
    def build(p: Personas) -> Any:
        batch = h.reviewing_batch(p)
        return h.make_suggestion(
            p,
            batch,
            state=state,
            sent_at=None if state == SuggestionState.DRAFT else timezone.now(),
        )

    return build


def _petition(state: str) -> Callable[[Personas], Any]:
    def build(p: Personas) -> Any:
        if state == PetitionState.REGISTERED:
            return h.make_petition(p)
        return h.make_petition(
            p, state=state, organisation=p.orgs["court"], routed_at=timezone.now()
        )

    return build


ROUTES: dict[str, Case | str] = {
    "judicial:home": Case(WATCHERS | COURT | EXPERT),
    "judicial:figures": Case(WATCHERS),
    # The pool: watchers read it (an expert his own entry); the congress side manages it.
    "judicial:expert_list": Case(WATCHERS),
    "judicial:expert_create": Case(ORGANISER),
    "judicial:expert_import": Case(ORGANISER),
    "judicial:expert_import_template": Case(ORGANISER),
    "judicial:expert_detail": Case(WATCHERS | EXPERT, kwargs=_pk(_expert)),
    # The edit pages are declared steps with a page of their own (GET shows it, same check).
    "judicial:expert_edit": Case(ORGANISER, kwargs=_pk(_expert), method="post"),
    "judicial:expert_suspend": Case(ORGANISER, kwargs=_pk(_expert), method="post"),
    "judicial:expert_reinstate": Case(ORGANISER, kwargs=_pk(_expert), method="post"),
    "judicial:conflict_add": Case(ORGANISER, kwargs=_pk(_expert), method="post"),
    "judicial:conflict_withdraw": Case(ORGANISER, kwargs=_pk(_conflict), method="post"),
    "judicial:pool_versions": Case(WATCHERS),
    # Cases: watchers and the court of the case; filing by the congress side and the group.
    "judicial:case_list": Case(WATCHERS | COURT),
    "judicial:case_create": Case(FILERS),
    "judicial:case_import": Case(FILERS),
    "judicial:case_import_template": Case(FILERS),
    "judicial:case_detail": Case(WATCHERS | COURT, kwargs=_pk(_case)),
    "judicial:case_edit": Case(FILERS, kwargs=_pk(_case), method="post"),
    "judicial:case_grade": Case(ORGANISER, kwargs=_pk(_reviewing_case), method="post"),
    "judicial:problem_add": Case(ORGANISER, kwargs=_pk(_reviewing_case), method="post"),
    # A reviewer's paper score sheet: entered by the organiser (a page of its own), co-signed
    # by the batch's witness group (never the organiser).
    "judicial:case_paper_score": Case(ORGANISER, kwargs=_pk(_reviewing_case), method="post"),
    "judicial:case_paper_cosign": Case(WITNESS_GROUP, kwargs=_pk(_reviewing_case), method="post"),
    # A misconduct problem becomes a clue: congress-side staff only (the clue service). A
    # declared step with a page of its own (GET shows the form under the same check).
    "judicial:problem_refer": Case(ORGANISER, kwargs=_pk(_problem), method="post"),
    # Batches and draws.
    "judicial:batch_list": Case(WATCHERS),
    "judicial:batch_create": Case(ORGANISER),
    "judicial:batch_detail": Case(WATCHERS, kwargs=_pk(_batch)),
    "judicial:batch_edit": Case(ORGANISER, kwargs=_pk(_batch), method="post"),
    "judicial:batch_freeze": Case(ORGANISER, kwargs=_pk(_batch), method="post"),
    "judicial:batch_open_review": Case(ORGANISER, kwargs=_pk(_batch), method="post"),
    "judicial:batch_close": Case(ORGANISER, kwargs=_pk(_reviewing), method="post"),
    "judicial:expert_rate": Case(ORGANISER, kwargs=_pk(_reviewing), method="post"),
    "judicial:batch_report": Case(WATCHERS, kwargs=_pk(_reviewing)),
    # Drafting a suggestion: a declared step on the batch, with a page of its own.
    "judicial:suggestion_create": Case(ORGANISER, kwargs=_pk(_reviewing), method="post"),
    "judicial:draw_list": Case(WATCHERS),
    "judicial:draw_detail": Case(WATCHERS, kwargs=_pk(h.sealed_draw)),
    "judicial:draw_commit": Case(ORGANISER, kwargs=_pk(h.frozen_draw), method="post"),
    "judicial:draw_input": Case(WITNESSES, kwargs=_pk(h.committed_draw), method="post"),
    "judicial:draw_run": Case(ORGANISER, kwargs=_pk(h.witnessed_draw), method="post"),
    "judicial:draw_abort": Case(ORGANISER, kwargs=_pk(h.sealed_draw), method="post"),
    # The organiser asks; the stationed group's witness confirms or refuses (never the organiser).
    "judicial:draw_abort_confirm": Case(
        WITNESS_GROUP, kwargs=_pk(h.abort_requested), method="post"
    ),
    "judicial:draw_abort_refuse": Case(WITNESS_GROUP, kwargs=_pk(h.abort_requested), method="post"),
    # The sealed result: the organiser and the witness only, until the review opens.
    "judicial:draw_result": Case(WITNESSES, kwargs=_pk(h.sealed_draw)),
    "judicial:draw_record": Case(WITNESSES, kwargs=_pk(h.sealed_draw)),
    # Anyone who sees the draw recomputes it (before the review opens: match or not).
    "judicial:draw_verify": Case(WATCHERS, kwargs=_pk(h.sealed_draw)),
    # The expert's own invitations and seats.
    "judicial:my_reviews": Case(EXPERT),
    # The organiser may record an answer the expert gave by telephone.
    "judicial:invitation_accept": Case(EXPERT | ORGANISER, kwargs=_pk(_invitation), method="post"),
    "judicial:invitation_decline": Case(EXPERT | ORGANISER, kwargs=_pk(_invitation), method="post"),
    # The score sheet: a declared step with a page of its own (GET shows it, same check).
    "judicial:score": Case(EXPERT, kwargs=_pk(_seat), method="post"),
    # Suggestions: the addressee sees them once sent and answers.
    "judicial:suggestion_list": Case(WATCHERS | COURT),
    "judicial:suggestion_detail": Case(
        WATCHERS | COURT, kwargs=_pk(_suggestion(SuggestionState.SENT))
    ),
    "judicial:suggestion_edit": Case(
        ORGANISER, kwargs=_pk(_suggestion(SuggestionState.DRAFT)), method="post"
    ),
    "judicial:suggestion_send": Case(
        ORGANISER, kwargs=_pk(_suggestion(SuggestionState.DRAFT)), method="post"
    ),
    "judicial:suggestion_answer": Case(
        COURT, kwargs=_pk(_suggestion(SuggestionState.SENT)), method="post"
    ),
    "judicial:suggestion_results": Case(
        ORGANISER, kwargs=_pk(_suggestion(SuggestionState.ADOPTED)), method="post"
    ),
    # Petitions: registered by the congress side, answered by the court they are routed to.
    "judicial:petition_list": Case(WATCHERS | COURT),
    "judicial:petition_create": Case(ORGANISER),
    "judicial:petition_detail": Case(WATCHERS | COURT, kwargs=_pk(_petition(PetitionState.ROUTED))),
    "judicial:petition_route": Case(
        ORGANISER, kwargs=_pk(_petition(PetitionState.REGISTERED)), method="post"
    ),
    "judicial:petition_answer": Case(
        COURT, kwargs=_pk(_petition(PetitionState.ROUTED)), method="post"
    ),
    "judicial:petition_link": Case(
        ORGANISER, kwargs=_pk(_petition(PetitionState.REGISTERED)), method="post"
    ),
    # The API: the same rules; a record outside the caller's scope is a 404.
    "judicial_api:expert-list": Case(WATCHERS, api=True),
    "judicial_api:expert-detail": Case(
        WATCHERS, kwargs=_pk(_expert), api=True, denied_status=(403, 404)
    ),
    "judicial_api:case-list": Case(WATCHERS | COURT, api=True),
    "judicial_api:case-detail": Case(
        WATCHERS | COURT, kwargs=_pk(_case), api=True, denied_status=(403, 404)
    ),
    "judicial_api:batch-list": Case(WATCHERS, api=True),
    "judicial_api:batch-detail": Case(
        WATCHERS, kwargs=_pk(_batch), api=True, denied_status=(403, 404)
    ),
    "judicial_api:figures": Case(WATCHERS, api=True),
    "judicial_api:expert-import": Case(ORGANISER, api=True, method="post"),
    "judicial_api:expert-import-template": Case(ORGANISER, api=True),
    "judicial_api:case-import": Case(FILERS, api=True, method="post"),
    "judicial_api:case-import-template": Case(FILERS, api=True),
    "judicial_api:poolversion-list": Case(WATCHERS, api=True),
    "judicial_api:draw-list": Case(WATCHERS, api=True),
    "judicial_api:draw-detail": Case(
        WATCHERS, kwargs=_pk(h.sealed_draw), api=True, denied_status=(403, 404)
    ),
    "judicial_api:draw-verify": Case(
        WATCHERS, kwargs=_pk(h.sealed_draw), api=True, denied_status=(403, 404)
    ),
    "judicial_api:invitation-list": Case(EXPERT, api=True),
    # The reviewer's own seats (once the review opens) and each seat with his own score.
    "judicial_api:seat-list": Case(EXPERT, api=True),
    "judicial_api:seat-detail": Case(EXPERT, kwargs=_pk(_seat), api=True, denied_status=(403, 404)),
    # A problem: whoever sees it (a misconduct finding: the CDI side and the organiser).
    "judicial_api:problem-detail": Case(
        WATCHERS, kwargs=_pk(_problem), api=True, denied_status=(403, 404)
    ),
    # The steps' API doors (draw-commit, invitation-accept, petition-answer …) get their page
    # door's row (tests/core/test_route_matrix.py, `_step_doors`): the organiser may record an
    # expert's answer through the API as on the page. The API lists the caller's own
    # invitations only.
    # A conflict declaration: whoever reads the pool through the API (as expert-detail).
    "judicial_api:conflict-detail": Case(
        WATCHERS, kwargs=_pk(_conflict), api=True, denied_status=(403, 404)
    ),
    "judicial_api:suggestion-list": Case(WATCHERS | COURT, api=True),
    "judicial_api:suggestion-detail": Case(
        WATCHERS | COURT,
        kwargs=_pk(_suggestion(SuggestionState.SENT)),
        api=True,
        denied_status=(403, 404),
    ),
    "judicial_api:petition-list": Case(WATCHERS | COURT, api=True),
    "judicial_api:petition-detail": Case(
        WATCHERS | COURT,
        kwargs=_pk(_petition(PetitionState.ROUTED)),
        api=True,
        denied_status=(403, 404),
    ),
}
