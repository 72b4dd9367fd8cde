"""Reads of deadlines and the holiday calendar."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Prefetch, Q

from wulian.core import access, records
from wulian.core.access import Actor
from wulian.core.deadlines.choices import LIVE_STATES
from wulian.core.deadlines.models import CalendarDay, CalendarYear, Deadline, ExtensionRequest


def live_deadline(record: Any, kind: str) -> Deadline | None:
    """The record's live (open or paused) deadline of this kind, the newest if several: the one
    a service meets, cancels or moves when the record's step is taken."""
    return (
        Deadline.objects.filter(**records.reference(record), kind=kind, state__in=LIVE_STATES)
        .order_by("-id")
        .first()
    )


def deadlines_for_record(*, record: Any) -> list[Deadline]:
    """All deadlines of one record with their extension requests (two queries). The caller
    has checked that the person may see the record."""
    return list(
        Deadline.objects.filter(**records.reference(record))
        .select_related("responsible_org", "assigner_org", "responsible_user")
        .prefetch_related(
            Prefetch(
                "extensions",
                queryset=ExtensionRequest.objects.select_related("requested_by", "decided_by"),
            )
        )
        .order_by(F("closed_at").asc(nulls_first=True), "due_at", "id")
    )


def deadline_detail(*, actor: Actor, deadline_id: int) -> Deadline:
    deadline = (
        Deadline.objects.select_related("responsible_org", "assigner_org", "responsible_user")
        .prefetch_related(
            "escalate_to",
            "points",
            Prefetch(
                "extensions",
                queryset=ExtensionRequest.objects.select_related("requested_by", "decided_by"),
            ),
        )
        .get(pk=deadline_id)
    )
    access.require(actor, "deadlines.deadline.view", deadline)
    return deadline


def calendar_years(*, actor: Actor) -> list[CalendarYear]:
    access.require(actor, "deadlines.calendar.manage")
    return list(
        CalendarYear.objects.annotate(
            holidays=Count("days", filter=Q(days__kind="holiday")),
            makeups=Count("days", filter=Q(days__kind="makeup_workday")),
        ).order_by("-year")
    )


def calendar_days(*, actor: Actor, year: int) -> list[CalendarDay]:
    access.require(actor, "deadlines.calendar.manage")
    return list(CalendarDay.objects.filter(date__year=year).order_by("date"))
