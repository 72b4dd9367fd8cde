"""The 联评 rows of the route matrix (tests/core/test_route_matrix.py).

The record: unit A's evaluation by the congress working body (the clerk's), the stationed group
on its team. It is seen by the supervisors and unit A; its confidential dossier only by the
team (the clerk, the stationed group) and the CDI — never by unit A."""

from __future__ import annotations

from tests.evaluation.helpers import create
from tests.route_cases import SUPERVISORS, Case

CLERK = frozenset({"congress_clerk"})
VIEWERS = SUPERVISORS | {"unit_a"}
LISTERS = SUPERVISORS | {"unit_a", "unit_b", "court_clerk", "deputy"}
DOSSIER = frozenset({"congress_clerk", "cdi_officer", "cdi_clue", "stationed"})
PROVIDERS = frozenset({"cdi_officer", "cdi_clue", "stationed"})
ATTACHERS = CLERK | {"unit_a"}
CONDUCT = frozenset({"congress_clerk", "cdi_officer", "stationed", "gov_supervisor"})


def evaluation_kwargs(p) -> dict:
    return {"pk": create(p).pk}


def _step(allowed: frozenset[str]) -> Case:
    return Case(allowed, kwargs=evaluation_kwargs, method="post")


STEP_RIGHTS = {
    "dossier_add": PROVIDERS,
    "dossier_attach": PROVIDERS,
    "dossier_deliver": PROVIDERS,
    "self_report": ATTACHERS,
    "conduct": CONDUCT,
}
MANAGED = (
    "dimensions",
    "dossier_use",
    "advance",
    "activity_add",
    "activity_held",
    "finding",
    "vote",
    "opinion",
    "share",
    "report_heard",
    "close",
    "scores",
    "clue",
)

ROUTES = {
    "evaluation:list": Case(LISTERS),
    "evaluation:create": Case(CLERK),
    "evaluation:figures": Case(LISTERS),
    "evaluation:detail": Case(VIEWERS, kwargs=evaluation_kwargs),
    "evaluation:dossier": Case(DOSSIER, kwargs=evaluation_kwargs),
    "evaluation:conduct_import": Case(CONDUCT),
    "evaluation:conduct_template": Case(CONDUCT),
    "evaluation:opinion_docx": Case(VIEWERS, kwargs=evaluation_kwargs),
    **{f"evaluation:step_{name}": _step(rights) for name, rights in STEP_RIGHTS.items()},
    **{f"evaluation:step_{name}": _step(CLERK) for name in MANAGED},
    "evaluation_api:evaluation-list": Case(LISTERS, api=True),
    "evaluation_api:evaluation-figures": Case(LISTERS, api=True),
    "evaluation_api:evaluation-detail": Case(
        VIEWERS, kwargs=evaluation_kwargs, api=True, denied_status=(403, 404)
    ),
    "evaluation_api:conduct-import": Case(
        CONDUCT, method="post", api=True, denied_status=(403, 404)
    ),
    "evaluation_api:evaluation-dossier": Case(
        DOSSIER, kwargs=evaluation_kwargs, api=True, denied_status=(403, 404)
    ),
}
