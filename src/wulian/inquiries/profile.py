"""专题询问 in a department's supervision profile (wulian.reports.profile): the commitments it
made when answering the year's inquiries — rectifications raised on its questions — those
kept (closed) and those overdue, each the rectification ledger under 问题来源 专题询问, over the
rectifications the viewer sees."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext_lazy as _

from wulian.core.access import Actor
from wulian.core.measures import Measure
from wulian.core.rectification.profile import source_counts, source_url

LINK = "inquiries"
TITLE = _("专题询问（联督）")
ORDER = 35


def measures() -> tuple[Measure, ...]:
    return (
        Measure("total", _("询问中作出的整改承诺"), better=0),
        Measure("closed", _("已兑现（已销号）"), of="total"),
        Measure("overdue", _("逾期未兑现"), of="total", better=-1),
    )


def counts(
    *, actor: Actor, year: int, organisation_ids: Collection[int] | None
) -> dict[int, dict[str, int | None]] | None:
    return source_counts(actor=actor, year=year, organisation_ids=organisation_ids, source=LINK)


def url(key: str, *, organisation_id: int | None, year: int) -> str | None:
    return source_url(key, organisation_id=organisation_id, year=year, source=LINK)
