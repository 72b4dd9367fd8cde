"""The 联商 rows of the route matrix (tests/core/test_route_matrix.py).

Desk seats of the two sides read the register (as each matter's 知悉范围 allows) and the
analyses; their staff enter matters and start analyses; the owning organisation changes a
matter; the lead and partner organisations manage an analysis. The government's offices, the
units, the court, deputies, experts and the three administrators see nothing."""

from __future__ import annotations

from tests.consultation.helpers import (
    analysis_kwargs,
    cdi_internal_kwargs,
    congress_kwargs,
    inspection_kwargs,
    shared_kwargs,
)
from tests.route_cases import Case

VIEWERS = frozenset({"congress_clerk", "cdi_officer", "cdi_clue", "stationed"})
CDI_SIDE = frozenset({"cdi_officer", "cdi_clue", "stationed"})
CREATORS = frozenset({"congress_clerk", "cdi_officer", "stationed"})
CLERK = frozenset({"congress_clerk"})
ANALYSTS = frozenset({"congress_clerk", "cdi_officer"})
API = {"api": True, "denied_status": (403, 404)}

ROUTES = {
    "consultation:register": Case(VIEWERS),
    "consultation:calendar": Case(VIEWERS),
    "consultation:meetings": Case(VIEWERS),
    "consultation:figures": Case(VIEWERS),
    "consultation:figure_records": Case(VIEWERS, data=lambda p: {"what": "meetings"}),
    "consultation:matter_create": Case(CREATORS),
    "consultation:matter_detail": Case(VIEWERS, kwargs=shared_kwargs),
    "consultation:matter_edit": Case(CLERK, kwargs=congress_kwargs),
    "consultation:matter_link": Case(CLERK, kwargs=congress_kwargs, method="post"),
    "consultation:matter_unlink": Case(CLERK, kwargs=congress_kwargs, method="post"),
    "consultation:matter_inspection": Case(CLERK, kwargs=inspection_kwargs),
    "consultation:matter_problem": Case(CLERK, kwargs=inspection_kwargs, method="post"),
    "consultation:matter_hand_on": Case(CLERK, kwargs=inspection_kwargs, method="post"),
    "consultation:analyses": Case(VIEWERS),
    "consultation:analysis_create": Case(CREATORS),
    "consultation:import_template": Case(CREATORS),
    "consultation:analysis_detail": Case(VIEWERS, kwargs=analysis_kwargs),
    "consultation:analysis_import": Case(ANALYSTS, kwargs=analysis_kwargs),
    "consultation:analysis_docx": Case(VIEWERS, kwargs=analysis_kwargs),
    "consultation:analysis_analyst": Case(ANALYSTS, kwargs=analysis_kwargs, method="post"),
    "consultation:analysis_report": Case(ANALYSTS, kwargs=analysis_kwargs, method="post"),
    "consultation_api:figures": Case(VIEWERS, api=True),
    "consultation_api:matter-list": Case(VIEWERS, api=True),
    "consultation_api:matter-detail": Case(CDI_SIDE, kwargs=cdi_internal_kwargs, **API),
    "consultation_api:analysis-list": Case(VIEWERS, api=True),
    "consultation_api:analysis-detail": Case(VIEWERS, kwargs=analysis_kwargs, **API),
    "consultation_api:analysis-import": Case(
        ANALYSTS, kwargs=analysis_kwargs, method="post", **API
    ),
    "consultation_api:matter-edit": Case(CLERK, kwargs=congress_kwargs, method="post", **API),
    "consultation_api:matter-link": Case(CLERK, kwargs=congress_kwargs, method="post", **API),
    "consultation_api:matter-unlink": Case(CLERK, kwargs=congress_kwargs, method="post", **API),
    "consultation_api:matter-inspection": Case(
        CLERK, kwargs=inspection_kwargs, method="post", **API
    ),
    "consultation_api:matter-problem": Case(CLERK, kwargs=inspection_kwargs, method="post", **API),
    "consultation_api:matter-hand-on": Case(CLERK, kwargs=inspection_kwargs, method="post", **API),
    "consultation_api:analysis-analyst": Case(
        ANALYSTS, kwargs=analysis_kwargs, method="post", **API
    ),
    "consultation_api:analysis-report": Case(
        ANALYSTS, kwargs=analysis_kwargs, method="post", **API
    ),
}
