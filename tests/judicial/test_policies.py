"""The judicial access rules, stated persona by persona.

One world — a batch whose draw is sealed (review not open), a batch under review with its
panel, a suggestion sent to the court, a draft, a petition routed to the court — and for every
`judicial.` action code the personas that may act on each record. Lists: `access.scope()`
returns exactly the rows `can()` allows. A new action code without a row fails
`test_every_judicial_action_has_a_row`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from tests.judicial import helpers as h
from tests.personas import PERSONA_NAMES, Personas
from wulian.core import access
from wulian.judicial.choices import PetitionState, SuggestionState
from wulian.judicial.models import (
    Case,
    CourtSuggestion,
    Draw,
    Expert,
    Invitation,
    PanelSeat,
    Petition,
    Problem,
    ReviewBatch,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("judicial_env")]

WATCHERS = frozenset({"congress_clerk", "cdi_officer", "cdi_clue", "stationed"})
ORGANISER = frozenset({"congress_clerk"})
WITNESSES = frozenset({"congress_clerk", "stationed"})
FILERS = WITNESSES
CDI_SIDE = frozenset({"cdi_officer", "cdi_clue", "stationed"})
COURT = frozenset({"court_clerk"})
EXPERT = frozenset({"expert"})
NOBODY: frozenset[str] = frozenset()
# Every signed-in persona has a person; the rule on one invitation is stricter.
WITH_PERSON = frozenset(PERSONA_NAMES)


@dataclass
class World:
    p: Personas
    sealed: Draw  # the review is not open: the result is sealed
    reviewing: ReviewBatch
    case: Case  # under review, at the court, the expert sits on it
    loose_case: Case  # filed, in no batch
    seat: PanelSeat
    invitation: Invitation
    problem: Problem  # flagged as possible misconduct
    plain_problem: Problem
    sent: CourtSuggestion
    draft: CourtSuggestion
    petition: Petition
    registered: Petition
    expert_entry: Expert


@pytest.fixture
def world(p) -> World:
    reviewing = h.reviewing_batch(p)
    case = reviewing.cases.get()
    seat = h.expert_seat(p, reviewing)
    # A second, sealed draw in another batch over the same pool.
    other = h.make_batch(p, cases=0, title="第二批")
    h.make_case(p, "（2023）鄂02民初500号", batch=other, judges=["钱法官"])
    sealed = h.sealed_draw(p, batch=other)
    return World(
        p=p,
        sealed=sealed,
        reviewing=reviewing,
        case=case,
        loose_case=h.make_case(p, "（2023）鄂02民初600号"),
        seat=seat,
        invitation=Invitation.objects.get(
            draw=sealed, expert__profile__person=p.users["expert"].person
        ),
        problem=h.make_problem(case, p, misconduct=True),
        plain_problem=h.make_problem(case, p),
        sent=h.make_suggestion(p, reviewing, state=SuggestionState.SENT, sent_at=timezone.now()),
        draft=h.make_suggestion(p, reviewing, title="草稿"),
        petition=h.make_petition(
            p, state=PetitionState.ROUTED, organisation=p.orgs["court"], routed_at=timezone.now()
        ),
        registered=h.make_petition(p),
        expert_entry=seat.expert,
    )


Row = tuple[str, Callable[[World], Any], frozenset[str]]

ROWS: list[Row] = [
    ("judicial.home.view", lambda w: None, WATCHERS | COURT | EXPERT),
    ("judicial.figures.view", lambda w: None, WATCHERS),
    ("judicial.expert.view", lambda w: None, WATCHERS),
    ("judicial.expert.view", lambda w: w.expert_entry, WATCHERS | EXPERT),
    ("judicial.expert.manage", lambda w: w.expert_entry, ORGANISER),
    ("judicial.case.view", lambda w: None, WATCHERS | COURT),
    ("judicial.case.view", lambda w: w.case, WATCHERS | COURT | EXPERT),
    ("judicial.case.view", lambda w: w.loose_case, WATCHERS | COURT),
    ("judicial.case.file", lambda w: None, FILERS),
    ("judicial.case.file", lambda w: w.loose_case, FILERS),
    # A case in a batch whose draw is frozen is part of the manifest: nobody edits it.
    ("judicial.case.file", lambda w: w.case, NOBODY),
    ("judicial.batch.view", lambda w: w.reviewing, WATCHERS),
    ("judicial.batch.create", lambda w: None, ORGANISER),
    ("judicial.batch.manage", lambda w: w.reviewing, ORGANISER),
    ("judicial.draw.view", lambda w: w.sealed, WATCHERS),
    ("judicial.draw.witness", lambda w: w.sealed, WITNESSES),
    # Confirming or refusing an abort: the witness group only, never the organiser.
    ("judicial.draw.cosign_abort", lambda w: w.sealed, frozenset({"stationed"})),
    # Sealed: who sits on which case — the organiser and the witness only …
    ("judicial.draw.view_sealed", lambda w: w.sealed, WITNESSES),
    # … and every watcher once the review is open.
    ("judicial.draw.view_sealed", lambda w: Draw.objects.get(batch=w.reviewing), WATCHERS),
    # The expert, or the organiser recording a telephone answer.
    ("judicial.invitation.respond", lambda w: w.invitation, EXPERT | ORGANISER),
    ("judicial.invitation.respond", lambda w: None, WITH_PERSON),
    ("judicial.review.mine", lambda w: None, EXPERT),
    ("judicial.review.score", lambda w: w.seat, EXPERT),
    ("judicial.review.view_scores", lambda w: w.case, WITNESSES),
    ("judicial.review.consolidate", lambda w: w.case, ORGANISER),
    # A paper score sheet: the organiser enters it, the witness group co-signs it.
    ("judicial.review.paper_score", lambda w: w.case, ORGANISER),
    ("judicial.review.paper_cosign", lambda w: w.case, frozenset({"stationed"})),
    # A misconduct finding is confidential like a clue: the CDI side and the organiser only —
    # not the reviewed court, not the reviewers.
    ("judicial.problem.view", lambda w: w.problem, CDI_SIDE | ORGANISER),
    ("judicial.problem.view", lambda w: w.plain_problem, WATCHERS | COURT | EXPERT),
    # Referring one to the CDI as a clue: who sees it and may send clues (the congress side).
    ("judicial.problem.refer", lambda w: w.problem, ORGANISER),
    ("judicial.problem.refer", lambda w: w.plain_problem, ORGANISER),
    # Who reviewed a case is not shown to the reviewed court.
    ("judicial.case.view_reviewers", lambda w: w.case, WATCHERS | EXPERT),
    ("judicial.courtsuggestion.view", lambda w: w.sent, WATCHERS | COURT),
    ("judicial.courtsuggestion.view", lambda w: w.draft, WATCHERS),
    ("judicial.courtsuggestion.manage", lambda w: w.draft, ORGANISER),
    ("judicial.courtsuggestion.respond", lambda w: w.sent, COURT),
    ("judicial.petition.view", lambda w: w.petition, WATCHERS | COURT),
    ("judicial.petition.view", lambda w: w.registered, WATCHERS),
    ("judicial.petition.manage", lambda w: w.registered, ORGANISER),
    ("judicial.petition.respond", lambda w: w.petition, COURT),
    ("judicial.petition.respond", lambda w: w.registered, NOBODY),
]


def test_every_judicial_action_has_a_row():
    actions = {code for code in access.registered_actions() if code.startswith("judicial.")}
    assert actions == {code for code, _obj, _who in ROWS}


def test_the_matrix(world):
    failures = []
    for code, obj, allowed in ROWS:
        record = obj(world)
        for name in PERSONA_NAMES:
            got = access.can(world.p.users[name], code, record)
            if got != (name in allowed):
                failures.append(f"{code} {record!r} {name}: {got}")
    assert not failures, failures


SCOPED = [
    ("judicial.case.view", Case, {"case", "loose_case"}),
    ("judicial.courtsuggestion.view", CourtSuggestion, {"sent", "draft"}),
    ("judicial.petition.view", Petition, {"petition", "registered"}),
    ("judicial.problem.view", Problem, {"problem", "plain_problem"}),
]


@pytest.mark.parametrize(("code", "model", "names"), SCOPED, ids=[s[0] for s in SCOPED])
def test_lists_show_exactly_what_can_allows(world, code, model, names):
    records = [getattr(world, n) for n in names]
    ids = [r.pk for r in records]
    for persona in PERSONA_NAMES:
        user = world.p.users[persona]
        scoped = set(
            access.scope(user, code, model.objects.filter(pk__in=ids)).values_list("pk", flat=True)
        )
        allowed = {r.pk for r in records if access.can(user, code, r)}
        assert scoped == allowed, persona
