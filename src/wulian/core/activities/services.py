"""Writes of supervision activities: create, update, hold, cancel; participants; the records
an activity concerns.

Each service: check access → lock the activity → validate → save only what changed → one
audit event about the activity in the same transaction. Edits of the activity itself carry the
version the person read; a stale one is refused with ConcurrentEdit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wulian.core import access, audit, records, versioned
from wulian.core.access import Actor
from wulian.core.activities.choices import (
    MEETING_KINDS,
    TRANSITIONS,
    ActivityState,
    ParticipantRole,
)
from wulian.core.activities.models import (
    Activity,
    ActivityParticipant,
    ActivityRecordLink,
    Meeting,
)
from wulian.core.choices import Sensitivity
from wulian.core.errors import (
    ConcurrentEdit,
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import Membership, Organisation, Person
from wulian.core.servicekit import fail as _fail

# The fields a person edits on the activity form.
ACTIVITY_FIELDS = ("kind", "title", "starts_at", "ends_at", "place", "sensitivity", "notes")


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def snapshot(activity: Activity) -> dict[str, Any]:
    return {f: _json(getattr(activity, f)) for f in ACTIVITY_FIELDS}


def _stale() -> ConcurrentEdit:
    return ConcurrentEdit(_("该活动已被他人修改，您的修改未保存。请刷新页面查看最新内容后再修改。"))


def _clean(activity: Activity) -> None:
    """Model validation plus the rules with their own messages."""
    activity.title = (activity.title or "").strip()
    activity.place = (activity.place or "").strip()
    errors: dict[str, list[str]] = {}
    if activity.starts_at and activity.ends_at and activity.ends_at < activity.starts_at:
        errors["ends_at"] = [_("结束时间不能早于开始时间。")]
    try:
        activity.full_clean(exclude=["organiser", "created_by"], validate_constraints=False)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationFailed(_("保存失败，请按提示更正。"), field_errors=errors)


def _require_state(activity: Activity, *allowed: str, message: str) -> None:
    if activity.state not in allowed:
        raise TransitionNotAllowed(message)


def _not_cancelled(activity: Activity) -> None:
    _require_state(
        activity,
        ActivityState.PLANNED,
        ActivityState.HELD,
        message=_("该活动已取消，不能再修改。"),
    )


def _locked(activity_id: int) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity_id)


# --- The activity ------------------------------------------------------------------------


def activity_create(*, actor: Actor, data: dict[str, Any]) -> Activity:
    """Create a planned activity organised by one of the actor's organisations; the organiser
    is its first participant."""
    actor = access.require(actor, "activities.activity.create")
    organiser = Organisation.objects.filter(pk=data.get("organiser_id"), is_active=True).first()
    if organiser is None:
        raise _fail(_("请选择组织单位。"), "organiser")
    if not access.can(actor, "activities.activity.create", organiser):
        raise _fail(_("只能以本人任职（工作人员或负责人）的单位作为组织单位。"), "organiser")
    activity = Activity(
        organiser=organiser,
        created_by=actor.user,
        **{k: data[k] for k in ACTIVITY_FIELDS if k in data},
    )
    _clean(activity)
    with transaction.atomic():
        activity.save(force_insert=True)
        ActivityParticipant.objects.create(
            activity=activity, organisation=organiser, role=ParticipantRole.ORGANISER
        )
        if activity.kind in MEETING_KINDS:
            from wulian.core.activities.meeting_services import meeting_open

            meeting_open(activity=activity)
        audit.event(
            actor,
            "activities.activity.created",
            activity,
            organiser.pk,
            after={**snapshot(activity), "organiser": organiser.code, "state": activity.state},
        )
    return activity


def activity_update(
    *, actor: Actor, activity_id: int, version: int, data: dict[str, Any]
) -> Activity:
    activity = Activity.objects.get(pk=activity_id)
    actor = access.require(actor, "activities.activity.manage", activity)
    with transaction.atomic():
        activity = _locked(activity_id)
        if activity.version != version:
            raise _stale()
        _not_cancelled(activity)
        before = snapshot(activity)
        for key in ACTIVITY_FIELDS:
            if key in data:
                setattr(activity, key, data[key])
        _clean(activity)
        old, new = audit.diff(before, snapshot(activity))
        if not new:
            return activity
        activity.version += 1
        activity.save(update_fields=[*new, "version", "updated_at"])
        if (
            activity.kind in MEETING_KINDS
            and not Meeting.objects.filter(activity=activity).exists()
        ):
            from wulian.core.activities.meeting_services import meeting_open

            meeting_open(activity=activity)
        audit.event(
            actor,
            "activities.activity.updated",
            activity,
            activity.organiser_id,
            before=old,
            after=new,
        )
    return activity


def activity_hold(
    *,
    actor: Actor,
    activity_id: int,
    version: int,
    attended_participant_ids: Iterable[int] | None = None,
) -> Activity:
    """Mark a planned activity as held, with who actually attended (participant ids; None
    leaves the attendance as it is)."""
    activity = Activity.objects.get(pk=activity_id)
    actor = access.require(actor, "activities.activity.manage", activity)
    with transaction.atomic():
        activity = _locked(activity_id)
        if activity.version != version:
            raise _stale()
        if ActivityState.HELD not in TRANSITIONS[activity.state]:
            raise TransitionNotAllowed(
                _("该活动当前为“%(state)s”，不能标记为已举行。")
                % {"state": activity.get_state_display()}
            )
        if activity.starts_at > timezone.now():
            raise TransitionNotAllowed(
                _("活动尚未开始（开始时间 %(at)s），不能标记为已举行。")
                % {"at": date_format(timezone.localtime(activity.starts_at), "Y-m-d H:i")}
            )
        participants = activity.participants.all()
        attended: list[int] = []
        if attended_participant_ids is not None:
            wanted = {int(i) for i in attended_participant_ids}
            known = set(participants.values_list("pk", flat=True))
            if not wanted <= known:
                raise _fail(_("出席名单中有不属于本活动的参加单位。"), "attended")
            participants.filter(pk__in=wanted).update(attended=True)
            participants.exclude(pk__in=wanted).update(attended=False)
            attended = sorted(wanted)
        versioned.save(activity, state=ActivityState.HELD)
        audit.event(
            actor,
            "activities.activity.held",
            activity,
            activity.organiser_id,
            before={"state": ActivityState.PLANNED},
            after={"state": ActivityState.HELD, "attended_participants": attended},
        )
    return activity


def activity_cancel(*, actor: Actor, activity_id: int, version: int, reason: str) -> Activity:
    activity = Activity.objects.get(pk=activity_id)
    actor = access.require(actor, "activities.activity.manage", activity)
    reason = (reason or "").strip()
    if not reason:
        raise _fail(_("请填写取消原因。"), "reason")
    if len(reason) > 500:
        raise _fail(_("取消原因不能超过 500 个字。"), "reason")
    with transaction.atomic():
        activity = _locked(activity_id)
        if activity.version != version:
            raise _stale()
        if ActivityState.CANCELLED not in TRANSITIONS[activity.state]:
            raise TransitionNotAllowed(
                _("该活动当前为“%(state)s”，不能取消。") % {"state": activity.get_state_display()}
            )
        versioned.save(activity, state=ActivityState.CANCELLED, cancel_reason=reason)
        audit.event(
            actor,
            "activities.activity.cancelled",
            activity,
            activity.organiser_id,
            before={"state": ActivityState.PLANNED},
            after={"state": ActivityState.CANCELLED, "cancel_reason": reason},
        )
    return activity


# --- Participants -------------------------------------------------------------------------


def _participant_data(p: ActivityParticipant) -> dict[str, Any]:
    return {
        "participant": p.pk,
        "organisation": p.organisation.code,
        "organisation_name": p.organisation.name,
        "person": p.person.name if p.person_id else None,
        "role": p.role,
        "attended": p.attended,
    }


def activity_participant_add(
    *,
    actor: Actor,
    activity_id: int,
    organisation_id: int,
    role: str,
    person_id: int | None = None,
) -> ActivityParticipant:
    """Add an organisation (and optionally one of its people) to the activity."""
    activity = Activity.objects.get(pk=activity_id)
    actor = access.require(actor, "activities.activity.manage", activity)
    if role not in ParticipantRole.values:
        raise _fail(_("请选择有效的参加身份。"), "role")
    organisation = Organisation.objects.filter(pk=organisation_id, is_active=True).first()
    if organisation is None:
        raise _fail(_("请选择参加单位。"), "organisation")
    person = None
    if person_id is not None:
        person = Person.objects.filter(pk=person_id, is_active=True).first()
        if person is None or not access.can(actor, "core.person.view", person):
            raise _fail(_("所选人员不存在或您无权查看。"), "person")
        if not Membership.objects.filter(
            person=person, organisation=organisation, is_active=True
        ).exists():
            raise _fail(
                _("%(name)s 不在%(org)s任职，请选择该单位的人员或不选人员。")
                % {"name": person.name, "org": organisation.display_name},
                "person",
            )
    with transaction.atomic():
        activity = _locked(activity_id)
        _not_cancelled(activity)
        same = ActivityParticipant.objects.filter(activity=activity)
        same = (
            same.filter(person=person)
            if person
            else same.filter(organisation=organisation, person=None)
        )
        if same.exists():
            raise _fail(_("该单位（人员）已在参加名单中。"), "organisation")
        try:
            with transaction.atomic():
                participant = ActivityParticipant.objects.create(
                    activity=activity, organisation=organisation, person=person, role=role
                )
        except IntegrityError:
            raise _fail(_("该单位（人员）已在参加名单中。"), "organisation") from None
        audit.event(
            actor,
            "activities.participant.added",
            activity,
            activity.organiser_id,
            after=_participant_data(participant),
        )
    return participant


def activity_participant_remove(*, actor: Actor, participant_id: int) -> None:
    participant = ActivityParticipant.objects.select_related(
        "activity", "organisation", "person"
    ).get(pk=participant_id)
    actor = access.require(actor, "activities.activity.manage", participant.activity)
    with transaction.atomic():
        activity = _locked(participant.activity_id)
        _not_cancelled(activity)
        if (
            participant.role == ParticipantRole.ORGANISER
            and participant.organisation_id == activity.organiser_id
            and participant.person_id is None
        ):
            raise RuleViolation(_("组织单位不能从参加名单中移除。"))
        before = _participant_data(participant)
        participant.delete()
        audit.event(
            actor, "activities.participant.removed", activity, activity.organiser_id, before=before
        )


# --- Records the activity concerns -------------------------------------------------------


def _link_data(link: ActivityRecordLink, record: Any) -> dict[str, Any]:
    return {
        "link": link.pk,
        "record_type": records.record_label(record),
        "record_id": record.pk,
        "record_label": str(record)[:200],
    }


def activity_record_link(*, actor: Actor, activity_id: int, record: Any) -> ActivityRecordLink:
    """Link a record the actor may see (a suggestion, a project, a department …)."""
    activity = Activity.objects.get(pk=activity_id)
    actor = access.require(actor, "activities.activity.manage", activity)
    if isinstance(record, Activity) and record.pk == activity.pk:
        raise _fail(_("活动不能关联它自身。"), "record")
    if not records.can_view(actor, record):
        raise _fail(_("所选记录不存在或您无权查看。"), "record")
    if getattr(record, "sensitivity", None) == Sensitivity.CONFIDENTIAL:
        # Other viewers of the activity would learn that the record exists.
        raise _fail(_("机密记录（如问题线索）不能关联到活动。"), "record")
    ref = records.reference(record)
    with transaction.atomic():
        activity = _locked(activity_id)
        _not_cancelled(activity)
        if ActivityRecordLink.objects.filter(activity=activity, **ref).exists():
            raise _fail(_("该记录已关联到本活动。"), "record")
        link = ActivityRecordLink.objects.create(
            activity=activity, linked_by=actor.user, linked_at=timezone.now(), **ref
        )
        audit.event(
            actor,
            "activities.record.linked",
            activity,
            activity.organiser_id,
            after=_link_data(link, record),
        )
    return link


def activity_record_unlink(*, actor: Actor, link_id: int) -> None:
    link = ActivityRecordLink.objects.select_related("activity", "content_type").get(pk=link_id)
    actor = access.require(actor, "activities.activity.manage", link.activity)
    with transaction.atomic():
        activity = _locked(link.activity_id)
        _not_cancelled(activity)
        record = link.record
        before = (
            _link_data(link, record)
            if record is not None
            else {"link": link.pk, "record_id": link.object_id}
        )
        link.delete()
        audit.event(
            actor, "activities.record.unlinked", activity, activity.organiser_id, before=before
        )
