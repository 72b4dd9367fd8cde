"""Meetings for tests (ADR 0023): a held joint meeting of the congress working body and the CDI
(unit A attends, the stationed group witnesses), with drafted minutes, one decision and one
action item owned by unit A; leaders of both convening sides made on demand."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.activities.helpers import make_activity
from tests.factories import account
from tests.personas import Personas
from wulian.core.activities.choices import (
    ActionState,
    ActivityKind,
    ActivityState,
    MinutesState,
    ParticipantRole,
)
from wulian.core.activities.models import (
    ActionItem,
    Activity,
    ActivityParticipant,
    Decision,
    Meeting,
    MeetingConvener,
)
from wulian.core.choices import Role

MINUTES = "一、会议议定\n（一）市民政局限期完成整改。"


def make_meeting(
    p: Personas,
    *,
    held: bool = True,
    minutes: bool = True,
    action: bool = True,
    action_state: str = ActionState.OPEN,
) -> Activity:
    activity = make_activity(
        p,
        kind=ActivityKind.JOINT_MEETING,
        title="人大监督与纪检监察监督贯通协调联席会议",
        participants=(
            ("unit_a", ParticipantRole.PARTICIPANT),
            ("stationed_group", ParticipantRole.INVITED_WITNESS),
            ("cdi", ParticipantRole.PARTICIPANT),
        ),
        state=ActivityState.HELD if held else ActivityState.PLANNED,
    )
    meeting = Meeting.objects.create(
        activity=activity,
        minutes_state=MinutesState.DRAFT if minutes else MinutesState.NONE,
        minutes_title="联席会议纪要" if minutes else "",
        minutes_body=MINUTES if minutes else "",
    )
    MeetingConvener.objects.create(meeting=meeting, organisation=p.orgs["congress_body"])
    MeetingConvener.objects.create(meeting=meeting, organisation=p.orgs["cdi"], position=1)
    if action:
        decision = Decision.objects.create(
            meeting=meeting, position=1, text="限期整改", created_by=p.congress_clerk
        )
        ActionItem.objects.create(
            decision=decision,
            title="完成养老服务设施整改",
            owner_org=p.orgs["unit_a"],
            due_at=timezone.now() + timedelta(days=10),
            due_rule="10 个工作日",
            state=action_state,
            report="已整改" if action_state != ActionState.OPEN else "",
            reported_at=timezone.now() if action_state != ActionState.OPEN else None,
            created_by=p.congress_clerk,
        )
    return activity


def leaders(p: Personas) -> tuple[Any, Any]:
    """A leader of the congress working body and one of the CDI (the two convening sides)."""
    return (
        account(p.orgs["congress_body"], Role.LEADER, username="congress_head", name="王主任"),
        account(p.orgs["cdi"], Role.LEADER, username="cdi_head", name="李主任"),
    )


def participant_of(activity: Activity, org: Any) -> ActivityParticipant:
    return activity.participants.get(organisation=org, person=None)


# --- Route-matrix and policy-matrix records ------------------------------------------------


def meeting_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_meeting(p).pk}


def action_kwargs(p: Personas) -> dict[str, Any]:
    activity = make_meeting(p)
    return {"pk": ActionItem.objects.get(decision__meeting__activity=activity).pk}


def reported_kwargs(p: Personas) -> dict[str, Any]:
    activity = make_meeting(p, action_state=ActionState.REPORTED)
    return {"pk": ActionItem.objects.get(decision__meeting__activity=activity).pk}


def meeting_case(kind: str):
    """Record functions for tests/core/test_policy_matrix.py, built once per test world: the
    meeting's "activity", its "action" item (unit A's), "action_b" (unit B's, of a meeting
    unit B does not attend) or an "agenda" item."""

    def build(world: Any, who: str) -> Any:
        cache = world.__dict__.setdefault("_meetings", {})
        if "activity" not in cache:
            from wulian.core.activities.models import AgendaItem

            activity = make_meeting(world.p)
            cache["activity"] = activity
            cache["meeting"] = activity.meeting
            cache["action"] = ActionItem.objects.get(decision__meeting__activity=activity)
            cache["agenda"] = AgendaItem.objects.create(
                meeting=activity.meeting, position=1, title="议题"
            )
            mine = cache["action"]
            cache["action_b"] = ActionItem.objects.create(
                decision=mine.decision,
                title="完成公共法律服务站点整改",
                owner_org=world.p.orgs["unit_b"],
                due_at=mine.due_at,
                created_by=world.p.congress_clerk,
            )
        return cache[kind]

    return build
