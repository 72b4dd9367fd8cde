"""Reads of supervision activities, scoped in the database and with a constant number of
queries per page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from wulian.core import access, records
from wulian.core.access import Actor
from wulian.core.activities.models import Activity, ActivityParticipant, ActivityRecordLink


def _participants() -> Prefetch:
    return Prefetch(
        "participants",
        queryset=ActivityParticipant.objects.select_related("organisation", "person").order_by(
            "id"
        ),
    )


def activity_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet:
    """The activity ledger: what the actor may see, newest first, filtered by the shared
    FilterSet; organiser and participants joined (2 queries whatever the page size)."""
    from wulian.core.activities.filters import ActivityFilter

    qs = access.scope(actor, "activities.activity.view", Activity.objects.all())
    qs = qs.select_related("organiser").prefetch_related(_participants())
    qs = qs.order_by("-starts_at", "-id")
    return ActivityFilter(filters or {}, queryset=qs).qs


def activity_detail(*, actor: Actor, activity_id: int) -> Activity:
    activity = (
        Activity.objects.select_related("organiser", "created_by__person")
        .prefetch_related(
            _participants(),
            Prefetch(
                "record_links",
                queryset=ActivityRecordLink.objects.select_related("content_type").order_by("id"),
            ),
        )
        .get(pk=activity_id)
    )
    access.require(actor, "activities.activity.view", activity)
    return activity


@dataclass(frozen=True)
class LinkedRecord:
    link: ActivityRecordLink
    type_label: str
    record: Any  # None when it no longer exists or the actor may not see it
    label: str
    url: str


def linked_records(*, actor: Actor, activity: Activity) -> list[LinkedRecord]:
    """The records an activity concerns, one query per record type; a record the actor may
    not see is listed by its type only."""
    links = list(activity.record_links.all())
    by_type: dict[int, list[int]] = defaultdict(list)
    for link in links:
        by_type[link.content_type_id].append(link.object_id)
    found: dict[tuple[int, int], Any] = {}
    for ct_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        for pk, obj in model._default_manager.in_bulk(ids).items():
            found[(ct_id, pk)] = obj
    out = []
    for link in links:
        model = link.content_type.model_class()
        type_label = str(model._meta.verbose_name) if model else link.content_type.model
        obj = found.get((link.content_type_id, link.object_id))
        if obj is not None and not records.can_view(actor, obj):
            obj = None
        out.append(
            LinkedRecord(
                link=link,
                type_label=type_label,
                record=obj,
                label=str(obj) if obj is not None else "",
                url=record_url(obj) if obj is not None else "",
            )
        )
    return out


# Core records have no get_absolute_url; their pages by name.
_CORE_PAGES = {
    "core.organisation": "core:organisation_detail",
    "core.person": "core:person_detail",
}


def record_url(record: Any) -> str:
    get_url = getattr(record, "get_absolute_url", None)
    if get_url is not None:
        return get_url()
    name = _CORE_PAGES.get(records.record_label(record))
    return reverse(name, args=[record.pk]) if name else ""


def linkable_types() -> list[tuple[str, str]]:
    """Record types an activity may be linked to: those with a view rule (so that access to
    the linked record can be checked), except the activity's own parts and attachments."""
    from django.apps import apps

    registered = access.registered_actions()
    skip = {"attachments.attachment"}
    out = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in skip or records.view_action(model) not in registered:
            continue
        out.append((label, str(model._meta.verbose_name)))
    return sorted(out)


# --- Meetings (ADR 0023) ------------------------------------------------------------------


def _meeting_qs(decisions: Prefetch | str = "decisions") -> QuerySet:
    from wulian.core.activities.models import AgendaItem, Meeting, MeetingConvener

    return Meeting.objects.select_related("activity").prefetch_related(
        Prefetch(
            "conveners",
            queryset=MeetingConvener.objects.select_related("organisation").order_by(
                "position", "id"
            ),
        ),
        Prefetch(
            "agenda",
            queryset=AgendaItem.objects.select_related("presenter_org").order_by("position"),
        ),
        Prefetch(
            "activity__participants",
            queryset=ActivityParticipant.objects.select_related("organisation", "person").order_by(
                "id"
            ),
        ),
        decisions,
    )


def meeting_read(meeting_id: int) -> Any:
    """A meeting with its parts joined (for the API's answer after a meeting step)."""
    return _meeting_qs().get(pk=meeting_id)


def action_read(action_id: int) -> Any:
    from wulian.core.activities.models import ActionItem

    return ActionItem.objects.select_related("decision__meeting", "owner_org", "owner_person").get(
        pk=action_id
    )


@dataclass(frozen=True)
class MeetingView:
    meeting: Any
    conveners: list[Any]
    agenda: list[Any]
    documents: dict[int, list[Any]]  # agenda item id → its attachments
    decisions: list[Any]  # each with `.visible_actions`
    missing: list[str]  # conveners still to sign (names)


def meeting_view(*, actor: Actor, activity: Activity) -> MeetingView | None:
    """The meeting part of the activity page, in a constant number of queries: conveners,
    agenda (with each item's documents), decisions with their action items."""
    from wulian.core.activities.models import ActionItem, AgendaItem, Decision
    from wulian.core.attachments.models import Attachment

    decisions = Prefetch(
        "decisions",
        queryset=Decision.objects.order_by("position").prefetch_related(
            Prefetch(
                "actions",
                queryset=ActionItem.objects.select_related("owner_org", "owner_person").order_by(
                    "id"
                ),
            )
        ),
    )
    meeting = _meeting_qs(decisions).filter(activity=activity).first()
    if meeting is None:
        return None
    conveners = list(meeting.conveners.all())
    agenda = list(meeting.agenda.all())
    documents: dict[int, list[Any]] = defaultdict(list)
    if agenda:
        ct = ContentType.objects.get_for_model(AgendaItem)
        for att in Attachment.objects.filter(
            content_type=ct, object_id__in=[a.pk for a in agenda], removed_at__isnull=True
        ).order_by("id"):
            documents[att.object_id].append(att)
    missing = [
        c.organisation.display_name
        for c in conveners
        if c.signed_at is None or c.signed_version != meeting.version
    ]
    return MeetingView(
        meeting=meeting,
        conveners=conveners,
        agenda=agenda,
        documents=dict(documents),
        decisions=list(meeting.decisions.all()),
        missing=missing,
    )


def action_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet:
    """The cross-platform list of action items the actor may see, filtered by the shared
    FilterSet (owner, state, overdue); meeting and owner joined (1 query per page)."""
    from wulian.core.activities.filters import ActionItemFilter
    from wulian.core.activities.models import ActionItem

    qs = access.scope(actor, "activities.actionitem.view", ActionItem.objects.all())
    qs = qs.select_related("decision__meeting__activity", "owner_org", "owner_person")
    qs = qs.order_by("due_at", "id")
    return ActionItemFilter(filters or {}, queryset=qs).qs


def action_detail(*, actor: Actor, action_id: int) -> Any:
    action = action_read(action_id)
    access.require(actor, "activities.actionitem.view", action)
    return action


@dataclass(frozen=True)
class VisibleLink:
    type_label: str
    label: str
    url: str


def action_links(*, actor: Actor, action: Any) -> list[VisibleLink]:
    """The records an action item concerns that the actor may see. A record the actor may not
    see is left out altogether (not listed by its type): a clue's existence is not told."""
    from wulian.core.activities.models import ActionItemLink

    links = list(ActionItemLink.objects.filter(action=action).order_by("id"))
    by_type: dict[int, list[int]] = defaultdict(list)
    for link in links:
        by_type[link.content_type_id].append(link.object_id)
    out = []
    for ct_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        for obj in model._default_manager.filter(pk__in=ids).order_by("pk"):
            if records.can_view(actor, obj):
                out.append(
                    VisibleLink(
                        type_label=str(model._meta.verbose_name),
                        label=str(obj),
                        url=record_url(obj),
                    )
                )
    return out
