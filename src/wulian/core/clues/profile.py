"""Clues in a department's supervision profile (wulian.reports.profile): the clues whose
subject works in the department, by the year they were drafted — counted only over the clues
whose full content the viewer may read (the drafting office before transfer, the CDI's clue
officers after it; ADR 0007). Everyone else learns nothing, not even that the section exists:
whom a clue is about is its content, not its status."""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.clues.choices import ClueState
from wulian.core.clues.models import Clue
from wulian.core.measures import Measure

LINK = "clues"
TITLE = _("问题线索")
ORDER = 90


def measures() -> tuple[Measure, ...]:
    return (
        Measure("total", _("反映对象在本单位的问题线索"), better=0),
        Measure("concluded", _("已办结"), of="total", better=0),
    )


def counts(
    *, actor: Actor, year: int, organisation_ids: Collection[int] | None
) -> dict[int, dict[str, int | None]] | None:
    if not access.can(actor, "clues.clue.view"):
        return None
    qs = access.scope(actor, "clues.clue.view", Clue.objects.all())
    qs = qs.filter(created_at__year=year, subject_organisation__isnull=False).order_by()
    if organisation_ids is not None:
        qs = qs.filter(subject_organisation_id__in=list(organisation_ids))
    rows = qs.values("subject_organisation_id").annotate(
        total=Count("pk"), concluded=Count("pk", filter=Q(state=ClueState.CONCLUDED))
    )
    return {r.pop("subject_organisation_id"): r for r in rows}


def url(key: str, *, organisation_id: int | None, year: int) -> str | None:
    """`organisation_id=None`: the clues about someone in any organisation (the CDI dashboard's
    totals; the list by year alone holds clues with no subject organisation too)."""
    from wulian.core.clues.selectors import ANY_SUBJECT

    params: dict[str, object] = {
        "year": year,
        "subject_organisation": ANY_SUBJECT if organisation_id is None else organisation_id,
    }
    if key == "concluded":
        params["state"] = ClueState.CONCLUDED
    return f"{reverse('clues:clue_list')}?{urlencode(params)}"
