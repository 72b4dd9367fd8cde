"""Activity services: each success path (new state, exactly one audit event with its code and
before/after) and each refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.activities.helpers import make_activity
from wulian.core.activities import services
from wulian.core.activities.choices import ActivityKind, ActivityState, ParticipantRole
from wulian.core.activities.models import Activity, ActivityParticipant, ActivityRecordLink
from wulian.core.choices import Role, Sensitivity
from wulian.core.errors import (
    AccessDenied,
    ConcurrentEdit,
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import AuditEvent, Membership

pytestmark = pytest.mark.django_db


class Events:
    """The audit events written after this point."""

    def __init__(self) -> None:
        self.after = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0

    def new(self) -> list[AuditEvent]:
        return list(AuditEvent.objects.filter(seq__gt=self.after).order_by("seq"))

    def one(self, action: str) -> AuditEvent:
        events = self.new()
        assert [e.action for e in events] == [action]
        return events[0]


def data(personas, **overrides):
    base = {
        "kind": ActivityKind.SPECIAL_INQUIRY,
        "title": "  关于城区养老服务设施建设的专题询问  ",
        "starts_at": timezone.now() + timedelta(days=7),
        "ends_at": timezone.now() + timedelta(days=7, hours=3),
        "place": "市人大常委会第一会议室",
        "sensitivity": Sensitivity.INTERNAL,
        "notes": "",
        "organiser_id": personas.orgs["congress_body"].pk,
    }
    base.update(overrides)
    return base


# --- Create -------------------------------------------------------------------------------


def test_create(personas):
    events = Events()
    activity = services.activity_create(actor=personas.congress_clerk, data=data(personas))

    activity.refresh_from_db()
    assert activity.title == "关于城区养老服务设施建设的专题询问"
    assert activity.state == ActivityState.PLANNED
    assert activity.version == 1
    assert activity.organiser == personas.orgs["congress_body"]
    assert activity.created_by == personas.congress_clerk
    [organiser] = activity.participants.all()
    assert (organiser.organisation_id, organiser.role) == (
        personas.orgs["congress_body"].pk,
        ParticipantRole.ORGANISER,
    )
    event = events.one("activities.activity.created")
    assert (event.target_type, event.target_id) == ("activities.activity", str(activity.pk))
    assert event.organisation_id_at_time == personas.orgs["congress_body"].pk
    assert event.before == ""
    assert event.after_data["title"] == "关于城区养老服务设施建设的专题询问"
    assert event.after_data["kind"] == "special_inquiry"
    assert event.after_data["organiser"] == "RD-DBGW"
    assert event.after_data["state"] == "planned"


@pytest.mark.parametrize(
    "who", ["unit_a", "court_clerk", "deputy", "expert", "sysadmin", "cdi_clue"]
)
def test_create_needs_a_staff_or_leader_seat(personas, who):
    events = Events()
    with pytest.raises(AccessDenied):
        services.activity_create(actor=personas.users[who], data=data(personas))
    assert not Activity.objects.exists() and not events.new()


def test_create_only_for_ones_own_organisation(personas):
    with pytest.raises(ValidationFailed) as exc:
        services.activity_create(
            actor=personas.congress_clerk,
            data=data(personas, organiser_id=personas.orgs["cdi"].pk),
        )
    assert "organiser" in exc.value.field_errors
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "   "}, "title"),
        ({"kind": "picnic"}, "kind"),
        ({"sensitivity": "top"}, "sensitivity"),
        ({"ends_at": timezone.now() - timedelta(days=30)}, "ends_at"),
        ({"organiser_id": None}, "organiser"),
        ({"title": "长" * 201}, "title"),
    ],
)
def test_create_refuses_bad_input_with_a_message_on_the_field(personas, overrides, field):
    events = Events()
    with pytest.raises(ValidationFailed) as exc:
        services.activity_create(actor=personas.congress_clerk, data=data(personas, **overrides))
    assert field in exc.value.field_errors
    assert not Activity.objects.exists() and not events.new()


# --- Update -------------------------------------------------------------------------------


def test_update_saves_only_what_changed(personas):
    activity = make_activity(personas)
    events = Events()
    services.activity_update(
        actor=personas.congress_clerk,
        activity_id=activity.pk,
        version=1,
        data={"place": "市民政局", "notes": "听取了市民政局的汇报。", "title": activity.title},
    )
    activity.refresh_from_db()
    assert (activity.place, activity.notes, activity.version) == (
        "市民政局",
        "听取了市民政局的汇报。",
        2,
    )
    event = events.one("activities.activity.updated")
    assert event.before_data == {"place": "市民政局三楼会议室", "notes": ""}
    assert event.after_data == {"place": "市民政局", "notes": "听取了市民政局的汇报。"}


def test_update_without_changes_writes_nothing(personas):
    activity = make_activity(personas)
    events = Events()
    services.activity_update(
        actor=personas.congress_clerk,
        activity_id=activity.pk,
        version=1,
        data={"place": activity.place},
    )
    activity.refresh_from_db()
    assert activity.version == 1 and not events.new()


def test_update_with_a_stale_version_is_refused(personas):
    activity = make_activity(personas)
    services.activity_update(
        actor=personas.congress_clerk, activity_id=activity.pk, version=1, data={"place": "甲"}
    )
    events = Events()
    with pytest.raises(ConcurrentEdit):
        services.activity_update(
            actor=personas.congress_clerk, activity_id=activity.pk, version=1, data={"place": "乙"}
        )
    activity.refresh_from_db()
    assert activity.place == "甲" and not events.new()


@pytest.mark.parametrize("who", ["unit_a", "stationed", "cdi_officer", "unit_b"])
def test_update_needs_the_organisers_staff(personas, who):
    """Participants and supervisors see the activity but do not manage it."""
    activity = make_activity(personas)
    with pytest.raises(AccessDenied):
        services.activity_update(
            actor=personas.users[who], activity_id=activity.pk, version=1, data={"place": "x"}
        )


def test_a_cancelled_activity_is_not_edited(personas):
    activity = make_activity(personas, state=ActivityState.CANCELLED)
    with pytest.raises(TransitionNotAllowed):
        services.activity_update(
            actor=personas.congress_clerk, activity_id=activity.pk, version=1, data={"place": "x"}
        )


# --- Hold and cancel ----------------------------------------------------------------------


def test_hold_records_who_attended(personas):
    activity = make_activity(personas)
    organiser, unit_a, stationed = activity.participants.order_by("id")
    events = Events()
    services.activity_hold(
        actor=personas.congress_clerk,
        activity_id=activity.pk,
        version=1,
        attended_participant_ids=[organiser.pk, stationed.pk],
    )
    activity.refresh_from_db()
    assert activity.state == ActivityState.HELD and activity.version == 2
    attended = dict(activity.participants.values_list("pk", "attended"))
    assert attended == {organiser.pk: True, unit_a.pk: False, stationed.pk: True}
    event = events.one("activities.activity.held")
    assert event.before_data == {"state": "planned"}
    assert event.after_data == {
        "state": "held",
        "attended_participants": sorted([organiser.pk, stationed.pk]),
    }


def test_an_activity_that_has_not_started_cannot_be_held(personas):
    activity = make_activity(personas, starts_in=timedelta(days=2))
    with pytest.raises(TransitionNotAllowed) as exc:
        services.activity_hold(actor=personas.congress_clerk, activity_id=activity.pk, version=1)
    assert "尚未开始" in exc.value.message


@pytest.mark.parametrize("state", [ActivityState.HELD, ActivityState.CANCELLED])
def test_only_a_planned_activity_is_held(personas, state):
    activity = make_activity(personas, state=state)
    with pytest.raises(TransitionNotAllowed):
        services.activity_hold(actor=personas.congress_clerk, activity_id=activity.pk, version=1)


def test_hold_refuses_participants_of_another_activity(personas):
    activity = make_activity(personas)
    other = make_activity(personas)
    foreign = other.participants.first()
    with pytest.raises(ValidationFailed):
        services.activity_hold(
            actor=personas.congress_clerk,
            activity_id=activity.pk,
            version=1,
            attended_participant_ids=[foreign.pk],
        )
    activity.refresh_from_db()
    assert activity.state == ActivityState.PLANNED


def test_hold_with_a_stale_version_is_refused(personas):
    activity = make_activity(personas)
    with pytest.raises(ConcurrentEdit):
        services.activity_hold(actor=personas.congress_clerk, activity_id=activity.pk, version=7)


def test_cancel(personas):
    activity = make_activity(personas, starts_in=timedelta(days=3))
    events = Events()
    services.activity_cancel(
        actor=personas.congress_clerk, activity_id=activity.pk, version=1, reason="防汛工作冲突"
    )
    activity.refresh_from_db()
    assert activity.state == ActivityState.CANCELLED
    assert activity.cancel_reason == "防汛工作冲突"
    assert activity.version == 2
    event = events.one("activities.activity.cancelled")
    assert event.before_data == {"state": "planned"}
    assert event.after_data == {"state": "cancelled", "cancel_reason": "防汛工作冲突"}


def test_cancel_needs_a_reason(personas):
    activity = make_activity(personas)
    with pytest.raises(ValidationFailed) as exc:
        services.activity_cancel(
            actor=personas.congress_clerk, activity_id=activity.pk, version=1, reason="  "
        )
    assert "reason" in exc.value.field_errors


def test_a_held_activity_cannot_be_cancelled(personas):
    activity = make_activity(personas, state=ActivityState.HELD)
    with pytest.raises(TransitionNotAllowed):
        services.activity_cancel(
            actor=personas.congress_clerk, activity_id=activity.pk, version=1, reason="x"
        )


def test_cancel_with_a_stale_version_is_refused(personas):
    activity = make_activity(personas)
    with pytest.raises(ConcurrentEdit):
        services.activity_cancel(
            actor=personas.congress_clerk, activity_id=activity.pk, version=2, reason="x"
        )


def test_cancel_needs_the_organisers_staff(personas):
    activity = make_activity(personas)
    with pytest.raises(AccessDenied):
        services.activity_cancel(
            actor=personas.stationed, activity_id=activity.pk, version=1, reason="x"
        )


# --- Participants ------------------------------------------------------------------------------


def test_add_a_participating_organisation(personas):
    activity = make_activity(personas, participants=())
    events = Events()
    p = services.activity_participant_add(
        actor=personas.congress_clerk,
        activity_id=activity.pk,
        organisation_id=personas.orgs["stationed_group"].pk,
        role=ParticipantRole.INVITED_WITNESS,
    )
    assert (p.activity, p.organisation, p.person, p.role) == (
        activity,
        personas.orgs["stationed_group"],
        None,
        "invited_witness",
    )
    event = events.one("activities.participant.added")
    assert event.target_id == str(activity.pk)
    assert event.after_data == {
        "participant": p.pk,
        "organisation": "JW-PZ",
        "organisation_name": "驻人大纪检监察组",
        "person": None,
        "role": "invited_witness",
        "attended": False,
    }
    activity.refresh_from_db()
    assert activity.version == 1  # participants do not make the activity form stale


def test_add_a_named_person_of_that_organisation(personas):
    activity = make_activity(personas, participants=())
    person = personas.unit_a.person
    p = services.activity_participant_add(
        actor=personas.congress_clerk,
        activity_id=activity.pk,
        organisation_id=personas.orgs["unit_a"].pk,
        person_id=person.pk,
        role=ParticipantRole.ATTENDEE,
    )
    assert p.person == person


def test_a_person_must_belong_to_the_organisation(personas):
    activity = make_activity(personas, participants=())
    with pytest.raises(ValidationFailed) as exc:
        services.activity_participant_add(
            actor=personas.congress_clerk,
            activity_id=activity.pk,
            organisation_id=personas.orgs["unit_b"].pk,
            person_id=personas.unit_a.person.pk,
            role=ParticipantRole.ATTENDEE,
        )
    assert "person" in exc.value.field_errors


def test_an_organisation_is_listed_once(personas):
    activity = make_activity(personas)  # unit_a already participates
    events = Events()
    with pytest.raises(ValidationFailed):
        services.activity_participant_add(
            actor=personas.congress_clerk,
            activity_id=activity.pk,
            organisation_id=personas.orgs["unit_a"].pk,
            role=ParticipantRole.PARTICIPANT,
        )
    assert activity.participants.count() == 3 and not events.new()


def test_a_bad_role_is_refused(personas):
    activity = make_activity(personas, participants=())
    with pytest.raises(ValidationFailed) as exc:
        services.activity_participant_add(
            actor=personas.congress_clerk,
            activity_id=activity.pk,
            organisation_id=personas.orgs["unit_b"].pk,
            role="spectator",
        )
    assert "role" in exc.value.field_errors


def test_participants_are_managed_by_the_organisers_staff(personas):
    activity = make_activity(personas)
    with pytest.raises(AccessDenied):
        services.activity_participant_add(
            actor=personas.unit_a,
            activity_id=activity.pk,
            organisation_id=personas.orgs["unit_b"].pk,
            role=ParticipantRole.PARTICIPANT,
        )


def test_remove_a_participant(personas):
    activity = make_activity(personas)
    unit_a = activity.participants.get(organisation=personas.orgs["unit_a"])
    events = Events()
    services.activity_participant_remove(actor=personas.congress_clerk, participant_id=unit_a.pk)
    assert not ActivityParticipant.objects.filter(pk=unit_a.pk).exists()
    event = events.one("activities.participant.removed")
    assert event.before_data["organisation"] == "ZF-MZ"
    assert event.after == ""


def test_the_organiser_cannot_be_removed(personas):
    activity = make_activity(personas)
    organiser = activity.participants.get(role=ParticipantRole.ORGANISER)
    with pytest.raises(RuleViolation):
        services.activity_participant_remove(
            actor=personas.congress_clerk, participant_id=organiser.pk
        )


def test_participants_of_a_cancelled_activity_are_frozen(personas):
    activity = make_activity(personas, state=ActivityState.CANCELLED)
    unit_a = activity.participants.get(organisation=personas.orgs["unit_a"])
    with pytest.raises(TransitionNotAllowed):
        services.activity_participant_remove(
            actor=personas.congress_clerk, participant_id=unit_a.pk
        )


# --- Linked records -----------------------------------------------------------------------------


def test_link_and_unlink_a_record(personas):
    activity = make_activity(personas)
    department = personas.orgs["unit_a"]
    events = Events()
    link = services.activity_record_link(
        actor=personas.congress_clerk, activity_id=activity.pk, record=department
    )
    assert link.record == department and link.linked_by == personas.congress_clerk
    event = events.one("activities.record.linked")
    assert event.after_data == {
        "link": link.pk,
        "record_type": "core.organisation",
        "record_id": department.pk,
        "record_label": str(department),
    }

    events = Events()
    services.activity_record_unlink(actor=personas.congress_clerk, link_id=link.pk)
    assert not ActivityRecordLink.objects.exists()
    event = events.one("activities.record.unlinked")
    assert event.before_data["record_type"] == "core.organisation"


def test_another_activity_may_be_linked_but_not_itself(personas):
    activity = make_activity(personas)
    earlier = make_activity(personas, kind=ActivityKind.INSPECTION, title="上次视察")
    services.activity_record_link(
        actor=personas.congress_clerk, activity_id=activity.pk, record=earlier
    )
    with pytest.raises(ValidationFailed):
        services.activity_record_link(
            actor=personas.congress_clerk, activity_id=activity.pk, record=activity
        )


def test_a_record_is_linked_once(personas):
    activity = make_activity(personas)
    org = personas.orgs["unit_a"]
    services.activity_record_link(
        actor=personas.congress_clerk, activity_id=activity.pk, record=org
    )
    with pytest.raises(ValidationFailed):
        services.activity_record_link(
            actor=personas.congress_clerk, activity_id=activity.pk, record=org
        )


def test_only_records_the_actor_may_see_are_linked(personas):
    """A unit's own staff organise an activity; they may not link another unit's activity
    they cannot see."""
    own = make_activity(personas, organiser="unit_a", participants=())
    hidden = make_activity(personas, organiser="unit_b", participants=())
    Membership.objects.filter(person=personas.unit_a.person).update(role=Role.STAFF)
    with pytest.raises(ValidationFailed) as exc:
        services.activity_record_link(actor=personas.unit_a, activity_id=own.pk, record=hidden)
    assert "无权查看" in exc.value.message
