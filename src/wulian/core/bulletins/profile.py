"""Bulletins' section of a department's supervision profile (wulian.reports.profile): the
bulletins of a year sent to the department, signed for on time or late, or not signed for
past the time limit — the receipts' own states (`filters.receipt_q`), over the receipts the
viewer sees."""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.bulletins import selectors
from wulian.core.bulletins.choices import ReceiptState
from wulian.core.bulletins.filters import receipt_q
from wulian.core.measures import Measure

LINK = "bulletins"
TITLE = _("工作通报")
ORDER = 70

_STATES = {
    "signed_on_time": ReceiptState.ON_TIME,
    "signed_late": ReceiptState.LATE,
    "missing": ReceiptState.MISSING,
}


def measures() -> tuple[Measure, ...]:
    return (
        Measure("received", _("收到通报"), better=0),
        Measure("signed_on_time", _("按时签收"), of="received"),
        Measure("signed_late", _("逾期签收"), of="received", better=-1),
        Measure("missing", _("逾期未签收"), of="received", better=-1),
    )


def counts(
    *, actor: Actor, year: int, organisation_ids: Collection[int] | None
) -> dict[int, dict[str, int | None]] | None:
    if not access.can(actor, "bulletins.bulletin.view"):
        return None
    now = timezone.now()
    qs = selectors.visible_receipts(actor=actor).filter(bulletin__year=year).order_by()
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=list(organisation_ids))
    agg = {key: Count("id", filter=receipt_q(state, now)) for key, state in _STATES.items()}
    rows = qs.values("organisation_id").annotate(received=Count("id"), **agg)
    return {r.pop("organisation_id"): r for r in rows}


def url(key: str, *, organisation_id: int | None, year: int) -> str | None:
    params: dict[str, object] = {"year": year}
    if organisation_id is not None:  # None: every organisation (ADR 0031)
        params["organisation"] = organisation_id
    if key in _STATES:
        params["receipt"] = _STATES[key]
    return f"{reverse('bulletins:receipts')}?{urlencode(params)}"
