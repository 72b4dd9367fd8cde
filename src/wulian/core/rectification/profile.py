"""Rectification's section of a department's supervision profile (wulian.reports.profile):
the rectifications a department is responsible for in a year (the finding's year), closed
and overdue — overdue as the ledger's own filter says (a live deadline past due)."""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlencode

from django.db.models import Count, Exists, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.measures import Measure
from wulian.core.rectification.choices import RectificationState
from wulian.core.rectification.filters import live_deadlines, source_types
from wulian.core.rectification.models import Rectification

LINK = "rectification"
TITLE = _("问题整改")
ORDER = 60


def measures() -> tuple[Measure, ...]:
    return (
        Measure("total", _("整改事项"), better=0),
        Measure("closed", _("已销号"), of="total"),
        Measure("open", _("未销号"), better=0),
        Measure("overdue", _("逾期未完成"), of="total", better=-1),
    )


def counts(
    *, actor: Actor, year: int, organisation_ids: Collection[int] | None
) -> dict[int, dict[str, int | None]] | None:
    if not access.can(actor, "rectification.rectification.view"):
        return None
    qs = access.scope(actor, "rectification.rectification.view", Rectification.objects.all())
    qs = qs.filter(year=year).order_by()
    if organisation_ids is not None:
        qs = qs.filter(responsible_org_id__in=list(organisation_ids))
    closed = Q(state=RectificationState.CLOSED)
    rows = (
        qs.annotate(late=Exists(live_deadlines().filter(due_at__lt=timezone.now())))
        .values("responsible_org_id")
        .annotate(
            total=Count("pk"),
            closed=Count("pk", filter=closed),
            open=Count("pk", filter=~closed),
            overdue=Count("pk", filter=Q(late=True)),
        )
    )
    return {r.pop("responsible_org_id"): r for r in rows}


def url(key: str, *, organisation_id: int | None, year: int) -> str | None:
    params: dict[str, object] = {"year": year}
    if organisation_id is not None:  # None: every organisation (ADR 0031)
        params["responsible_org"] = organisation_id
    if key == "closed":
        params["state"] = RectificationState.CLOSED
    elif key == "overdue":
        params["overdue"] = "yes"
    elif key == "open":
        return None  # four states; the ledger lists them under 整改事项
    return f"{reverse('rectification:ledger')}?{urlencode(params)}"


# --- A link's own section: the rectifications raised in it (the ledger's 问题来源) -----------


def source_counts(
    *, actor: Actor, year: int, organisation_ids: Collection[int] | None, source: str
) -> dict[int, dict[str, int | None]] | None:
    """`total`, `closed` and `overdue` per responsible organisation, over the rectifications
    raised in the link `source` (a key of `filters.SOURCES`) that the viewer sees — what the
    ledger lists under that 问题来源 — for a link's section of the profile."""
    if not access.can(actor, "rectification.rectification.view"):
        return None
    qs = access.scope(actor, "rectification.rectification.view", Rectification.objects.all())
    qs = qs.filter(year=year, finding__content_type__in=source_types(source)).order_by()
    if organisation_ids is not None:
        qs = qs.filter(responsible_org_id__in=list(organisation_ids))
    rows = (
        qs.annotate(late=Exists(live_deadlines().filter(due_at__lt=timezone.now())))
        .values("responsible_org_id")
        .annotate(
            total=Count("pk"),
            closed=Count("pk", filter=Q(state=RectificationState.CLOSED)),
            overdue=Count("pk", filter=Q(late=True)),
        )
    )
    return {r.pop("responsible_org_id"): r for r in rows}


def source_url(key: str, *, organisation_id: int | None, year: int, source: str) -> str:
    """The ledger under that 问题来源, as `source_counts` counts `key`."""
    params: dict[str, object] = {"year": year, "source": source}
    if organisation_id is not None:
        params["responsible_org"] = organisation_id
    if key == "closed":
        params["state"] = RectificationState.CLOSED
    elif key == "overdue":
        params["overdue"] = "yes"
    return f"{reverse('rectification:ledger')}?{urlencode(params)}"
