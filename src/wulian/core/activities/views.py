"""Pages of supervision activities: the ledger, the activity page (participants, linked
records, notes, attachments, findings, timeline) and its forms. Each view parses input, calls
one service or selector, and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wulian.core import access
from wulian.core import selectors as core_selectors
from wulian.core.activities import panels, selectors, services
from wulian.core.activities.filters import ActivityFilter
from wulian.core.activities.forms import (
    ActivityForm,
    CancelForm,
    HoldForm,
    LinkForm,
    ParticipantForm,
)
from wulian.core.activities.models import ActionItem, Activity
from wulian.core.activities.policies import manager_org_ids
from wulian.core.formkit import submit
from wulian.core.models import Organisation, Person
from wulian.core.paging import paginate, query_without_page
from wulian.core.viewpolicy import policy


@policy("activities.activity.view")
def activity_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.activity_list(actor=request.actor, filters=request.GET)
    page = paginate(request, qs)
    return render(
        request,
        "activities/activity_list.html",
        {
            "page": page,
            "filter": ActivityFilter(request.GET),
            "query": query_without_page(request),
            "can_create": access.can(request.actor, "activities.activity.create"),
        },
    )


def _people(actor: access.Actor) -> Any:
    return access.scope(actor, "core.person.view", Person.objects.filter(is_active=True))


def _detail_page(
    request: HttpRequest,
    pk: int,
    *,
    participant_form: ParticipantForm | None = None,
    link_form: LinkForm | None = None,
    hold_form: HoldForm | None = None,
    cancel_form: CancelForm | None = None,
    status: int = 200,
) -> HttpResponse:
    get_object_or_404(Activity, pk=pk)
    actor = request.actor
    activity = selectors.activity_detail(actor=actor, activity_id=pk)
    participants = list(activity.participants.all())
    can_manage = access.can(actor, "activities.activity.manage", activity)
    context: dict[str, Any] = {
        "activity": activity,
        "participants": participants,
        "linked": selectors.linked_records(actor=actor, activity=activity),
        "timeline": core_selectors.record_timeline(target_type="activities.activity", target_id=pk),
        "findings_panels": panels.render_slot(
            "findings", request=request, actor=actor, activity=activity
        ),
        "can_manage": can_manage,
    }
    if can_manage and activity.state != "cancelled":
        context["participant_form"] = participant_form or ParticipantForm(people=_people(actor))
        context["link_form"] = link_form or LinkForm(types=selectors.linkable_types())
    context.update(_meeting_context(request, activity, can_manage))
    if can_manage and activity.state == "planned":
        context["hold_form"] = hold_form or HoldForm(
            participants=participants, version=activity.version
        )
        context["cancel_form"] = cancel_form or CancelForm(version=activity.version)
    return render(request, "activities/activity_detail.html", context, status=status)


@policy("activities.activity.view", per_record=True)
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, pk)


def _organisers(actor: access.Actor) -> Any:
    return Organisation.objects.filter(pk__in=manager_org_ids(actor), is_active=True).order_by(
        "sort_order", "code"
    )


@policy("activities.activity.create")
def activity_create(request: HttpRequest) -> HttpResponse:
    form = ActivityForm(
        request.POST if request.method == "POST" else None, organisers=_organisers(request.actor)
    )
    outcome = submit(
        form,
        lambda: services.activity_create(actor=request.actor, data=form.to_data()),
    )
    if outcome.saved:
        activity = outcome.result
        messages.success(request, _("活动已创建。"))
        return redirect(activity.get_absolute_url())
    return render(request, "activities/activity_form.html", {"form": form}, status=outcome.status)


def _managed(request: HttpRequest, pk: int) -> Activity:
    activity = get_object_or_404(Activity, pk=pk)
    access.require(request.actor, "activities.activity.manage", activity)
    return activity


@policy("activities.activity.manage", per_record=True)
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _managed(request, pk)
    form = ActivityForm(request.POST if request.method == "POST" else None, instance=activity)
    outcome = submit(
        form,
        lambda: services.activity_update(
            actor=request.actor,
            activity_id=activity.pk,
            version=form.cleaned_data["version"],
            data=form.to_data(),
        ),
    )
    if outcome.saved:
        messages.success(request, _("活动信息已保存。"))
        return redirect(activity.get_absolute_url())
    return render(
        request,
        "activities/activity_form.html",
        {"form": form, "activity": activity},
        status=outcome.status,
    )


# --- Meetings (ADR 0023) ------------------------------------------------------------------


def _meeting_context(request: HttpRequest, activity: Activity, can_manage: bool) -> dict[str, Any]:
    """The meeting parts of the activity page: conveners and co-signatures, agenda (with its
    documents), attendance, minutes, decisions with their action items, and the forms of the
    steps this person may take."""
    from wulian.core.activities import meeting_ui
    from wulian.core.activities.choices import MinutesState
    from wulian.core.activities.forms import (
        ActionForm,
        AgendaForm,
        AttendanceForm,
        ConvenerForm,
        DecisionForm,
        IssueForm,
        SignForm,
    )
    from wulian.core.activities.policies import signing_org_ids

    actor = request.actor
    view = selectors.meeting_view(actor=actor, activity=activity)
    if view is None:
        return {}
    meeting = view.meeting
    now = timezone.now()
    live = activity.state != "cancelled"
    held = activity.state == "held"
    issued = meeting.minutes_state == MinutesState.ISSUED
    mv = {"minutes_version": meeting.version}
    context: dict[str, Any] = {
        "meeting": meeting,
        "missing_signatures": view.missing,
        "convener_rows": meeting_ui.convener_rows(view.conveners, meeting.version),
        "agenda_rows": meeting_ui.agenda_rows(
            request,
            view.agenda,
            view.documents,
            live and access.can(actor, "activities.activity.attach", activity),
        ),
        "has_agenda": bool(view.agenda),
        "attendance_rows": meeting_ui.attendance_rows(activity.participants.all()),
        "decision_rows": meeting_ui.decision_rows(view.decisions, now),
        "has_decisions": bool(view.decisions),
    }
    if can_manage and live:
        context["convener_form"] = None if issued else ConvenerForm()
        context["agenda_form"] = AgendaForm()
        context["attendance_form"] = AttendanceForm(participants=activity.participants.all())
    if can_manage and held:
        context["can_edit_minutes"] = not issued
        context["decision_form"] = DecisionForm()
        if view.decisions:
            context["action_form"] = ActionForm(
                decisions=meeting.decisions.order_by("position"), people=_people(actor)
            )
        if meeting.minutes_state == MinutesState.DRAFT:
            context["issue_form"] = IssueForm(initial=mv)
    if meeting.minutes_state == MinutesState.DRAFT:
        mine = signing_org_ids(actor, meeting)
        unsigned = [
            c.organisation_id
            for c in view.conveners
            if c.organisation_id in mine
            and (c.signed_at is None or c.signed_version != meeting.version)
        ]
        if unsigned:
            form = SignForm(organisations=Organisation.objects.filter(pk__in=mine), initial=mv)
            if len(mine) == 1:
                form.fields["organisation"].widget = form.fields["organisation"].hidden_widget()
                form.initial["organisation"] = mine[0]
            context["sign_form"] = form
    return context


def minutes_page(
    request: HttpRequest, activity: Activity, form: Any, status: int = 200
) -> HttpResponse:
    """The minutes' edit page (the `minutes` step's own page)."""
    from wulian.core.activities.forms import MinutesForm

    meeting = selectors.meeting_read(activity.meeting.pk)
    if form is None:
        form = MinutesForm(
            initial={
                "minutes_version": meeting.version,
                "title": meeting.minutes_title or _("%(t)s纪要") % {"t": activity.title},
                "body": meeting.minutes_body,
            }
        )
    return render(
        request,
        "activities/minutes_form.html",
        {"activity": activity, "meeting": meeting, "form": form},
        status=status,
    )


def _meeting_or_404(request: HttpRequest, pk: int) -> Any:
    activity = get_object_or_404(Activity, pk=pk)
    access.require(request.actor, "activities.activity.view", activity)
    meeting = getattr(activity, "meeting", None)
    if meeting is None:
        raise Http404
    return selectors.meeting_read(meeting.pk)


@policy("activities.activity.view", per_record=True)
@require_GET
def minutes_docx(request: HttpRequest, pk: int) -> HttpResponse:
    from wulian.core.activities import exports
    from wulian.core.attachments.views import content_disposition

    meeting = _meeting_or_404(request, pk)
    if not meeting.minutes_body:
        raise Http404
    name, data = exports.minutes_docx(meeting)
    response = HttpResponse(data, content_type=exports.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(name, fallback="minutes.docx")
    return response


def _domain(request: HttpRequest) -> str:
    return request.get_host().split(":")[0] or "wulian"


@policy("activities.activity.view", per_record=True)
@require_GET
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    from wulian.core.activities import exports

    activity = get_object_or_404(Activity.objects.select_related("organiser"), pk=pk)
    access.require(request.actor, "activities.activity.view", activity)
    data = exports.ics([activity], domain=_domain(request), name=activity.title)
    response = HttpResponse(data, content_type=exports.ICS_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="activity-{activity.pk}.ics"'
    return response


@policy("activities.activity.view")
@require_GET
def meetings_ics(request: HttpRequest) -> HttpResponse:
    """The meetings the person may see, from a year ago on, as one calendar (2 queries)."""
    from datetime import timedelta

    from wulian.core.activities import exports
    from wulian.core.activities.choices import MEETING_KINDS
    from wulian.core.activities.models import AgendaItem

    since = timezone.now() - timedelta(days=366)
    qs = (
        access.scope(request.actor, "activities.activity.view", Activity.objects.all())
        .filter(kind__in=sorted(MEETING_KINDS), starts_at__gte=since)
        .select_related("organiser", "meeting")
        .prefetch_related(
            Prefetch("meeting__agenda", queryset=AgendaItem.objects.order_by("position"))
        )
        .order_by("starts_at", "id")[:1000]
    )
    data = exports.ics(qs, domain=_domain(request), name=_("监督会议"))
    response = HttpResponse(data, content_type=exports.ICS_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="meetings.ics"'
    return response


@policy("activities.actionitem.view")
@require_GET
def action_list(request: HttpRequest) -> HttpResponse:
    from wulian.core.activities import meeting_ui
    from wulian.core.activities.filters import ActionItemFilter

    qs = selectors.action_list(actor=request.actor, filters=request.GET)
    page = paginate(request, qs)
    return render(
        request,
        "activities/action_list.html",
        {
            "page": page,
            "rows": meeting_ui.action_rows(page.object_list),
            "filter": ActionItemFilter(request.GET),
            "query": query_without_page(request),
        },
    )


@policy("activities.actionitem.view")
@require_GET
def action_export(request: HttpRequest) -> HttpResponse:
    from wulian.core.activities import exports

    qs = selectors.action_list(actor=request.actor, filters=request.GET).select_related("decision")[
        :10000
    ]
    response = HttpResponse(exports.actions_xlsx(qs), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="meeting-actions.xlsx"'
    return response


@policy("activities.actionitem.view", per_record=True)
@require_GET
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from wulian.core.activities.forms import (
        ActionLinkForm,
        ActionReportForm,
        ActionReturnForm,
        ActionVerifyForm,
    )
    from wulian.core.activities.meeting_ui import action_state_badge

    actor = request.actor
    get_object_or_404(ActionItem, pk=pk)
    action = selectors.action_detail(actor=actor, action_id=pk)
    v = {"version": action.version}
    context: dict[str, Any] = {
        "action": action,
        "activity": action.decision.meeting.activity,
        "state_badge": action_state_badge(action, timezone.now()),
        "links": selectors.action_links(actor=actor, action=action),
        "timeline": core_selectors.record_timeline(
            target_type="activities.actionitem", target_id=pk
        ),
        "meeting_visible": access.can(
            actor, "activities.activity.view", action.decision.meeting.activity
        ),
    }
    if action.state == "open" and access.can(actor, "activities.actionitem.report", action):
        context["report_form"] = ActionReportForm(initial=v)
    if action.state == "reported" and access.can(actor, "activities.actionitem.verify", action):
        context["verify_form"] = ActionVerifyForm(initial=v)
        context["return_form"] = ActionReturnForm(initial=v)
    if access.can(actor, "activities.actionitem.manage", action):
        context["link_form"] = ActionLinkForm(types=selectors.linkable_types())
    return render(request, "activities/action_detail.html", context)
