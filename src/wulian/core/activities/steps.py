"""The steps of a supervision activity, declared once: the activity page's forms and
`POST /api/v1/activities/{id}/<step>/` are made from them (wulian.core.steps, ADR 0017): mark
it held (with who attended), cancel it, add or remove a participating organisation, link or
unlink a record. The
activity itself is read through the activities API (`GET /api/v1/activities/{id}/`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from wulian.core import access, steps
from wulian.core.activities import meeting_services, selectors, services
from wulian.core.activities.api import ActionItemSerializer, ActivitySerializer, MeetingSerializer
from wulian.core.activities.forms import (
    ActionForm,
    ActionLinkForm,
    ActionReportForm,
    ActionReturnForm,
    ActionVerifyForm,
    AgendaForm,
    AttendanceForm,
    CancelForm,
    ConvenerForm,
    DecisionForm,
    HoldForm,
    IssueForm,
    LinkForm,
    MinutesForm,
    ParticipantForm,
    ParticipantRemoveForm,
    RecordUnlinkForm,
    SignForm,
)
from wulian.core.activities.models import ActionItem, Activity
from wulian.core.attachments.selectors import record_for
from wulian.core.errors import ValidationFailed
from wulian.core.models import Person
from wulian.core.steps import RecordBinding, Step

MANAGE = "activities.activity.manage"
# The activity page's keyword for each step's form (activities.views._detail_page).
_PAGE_FORMS = {
    "hold": "hold_form",
    "cancel": "cancel_form",
    "participant_add": "participant_form",
    "record_link": "link_form",
}


def _invalid(request: Any, activity: Activity, step: Step, form: Any, **kw: Any) -> Any:
    from wulian.core.activities.views import _detail_page

    if step.name not in _PAGE_FORMS:  # a removal: its button has no form to show again
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        if kw.get("error") and not form.errors:
            messages.error(request, kw["error"])
        return redirect(activity.get_absolute_url() + step.anchor)
    return _detail_page(request, activity.pk, status=kw["status"], **{_PAGE_FORMS[step.name]: form})


def _people(actor: access.Actor) -> Any:
    return access.scope(actor, "core.person.view", Person.objects.filter(is_active=True))


def _link(actor: access.Actor, activity: Activity, data: dict[str, Any]) -> Any:
    try:
        record = record_for(data["record_type"], data["record_id"])
    except LookupError:
        message = _g("所选记录不存在或您无权查看。")
        raise ValidationFailed(message, field_errors={"record_id": [message]}) from None
    return services.activity_record_link(actor=actor, activity_id=activity.pk, record=record)


steps.record(
    RecordBinding(
        model=Activity,
        queryset=lambda: Activity.objects.all(),
        view_action="activities.activity.view",
        url=lambda a: a.get_absolute_url(),
        invalid=_invalid,
        api_path="activities",
        serialize=lambda a, actor: (
            ActivitySerializer(selectors.activity_list(actor=actor).get(pk=a.pk)).data
        ),
        response=ActivitySerializer,
    )
)

activity = steps.on(Activity)

steps.declare(
    activity(
        "hold",
        url_name="activity_hold",
        action=MANAGE,
        form=HoldForm,
        form_kwargs=lambda actor, a: {
            "participants": list(a.participants.all()),
            "version": a.version,
        },
        call=lambda actor, a, d: services.activity_hold(
            actor=actor,
            activity_id=a.pk,
            version=d["version"],
            attended_participant_ids=[int(v) for v in d.get("attended", [])],
        ),
        done=_("已标记为已举行。可在本页关联记录、提出发现的问题。"),
        summary="Mark the activity held, with who attended (已举行)",
    ),
    activity(
        "cancel",
        url_name="activity_cancel",
        action=MANAGE,
        form=CancelForm,
        form_kwargs=lambda actor, a: {"version": a.version},
        service=services.activity_cancel,
        done=_("活动已取消，取消原因记录在活动记录中。"),
        summary="Cancel the activity with a reason (取消活动)",
    ),
    activity(
        "participant_add",
        url_name="participant_add",
        page_path="<int:pk>/participants/",
        action=MANAGE,
        form=ParticipantForm,
        form_kwargs=lambda actor, a: {"people": _people(actor)},
        call=lambda actor, a, d: services.activity_participant_add(
            actor=actor,
            activity_id=a.pk,
            organisation_id=d["organisation"].pk,
            person_id=d["person"].pk if d.get("person") else None,
            role=d["role"],
        ),
        done=_("已添加参加单位。"),
        anchor="#participants",
        summary="Add a participating organisation (and person) to the activity (参加单位)",
    ),
    activity(
        "record_link",
        url_name="record_link",
        page_path="<int:pk>/records/",
        action=MANAGE,
        form=LinkForm,
        form_kwargs=lambda actor, a: {"types": selectors.linkable_types()},
        call=_link,
        done=_("已关联记录。"),
        anchor="#records",
        summary="Link a record the caller may see to the activity (关联记录)",
    ),
    activity(
        "participant_remove",
        page_path="<int:pk>/participants/remove/",
        action=MANAGE,
        form=ParticipantRemoveForm,
        form_kwargs=lambda actor, a: {"participants": a.participants.all()},
        call=lambda actor, a, d: services.activity_participant_remove(
            actor=actor, participant_id=d["participant"].pk
        ),
        done=_("已从参加名单中移除。"),
        anchor="#participants",
        summary="Remove a participating organisation from the activity (移除参加单位)",
    ),
    activity(
        "record_unlink",
        page_path="<int:pk>/records/unlink/",
        action=MANAGE,
        form=RecordUnlinkForm,
        form_kwargs=lambda actor, a: {"links": a.record_links.all()},
        call=lambda actor, a, d: services.activity_record_unlink(actor=actor, link_id=d["link"].pk),
        done=_("已取消关联。"),
        anchor="#records",
        summary="Unlink a record from the activity (取消关联)",
    ),
)


# --- Meetings (ADR 0023) ------------------------------------------------------------------
# Steps on the meeting's activity (its page and /api/v1/activities/{id}/<step>/), answered
# with the meeting; steps on an action item (its page and /api/v1/action-items/{id}/<step>/).

SIGN = "activities.meeting.sign"


def _meeting_answer(result: Any, actor: access.Actor) -> dict[str, Any]:
    from wulian.core.activities.api import MeetingSerializer
    from wulian.core.activities.models import (
        ActivityParticipant,
        AgendaItem,
        Decision,
        Meeting,
        MeetingConvener,
    )

    if isinstance(result, Meeting):
        meeting_id = result.pk
    elif isinstance(result, (MeetingConvener, AgendaItem, Decision)):
        meeting_id = result.meeting_id
    elif isinstance(result, ActivityParticipant):
        meeting_id = Meeting.objects.get(activity_id=result.activity_id).pk
    else:  # an action item
        meeting_id = result.decision.meeting_id
    return MeetingSerializer(selectors.meeting_read(meeting_id)).data


def _minutes_version(activity: Activity) -> dict[str, Any]:
    meeting = getattr(activity, "meeting", None)
    return {"initial": {"minutes_version": meeting.version if meeting else 0}}


def _signing_orgs(actor: access.Actor, activity: Activity) -> Any:
    from wulian.core.activities.policies import signing_org_ids
    from wulian.core.models import Organisation

    meeting = getattr(activity, "meeting", None)
    ids = signing_org_ids(actor, meeting) if meeting is not None else []
    return Organisation.objects.filter(pk__in=ids).order_by("sort_order", "code")


def _decisions(activity: Activity) -> Any:
    from wulian.core.activities.models import Decision

    return Decision.objects.filter(meeting__activity=activity).order_by("position")


def _minutes_page(request: Any, activity: Activity, form: Any, status: int) -> Any:
    from wulian.core.activities.views import minutes_page

    return minutes_page(request, activity, form, status)


def _action_link(actor: access.Actor, action: Any, data: dict[str, Any]) -> Any:
    try:
        record = record_for(data["record_type"], data["record_id"])
    except LookupError:
        message = _g("所选记录不存在或您无权查看。")
        raise ValidationFailed(message, field_errors={"record_id": [message]}) from None
    return meeting_services.action_link(actor=actor, action_id=action.pk, record=record)


def _meeting_step(name: str, **kw: Any) -> Step:
    return activity(name, answer=_meeting_answer, answer_schema=MeetingSerializer, **kw)


steps.declare(
    _meeting_step(
        "convener_add",
        page_path="<int:pk>/conveners/",
        action=MANAGE,
        form=ConvenerForm,
        call=lambda actor, a, d: meeting_services.meeting_convener_add(
            actor=actor, activity_id=a.pk, organisation_id=d["organisation"].pk
        ),
        done=_("已增加召集单位。纪要印发前须由每个召集单位的负责人会签。"),
        anchor="#meeting",
        summary="Add a convening organisation to the meeting (召集单位)",
    ),
    _meeting_step(
        "agenda_add",
        page_path="<int:pk>/agenda/",
        action=MANAGE,
        form=AgendaForm,
        call=lambda actor, a, d: meeting_services.meeting_agenda_add(
            actor=actor,
            activity_id=a.pk,
            title=d["title"],
            presenter_org_id=d["presenter_org"].pk if d.get("presenter_org") else None,
            presenter=d.get("presenter", ""),
        ),
        done=_("已增加议题。汇报材料可在议题一栏上传。"),
        anchor="#agenda",
        summary="Add an agenda item with its presenter (议题)",
    ),
    _meeting_step(
        "attendance",
        page_path="<int:pk>/attendance/",
        action=MANAGE,
        form=AttendanceForm,
        form_kwargs=lambda actor, a: {"participants": a.participants.all()},
        call=lambda actor, a, d: meeting_services.meeting_attendance(
            actor=actor,
            activity_id=a.pk,
            participant_id=d["participant"].pk,
            attendance=d["attendance"],
            reason=d.get("reason", ""),
        ),
        done=_("已登记出席情况。"),
        anchor="#attendance",
        summary="Record whether a participant came, was excused (with the reason) or absent",
    ),
    _meeting_step(
        "minutes",
        page_path="<int:pk>/minutes/",
        action=MANAGE,
        form=MinutesForm,
        page=_minutes_page,
        call=lambda actor, a, d: meeting_services.minutes_save(
            actor=actor,
            activity_id=a.pk,
            version=d["minutes_version"],
            title=d["title"],
            body=d["body"],
        ),
        done=_("会议纪要已保存。请各召集单位负责人会签，会签齐全后印发。"),
        anchor="#minutes",
        summary="Draft or edit the minutes (会议纪要); a change clears the co-signatures",
    ),
    _meeting_step(
        "minutes_sign",
        page_path="<int:pk>/minutes/sign/",
        action=SIGN,
        form=SignForm,
        form_kwargs=lambda actor, a: {"organisations": _signing_orgs(actor, a)},
        call=lambda actor, a, d: meeting_services.minutes_sign(
            actor=actor,
            activity_id=a.pk,
            version=d["minutes_version"],
            organisation_id=d["organisation"].pk if d.get("organisation") else None,
        ),
        done=_("已会签会议纪要。"),
        anchor="#minutes",
        summary="Co-sign the minutes as the leader of a convening side (会签)",
    ),
    _meeting_step(
        "minutes_issue",
        page_path="<int:pk>/minutes/issue/",
        action=MANAGE,
        form=IssueForm,
        call=lambda actor, a, d: meeting_services.minutes_issue(
            actor=actor, activity_id=a.pk, version=d["minutes_version"]
        ),
        done=_("会议纪要已印发，已通知各参加单位。"),
        anchor="#minutes",
        confirm=_("印发后纪要不能再修改。确认印发？"),
        summary="Issue the co-signed minutes with their number (印发会议纪要)",
    ),
    _meeting_step(
        "decision_add",
        page_path="<int:pk>/decisions/",
        action=MANAGE,
        form=DecisionForm,
        call=lambda actor, a, d: meeting_services.decision_add(
            actor=actor, activity_id=a.pk, text=d["text"]
        ),
        done=_("已记录议定事项。请为它分解落实事项。"),
        anchor="#decisions",
        summary="Record a decision of the meeting (议定事项)",
    ),
    _meeting_step(
        "action_add",
        page_path="<int:pk>/actions/",
        action=MANAGE,
        form=ActionForm,
        form_kwargs=lambda actor, a: {"decisions": _decisions(a), "people": _people(actor)},
        call=lambda actor, a, d: meeting_services.action_add(
            actor=actor,
            activity_id=a.pk,
            decision_id=d["decision"].pk,
            title=d["title"],
            owner_org_id=d["owner_org"].pk,
            owner_person_id=d["owner_person"].pk if d.get("owner_person") else None,
            due_date=d.get("due_date"),
            working_days=d.get("working_days"),
        ),
        done=_("已交办落实事项，已通知责任单位；到期前提醒，逾期向召集单位报告。"),
        anchor="#decisions",
        summary="Give a decision an action item: owner, due date or working days (落实事项)",
    ),
)


steps.record(
    RecordBinding(
        model=ActionItem,
        queryset=lambda: ActionItem.objects.select_related(
            "decision__meeting__activity", "owner_org", "owner_person"
        ),
        view_action="activities.actionitem.view",
        url=lambda a: a.get_absolute_url(),
        api_path="action-items",
        serialize=lambda a, actor: ActionItemSerializer(selectors.action_read(a.pk)).data,
        response=ActionItemSerializer,
        id_arg="action_id",
    )
)

action_item = steps.on(ActionItem)

steps.declare(
    action_item(
        "report",
        url_name="action_report",
        action="activities.actionitem.report",
        form=ActionReportForm,
        service=meeting_services.action_report,
        done=_("已报告完成，已请召集单位核验。"),
        summary="The owner reports the action item done (报告完成)",
    ),
    action_item(
        "verify",
        url_name="action_verify",
        action="activities.actionitem.verify",
        form=ActionVerifyForm,
        service=meeting_services.action_verify,
        done=_("已核验，落实事项办结，已通知责任单位。"),
        summary="A convener verifies the reported action item (核验办结)",
    ),
    action_item(
        "send_back",
        url_name="action_send_back",
        action="activities.actionitem.verify",
        form=ActionReturnForm,
        call=lambda actor, a, d: meeting_services.action_return(
            actor=actor,
            action_id=a.pk,
            version=d["version"],
            reason=d["reason"],
            working_days=d["working_days"],
        ),
        done=_("已退回责任单位继续落实，并重新计算期限。"),
        summary="A convener sends the reported action item back with a reason (退回)",
    ),
    action_item(
        "link",
        url_name="action_link",
        page_path="action-items/<int:pk>/records/",
        action="activities.actionitem.manage",
        form=ActionLinkForm,
        form_kwargs=lambda actor, a: {"types": selectors.linkable_types()},
        call=_action_link,
        done=_("已关联记录。"),
        anchor="#records",
        summary="Link a record the caller may see to the action item (关联记录)",
    ),
)
