"""The access rules of deputies' suggestions, stated persona by persona.

The records: a suggestion led by the deputy persona (unit A leading, unit B co-handling once
assigned), one led by another deputy and handled by unit B alone, one escalated to the CDI,
supervision orders to unit A, a campaign opinion assigned to unit A, a batch prepared by the
congress working body. Each row is checked with `access.can()`; for actions with a list scope,
`access.scope()` must return exactly the allowed rows and agree with `can()`.

A new `suggestions.` action code without a row here fails `test_every_action_has_a_row`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import account
from tests.personas import PERSONA_NAMES, Personas
from tests.suggestions.helpers import (
    make_batch,
    make_opinion,
    make_order,
    make_report,
    make_suggestion,
)
from wulian.core import access
from wulian.core.choices import Role
from wulian.suggestions.choices import SuggestionStatus as S
from wulian.suggestions.models import CampaignOpinion, Suggestion

ALL = frozenset(PERSONA_NAMES)
NOBODY: frozenset[str] = frozenset()
SEES_ALL = frozenset({"congress_clerk", "gov_supervisor", "stationed"})
CLERK = frozenset({"congress_clerk"})
ASSIGNERS = frozenset({"congress_clerk", "gov_supervisor"})
DEPUTY = frozenset({"deputy"})
SUBMITTERS = CLERK | DEPUTY
UNIT_A = frozenset({"unit_a"})
UNIT_B = frozenset({"unit_b"})
STATIONED = frozenset({"stationed"})
# Desk seats of any organisation (they may be a handling unit).
DESKS = frozenset(
    {
        "congress_clerk",
        "cdi_officer",
        "cdi_clue",
        "stationed",
        "gov_supervisor",
        "unit_a",
        "unit_b",
        "court_clerk",
    }
)
LEDGER = DESKS | DEPUTY
CDI = frozenset({"cdi_officer", "cdi_clue"})


@dataclass
class World:
    p: Personas
    cache: dict[str, Any]


Record = Callable[[World], Any]


@dataclass(frozen=True)
class Row:
    allowed: frozenset[str]
    record: Record | None = None


def _once(key: str, build: Callable[[Personas], Any]) -> Record:
    def get(w: World) -> Any:
        if key not in w.cache:
            w.cache[key] = build(w.p)
        return w.cache[key]

    return get


def _theirs(p: Personas) -> Suggestion:
    other = account(p.orgs["station"], Role.DEPUTY, username="deputy_other")
    return make_suggestion(
        p, S.HANDLING, lead="unit_b", co=(), lead_deputy=other.person, submitted_by=other
    )


OURS = _once("ours", lambda p: make_suggestion(p, S.HANDLING))
SUBMITTED = _once("submitted", lambda p: make_suggestion(p, S.SUBMITTED))
THEIRS = _once("theirs", _theirs)
ESCALATED = _once(
    "escalated", lambda p: make_suggestion(p, S.HANDLING, escalated_to_cdi_at=timezone.now())
)
OURS_LEAD = lambda w: OURS(w).assignments.get(role="lead")  # noqa: E731
OURS_CO = lambda w: OURS(w).assignments.get(role="co")  # noqa: E731
THEIRS_LEAD = lambda w: THEIRS(w).assignments.get(role="lead")  # noqa: E731
OURS_REPLY = _once("reply", lambda p: make_suggestion(p, S.ANSWERED).replies.get())
ORDER = _once("order", make_order)
ESCALATED_ORDER = _once(
    "escalated_order", lambda p: make_order(p, escalated_to_cdi_at=timezone.now())
)
BATCH = _once("batch", make_batch)
OPINION_A = _once(
    "opinion_a",
    lambda p: make_opinion(
        p,
        state="assigned",
        unit=p.orgs["unit_a"],
        assigned_at=timezone.now(),
        assigned_by=p.users["congress_clerk"],
    ),
)
OPINION_NEW = _once("opinion_new", make_opinion)
# Concentrated opinions reported to the CDI (ADR 0019): an ordinary report and a clue-grade one.
REPORT = _once("report", make_report)
CLUE_GRADE_REPORT = _once("clue_grade_report", lambda p: make_report(p, implicates=True))


def MERGED(w: World) -> Suggestion:
    """The deputy's suggestion merged (并案) into another deputy's handled by unit B."""
    if "merged" not in w.cache:
        w.cache["merged"] = make_suggestion(w.p, S.ACCEPTED, co=(), merged_into=THEIRS(w))
    return w.cache["merged"]


NO_RECORD = "without a record"

MATRIX: dict[str, dict[str, Row]] = {
    "suggestions.suggestion.view": {
        NO_RECORD: Row(LEDGER),
        "the deputy's suggestion (A leads, B co-handles)": Row(
            SEES_ALL | DEPUTY | UNIT_A | UNIT_B, OURS
        ),
        "another deputy's, unit B alone": Row(SEES_ALL | UNIT_B, THEIRS),
        "one escalated to the CDI": Row(SEES_ALL | CDI | DEPUTY | UNIT_A | UNIT_B, ESCALATED),
        "a submitted one (no unit yet)": Row(SEES_ALL | DEPUTY, SUBMITTED),
        "the deputy's, merged into one unit B handles": Row(SEES_ALL | DEPUTY | UNIT_B, MERGED),
    },
    "suggestions.verdict.view": {
        NO_RECORD: Row(SEES_ALL),
        "the deputy's own": Row(SEES_ALL | DEPUTY, OURS),
        "another deputy's": Row(SEES_ALL, THEIRS),
    },
    "suggestions.suggestion.submit": {NO_RECORD: Row(SUBMITTERS)},
    "suggestions.suggestion.withdraw": {
        NO_RECORD: Row(SUBMITTERS),
        "the deputy's": Row(SUBMITTERS, OURS),
        "another deputy's": Row(CLERK, THEIRS),
    },
    "suggestions.suggestion.review": {
        NO_RECORD: Row(CLERK),
        "a submitted one": Row(CLERK, SUBMITTED),
    },
    "suggestions.suggestion.manage": {NO_RECORD: Row(CLERK), "the deputy's": Row(CLERK, OURS)},
    "suggestions.suggestion.attach": {
        NO_RECORD: Row(SUBMITTERS),
        "the deputy's": Row(SUBMITTERS, OURS),
        "another deputy's": Row(CLERK, THEIRS),
    },
    "suggestions.suggestion.clock": {
        NO_RECORD: Row(ASSIGNERS),
        "the deputy's (outside a step's service)": Row(ASSIGNERS, OURS),
    },
    "suggestions.suggestion.assign": {NO_RECORD: Row(ASSIGNERS)},
    "suggestions.suggestion.merge": {
        NO_RECORD: Row(ASSIGNERS),
        "the deputy's": Row(ASSIGNERS, OURS),
        "a merged one": Row(ASSIGNERS, MERGED),
    },
    "suggestions.batch.view": {
        NO_RECORD: Row(ASSIGNERS | STATIONED),
        "a batch of the working body": Row(ASSIGNERS | STATIONED, BATCH),
    },
    "suggestions.batch.confirm": {
        NO_RECORD: Row(ASSIGNERS),
        "prepared by the working body": Row(frozenset({"gov_supervisor"}), BATCH),
    },
    "suggestions.assignment.view": {
        NO_RECORD: Row(ALL),
        "unit A's lead assignment": Row(SEES_ALL | UNIT_A, OURS_LEAD),
        "unit B's co-assignment": Row(SEES_ALL | UNIT_B, OURS_CO),
    },
    "suggestions.assignment.respond": {
        NO_RECORD: Row(DESKS),
        "unit A's lead assignment": Row(UNIT_A, OURS_LEAD),
        "unit B's co-assignment": Row(UNIT_B, OURS_CO),
        "unit B's lead assignment of another": Row(UNIT_B, THEIRS_LEAD),
    },
    # Congress staff settle a co-unit's send-back; the supervision office is told, not asked.
    "suggestions.assignment.replace": {
        NO_RECORD: Row(CLERK),
        "unit B's co-assignment": Row(CLERK, OURS_CO),
        "unit B's lead assignment of another": Row(CLERK, THEIRS_LEAD),
    },
    # Congress staff waive a co-unit's opinion (the lead unit need not wait for it).
    "suggestions.assignment.waive": {
        NO_RECORD: Row(CLERK),
        "unit B's co-assignment": Row(CLERK, OURS_CO),
    },
    "suggestions.suggestion.handle": {
        NO_RECORD: Row(DESKS),
        "A leads": Row(UNIT_A, OURS),
        "B leads": Row(UNIT_B, THEIRS),
        "merged into one B leads": Row(UNIT_B, MERGED),
    },
    "suggestions.suggestion.co_handle": {
        NO_RECORD: Row(DESKS),
        "B co-handles": Row(UNIT_B, OURS),
        "no co-unit": Row(NOBODY, THEIRS),
    },
    "suggestions.reply.view": {
        NO_RECORD: Row(ALL),  # any seat; each reply is checked on its suggestion
        "the reply to the deputy": Row(SEES_ALL | DEPUTY | UNIT_A | UNIT_B, OURS_REPLY),
    },
    "suggestions.reply.attach": {
        NO_RECORD: Row(DESKS),
        "unit A's reply": Row(UNIT_A, OURS_REPLY),
    },
    "suggestions.verdict.give": {
        NO_RECORD: Row(SUBMITTERS),
        "the deputy's": Row(SUBMITTERS, OURS),
        "another deputy's": Row(CLERK, THEIRS),
    },
    "suggestions.suggestion.follow_up": {NO_RECORD: Row(STATIONED), "any": Row(STATIONED, OURS)},
    "suggestions.suggestion.supervise": {NO_RECORD: Row(ASSIGNERS), "any": Row(ASSIGNERS, OURS)},
    "suggestions.suggestion.mark_key": {NO_RECORD: Row(CLERK), "any": Row(CLERK, OURS)},
    "suggestions.suggestion.escalate": {NO_RECORD: Row(CLERK), "any": Row(CLERK, OURS)},
    "suggestions.concentration.view": {NO_RECORD: Row(CLERK)},
    "suggestions.concentration.report": {NO_RECORD: Row(CLERK), "any": Row(CLERK, OURS)},
    "suggestions.concentrationreport.view": {
        NO_RECORD: Row(CLERK | CDI),
        "an ordinary report": Row(CLERK | CDI, REPORT),
        # Clue-grade: the sending office and the CDI's clue officers only.
        "one that may implicate persons": Row(CLERK | {"cdi_clue"}, CLUE_GRADE_REPORT),
    },
    "suggestions.supervisionorder.view": {
        NO_RECORD: Row(ALL),
        "an order to unit A": Row(SEES_ALL | UNIT_A, ORDER),
        "an order escalated to the CDI": Row(SEES_ALL | UNIT_A | CDI, ESCALATED_ORDER),
    },
    "suggestions.supervisionorder.respond": {
        NO_RECORD: Row(DESKS),
        "an order to unit A": Row(UNIT_A, ORDER),
    },
    "suggestions.supervisionorder.close": {
        NO_RECORD: Row(ASSIGNERS),
        "an order of the working body": Row(CLERK, ORDER),
    },
    "suggestions.campaign.view": {NO_RECORD: Row(LEDGER)},
    "suggestions.campaign.manage": {NO_RECORD: Row(CLERK)},
    "suggestions.opinion.register": {NO_RECORD: Row(SUBMITTERS)},
    "suggestions.campaignopinion.view": {
        NO_RECORD: Row(LEDGER),
        "assigned to unit A": Row(SEES_ALL | UNIT_A | DEPUTY, OPINION_A),
        "not yet assigned": Row(SEES_ALL | DEPUTY, OPINION_NEW),
    },
    "suggestions.opinion.complete": {
        NO_RECORD: Row(DESKS),
        "assigned to unit A": Row(UNIT_A, OPINION_A),
        "not yet assigned": Row(NOBODY, OPINION_NEW),
    },
    "suggestions.suggestion.export": {NO_RECORD: Row(LEDGER)},
    "suggestions.suggestion.import": {NO_RECORD: Row(CLERK)},
}


def test_every_action_has_a_row():
    codes = {c for c in access.registered_actions() if c.startswith("suggestions.")}
    assert not sorted(codes - set(MATRIX)), "add these actions to MATRIX"
    assert not sorted(set(MATRIX) - codes), "MATRIX names actions that no longer exist"


CASES = [(action, case) for action, rows in MATRIX.items() for case in rows]


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "case"), CASES)
def test_policy_matrix(personas, action: str, case: str):
    world = World(p=personas, cache={})
    row = MATRIX[action][case]
    record = row.record(world) if row.record else None
    got = {name for name in PERSONA_NAMES if access.can(personas.users[name], action, record)}
    assert got == set(row.allowed), (
        f"{action} / {case}: extra {sorted(got - row.allowed)}, missing {sorted(row.allowed - got)}"
    )


SCOPED = {
    "suggestions.suggestion.view": (Suggestion, (OURS, THEIRS, ESCALATED, SUBMITTED)),
    "suggestions.campaignopinion.view": (CampaignOpinion, (OPINION_A, OPINION_NEW)),
}


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(SCOPED))
def test_scope_agrees_with_the_rule(personas, action: str):
    world = World(p=personas, cache={})
    model, builders = SCOPED[action]
    rows = [b(world) for b in builders]
    for name in PERSONA_NAMES:
        user = personas.users[name]
        scoped = set(access.scope(user, action, model.objects.all()).values_list("pk", flat=True))
        allowed = {r.pk for r in rows if access.can(user, action, r)}
        assert scoped == allowed, f"{action} for {name}: scope {scoped} ≠ rule {allowed}"
