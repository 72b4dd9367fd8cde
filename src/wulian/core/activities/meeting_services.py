"""Writes of meetings (ADR 0023): convening organisations, agenda, attendance, minutes drafted,
co-signed by one leader of each convening side and issued with a number, decisions and their
action items (report, verify, send back, link a record).

Each service: check access → transaction → lock the meeting (or the action item) → refuse a
stale `version` → validate → save only what changed → one audit event → notifications and
deadlines in the same transaction. The meeting row is the lock of everything on the meeting:
two leaders signing at once are served one after the other, and both signatures are kept.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, records, versioned
from wulian.core.access import Actor
from wulian.core.activities.choices import (
    ACTION_TRANSITIONS,
    DEADLINE_ACTION,
    MEETING_KINDS,
    ActionState,
    ActionStep,
    ActivityState,
    Attendance,
    MinutesState,
    ParticipantRole,
)
from wulian.core.activities.models import (
    ActionItem,
    ActionItemLink,
    Activity,
    ActivityParticipant,
    AgendaItem,
    Decision,
    Meeting,
    MeetingConvener,
)
from wulian.core.activities.policies import MANAGER_ROLES, signing_org_ids
from wulian.core.choices import Sensitivity
from wulian.core.crypto import sm3_hex
from wulian.core.deadlines import rules
from wulian.core.deadlines import services as deadline_services
from wulian.core.deadlines.models import Deadline
from wulian.core.deadlines.rules import Rule, WorkingDays
from wulian.core.deadlines.selectors import live_deadline
from wulian.core.errors import (
    ConcurrentEdit,
    RuleViolation,
    TransitionNotAllowed,
)
from wulian.core.models import Membership, Organisation, Person
from wulian.core.notifications import outbox
from wulian.core.selectors import users_holding
from wulian.core.servicekit import fail as _fail

MANAGE = "activities.activity.manage"
MAX_TEXT = 2000
MAX_MINUTES = 50_000
MAX_WORKING_DAYS = 250
MAX_DUE_DAYS = 365
RETURN_WORKING_DAYS = 5


def _text(value: str | None, field: str, label: str, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if not text:
        raise _fail(_("请填写%(label)s。") % {"label": label}, field)
    if len(text) > limit:
        raise _fail(
            _("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": limit},
            field,
        )
    return text


def _stale_minutes() -> ConcurrentEdit:
    return ConcurrentEdit(
        _("会议纪要已被他人修改，您的操作未执行。请刷新页面阅读最新的纪要后再操作。")
    )


def _stale_action() -> ConcurrentEdit:
    return ConcurrentEdit(_("该落实事项已被他人办理，您的操作未执行。请刷新页面查看最新情况。"))


def is_meeting_kind(kind: str) -> bool:
    return kind in MEETING_KINDS


def meeting_for(activity: Activity) -> Meeting:
    """The activity's meeting (a refusal when the activity is not a meeting)."""
    try:
        return activity.meeting
    except Meeting.DoesNotExist:
        raise TransitionNotAllowed(
            _(
                "该活动不是会议（联席会议、座谈会、听取汇报、专题询问、主任会议、会商会审），没有会议纪要和议定事项。"
            )
        ) from None


def _locked(activity_id: int) -> Meeting:
    """The meeting locked (with its activity read), or a refusal when there is none."""
    activity = Activity.objects.get(pk=activity_id)
    meeting = meeting_for(activity)
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("activity")
        .get(pk=meeting.pk)
    )


def _not_cancelled(meeting: Meeting) -> None:
    if meeting.activity.state == ActivityState.CANCELLED:
        raise TransitionNotAllowed(_("该会议已取消，不能再修改。"))


def _held(meeting: Meeting, what: str) -> None:
    if meeting.activity.state != ActivityState.HELD:
        raise TransitionNotAllowed(
            _("会议当前为“%(state)s”，须先标记为已举行，才能%(what)s。")
            % {"state": meeting.activity.get_state_display(), "what": what}
        )


def _audit_meeting(action: str, actor: Actor, meeting: Meeting, **kw: Any) -> None:
    audit.record(
        action=action,
        actor=actor,
        target=meeting.activity,
        organisation_id=meeting.activity.organiser_id,
        **kw,
    )


def meeting_open(*, activity: Activity) -> Meeting:
    """The meeting of a newly created activity of a meeting kind, convened by its organiser
    (called inside activity_create's transaction; its audit event covers it)."""
    meeting = Meeting.objects.create(activity=activity)
    MeetingConvener.objects.create(meeting=meeting, organisation_id=activity.organiser_id)
    return meeting


# --- Conveners, agenda, attendance ---------------------------------------------------------


def meeting_convener_add(*, actor: Actor, activity_id: int, organisation_id: int) -> Meeting:
    """Add a convening organisation (a joint meeting's second side). It joins the list of
    participants too, so that its people see the meeting."""
    activity = Activity.objects.get(pk=activity_id)
    actor = access.require(actor, MANAGE, activity)
    organisation = Organisation.objects.filter(pk=organisation_id, is_active=True).first()
    if organisation is None:
        raise _fail(_("请选择召集单位。"), "organisation")
    with transaction.atomic():
        meeting = _locked(activity_id)
        _not_cancelled(meeting)
        if meeting.minutes_state == MinutesState.ISSUED:
            raise TransitionNotAllowed(_("会议纪要已印发，不能再增加召集单位。"))
        if meeting.conveners.filter(organisation=organisation).exists():
            raise _fail(_("该单位已是召集单位。"), "organisation")
        top = meeting.conveners.aggregate(m=Max("position"))["m"] or 0
        MeetingConvener.objects.create(meeting=meeting, organisation=organisation, position=top + 1)
        if not ActivityParticipant.objects.filter(
            activity_id=activity_id, organisation=organisation, person=None
        ).exists():
            ActivityParticipant.objects.create(
                activity_id=activity_id,
                organisation=organisation,
                role=ParticipantRole.PARTICIPANT,
            )
        _audit_meeting(
            "activities.meeting.convener_added",
            actor,
            meeting,
            after={"convener": organisation.code, "convener_name": organisation.name},
        )
    return meeting


def meeting_agenda_add(
    *,
    actor: Actor,
    activity_id: int,
    title: str,
    presenter_org_id: int | None = None,
    presenter: str = "",
) -> AgendaItem:
    """Add an item to the end of the agenda, with who presents it."""
    activity = Activity.objects.get(pk=activity_id)
    actor = access.require(actor, MANAGE, activity)
    title = _text(title, "title", _("议题"), 200)
    presenter = (presenter or "").strip()
    if len(presenter) > 100:
        raise _fail(_("汇报人不能超过 100 个字。"), "presenter")
    org = None
    if presenter_org_id is not None:
        org = Organisation.objects.filter(pk=presenter_org_id, is_active=True).first()
        if org is None:
            raise _fail(_("所选汇报单位不存在或已停用。"), "presenter_org")
    with transaction.atomic():
        meeting = _locked(activity_id)
        _not_cancelled(meeting)
        top = meeting.agenda.aggregate(m=Max("position"))["m"] or 0
        item = AgendaItem.objects.create(
            meeting=meeting, position=top + 1, title=title, presenter_org=org, presenter=presenter
        )
        _audit_meeting(
            "activities.meeting.agenda_added",
            actor,
            meeting,
            after={
                "agenda_item": item.pk,
                "position": item.position,
                "title": title,
                "presenter_org": org.name if org else "",
                "presenter": presenter,
            },
        )
    return item


def meeting_attendance(
    *,
    actor: Actor,
    activity_id: int,
    participant_id: int,
    attendance: str,
    reason: str = "",
) -> ActivityParticipant:
    """Record whether a participant came (出席), was excused (请假, with the reason) or was
    absent (缺席)."""
    activity = Activity.objects.get(pk=activity_id)
    actor = access.require(actor, MANAGE, activity)
    if attendance not in (Attendance.PRESENT, Attendance.EXCUSED, Attendance.ABSENT):
        raise _fail(_("请选择出席情况。"), "attendance")
    reason = (reason or "").strip()
    if attendance == Attendance.EXCUSED:
        reason = _text(reason, "reason", _("请假事由"), 300)
    elif reason:
        raise _fail(_("只有请假才填写事由；出席或缺席请清空事由。"), "reason")
    with transaction.atomic():
        meeting = _locked(activity_id)
        _not_cancelled(meeting)
        participant = (
            ActivityParticipant.objects.select_for_update(of=("self",))
            .filter(pk=participant_id, activity_id=activity_id)
            .select_related("organisation", "person")
            .first()
        )
        if participant is None:
            raise _fail(_("所选单位（人员）不在本会议的参加名单中。"), "participant")
        before = {"attendance": participant.attendance, "excuse_reason": participant.excuse_reason}
        participant.attendance = attendance
        participant.excuse_reason = reason
        participant.attended = attendance == Attendance.PRESENT
        participant.save(update_fields=["attendance", "excuse_reason", "attended"])
        _audit_meeting(
            "activities.meeting.attendance_recorded",
            actor,
            meeting,
            before=before,
            after={
                "participant": participant.pk,
                "organisation": participant.organisation.name,
                "person": participant.person.name if participant.person_id else None,
                "attendance": attendance,
                "excuse_reason": reason,
            },
        )
    return participant


# --- Minutes ---------------------------------------------------------------------------------


def minutes_save(*, actor: Actor, activity_id: int, version: int, title: str, body: str) -> Meeting:
    """Draft or edit the minutes (the host's side). A change of the text after a leader has
    signed clears the signatures: they signed the old text."""
    activity = Activity.objects.get(pk=activity_id)
    actor = access.require(actor, MANAGE, activity)
    title = _text(title, "title", _("纪要标题"), 200)
    body = _text(body, "body", _("纪要正文"), MAX_MINUTES)
    with transaction.atomic():
        meeting = _locked(activity_id)
        if meeting.version != version:
            raise _stale_minutes()
        _held(meeting, _("起草会议纪要"))
        if meeting.minutes_state == MinutesState.ISSUED:
            raise TransitionNotAllowed(_("会议纪要已印发，不能再修改。"))
        if (
            meeting.minutes_state == MinutesState.DRAFT
            and meeting.minutes_title == title
            and meeting.minutes_body == body
        ):
            return meeting
        signed = list(
            meeting.conveners.filter(signed_at__isnull=False).select_related("organisation")
        )
        before = {
            "minutes_state": meeting.minutes_state,
            "minutes_title": meeting.minutes_title,
            "minutes_body_sm3": sm3_hex(meeting.minutes_body.encode())
            if meeting.minutes_body
            else "",
        }
        versioned.save(
            meeting, minutes_state=MinutesState.DRAFT, minutes_title=title, minutes_body=body
        )
        if signed:
            MeetingConvener.objects.filter(pk__in=[c.pk for c in signed]).update(
                signed_by=None, signed_name="", signed_at=None, signed_version=None
            )
        _audit_meeting(
            "activities.minutes.saved",
            actor,
            meeting,
            before=before,
            after={
                "minutes_state": meeting.minutes_state,
                "minutes_title": title,
                "minutes_body_sm3": sm3_hex(body.encode()),
                "version": meeting.version,
                "signatures_cleared": [c.organisation.name for c in signed],
            },
        )
    return meeting


def minutes_sign(
    *, actor: Actor, activity_id: int, version: int, organisation_id: int | None = None
) -> MeetingConvener:
    """Co-sign the minutes as the leader of a convening side (会签). `version` is the text the
    leader read: a text changed since is refused. A leader of two convening sides names the
    side (`organisation_id`); otherwise it is the side not yet signed."""
    activity = Activity.objects.get(pk=activity_id)
    actor = access.require(actor, "activities.meeting.sign", activity)
    with transaction.atomic():
        meeting = _locked(activity_id)
        if meeting.minutes_state == MinutesState.NONE:
            raise TransitionNotAllowed(_("会议纪要尚未起草，无可会签的内容。"))
        if meeting.minutes_state == MinutesState.ISSUED:
            raise TransitionNotAllowed(_("会议纪要已印发，无需再会签。"))
        if meeting.version != version:
            raise _stale_minutes()
        conveners = {
            c.organisation_id: c
            for c in meeting.conveners.select_for_update(of=("self",)).select_related(
                "organisation"
            )
        }
        mine = [conveners[o] for o in signing_org_ids(actor, meeting) if o in conveners]
        if organisation_id is not None:
            chosen = [c for c in mine if c.organisation_id == organisation_id]
            if not chosen:
                raise _fail(_("您不是所选召集单位的负责人，不能代表其会签。"), "organisation")
        else:
            chosen = [c for c in mine if c.signed_at is None] or mine
        convener = chosen[0]
        if convener.signed_at is not None:
            raise TransitionNotAllowed(
                _("%(org)s一方已由%(name)s于%(at)s会签，无需重复会签。")
                % {
                    "org": convener.organisation.display_name,
                    "name": convener.signed_name,
                    "at": timezone.localtime(convener.signed_at).strftime("%Y-%m-%d %H:%M"),
                }
            )
        person = getattr(actor.user, "person", None)
        convener.signed_by = actor.user
        convener.signed_name = (person.name if person else actor.user.get_username())[:100]
        convener.signed_at = timezone.now()
        convener.signed_version = meeting.version
        convener.save(update_fields=["signed_by", "signed_name", "signed_at", "signed_version"])
        missing = [c for c in conveners.values() if c.signed_at is None]
        _audit_meeting(
            "activities.minutes.signed",
            actor,
            meeting,
            after={
                "convener": convener.organisation.name,
                "version": meeting.version,
                "still_missing": [c.organisation.name for c in missing],
            },
        )
        if not missing:
            outbox.enqueue(
                kind="activities.minutes.signed",
                recipients=users_holding([activity.organiser_id], MANAGER_ROLES),
                title=_("会议纪要已全部会签，可以印发：%(t)s") % {"t": activity.title},
                url=activity.get_absolute_url() + "#minutes",
                dedupe=f"meeting:{meeting.pk}:v{meeting.version}:all-signed",
            )
    return convener


def missing_signatures(meeting: Meeting) -> list[str]:
    """The convening organisations whose leader has not signed the minutes (by name)."""
    return [
        c.organisation.display_name
        for c in meeting.conveners.select_related("organisation").order_by("position", "id")
        if c.signed_at is None or c.signed_version != meeting.version
    ]


def _next_minutes_number(meeting: Meeting, year: int) -> int:
    # Numbers are counted per organiser and year, under a lock on the organiser.
    Organisation.objects.select_for_update().filter(pk=meeting.activity.organiser_id).first()
    top = Meeting.objects.filter(
        activity__organiser_id=meeting.activity.organiser_id, minutes_year=year
    ).aggregate(m=Max("minutes_number"))["m"]
    return (top or 0) + 1


def minutes_issue(*, actor: Actor, activity_id: int, version: int) -> Meeting:
    """Issue the co-signed minutes: they get their number (〔year〕第n号) and every
    participating organisation is told. Refused while a convening side has not signed."""
    activity = Activity.objects.get(pk=activity_id)
    actor = access.require(actor, MANAGE, activity)
    with transaction.atomic():
        meeting = _locked(activity_id)
        if meeting.version != version:
            raise _stale_minutes()
        if meeting.minutes_state == MinutesState.NONE:
            raise TransitionNotAllowed(_("会议纪要尚未起草，不能印发。"))
        if meeting.minutes_state == MinutesState.ISSUED:
            raise TransitionNotAllowed(_("会议纪要已印发（%(n)s）。") % {"n": meeting.number_label})
        missing = missing_signatures(meeting)
        if missing:
            raise RuleViolation(
                _("会议纪要尚缺%(names)s负责人的会签，不能印发。请待其会签后再印发。")
                % {"names": "、".join(missing)}
            )
        now = timezone.now()
        year = timezone.localdate().year
        meeting.minutes_year = year
        meeting.minutes_number = _next_minutes_number(meeting, year)
        meeting.minutes_state = MinutesState.ISSUED
        meeting.minutes_issued_at = now
        meeting.minutes_issued_by = actor.user
        meeting.save(
            update_fields=[
                "minutes_year",
                "minutes_number",
                "minutes_state",
                "minutes_issued_at",
                "minutes_issued_by",
                "updated_at",
            ]
        )
        _audit_meeting(
            "activities.minutes.issued",
            actor,
            meeting,
            before={"minutes_state": MinutesState.DRAFT},
            after={
                "minutes_state": MinutesState.ISSUED,
                "minutes_number": meeting.number_label,
                "version": meeting.version,
            },
        )
        orgs = list(activity.participants.values_list("organisation_id", flat=True))
        outbox.enqueue(
            kind="activities.minutes.issued",
            recipients=users_holding(orgs),
            title=_("会议纪要已印发：%(t)s %(n)s")
            % {"t": activity.title, "n": meeting.number_label},
            url=activity.get_absolute_url() + "#minutes",
            dedupe=f"meeting:{meeting.pk}:issued",
        )
    return meeting


# --- Decisions and action items ------------------------------------------------------------


def decision_add(*, actor: Actor, activity_id: int, text: str) -> Decision:
    """Record a decision of the held meeting (议定事项)."""
    activity = Activity.objects.get(pk=activity_id)
    actor = access.require(actor, MANAGE, activity)
    text = _text(text, "text", _("议定事项"))
    with transaction.atomic():
        meeting = _locked(activity_id)
        _held(meeting, _("记录议定事项"))
        top = meeting.decisions.aggregate(m=Max("position"))["m"] or 0
        decision = Decision.objects.create(
            meeting=meeting, position=top + 1, text=text, created_by=actor.user
        )
        _audit_meeting(
            "activities.meeting.decision_added",
            actor,
            meeting,
            after={"decision": decision.pk, "position": decision.position, "text": text},
        )
    return decision


def _due(
    due_date: date | None, working_days: int | None, now: datetime
) -> tuple[Rule, datetime, str]:
    """The deadline rule, its start and the rule's words: a calendar date (by the end of that
    day) or N working days (statutory holidays counted out)."""
    if (due_date is None) == (working_days is None):
        raise _fail(_("请填写完成日期或工作日天数（二者选一）。"), "due_date")
    if working_days is not None:
        if not 1 <= working_days <= MAX_WORKING_DAYS:
            raise _fail(
                _("工作日天数须在 1 到 %(n)d 之间。") % {"n": MAX_WORKING_DAYS}, "working_days"
            )
        return Rule.working_days(working_days), now, Rule.working_days(working_days).describe()
    assert due_date is not None
    today = timezone.localdate(now)
    if due_date <= today:
        raise _fail(_("完成日期须晚于今天。"), "due_date")
    if due_date > today + timedelta(days=MAX_DUE_DAYS):
        raise _fail(_("完成日期不能超过一年之后。"), "due_date")
    end = rules.at_local(due_date, rules.END_OF_DAY)
    hours = -(-int((end - now).total_seconds()) // 3600)
    # Counted back from the end of the chosen day, so that the clock ends exactly there.
    return Rule.hours(hours), end - timedelta(hours=hours), due_date.isoformat()


def _open_deadline(actor: Actor, action: ActionItem, rule: Rule, start: datetime) -> Deadline:
    meeting = action.decision.meeting
    conveners = [c.organisation for c in meeting.conveners.select_related("organisation")]
    return deadline_services.deadline_open(
        actor=actor,
        record=action,
        kind=DEADLINE_ACTION,
        title=(_("落实会议议定事项：%(t)s") % {"t": action.title})[:200],
        rule=rule,
        responsible_org=action.owner_org,
        responsible_user=getattr(action.owner_person, "user", None)
        if action.owner_person_id
        else None,
        assigner_org=meeting.activity.organiser,
        manage_action="activities.actionitem.manage",
        start=start,
        escalate_after=WorkingDays(1),
        escalate_to=conveners,
    )


def _action_data(action: ActionItem) -> dict[str, Any]:
    return {
        "title": action.title,
        "owner_org": action.owner_org.name,
        "owner_person": action.owner_person.name if action.owner_person_id else None,
        "due_at": action.due_at,
        "due_rule": action.due_rule,
        "state": action.state,
    }


def action_add(
    *,
    actor: Actor,
    activity_id: int,
    decision_id: int,
    title: str,
    owner_org_id: int,
    owner_person_id: int | None = None,
    due_date: date | None = None,
    working_days: int | None = None,
) -> ActionItem:
    """Give a decision an action item: the owner organisation (and person) has until the due
    date (or N working days) — reminders to the owner, escalation to the conveners."""
    activity = Activity.objects.get(pk=activity_id)
    actor = access.require(actor, MANAGE, activity)
    title = _text(title, "title", _("落实事项"), 200)
    owner = Organisation.objects.filter(pk=owner_org_id, is_active=True).first()
    if owner is None:
        raise _fail(_("请选择责任单位。"), "owner_org")
    person = None
    if owner_person_id is not None:
        person = Person.objects.filter(pk=owner_person_id, is_active=True).first()
        if (
            person is None
            or not Membership.objects.filter(
                person=person, organisation=owner, is_active=True
            ).exists()
        ):
            raise _fail(
                _("所选责任人不在%(org)s任职，请选择该单位的人员或不选。")
                % {"org": owner.display_name},
                "owner_person",
            )
    now = timezone.now()
    rule, start, rule_words = _due(due_date, working_days, now)
    with transaction.atomic():
        meeting = _locked(activity_id)
        _held(meeting, _("分解落实事项"))
        decision = Decision.objects.filter(pk=decision_id, meeting=meeting).first()
        if decision is None:
            raise _fail(_("所选议定事项不属于本会议。"), "decision")
        action = ActionItem(
            decision=decision,
            title=title,
            owner_org=owner,
            owner_person=person,
            due_at=rules.due_at(rule, start),
            due_rule=rule_words[:60],
            created_by=actor.user,
        )
        action.save(force_insert=True)
        deadline = _open_deadline(actor, action, rule, start)
        if deadline.due_at != action.due_at:
            action.due_at = deadline.due_at
            action.save(update_fields=["due_at"])
        outbox.announce(
            actor,
            "activities.action.assigned",
            action,
            owner.pk,
            after={**_action_data(action), "decision": decision.pk, "meeting": activity.pk},
            recipients=users_holding([owner.pk]),
            title=_("会议议定事项请落实：%(t)s") % {"t": title},
            dedupe=f"action:{action.pk}:assigned",
        )
    return action


def _action_locked(action_id: int, version: int) -> ActionItem:
    action = (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related("decision__meeting__activity", "owner_org", "owner_person")
        .get(pk=action_id)
    )
    if action.version != version:
        raise _stale_action()
    return action


def _step(action: ActionItem, step: str) -> str:
    target = ACTION_TRANSITIONS.get((action.state, step))
    if target is None:
        raise TransitionNotAllowed(
            _("该落实事项当前为“%(state)s”，不能%(step)s。")
            % {"state": action.get_state_display(), "step": ActionStep(step).label}
        )
    return target


def _convener_desks(action: ActionItem) -> list[Any]:
    orgs = action.decision.meeting.conveners.values_list("organisation_id", flat=True)
    return users_holding(list(orgs), MANAGER_ROLES)


def action_report(*, actor: Actor, action_id: int, version: int, report: str) -> ActionItem:
    """The owner reports the item done, with what was done (evidence as attachments). The
    deadline is met (or missed, when reported late); the conveners are asked to verify."""
    actor = access.require(
        actor, "activities.actionitem.report", ActionItem.objects.get(pk=action_id)
    )
    text = _text(report, "report", _("完成情况"), MAX_TEXT)
    with transaction.atomic():
        action = _action_locked(action_id, version)
        target = _step(action, ActionStep.REPORT)
        versioned.save(
            action, state=target, report=text, reported_at=timezone.now(), reported_by=actor.user
        )
        deadline = live_deadline(action, DEADLINE_ACTION)
        if deadline is not None:
            deadline_services.deadline_meet(actor=actor, deadline_id=deadline.pk)
        outbox.announce(
            actor,
            "activities.action.reported",
            action,
            action.owner_org_id,
            before={"state": ActionState.OPEN},
            after={"state": target, "report": text, "late": action.reported_at > action.due_at},
            recipients=_convener_desks(action),
            title=_("落实事项已报告完成，请核验：%(t)s（%(org)s）")
            % {"t": action.title, "org": action.owner_org.display_name},
            dedupe=f"action:{action.pk}:v{action.version}:reported",
        )
    return action


def action_verify(*, actor: Actor, action_id: int, version: int) -> ActionItem:
    """A convener verifies the reported item: done (已办结)."""
    actor = access.require(
        actor, "activities.actionitem.verify", ActionItem.objects.get(pk=action_id)
    )
    with transaction.atomic():
        action = _action_locked(action_id, version)
        target = _step(action, ActionStep.VERIFY)
        versioned.save(action, state=target, verified_at=timezone.now(), verified_by=actor.user)
        outbox.announce(
            actor,
            "activities.action.verified",
            action,
            action.owner_org_id,
            before={"state": ActionState.REPORTED},
            after={"state": target},
            recipients=users_holding([action.owner_org_id]),
            title=_("落实事项已核验办结：%(t)s") % {"t": action.title},
            dedupe=f"action:{action.pk}:verified",
        )
    return action


def action_return(
    *,
    actor: Actor,
    action_id: int,
    version: int,
    reason: str,
    working_days: int = RETURN_WORKING_DAYS,
) -> ActionItem:
    """A convener sends the reported item back with the reason; the owner has `working_days`
    working days more (a new deadline)."""
    actor = access.require(
        actor, "activities.actionitem.verify", ActionItem.objects.get(pk=action_id)
    )
    text = _text(reason, "reason", _("退回理由"), 500)
    if not 1 <= int(working_days) <= MAX_WORKING_DAYS:
        raise _fail(_("工作日天数须在 1 到 %(n)d 之间。") % {"n": MAX_WORKING_DAYS}, "working_days")
    with transaction.atomic():
        action = _action_locked(action_id, version)
        target = _step(action, ActionStep.RETURN)
        now = timezone.now()
        rule = Rule.working_days(int(working_days))
        action.state = target
        action.return_reason = text
        action.return_count += 1
        versioned.save(
            action,
            "state",
            "return_reason",
            "return_count",
            due_at=rules.due_at(rule, now),
            due_rule=rule.describe()[:60],
        )
        deadline = _open_deadline(actor, action, rule, now)
        if deadline.due_at != action.due_at:
            action.due_at = deadline.due_at
            action.save(update_fields=["due_at"])
        outbox.announce(
            actor,
            "activities.action.returned",
            action,
            action.owner_org_id,
            before={"state": ActionState.REPORTED},
            after={"state": target, "reason": text, "due_at": action.due_at},
            recipients=users_holding([action.owner_org_id]),
            title=_("落实事项被退回，请继续落实：%(t)s") % {"t": action.title},
            body=text,
            dedupe=f"action:{action.pk}:returned:{action.return_count}",
        )
    return action


def is_restricted(record: Any) -> bool:
    """A record whose existence is itself confidential (a clue): it is linked and shown only
    to those who may see it, and the audit trail does not name it."""
    return getattr(record, "sensitivity", None) == Sensitivity.CONFIDENTIAL or records.record_label(
        record
    ).startswith("clues.")


def action_link(*, actor: Actor, action_id: int, record: Any) -> ActionItemLink:
    """Link a record the actor may see to the action item (a suggestion, a case, a clue …).
    A clue's link is shown only to those who may see the clue."""
    action = ActionItem.objects.get(pk=action_id)
    actor = access.require(actor, "activities.actionitem.manage", action)
    if not records.can_view(actor, record):
        raise _fail(_("所选记录不存在或您无权查看。"), "record_id")
    if isinstance(record, ActionItem) and record.pk == action.pk:
        raise _fail(_("落实事项不能关联它自身。"), "record_id")
    ref = records.reference(record)
    with transaction.atomic():
        action = ActionItem.objects.select_for_update().get(pk=action_id)
        if ActionItemLink.objects.filter(action=action, **ref).exists():
            raise _fail(_("该记录已关联到本落实事项。"), "record_id")
        try:
            with transaction.atomic():
                link = ActionItemLink.objects.create(
                    action=action, linked_by=actor.user, linked_at=timezone.now(), **ref
                )
        except IntegrityError:
            raise _fail(_("该记录已关联到本落实事项。"), "record_id") from None
        if is_restricted(record):
            # On the clue's own trail, which only those who see the clue read: the action
            # item's trail (read by the meeting's people) does not learn it exists.
            audit.event(
                actor,
                "activities.action.linked",
                record,
                getattr(record, "owning_organisation_id", None) or action.owner_org_id,
                after={"link": link.pk, "action_item": action.pk, "action_title": action.title},
            )
        else:
            audit.event(
                actor,
                "activities.action.linked",
                action,
                action.owner_org_id,
                after={
                    "link": link.pk,
                    "record_type": records.record_label(record),
                    "record_id": record.pk,
                    "record_label": str(record)[:200],
                },
            )
    return link
