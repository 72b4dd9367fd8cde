"""The livelihood rows of the route matrix (tests/core/test_route_matrix.py).

The records (tests.livelihood.helpers): a 2023 cycle under way of the congress working body,
a project of unit A whose supervision group has the deputy, a March report of it; a cycle in
screening with a candidate. Every seat but the administrators' reads; the congress clerk
manages; unit A reports; the deputy (its group) and the clerk verify."""

from __future__ import annotations

from typing import Any

from tests.livelihood import helpers as h
from tests.personas import Personas
from tests.route_cases import ALL, PUBLIC, Case
from wulian.livelihood.choices import CycleState

SEATED = ALL - {"sysadmin", "secadmin", "auditadmin"}
CLERK = frozenset({"congress_clerk"})
SCREENERS = frozenset({"congress_clerk", "gov_supervisor"})
UNIT_A = frozenset({"unit_a"})
GROUP = frozenset({"congress_clerk", "deputy"})


def _cycle(state: str = CycleState.IMPLEMENTING):
    def kwargs(p: Personas) -> dict[str, Any]:
        return {"pk": h.make_cycle(p, state=state).pk}

    return kwargs


def _decided(p: Personas) -> dict[str, Any]:
    cycle = h.make_cycle(p)
    cycle.decision_number = "黄人常〔2023〕3号"
    cycle.save(update_fields=["decision_number"])
    return {"pk": cycle.pk}


def _candidate(p: Personas) -> dict[str, Any]:
    return {"pk": h.make_candidates(h.make_cycle(p, state=CycleState.SCREENING), 1)[0].pk}


def _project(p: Personas) -> dict[str, Any]:
    return {"pk": h.make_project(p).pk}


def _indicator(p: Personas) -> dict[str, Any]:
    return {"pk": h.make_project(p).indicators.get().pk}


def _actual(p: Personas) -> dict[str, Any]:
    return {"pk": h.make_actual(p, h.make_project(p)).pk}


def _order(p: Personas) -> dict[str, Any]:
    return {"pk": h.make_order(p).pk}


def _answered(p: Personas) -> dict[str, Any]:
    return {"pk": h.make_order(p, state="answered", answer="已加快施工。").pk}


def _year(p: Personas) -> dict[str, Any]:
    return {"year": h.make_cycle(p).year}


def _public_photo(p: Personas) -> dict[str, Any]:
    return {"pk": h.public_photo(p).pk}


ROUTES: dict[str, Case | str] = {
    "livelihood:home": Case(SEATED),
    "livelihood:cycle_create": Case(CLERK),
    "livelihood:figures": Case(SEATED),
    "livelihood:figures_docx": Case(SEATED),
    "livelihood:public": PUBLIC,
    "livelihood:public_photo": PUBLIC,
    "livelihood:cycle_detail": Case(SEATED, kwargs=_cycle()),
    "livelihood:cycle_decision": Case(SEATED, kwargs=_decided),
    "livelihood:project_list": Case(SEATED),
    "livelihood:project_detail": Case(SEATED, kwargs=_project),
    "livelihood:actual_detail": Case(SEATED, kwargs=_actual),
    "livelihood:cycle_candidate": Case(CLERK, kwargs=_cycle(CycleState.COLLECTING), method="post"),
    "livelihood:cycle_vote_open": Case(CLERK, kwargs=_cycle(CycleState.SCREENING), method="post"),
    "livelihood:cycle_decide": Case(CLERK, kwargs=_cycle(CycleState.VOTING), method="post"),
    "livelihood:cycle_satisfaction_open": Case(CLERK, kwargs=_cycle(), method="post"),
    "livelihood:cycle_record_results": Case(
        CLERK, kwargs=_cycle(CycleState.EVALUATING), method="post"
    ),
    "livelihood:candidate_screen": Case(SCREENERS, kwargs=_candidate, method="post"),
    "livelihood:project_report": Case(UNIT_A, kwargs=_project, method="post"),
    "livelihood:project_group": Case(CLERK, kwargs=_project, method="post"),
    "livelihood:project_milestones": Case(CLERK, kwargs=_project, method="post"),
    "livelihood:project_order": Case(CLERK, kwargs=_project, method="post"),
    "livelihood:order_answer": Case(UNIT_A, kwargs=_order, method="post"),
    "livelihood:order_close": Case(CLERK, kwargs=_answered, method="post"),
    "livelihood:order_escalate": Case(CLERK, kwargs=_answered, method="post"),
    "livelihood:indicator_change": Case(CLERK, kwargs=_indicator, method="post"),
    "livelihood:actual_verify": Case(GROUP, kwargs=_actual, method="post"),
    "livelihood:actual_question": Case(GROUP, kwargs=_actual, method="post"),
    "livelihood:actual_publish": Case(CLERK, kwargs=_actual, method="post"),
    "livelihood_api:livelihood-cycle-list": Case(SEATED, api=True),
    "livelihood_api:livelihood-cycle-detail": Case(
        SEATED, kwargs=_cycle(), api=True, denied_status=(403, 404)
    ),
    "livelihood_api:livelihood-project-list": Case(SEATED, api=True),
    "livelihood_api:livelihood-project-detail": Case(
        SEATED, kwargs=_project, api=True, denied_status=(403, 404)
    ),
    "livelihood_api:figures": Case(SEATED, api=True),
    **{
        f"livelihood_api:livelihood-{what}-detail": Case(
            SEATED, kwargs=kwargs, api=True, denied_status=(403, 404)
        )
        for what, kwargs in (
            ("candidate", _candidate),
            ("indicator", _indicator),
            ("actual", _actual),
            ("order", _order),
        )
    },
}
