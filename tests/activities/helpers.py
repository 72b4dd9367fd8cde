"""Activities for tests, built directly (the services are tested on their own)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.personas import Personas
from wulian.core.activities.choices import ActivityKind, ParticipantRole
from wulian.core.activities.models import Activity, ActivityParticipant
from wulian.core.choices import Sensitivity


def make_activity(
    p: Personas,
    *,
    organiser: str = "congress_body",
    participants: tuple[tuple[str, str], ...] = (
        ("unit_a", ParticipantRole.PARTICIPANT),
        ("stationed_group", ParticipantRole.INVITED_WITNESS),
    ),
    sensitivity: str = Sensitivity.INTERNAL,
    starts_in: timedelta = timedelta(days=-1),
    **fields: Any,
) -> Activity:
    org = p.orgs[organiser]
    activity = Activity.objects.create(
        kind=fields.pop("kind", ActivityKind.RESEARCH_VISIT),
        title=fields.pop("title", "民生实事项目调研"),
        starts_at=timezone.now() + starts_in,
        place=fields.pop("place", "市民政局三楼会议室"),
        organiser=org,
        sensitivity=sensitivity,
        **fields,
    )
    ActivityParticipant.objects.create(
        activity=activity, organisation=org, role=ParticipantRole.ORGANISER
    )
    for name, role in participants:
        ActivityParticipant.objects.create(activity=activity, organisation=p.orgs[name], role=role)
    return activity


# --- Route-matrix rows: one activity organised by the congress body, with unit A and the
# stationed group taking part, one linked record and one attachment uploaded by the clerk. --


def activity_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_activity(p).pk}


def participant_kwargs(p: Personas) -> dict[str, Any]:
    activity = make_activity(p)
    unit_a = activity.participants.get(organisation=p.orgs["unit_a"])
    return {"pk": activity.pk, "participant_pk": unit_a.pk}


def link_kwargs(p: Personas) -> dict[str, Any]:
    from wulian.core.activities.services import activity_record_link

    activity = make_activity(p)
    link = activity_record_link(
        actor=p.users["congress_clerk"], activity_id=activity.pk, record=p.orgs["unit_a"]
    )
    return {"pk": activity.pk, "link_pk": link.pk}


def upload_kwargs(p: Personas) -> dict[str, Any]:
    return {"record_type": "activities.activity", "record_id": make_activity(p).pk}


def attachment_kwargs(p: Personas) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wulian.core.attachments.services import attachment_add

    att = attachment_add(
        actor=p.users["congress_clerk"],
        record=make_activity(p),
        upload=SimpleUploadedFile("调研报告.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    return {"pk": att.pk}
