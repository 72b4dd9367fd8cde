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
