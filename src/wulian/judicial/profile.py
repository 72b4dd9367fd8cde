"""司法监督 in a court's or procuratorate's supervision profile (wulian.reports.profile): its cases
in the year's case-quality reviews and those corrected, the suggestions it received and adopted,
and the petitions about it routed to it — each counted as its list counts it (the case,
suggestion and petition lists' own filters), over what the viewer sees. A department the link
never touches has no row, so its section is left out."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.choices import OrgKind
from wulian.core.measures import Measure
from wulian.core.models import Organisation
from wulian.judicial.choices import SuggestionState
from wulian.judicial.models import Case, CourtSuggestion, Petition

LINK = "judicial"
TITLE = _("司法监督（联动）")
ORDER = 40
ACTIONS = ("judicial.case.view", "judicial.courtsuggestion.view", "judicial.petition.view")
JUDICIAL_KINDS = (OrgKind.COURT, OrgKind.PROCURATORATE)


def measures() -> tuple[Measure, ...]:
    return (
        Measure("cases", _("纳入评查的案件"), better=0),
        Measure("corrected", _("依法纠正的案件"), of="cases", better=0),
        Measure("suggestions", _("收到的意见建议"), better=0),
        Measure("adopted", _("采纳的意见建议"), of="suggestions"),
        Measure("petitions", _("转办的涉法涉诉信访"), better=0),
    )


def _grouped(qs: Any, field: str, ids: Collection[int] | None, **counts: Any) -> dict[int, dict]:
    if ids is not None:
        qs = qs.filter(**{f"{field}__in": list(ids)})
    return {r.pop(field): r for r in qs.order_by().values(field).annotate(**counts)}


def counts(
    *, actor: Actor, year: int, organisation_ids: Collection[int] | None
) -> dict[int, dict[str, int | None]] | None:
    """None (the section left out) for a person who does not see all three lists, and for a
    profile of an organisation the link does not supervise (not a court or procuratorate)."""
    if not all(access.can(actor, action) for action in ACTIONS):
        return None
    if organisation_ids is not None:
        organisation_ids = list(
            Organisation.objects.filter(
                pk__in=list(organisation_ids), kind__in=JUDICIAL_KINDS
            ).values_list("pk", flat=True)
        )
        if not organisation_ids:
            return None
    cases = access.scope(actor, "judicial.case.view", Case.objects.filter(batch__year=year))
    suggestions = access.scope(
        actor,
        "judicial.courtsuggestion.view",
        CourtSuggestion.objects.filter(batch__year=year).exclude(state=SuggestionState.DRAFT),
    )
    petitions = access.scope(
        actor, "judicial.petition.view", Petition.objects.filter(received_on__year=year)
    )
    out: dict[int, dict[str, int | None]] = {}
    for rows in (
        _grouped(
            cases,
            "court_id",
            organisation_ids,
            cases=Count("pk"),
            corrected=Count("pk", filter=Q(corrected_by__isnull=False)),
        ),
        _grouped(
            suggestions,
            "addressee_id",
            organisation_ids,
            suggestions=Count("pk"),
            adopted=Count("pk", filter=Q(state=SuggestionState.ADOPTED)),
        ),
        _grouped(
            petitions.exclude(organisation__isnull=True),
            "organisation_id",
            organisation_ids,
            petitions=Count("pk"),
        ),
    ):
        for org, values in rows.items():
            out.setdefault(org, dict.fromkeys((m.key for m in measures()), 0)).update(values)
    return out


def url(key: str, *, organisation_id: int | None, year: int) -> str | None:
    """The list a value counts; `organisation_id=None`: every organisation's (a total)."""
    org = {} if organisation_id is None else {"court": organisation_id}
    if key in ("cases", "corrected"):
        params: dict[str, object] = {**org, "year": year}
        if key == "corrected":
            params["corrected"] = "1"
        return f"{reverse('judicial:case_list')}?{urlencode(params)}"
    if key in ("suggestions", "adopted"):
        params = {"year": year, "sent": "1"}
        if organisation_id is not None:
            params["addressee"] = organisation_id
        if key == "adopted":
            params["state"] = SuggestionState.ADOPTED
        return f"{reverse('judicial:suggestion_list')}?{urlencode(params)}"
    params = {"year": year}
    if organisation_id is not None:
        params["organisation"] = organisation_id
    return f"{reverse('judicial:petition_list')}?{urlencode(params)}"
