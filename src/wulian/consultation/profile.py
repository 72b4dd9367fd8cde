"""联商 in a department's supervision profile (wulian.reports.profile): the problems the two
bodies' joint work found in it — a law-enforcement inspection's findings handed on, a joint
analysis's — as rectifications, those closed and those overdue, each the rectification ledger
under 问题来源 联商, over the rectifications the viewer sees (a matter known to one side only
raises its findings as sensitive, which the ledger's own rules keep from the other side)."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext_lazy as _

from wulian.core.access import Actor
from wulian.core.measures import Measure
from wulian.core.rectification.profile import source_counts, source_url

LINK = "consultation"
TITLE = _("监督事项联商")
ORDER = 15


def measures() -> tuple[Measure, ...]:
    return (
        Measure("total", _("执法检查和联合研判发现的问题"), better=0),
        Measure("closed", _("已整改销号"), of="total"),
        Measure("overdue", _("逾期未整改"), of="total", better=-1),
    )


def counts(
    *, actor: Actor, year: int, organisation_ids: Collection[int] | None
) -> dict[int, dict[str, int | None]] | None:
    return source_counts(actor=actor, year=year, organisation_ids=organisation_ids, source=LINK)


def url(key: str, *, organisation_id: int | None, year: int) -> str | None:
    return source_url(key, organisation_id=organisation_id, year=year, source=LINK)
