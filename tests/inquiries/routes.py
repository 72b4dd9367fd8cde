"""The inquiries rows of the route matrix: congress and CDI desks see inquiries (an answering
unit those that ask it something); the congress working body's clerk runs them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.inquiries import helpers as h
from tests.personas import Personas
from tests.route_cases import Case

WATCHERS = frozenset({"congress_clerk", "cdi_officer", "cdi_clue", "stationed"})
OFFICES = WATCHERS | {"gov_supervisor", "unit_a", "unit_b", "court_clerk"}
ASKED = WATCHERS | {"unit_a"}
CLERK = frozenset({"congress_clerk"})


def _pk(build: Callable[[Personas], Any]) -> Callable[[Personas], dict[str, Any]]:
    return lambda p: {"pk": build(p).pk}


def _inquiry(p: Personas) -> Any:
    return h.question(p).inquiry


def _held(p: Personas) -> Any:
    return h.held(p).inquiry


ROUTES: dict[str, Case | str] = {
    "inquiries:inquiry_list": Case(OFFICES),
    "inquiries:inquiry_create": Case(CLERK),
    "inquiries:figures": Case(OFFICES),
    "inquiries:opinion_docx": Case(ASKED, kwargs=_pk(_held)),
    "inquiries:inquiry_detail": Case(ASKED, kwargs=_pk(_inquiry)),
    "inquiries:inquiry_question_add": Case(CLERK, kwargs=_pk(_inquiry), method="post"),
    "inquiries:inquiry_hold": Case(CLERK, kwargs=_pk(_inquiry), method="post"),
    "inquiries:inquiry_send_opinion": Case(CLERK, kwargs=_pk(_inquiry), method="post"),
    "inquiries:inquiry_undercover": Case(CLERK, kwargs=_pk(_inquiry), method="post"),
    "inquiries:inquiry_research": Case(CLERK, kwargs=_pk(_inquiry), method="post"),
    "inquiries:inquiry_ballot": Case(CLERK, kwargs=_pk(_inquiry), method="post"),
    "inquiries:inquiry_bulletin": Case(CLERK, kwargs=_pk(_inquiry), method="post"),
    "inquiries:inquiry_look_back": Case(CLERK, kwargs=_pk(_inquiry), method="post"),
    "inquiries:question_answer": Case(CLERK, kwargs=_pk(h.question), method="post"),
    "inquiries:question_commit": Case(CLERK, kwargs=_pk(h.question), method="post"),
    "inquiries_api:inquiry-list": Case(OFFICES, api=True),
    "inquiries_api:figures": Case(OFFICES, api=True),
    "inquiries_api:inquiry-detail": Case(
        ASKED, kwargs=_pk(_inquiry), api=True, denied_status=(403, 404)
    ),
    "inquiries_api:question-detail": Case(
        ASKED, kwargs=_pk(h.question), api=True, denied_status=(403, 404)
    ),
}
