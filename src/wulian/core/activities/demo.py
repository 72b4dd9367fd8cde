"""The meetings' demo data (ADR 0023):

- the 2023 joint meeting (联席会议) of the 市人大常委会监察和司法工委 and the 市纪委监委党风政风
  监督室 on the 十件实事: agenda, attendance (one excused), minutes co-signed by both sides'
  leaders and issued, one decision with two action items — one reported by the 市司法局 and
  verified, one still open for the 市民政局 (the demo account `unit_a`);
- a current 会商会审 whose minutes the CDI side has co-signed and that wait for the congress
  side's leader (`congress_leader`).

Every step goes through the services (with demo accounts as actors), so the audit chain and the
deadlines are real; afterwards the 2023 meeting's dates are moved back (the services stamp
"now"). Called by `ActivitiesConfig.demo_seed()` after the core demo data."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from wulian.core.access import actor_for
from wulian.core.activities import meeting_services as ms
from wulian.core.activities import services
from wulian.core.activities.choices import ActivityKind, Attendance, ParticipantRole
from wulian.core.activities.models import (
    ActionItem,
    Activity,
    ActivityParticipant,
    Meeting,
    MeetingConvener,
)
from wulian.core.choices import Role, Sensitivity
from wulian.core.models import Membership, Organisation, Person

SH = ZoneInfo("Asia/Shanghai")
MINUTES_2023 = """一、会议听取的情况
会议听取了市政府办公室关于2023年政府“十件实事”推进情况的汇报，以及市纪委监委党风政风监督室关于项目监督检查情况的通报。
二、会议议定的事项
（一）对幸福食堂运营补贴发放情况开展联合督查，市民政局于2024年一季度前报送整改情况。
（二）市司法局对公共法律服务站点建设中的问题完成整改并报送佐证材料。
三、工作要求
各责任单位要按期落实议定事项，联席会议办公室跟踪督办，逾期未落实的提请联席会议通报。"""
MINUTES_NOW = """一、会商的事项
会议对2026年代表建议办理中涉及的三件重点督办建议进行会商会审，听取了承办单位的办理情况汇报。
二、会商意见
（一）建议继续由市人大常委会代表工委跟踪督办，市纪委监委党风政风监督室同步开展监督。
（二）对办理中的作风问题，由市纪委监委依规处置。"""


def _leader(username: str, name: str, org: Organisation, title: str):
    from wulian.core.demo import DEMO_PASSWORD

    user = get_user_model().objects.create_user(
        username=username, password=DEMO_PASSWORD, password_changed_at=timezone.now()
    )
    person = Person.objects.create(name=name, user=user, title=title)
    Membership.objects.create(person=person, organisation=org, role=Role.LEADER)
    return user


def _meeting(actor, *, kind, title, starts_at, place, organiser, other, participants):
    activity = services.activity_create(
        actor=actor,
        data={
            "kind": kind,
            "title": title,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=2),
            "place": place,
            "sensitivity": Sensitivity.INTERNAL,
            "notes": "",
            "organiser_id": organiser.pk,
        },
    )
    ms.meeting_convener_add(actor=actor, activity_id=activity.pk, organisation_id=other.pk)
    for org in participants:
        services.activity_participant_add(
            actor=actor,
            activity_id=activity.pk,
            organisation_id=org.pk,
            role=ParticipantRole.ATTENDEE,
        )
    return activity


def _hold(actor, activity, excused: dict[int, str]) -> None:
    activity = Activity.objects.get(pk=activity.pk)
    services.activity_hold(actor=actor, activity_id=activity.pk, version=activity.version)
    for p in ActivityParticipant.objects.filter(activity=activity).order_by("id"):
        reason = excused.get(p.organisation_id, "")
        ms.meeting_attendance(
            actor=actor,
            activity_id=activity.pk,
            participant_id=p.pk,
            attendance=Attendance.EXCUSED if reason else Attendance.PRESENT,
            reason=reason,
        )


def _sign(user, activity) -> None:
    meeting = Meeting.objects.get(activity=activity)
    ms.minutes_sign(actor=actor_for(user), activity_id=activity.pk, version=meeting.version)


def seed() -> dict[str, int]:
    codes = ["RD-JSW", "RD-DBGW", "JW-DJ", "ZF-BGS", "ZF-MZ", "ZF-SF"]
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["congress_leader", "unit_a", "unit_b"]
        )
    }
    congress = users["congress_leader"]
    cdi = _leader("cdi_leader", "罗志坚", orgs["JW-DJ"], "市纪委监委 党风政风监督室 主任")
    host = actor_for(congress)

    # The 2023 joint meeting: minutes co-signed and issued, two action items.
    joint = _meeting(
        host,
        kind=ActivityKind.JOINT_MEETING,
        title="2023年第四季度人大监督与纪检监察监督贯通协调联席会议",
        starts_at=datetime(2023, 12, 12, 9, 0, tzinfo=SH),
        place="市人大常委会第三会议室",
        organiser=orgs["RD-JSW"],
        other=orgs["JW-DJ"],
        participants=[orgs["ZF-BGS"], orgs["ZF-MZ"], orgs["ZF-SF"]],
    )
    for title, org, who in (
        ("2023年政府“十件实事”推进情况", orgs["ZF-BGS"], "市政府办公室副主任"),
        ("“十件实事”项目监督检查情况通报", orgs["JW-DJ"], "党风政风监督室主任"),
    ):
        ms.meeting_agenda_add(
            actor=host, activity_id=joint.pk, title=title, presenter_org_id=org.pk, presenter=who
        )
    _hold(host, joint, {orgs["ZF-BGS"].pk: "同期参加省政府办公厅视频会议"})
    ms.minutes_save(
        actor=host,
        activity_id=joint.pk,
        version=Meeting.objects.get(activity=joint).version,
        title="2023年第四季度联席会议纪要",
        body=MINUTES_2023,
    )
    _sign(cdi, joint)
    _sign(congress, joint)
    meeting = ms.minutes_issue(
        actor=host, activity_id=joint.pk, version=Meeting.objects.get(activity=joint).version
    )
    decision = ms.decision_add(
        actor=host,
        activity_id=joint.pk,
        text="对政府“十件实事”中发现的问题实行清单管理，责任单位限期整改并报送佐证材料。",
    )
    done = ms.action_add(
        actor=host,
        activity_id=joint.pk,
        decision_id=decision.pk,
        title="公共法律服务站点建设问题整改",
        owner_org_id=orgs["ZF-SF"].pk,
        working_days=10,
    )
    ms.action_report(
        actor=actor_for(users["unit_b"]),
        action_id=done.pk,
        version=done.version,
        report="12个站点的场地和人员配备问题已全部整改，整改前后照片和验收记录已上传。",
    )
    done.refresh_from_db()
    ms.action_verify(actor=host, action_id=done.pk, version=done.version)
    open_item = ms.action_add(
        actor=host,
        activity_id=joint.pk,
        decision_id=decision.pk,
        title="幸福食堂运营补贴发放情况自查整改",
        owner_org_id=orgs["ZF-MZ"].pk,
        working_days=20,
    )
    # The services stamped "now": the 2023 meeting's dates moved back to when they happened.
    Meeting.objects.filter(pk=meeting.pk).update(
        minutes_year=2023, minutes_issued_at=datetime(2023, 12, 15, 10, 0, tzinfo=SH)
    )
    MeetingConvener.objects.filter(meeting=meeting).update(
        signed_at=datetime(2023, 12, 14, 16, 0, tzinfo=SH)
    )
    ActionItem.objects.filter(pk=done.pk).update(
        due_at=datetime(2023, 12, 29, 23, 59, 59, tzinfo=SH),
        reported_at=datetime(2023, 12, 27, 11, 0, tzinfo=SH),
        verified_at=datetime(2023, 12, 28, 9, 30, tzinfo=SH),
    )

    # A current 会商会审: the CDI side has co-signed; the congress side's leader has not yet.
    now = timezone.localtime(timezone.now(), SH)
    current = _meeting(
        host,
        kind=ActivityKind.JOINT_MEETING,
        title="重点督办代表建议会商会审会",
        starts_at=(now - timedelta(days=2)).replace(hour=14, minute=30, second=0, microsecond=0),
        place="市人大常委会第二会议室",
        organiser=orgs["RD-JSW"],
        other=orgs["JW-DJ"],
        participants=[orgs["RD-DBGW"]],
    )
    ms.meeting_agenda_add(
        actor=host,
        activity_id=current.pk,
        title="三件重点督办建议办理情况",
        presenter_org_id=orgs["RD-DBGW"].pk,
        presenter="代表工委主任",
    )
    _hold(host, current, {})
    ms.minutes_save(
        actor=host,
        activity_id=current.pk,
        version=Meeting.objects.get(activity=current).version,
        title="重点督办代表建议会商会审会纪要",
        body=MINUTES_NOW,
    )
    _sign(cdi, current)
    return {
        "meetings": Meeting.objects.count(),
        "action_items": ActionItem.objects.filter(pk__in=[done.pk, open_item.pk]).count(),
    }
