"""Reads of clues. Lists are scoped in the database (`clues.clue.view_status`: nobody else
learns that a clue exists) and never load the confidential columns."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from wulian.core import access, records
from wulian.core.access import Actor
from wulian.core.clues.filters import ClueFilter
from wulian.core.clues.models import CONTENT_FIELDS, Clue
from wulian.core.models import AuditEvent

# The audit codes of reading, kept off the record's timeline (they have their own list).
READ_ACTIONS = ("clues.clue.viewed", "clues.clue.status_viewed")
ANY_SUBJECT = "any"  # ?subject_organisation=any


def clue_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet:
    qs = access.scope(actor, "clues.clue.view_status", Clue.objects.all())
    qs = ClueFilter(filters or {}, queryset=qs).qs
    subject = str((filters or {}).get("subject_organisation") or "")
    if subject:
        # Whom a clue is about is its content: narrowed by it, the list keeps only the clues
        # whose content the person reads (a department's supervision profile links here).
        # `any`: every clue about someone in an organisation (the CDI dashboard's totals).
        qs = access.scope(actor, "clues.clue.view", qs)
        if subject == ANY_SUBJECT:
            qs = qs.filter(subject_organisation__isnull=False)
        elif subject.isdecimal():
            qs = qs.filter(subject_organisation_id=int(subject))
        else:
            qs = qs.none()
    return (
        qs.defer(*CONTENT_FIELDS, "feedback")
        .select_related("sending_org", "receiving_org", "subject_organisation")
        .order_by("-id")
    )


def clues_for_record(*, actor: Actor, record: Any) -> list[Clue]:
    """The clues that came from one record and that the actor may at least follow."""
    qs = Clue.objects.filter(
        source_type=records.reference(record)["content_type"], source_id=record.pk
    )
    return list(
        access.scope(actor, "clues.clue.view_status", qs)
        .defer(*CONTENT_FIELDS, "feedback")
        .select_related("sending_org", "receiving_org")
        .order_by("-id")
    )


def clue_timeline(*, clue: Clue, limit: int = 100) -> list[AuditEvent]:
    """The clue's trail without the reading events, newest first."""
    return list(
        AuditEvent.objects.filter(target_type="clues.clue", target_id=str(clue.pk))
        .exclude(action__in=READ_ACTIONS)
        .order_by("-seq")[:limit]
    )


def clue_reads(*, clue: Clue, limit: int = 50) -> list[AuditEvent]:
    """Who opened the clue, newest first (查阅记录)."""
    return list(
        AuditEvent.objects.filter(
            target_type="clues.clue", target_id=str(clue.pk), action__in=READ_ACTIONS
        ).order_by("-seq")[:limit]
    )
