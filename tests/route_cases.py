"""Shared pieces of the route matrix (tests/core/test_route_matrix.py): the persona groups and
the `Case` row type. A link app keeps its own rows in `tests/<app>/routes.py` as `ROUTES`, and
the matrix merges them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.personas import PERSONA_NAMES, Personas

ALL = frozenset(PERSONA_NAMES)
SUPERVISORS = frozenset(
    {"congress_clerk", "cdi_officer", "cdi_clue", "stationed", "gov_supervisor"}
)
# People with a seat in an organisation see the organisation directory.
WITH_SEATS = ALL
NOBODY: frozenset[str] = frozenset()
SYSADMIN = frozenset({"sysadmin"})
# Activities: everyone but the three administrators uses the ledger; an activity organised by
# the congress body with unit A and the stationed group is seen by them and the supervisors,
# managed by the congress body's staff; unit A and the stationed group may attach files to it.
LEDGER = ALL - {"sysadmin", "secadmin", "auditadmin"}
ACTIVITY_VIEWERS = SUPERVISORS | {"unit_a"}
ACTIVITY_MANAGERS = frozenset({"congress_clerk"})
ACTIVITY_CREATORS = frozenset({"congress_clerk", "cdi_officer", "stationed", "gov_supervisor"})
ATTACHERS = frozenset({"congress_clerk", "unit_a", "stationed"})


@dataclass(frozen=True)
class Case:
    allowed: frozenset[str]
    kwargs: Callable[[Personas], dict[str, Any]] = lambda p: {}
    method: str = "get"
    data: Callable[[Personas], dict[str, Any]] = lambda p: {}
    api: bool = False
    # Denied personas get this status (a UI record the person may not see: 403 page; an API
    # object outside the person's scope: 404, so that its existence is not revealed).
    denied_status: tuple[int, ...] = (403,)
    skip_personas: frozenset[str] = field(default_factory=frozenset)


def _org(name: str) -> Callable[[Personas], dict[str, Any]]:
    return lambda p: {"pk": p.orgs[name].pk}


def _person_of(user: str) -> Callable[[Personas], dict[str, Any]]:
    return lambda p: {"pk": p.users[user].person.pk}


PUBLIC = "public"
