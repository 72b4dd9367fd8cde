"""The suggestions' section of a department's supervision profile (wulian.reports.profile):
the suggestions it leads and co-handles in a year, counted with the year's figures' own
definitions (`figures.STAGES`) over what the viewer may see — a department's row here is its
row in the figures' ranking. Verdicts over fewer than `SUGGESTION_FIGURES_MIN_VERDICTS` are
suppressed for those who may not see verdicts, as on the figures page."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.measures import Measure
from wulian.suggestions import reply_classes
from wulian.suggestions.choices import ACTIVE_ASSIGNMENT, AssignmentRole, Satisfaction
from wulian.suggestions.figures import ledger_url, of_year, stage_q
from wulian.suggestions.models import Assignment, Suggestion

LINK = "suggestions"
TITLE = _("代表建议（联办）")
ORDER = 10

_STAGED = ("assigned", "answered", "due", "answered_on_time", "rated")


def measures() -> tuple[Measure, ...]:
    """The measures, read when asked (the reply classes are a setting)."""
    return (
        Measure("assigned", _("主办建议")),
        Measure("co_handled", _("会办建议")),
        Measure("answered", _("已答复"), of="assigned"),
        Measure("due", _("已到答复期限"), better=0),
        Measure("answered_on_time", _("按期答复"), of="due"),
        *(
            Measure(f"category_{code}", label, of="answered", better=0)
            for code, label in reply_classes.choices()
        ),
        Measure("rated", _("代表已评价"), better=0),
        Measure("satisfied", _("代表满意（含基本满意）"), of="rated"),
    )


def counts(
    *, actor: Actor, year: int, organisation_ids: Collection[int] | None
) -> dict[int, dict[str, int | None]] | None:
    if not access.can(actor, "suggestions.suggestion.view"):
        return None
    scoped = access.scope(actor, "suggestions.suggestion.view", Suggestion.objects.all())
    # By the year's sessions' ids, not a join on the session's year: the figures' index then
    # answers it (on SQLite the join read every row of the year: ~100 ms a year at 20,000).
    year_rows = scoped.filter(session_id__in=of_year(None, year)).order_by()
    led = year_rows.filter(lead_unit__isnull=False)
    if organisation_ids is not None:
        led = led.filter(lead_unit_id__in=list(organisation_ids))
    agg: dict[str, Any] = {key: Count("pk", filter=stage_q(key)) for key in _STAGED}
    for code in reply_classes.codes():
        agg[f"category_{code}"] = Count("pk", filter=Q(reply_category=code, reply_round__gte=1))
    agg["satisfied"] = Count(
        "pk", filter=Q(verdict__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY])
    )
    out: dict[int, dict[str, int | None]] = {}
    for row in led.values("lead_unit_id").annotate(**agg):
        out[row.pop("lead_unit_id")] = {**row, "co_handled": 0}
    co = Assignment.objects.filter(
        role=AssignmentRole.CO, status__in=ACTIVE_ASSIGNMENT, suggestion__in=year_rows
    )
    if organisation_ids is not None:
        co = co.filter(unit_id__in=list(organisation_ids))
    co_counts = (
        co.order_by().values_list("unit_id").annotate(n=Count("suggestion_id", distinct=True))
    )
    for unit_id, n in co_counts:
        out.setdefault(unit_id, dict.fromkeys([*agg, "co_handled"], 0))["co_handled"] = n
    if not access.can(actor, "suggestions.verdict.view"):
        least = settings.SUGGESTION_FIGURES_MIN_VERDICTS
        for values in out.values():
            if (values.get("rated") or 0) < least:
                values["satisfied"] = None
    return out


def url(key: str, *, organisation_id: int | None, year: int) -> str | None:
    """`organisation_id=None`: every lead unit (the dashboards' totals, ADR 0031)."""
    if key == "co_handled":
        if organisation_id is None:
            return None  # a suggestion co-handled by two units is one in the ledger
        return ledger_url(year=year, co_unit=organisation_id)
    if key.startswith("category_"):
        return ledger_url(
            year=year,
            lead_unit=organisation_id,
            stage="answered",
            reply_category=key.removeprefix("category_"),
        )
    if key == "satisfied":
        return None  # two verdicts: the rated ones are listed under 代表已评价
    if key in _STAGED:
        return ledger_url(year=year, lead_unit=organisation_id, stage=key)
    return ledger_url(
        base=reverse("suggestions:suggestion_list"), year=year, lead_unit=organisation_id
    )
