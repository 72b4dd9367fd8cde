"""联评 on a department's organisation page: its evaluations of every year the viewer may see,
with their results (issue 18: "each department's evaluation history on its organisation
page"). One query; nothing at all for a viewer who sees none."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from wulian.core import access, pages
from wulian.evaluation import selectors, services


@pages.organisation_panel
def evaluation_history(actor: Any, organisation: Any) -> str:
    if not access.can(actor, "evaluation.evaluation.view"):
        return ""
    rows = list(
        selectors.evaluation_list(actor=actor)
        .select_related(None)
        .filter(department_id=organisation.pk)
        .only("id", "year", "title", "stage", "grade", "score", "conduct_grade", "consequence")
        .order_by("-year")
    )
    if not rows:
        return ""
    return render_to_string(
        "evaluation/organisation_history.html",
        {"rows": [(e, services.grade_label(e.grade) if e.grade else "—") for e in rows]},
    )
