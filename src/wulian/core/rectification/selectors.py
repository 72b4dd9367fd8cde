"""Reads of findings and rectification: scoped in the database by the access rules, with the
joins a page needs so that a list costs the same number of queries for 1 row as for 1,000."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from wulian.core import access, keyset, records
from wulian.core.access import Actor
from wulian.core.models import AuditEvent
from wulian.core.rectification.filters import RectificationFilter, live_deadlines
from wulian.core.rectification.models import Finding, ProgressReport, Rectification


def with_deadline(qs: QuerySet) -> QuerySet:
    """Each row's earliest live deadline (`due_at`) and whether one is past (`is_overdue`)."""
    live = live_deadlines()
    return qs.annotate(
        due_at=Subquery(live.order_by("due_at").values("due_at")[:1]),
        is_overdue=Exists(live.filter(due_at__lt=timezone.now())),
    )


def rectification_ledger(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet:
    """整改台账: every rectification the actor may see, newest first, filtered by the shared
    FilterSet; finding, organisations and the live deadline joined in one query."""
    qs = access.scope(actor, "rectification.rectification.view", Rectification.objects.all())
    qs = RectificationFilter(filters or {}, queryset=qs).qs
    qs = qs.select_related(
        "finding", "finding__about_organisation", "responsible_org", "raising_org"
    )
    return with_deadline(qs).order_by("-id")


LEDGER_COLUMNS = (
    ("pk", "id"),
    ("title", "finding__title"),
    ("severity", "finding__severity"),
    ("sensitivity", "finding__sensitivity"),
    ("found_at", "finding__found_at"),
    ("responsible_name", "responsible_org__name"),
    ("responsible_short_name", "responsible_org__short_name"),
    ("raising_name", "raising_org__name"),
    ("raising_short_name", "raising_org__short_name"),
    ("state", "state"),
    ("due_at", "due_at"),
    ("is_overdue", "is_overdue"),
)


class LedgerRow(keyset.TupleRow):
    """A row of 整改台账 (`rectification_tags.rectification_rows`), one tuple."""

    COLUMNS = LEDGER_COLUMNS
    __slots__ = keyset.slots(LEDGER_COLUMNS)


def ledger_rows(qs: QuerySet) -> QuerySet:
    """`rectification_ledger(…)` as the ledger's rows (`LedgerRow`s), still a queryset."""
    return keyset.tuple_rows(qs, LedgerRow)


def rectification_detail(*, actor: Actor, rectification_id: int) -> Rectification:
    rect = with_deadline(
        Rectification.objects.select_related(
            "finding",
            "finding__about_organisation",
            "finding__found_by_org",
            "finding__found_by",
            "responsible_org",
            "raising_org",
            "committed_by__person",
            "closed_by__person",
        )
    ).get(pk=rectification_id)
    access.require(actor, "rectification.rectification.view", rect)
    return rect


@dataclass
class ReportRow:
    report: ProgressReport
    evidence: list[Any] = field(default_factory=list)


def progress_reports(*, rectification: Rectification) -> list[ReportRow]:
    """The reports of a rectification the page has shown, each with its evidence files (two
    queries whatever the number of reports and files)."""
    from wulian.core.attachments.models import Attachment

    reports = list(
        ProgressReport.objects.filter(rectification=rectification)
        .select_related("author__person", "author_org")
        .order_by("reported_at", "id")
    )
    files: dict[int, list[Any]] = defaultdict(list)
    if reports:
        ct = ContentType.objects.get_for_model(ProgressReport)
        for att in Attachment.objects.filter(
            content_type=ct, object_id__in=[r.pk for r in reports], removed_at__isnull=True
        ).order_by("uploaded_at", "id"):
            files[att.object_id].append(att)
    return [ReportRow(report=r, evidence=files[r.pk]) for r in reports]


def rectification_timeline(*, rectification: Rectification, limit: int = 100) -> list[AuditEvent]:
    """The audit events of a rectification and of its progress reports, newest first."""
    report_ids = [
        str(pk)
        for pk in ProgressReport.objects.filter(rectification=rectification).values_list(
            "pk", flat=True
        )
    ]
    where = Q(target_type="rectification.rectification", target_id=str(rectification.pk))
    if report_ids:
        where |= Q(target_type="rectification.progressreport", target_id__in=report_ids)
    return list(AuditEvent.objects.filter(where).order_by("-seq")[:limit])


def finding_detail(*, actor: Actor, finding_id: int) -> Finding:
    finding = (
        Finding.objects.select_related(
            "about_organisation", "found_by_org", "found_by", "raised_by__person", "content_type"
        )
        .prefetch_related(
            Prefetch(
                "rectifications",
                queryset=with_deadline(
                    Rectification.objects.select_related("responsible_org")
                ).order_by("id"),
            )
        )
        .get(pk=finding_id)
    )
    access.require(actor, "rectification.finding.view", finding)
    return finding


def visible_rectifications(*, actor: Actor, finding: Finding) -> list[Rectification]:
    """A finding's rectifications the actor may see (a unit sees only its own)."""
    return [
        r
        for r in finding.rectifications.all()
        if access.can(actor, "rectification.rectification.view", r)
    ]


def findings_for_record(*, actor: Actor, record: Any) -> list[Finding]:
    """The findings raised on one record that the actor may see, each with the rectifications
    the actor may see (two queries)."""
    qs = access.scope(
        actor, "rectification.finding.view", Finding.objects.filter(**records.reference(record))
    )
    rects = access.scope(
        actor,
        "rectification.rectification.view",
        Rectification.objects.select_related("responsible_org"),
    )
    return list(
        qs.select_related("found_by_org", "about_organisation")
        .prefetch_related(Prefetch("rectifications", queryset=with_deadline(rects).order_by("id")))
        .order_by("-found_at", "-id")
    )
