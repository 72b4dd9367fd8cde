"""Reads of bulletins: scoped in the database by the access rules, with the joins a page
needs, so that a list costs the same number of queries for 1 row as for 1,000; and the
receipt and feedback figures (on time / late / missing per recipient, per series, per year)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.bulletins.choices import FeedbackState, ReceiptState
from wulian.core.bulletins.filters import BulletinFilter, ReceiptFilter, feedback_q, receipt_q
from wulian.core.bulletins.models import Bulletin, BulletinRecipient
from wulian.core.bulletins.policies import receipts_q, receiving_org_ids


def bulletin_ledger(*, actor: Actor, filters: Any = None) -> QuerySet:
    """通报台账: every bulletin the actor sees, newest first, with its issuer, series and the
    number of recipients and of receipts, in one query."""
    qs = access.scope(actor, "bulletins.bulletin.view", Bulletin.objects.all())
    qs = BulletinFilter(filters or {}, queryset=qs).qs
    return (
        qs.select_related("issuer", "series")
        .annotate(
            n_recipients=Count("recipients", distinct=True),
            n_signed=Count(
                "recipients", filter=Q(recipients__signed_at__isnull=False), distinct=True
            ),
            n_feedback=Count(
                "recipients", filter=Q(recipients__feedback_at__isnull=False), distinct=True
            ),
        )
        .order_by("-id")
    )


def bulletin_detail(*, actor: Actor, bulletin_id: int) -> Bulletin:
    bulletin = (
        Bulletin.objects.select_related(
            "issuer", "series", "issued_by__person", "created_by__person", "linked_type"
        )
        .prefetch_related(
            Prefetch(
                "recipients",
                queryset=BulletinRecipient.objects.select_related(
                    "organisation", "signed_by__person", "feedback_by__person"
                ).order_by("id"),
            )
        )
        .get(pk=bulletin_id)
    )
    access.require(actor, "bulletins.bulletin.view", bulletin)
    return bulletin


def receipt_state(rec: BulletinRecipient, now=None) -> str:
    now = now or timezone.now()
    if rec.signed_at is not None:
        return ReceiptState.LATE if rec.signed_late else ReceiptState.ON_TIME
    if rec.receipt_due_at is not None and rec.receipt_due_at < now:
        return ReceiptState.MISSING
    return ReceiptState.PENDING


def feedback_state(rec: BulletinRecipient, now=None) -> str:
    now = now or timezone.now()
    if rec.feedback_at is not None:
        return FeedbackState.LATE if rec.feedback_late else FeedbackState.ON_TIME
    if rec.feedback_due_at is not None and rec.feedback_due_at < now:
        return FeedbackState.MISSING
    return FeedbackState.PENDING


def visible_receipts(*, actor: Actor) -> QuerySet:
    """The recipient rows of issued bulletins the actor sees (policies.receipts_q)."""
    return BulletinRecipient.objects.filter(receipts_q(actor))


def receipt_list(*, actor: Actor, filters: Any = None) -> QuerySet:
    """The receipts (one row per bulletin and recipient), the figures' click-through."""
    qs = ReceiptFilter(filters or {}, queryset=visible_receipts(actor=actor)).qs
    return qs.select_related("bulletin", "bulletin__series", "bulletin__issuer", "organisation")


@dataclass(frozen=True)
class RateRow:
    key: Any  # the group's value (organisation id, series id, year)
    label: str
    counts: dict[str, int]  # receipt_* and feedback_* counts by state
    total: int

    def rate(self, prefix: str, *states: str) -> str:
        """Share of the rows whose time has come (pending ones left out), as "87.5%"."""
        due = self.total - self.counts[f"{prefix}_pending"]
        if not due:
            return "—"
        part = sum(self.counts[f"{prefix}_{s}"] for s in states)
        return f"{part * 100 / due:.1f}%"

    @property
    def receipt_rate(self) -> str:
        return self.rate("receipt", ReceiptState.ON_TIME, ReceiptState.LATE)

    @property
    def receipt_on_time_rate(self) -> str:
        return self.rate("receipt", ReceiptState.ON_TIME)

    @property
    def feedback_rate(self) -> str:
        return self.rate("feedback", FeedbackState.ON_TIME, FeedbackState.LATE)


def _aggregates(now) -> dict[str, Count]:
    out = {}
    for state in ReceiptState.values:
        out[f"receipt_{state}"] = Count("id", filter=receipt_q(state, now))
    for state in FeedbackState.values:
        out[f"feedback_{state}"] = Count("id", filter=feedback_q(state, now))
    out["total"] = Count("id")
    return out


def figures(*, actor: Actor, year: int | None = None) -> dict[str, list[RateRow]]:
    """The receipt and feedback counts of the receipts the actor sees, grouped by recipient
    organisation, by series (ad hoc bulletins as one group) and by year: three queries."""
    now = timezone.now()
    qs = visible_receipts(actor=actor)
    if year:
        qs = qs.filter(bulletin__year=year)
    agg = _aggregates(now)

    def rows(group: str, label: str | None) -> list[RateRow]:
        fields = [group, label] if label else [group]
        out = []
        for r in qs.values(*fields).annotate(**agg).order_by(*fields):
            counts = {k: r[k] for k in agg if k != "total"}
            name = r[label] if label else r[group]
            out.append(
                RateRow(key=r[group], label=str(name or ""), counts=counts, total=r["total"])
            )
        return out

    return {
        "by_organisation": rows("organisation_id", "organisation__name"),
        "by_series": rows("bulletin__series_id", "bulletin__series__name"),
        "by_year": rows("bulletin__year", None),
    }


def mine(actor: access.Actor, bulletin: Bulletin, *, signed: bool) -> list[Any]:
    """The recipient organisations the actor acts for on this bulletin: not yet signed
    (`signed` False), or signed without feedback yet."""
    orgs = receiving_org_ids(actor, bulletin.sensitivity)
    rows = [r for r in bulletin.recipients.all() if r.organisation_id in orgs]
    if signed:
        return [r.organisation for r in rows if r.signed_at and not r.feedback_at]
    return [r.organisation for r in rows if not r.signed_at]
