"""Meeting services (ADR 0023): each success path (new state, exactly one audit event with its
code) and each refusal — no access, wrong state, bad input — with nothing half-saved."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from tests.activities.meeting_helpers import leaders, make_meeting, participant_of
from tests.activities.test_services import Events
from wulian.core.access import actor_for
from wulian.core.activities import meeting_services as ms
from wulian.core.activities import services
from wulian.core.activities.choices import (
    DEADLINE_ACTION,
    ActionState,
    ActivityKind,
    Attendance,
    MinutesState,
)
from wulian.core.activities.models import ActionItem, ActionItemLink, Meeting, MeetingConvener
from wulian.core.choices import Sensitivity
from wulian.core.clues.choices import ClueState
from wulian.core.deadlines.models import Deadline
from wulian.core.errors import (
    AccessDenied,
    ConcurrentEdit,
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import AuditEvent

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
APRIL_1 = datetime(2026, 4, 1, 9, 0, tzinfo=SH)


def _clerk(p):
    return actor_for(p.congress_clerk)


def _meeting(activity) -> Meeting:
    return Meeting.objects.get(activity=activity)


# --- A meeting comes with its activity ------------------------------------------------------


def _create(p, kind: str):
    return services.activity_create(
        actor=_clerk(p),
        data={
            "kind": kind,
            "title": "联席会议",
            "starts_at": timezone.now() + timedelta(days=3),
            "sensitivity": Sensitivity.INTERNAL,
            "organiser_id": p.orgs["congress_body"].pk,
        },
    )


def test_creating_a_joint_meeting_opens_its_meeting_convened_by_the_organiser(personas):
    p = personas
    activity = _create(p, ActivityKind.JOINT_MEETING)
    meeting = _meeting(activity)
    assert meeting.minutes_state == MinutesState.NONE
    assert [c.organisation for c in meeting.conveners.all()] == [p.orgs["congress_body"]]


def test_a_research_visit_is_not_a_meeting(personas):
    p = personas
    activity = _create(p, ActivityKind.RESEARCH_VISIT)
    with pytest.raises(TransitionNotAllowed, match="不是会议"):
        ms.decision_add(actor=_clerk(p), activity_id=activity.pk, text="x")


# --- Conveners, agenda, attendance ---------------------------------------------------------


def test_convener_add_joins_the_participants(personas):
    p = personas
    activity = make_meeting(p)
    events = Events()
    ms.meeting_convener_add(
        actor=_clerk(p), activity_id=activity.pk, organisation_id=p.orgs["gov_office"].pk
    )
    events.one("activities.meeting.convener_added")
    assert _meeting(activity).conveners.count() == 3
    assert activity.participants.filter(organisation=p.orgs["gov_office"]).exists()


def test_convener_add_refusals(personas):
    p = personas
    activity = make_meeting(p)
    with pytest.raises(AccessDenied):
        ms.meeting_convener_add(
            actor=actor_for(p.unit_a), activity_id=activity.pk, organisation_id=p.orgs["unit_a"].pk
        )
    with pytest.raises(ValidationFailed, match="已是召集单位"):
        ms.meeting_convener_add(
            actor=_clerk(p), activity_id=activity.pk, organisation_id=p.orgs["cdi"].pk
        )
    Meeting.objects.filter(activity=activity).update(
        minutes_state=MinutesState.ISSUED, minutes_number=1, minutes_issued_at=timezone.now()
    )
    with pytest.raises(TransitionNotAllowed, match="已印发"):
        ms.meeting_convener_add(
            actor=_clerk(p), activity_id=activity.pk, organisation_id=p.orgs["unit_b"].pk
        )


def test_agenda_items_are_numbered_in_order(personas):
    p = personas
    activity = make_meeting(p)
    events = Events()
    first = ms.meeting_agenda_add(
        actor=_clerk(p),
        activity_id=activity.pk,
        title="  听取整改情况汇报 ",
        presenter_org_id=p.orgs["unit_a"].pk,
        presenter="局长",
    )
    second = ms.meeting_agenda_add(actor=_clerk(p), activity_id=activity.pk, title="讨论")
    assert (first.position, first.title, second.position) == (1, "听取整改情况汇报", 2)
    assert [e.action for e in events.new()] == ["activities.meeting.agenda_added"] * 2
    with pytest.raises(ValidationFailed) as exc:
        ms.meeting_agenda_add(actor=_clerk(p), activity_id=activity.pk, title="  ")
    assert "title" in exc.value.field_errors


def test_attendance_excused_needs_its_reason(personas):
    p = personas
    activity = make_meeting(p)
    unit = participant_of(activity, p.orgs["unit_a"])
    with pytest.raises(ValidationFailed, match="请假事由") as exc:
        ms.meeting_attendance(
            actor=_clerk(p),
            activity_id=activity.pk,
            participant_id=unit.pk,
            attendance=Attendance.EXCUSED,
        )
    assert "reason" in exc.value.field_errors
    with pytest.raises(ValidationFailed, match="只有请假"):
        ms.meeting_attendance(
            actor=_clerk(p),
            activity_id=activity.pk,
            participant_id=unit.pk,
            attendance=Attendance.PRESENT,
            reason="出差",
        )
    events = Events()
    ms.meeting_attendance(
        actor=_clerk(p),
        activity_id=activity.pk,
        participant_id=unit.pk,
        attendance=Attendance.EXCUSED,
        reason="参加省厅会议",
    )
    event = events.one("activities.meeting.attendance_recorded")
    assert event.after_data["excuse_reason"] == "参加省厅会议"
    unit.refresh_from_db()
    assert (unit.attendance, unit.attended) == (Attendance.EXCUSED, False)


def test_attendance_of_another_meetings_participant_is_refused(personas):
    p = personas
    activity, other = make_meeting(p), make_meeting(p)
    with pytest.raises(ValidationFailed, match="不在本会议"):
        ms.meeting_attendance(
            actor=_clerk(p),
            activity_id=activity.pk,
            participant_id=participant_of(other, p.orgs["unit_a"]).pk,
            attendance=Attendance.PRESENT,
        )


# --- Minutes: draft, co-sign, issue ------------------------------------------------------------


def test_minutes_save_needs_a_held_meeting_and_the_version_read(personas):
    p = personas
    planned = make_meeting(p, held=False, minutes=False)
    with pytest.raises(TransitionNotAllowed, match="已举行"):
        ms.minutes_save(actor=_clerk(p), activity_id=planned.pk, version=1, title="纪要", body="x")
    activity = make_meeting(p, minutes=False)
    with pytest.raises(ConcurrentEdit):
        ms.minutes_save(actor=_clerk(p), activity_id=activity.pk, version=7, title="纪要", body="x")
    with pytest.raises(AccessDenied):
        ms.minutes_save(
            actor=actor_for(p.cdi_officer),
            activity_id=activity.pk,
            version=1,
            title="纪要",
            body="x",
        )
    events = Events()
    meeting = ms.minutes_save(
        actor=_clerk(p), activity_id=activity.pk, version=1, title="纪要", body="一、议定"
    )
    events.one("activities.minutes.saved")
    assert (meeting.minutes_state, meeting.version) == (MinutesState.DRAFT, 2)


def test_both_sides_cosign_then_the_minutes_are_issued_with_a_number(personas):
    p = personas
    congress_head, cdi_head = leaders(p)
    activity = make_meeting(p)
    version = _meeting(activity).version
    with pytest.raises(RuleViolation, match="尚缺") as exc:
        ms.minutes_issue(actor=_clerk(p), activity_id=activity.pk, version=version)
    assert "代表工委、市纪委监委" in exc.value.message
    events = Events()
    ms.minutes_sign(actor=actor_for(cdi_head), activity_id=activity.pk, version=version)
    assert events.one("activities.minutes.signed").after_data["still_missing"] == ["代表工委"]
    with pytest.raises(RuleViolation) as exc:
        ms.minutes_issue(actor=_clerk(p), activity_id=activity.pk, version=version)
    assert "尚缺代表工委负责人的会签" in exc.value.message
    assert _meeting(activity).minutes_state == MinutesState.DRAFT
    ms.minutes_sign(actor=actor_for(congress_head), activity_id=activity.pk, version=version)
    events = Events()
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SH), tick=False):
        meeting = ms.minutes_issue(actor=_clerk(p), activity_id=activity.pk, version=version)
    events.one("activities.minutes.issued")
    assert meeting.minutes_state == MinutesState.ISSUED
    assert meeting.number_label == "〔2026〕第1号"
    with pytest.raises(TransitionNotAllowed, match="已印发"):
        ms.minutes_issue(actor=_clerk(p), activity_id=activity.pk, version=version)
    with pytest.raises(TransitionNotAllowed, match="已印发"):
        ms.minutes_save(
            actor=_clerk(p), activity_id=activity.pk, version=version, title="纪要", body="改"
        )


def test_sign_refusals(personas):
    p = personas
    _congress_head, cdi_head = leaders(p)
    activity = make_meeting(p)
    version = _meeting(activity).version
    with pytest.raises(AccessDenied):  # staff, not a leader
        ms.minutes_sign(actor=_clerk(p), activity_id=activity.pk, version=version)
    with pytest.raises(ConcurrentEdit):
        ms.minutes_sign(actor=actor_for(cdi_head), activity_id=activity.pk, version=version + 1)
    ms.minutes_sign(actor=actor_for(cdi_head), activity_id=activity.pk, version=version)
    with pytest.raises(TransitionNotAllowed, match="无需重复会签"):
        ms.minutes_sign(actor=actor_for(cdi_head), activity_id=activity.pk, version=version)
    undrafted = make_meeting(p, minutes=False)
    with pytest.raises(TransitionNotAllowed, match="尚未起草"):
        ms.minutes_sign(actor=actor_for(cdi_head), activity_id=undrafted.pk, version=1)


def test_editing_signed_minutes_clears_the_signatures(personas):
    p = personas
    _congress_head, cdi_head = leaders(p)
    activity = make_meeting(p)
    version = _meeting(activity).version
    ms.minutes_sign(actor=actor_for(cdi_head), activity_id=activity.pk, version=version)
    events = Events()
    ms.minutes_save(
        actor=_clerk(p), activity_id=activity.pk, version=version, title="纪要", body="二、改写"
    )
    assert events.one("activities.minutes.saved").after_data["signatures_cleared"] == ["市纪委监委"]
    assert not MeetingConvener.objects.filter(signed_at__isnull=False).exists()


# --- Decisions and action items ------------------------------------------------------------


def _decision(p, activity):
    return ms.decision_add(actor=_clerk(p), activity_id=activity.pk, text="限期整改")


@time_machine.travel(APRIL_1, tick=False)
def test_action_by_working_days_opens_a_deadline_escalating_to_the_conveners(personas):
    p = personas
    activity = make_meeting(p, action=False)
    decision = _decision(p, activity)
    events = Events()
    action = ms.action_add(
        actor=_clerk(p),
        activity_id=activity.pk,
        decision_id=decision.pk,
        title="完成整改",
        owner_org_id=p.orgs["unit_a"].pk,
        working_days=5,
    )
    assert [e.action for e in events.new()] == [
        "deadlines.deadline.opened",
        "activities.action.assigned",
    ]
    deadline = Deadline.objects.get(kind=DEADLINE_ACTION, object_id=action.pk)
    # 5 working days from Wednesday 1 April 2026 (清明 on Saturday 4 April and Monday 6 April).
    assert timezone.localtime(deadline.due_at).date() == date(2026, 4, 9)
    assert action.due_at == deadline.due_at
    assert set(deadline.escalate_to.values_list("pk", flat=True)) == {
        p.orgs["congress_body"].pk,
        p.orgs["cdi"].pk,
    }


@time_machine.travel(APRIL_1, tick=False)
def test_action_by_calendar_date_is_due_at_the_end_of_that_day(personas):
    p = personas
    activity = make_meeting(p, action=False)
    decision = _decision(p, activity)
    action = ms.action_add(
        actor=_clerk(p),
        activity_id=activity.pk,
        decision_id=decision.pk,
        title="完成整改",
        owner_org_id=p.orgs["unit_a"].pk,
        due_date=date(2026, 4, 30),
    )
    local = timezone.localtime(action.due_at)
    assert (local.date(), local.hour, local.minute) == (date(2026, 4, 30), 23, 59)
    assert Deadline.objects.get(object_id=action.pk, kind=DEADLINE_ACTION).due_at == action.due_at


@time_machine.travel(APRIL_1, tick=False)
def test_action_add_refusals(personas):
    p = personas
    activity = make_meeting(p, action=False)
    decision = _decision(p, activity)
    base = {
        "actor": _clerk(p),
        "activity_id": activity.pk,
        "decision_id": decision.pk,
        "title": "完成整改",
        "owner_org_id": p.orgs["unit_a"].pk,
    }
    with pytest.raises(ValidationFailed, match="二者选一"):
        ms.action_add(**base)
    with pytest.raises(ValidationFailed, match="二者选一"):
        ms.action_add(**base, due_date=date(2026, 5, 1), working_days=3)
    with pytest.raises(ValidationFailed, match="晚于今天"):
        ms.action_add(**base, due_date=date(2026, 4, 1))
    with pytest.raises(ValidationFailed, match="不在"):
        ms.action_add(**base, working_days=3, owner_person_id=p.unit_b.person.pk)
    other = make_meeting(p, action=False)
    with pytest.raises(ValidationFailed, match="不属于本会议"):
        ms.action_add(**{**base, "activity_id": other.pk}, working_days=3)
    with pytest.raises(AccessDenied):
        ms.action_add(**{**base, "actor": actor_for(p.unit_a)}, working_days=3)
    assert not ActionItem.objects.exists()


def _open_action(p):
    activity = make_meeting(p, action=False)
    decision = _decision(p, activity)
    return ms.action_add(
        actor=_clerk(p),
        activity_id=activity.pk,
        decision_id=decision.pk,
        title="完成整改",
        owner_org_id=p.orgs["unit_a"].pk,
        working_days=5,
    )


def test_report_meets_the_deadline_and_the_conveners_verify(personas):
    p = personas
    action = _open_action(p)
    with pytest.raises(AccessDenied):
        ms.action_report(actor=actor_for(p.unit_b), action_id=action.pk, version=1, report="x")
    with pytest.raises(ValidationFailed):
        ms.action_report(actor=actor_for(p.unit_a), action_id=action.pk, version=1, report=" ")
    with pytest.raises(TransitionNotAllowed, match="不能核验通过"):
        ms.action_verify(actor=actor_for(p.cdi_officer), action_id=action.pk, version=1)
    events = Events()
    action = ms.action_report(
        actor=actor_for(p.unit_a), action_id=action.pk, version=1, report="已完成整改"
    )
    assert [e.action for e in events.new()] == [
        "deadlines.deadline.met",
        "activities.action.reported",
    ]
    assert action.state == ActionState.REPORTED
    with pytest.raises(ConcurrentEdit):
        ms.action_verify(actor=actor_for(p.cdi_officer), action_id=action.pk, version=1)
    with pytest.raises(AccessDenied):
        ms.action_verify(actor=actor_for(p.unit_a), action_id=action.pk, version=action.version)
    events = Events()
    action = ms.action_verify(
        actor=actor_for(p.cdi_officer), action_id=action.pk, version=action.version
    )
    events.one("activities.action.verified")
    assert action.state == ActionState.DONE


def test_send_back_needs_a_reason_and_starts_a_new_deadline(personas):
    p = personas
    action = _open_action(p)
    action = ms.action_report(
        actor=actor_for(p.unit_a), action_id=action.pk, version=1, report="已完成"
    )
    with pytest.raises(ValidationFailed, match="退回理由"):
        ms.action_return(actor=_clerk(p), action_id=action.pk, version=action.version, reason="  ")
    events = Events()
    action = ms.action_return(
        actor=_clerk(p),
        action_id=action.pk,
        version=action.version,
        reason="佐证材料不全",
        working_days=3,
    )
    assert [e.action for e in events.new()] == [
        "deadlines.deadline.opened",
        "activities.action.returned",
    ]
    assert (action.state, action.return_count, action.return_reason) == (
        ActionState.OPEN,
        1,
        "佐证材料不全",
    )
    live = Deadline.objects.filter(object_id=action.pk, kind=DEADLINE_ACTION, state="open")
    assert live.count() == 1


# --- Linking a record: a clue's link is not told to those who cannot see clues ---------------


def test_a_linked_clue_is_shown_only_to_those_who_see_clues(personas, client_of):
    from tests.clues.helpers import make_clue
    from wulian.core.activities import selectors

    p = personas
    activity = make_meeting(p)
    action = ActionItem.objects.get(decision__meeting__activity=activity)
    clue = make_clue(p, ClueState.DRAFT)  # seen by its drafting office only
    events = Events()
    ms.action_link(actor=_clerk(p), action_id=action.pk, record=clue)
    event = events.one("activities.action.linked")
    # On the clue's own trail, not on the action item's.
    assert event.target_type == "clues.clue"
    assert not AuditEvent.objects.filter(
        target_type="activities.actionitem", target_id=str(action.pk), action__endswith="linked"
    ).exists()
    assert ActionItemLink.objects.filter(action=action).count() == 1
    seen = selectors.action_links(actor=_clerk(p), action=action)
    assert [link.label for link in seen] == [str(clue)]
    for who in (p.cdi_officer, p.unit_a):
        assert selectors.action_links(actor=actor_for(who), action=action) == []
        page = client_of(who).get(action.get_absolute_url())
        assert page.status_code == 200
        text = page.content.decode()
        assert str(clue) not in text, who.username
        assert "暂未关联记录" in text, who.username


def test_a_record_the_actor_cannot_see_is_refused(personas):
    from tests.clues.helpers import make_clue

    p = personas
    activity = make_meeting(p)
    action = ActionItem.objects.get(decision__meeting__activity=activity)
    clue = make_clue(p, ClueState.DRAFT)
    with pytest.raises(ValidationFailed, match="无权查看"):
        ms.action_link(actor=actor_for(p.cdi_officer), action_id=action.pk, record=clue)
