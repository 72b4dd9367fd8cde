"""Route-matrix rows of the year's figures and the suggestion documents (figures_urls.py),
merged into this app's ROUTES (routes.py)."""

from __future__ import annotations

from tests.route_cases import ALL, Case
from tests.suggestions.figure_data import answered_kwargs, assigned_kwargs, order_kwargs

# Figures: whoever sees suggestions (each counts what they see) — not experts or administrators.
FIGURES = ALL - {"expert", "sysadmin", "secadmin", "auditadmin"}
# A suggestion led by unit A with unit B co-handling, raised by the deputy persona: the
# supervising side, the two units and the deputy see it; the others get 404 (not revealed).
SEES_IT = frozenset({"congress_clerk", "gov_supervisor", "stationed", "unit_a", "unit_b", "deputy"})
# A supervision order to unit A: the supervising side and unit A.
SEES_ORDER = frozenset({"congress_clerk", "gov_supervisor", "stationed", "unit_a"})

FIGURE_ROUTES: dict[str, Case | str] = {
    "suggestions:figures": Case(FIGURES),
    "suggestions:figures_docx": Case(FIGURES),
    "suggestions_api:figures": Case(FIGURES, api=True),
    "suggestions:assignment_sheet_docx": Case(
        SEES_IT, kwargs=assigned_kwargs, denied_status=(404,)
    ),
    "suggestions:reply_letter_docx": Case(SEES_IT, kwargs=answered_kwargs, denied_status=(404,)),
    "suggestions:supervision_notice_docx": Case(
        SEES_ORDER, kwargs=order_kwargs, denied_status=(404,)
    ),
}
