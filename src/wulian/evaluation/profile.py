"""联评 in a department's supervision profile (wulian.reports.profile): the evaluations of the
department in a year and their results (测评 grade), counted over the evaluations the viewer
sees (the department its own; the team and the supervising bodies theirs)."""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.measures import Measure
from wulian.core.polls import tally
from wulian.evaluation.choices import Stage
from wulian.evaluation.models import Evaluation

LINK = "evaluation"
TITLE = _("工作评议（联评）")
ORDER = 40


def measures() -> tuple[Measure, ...]:
    return (
        Measure("total", _("接受评议"), better=0),
        Measure("satisfied", _("测评满意"), of="total"),
        Measure("basic", _("测评基本满意"), of="total", better=0),
        Measure("unsatisfied", _("测评不满意"), of="total", better=-1),
        Measure("closed", _("评议办结"), of="total"),
    )


def counts(
    *, actor: Actor, year: int, organisation_ids: Collection[int] | None
) -> dict[int, dict[str, int | None]] | None:
    if not access.can(actor, "evaluation.evaluation.view"):
        return None
    qs = access.scope(actor, "evaluation.evaluation.view", Evaluation.objects.all())
    qs = Evaluation.objects.filter(pk__in=qs.values("pk"), year=year).order_by()
    if organisation_ids is not None:
        qs = qs.filter(department_id__in=list(organisation_ids))
    rows = qs.values("department_id").annotate(
        total=Count("pk"),
        satisfied=Count("pk", filter=Q(grade=tally.SATISFIED)),
        basic=Count("pk", filter=Q(grade=tally.BASIC)),
        unsatisfied=Count("pk", filter=Q(grade=tally.UNSATISFIED)),
        closed=Count("pk", filter=Q(stage=Stage.CLOSED)),
    )
    return {r.pop("department_id"): r for r in rows}


def url(key: str, *, organisation_id: int | None, year: int) -> str | None:
    # The list filters by year and department: every count of this section is among them
    # (one evaluation per department and year).
    params: dict[str, object] = {"year": year}
    if organisation_id is not None:  # None: every department (ADR 0031)
        params["department"] = organisation_id
    query = urlencode(params)
    return f"{reverse('evaluation:list')}?{query}"
