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
from wulian.core.activities import selectors, services
from wulian.core.activities.api import ActivitySerializer
from wulian.core.activities.forms import (
    CancelForm,
    HoldForm,
    LinkForm,
    ParticipantForm,
    ParticipantRemoveForm,
    RecordUnlinkForm,
)
from wulian.core.activities.models import Activity
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
