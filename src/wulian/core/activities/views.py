"""Pages of supervision activities: the ledger, the activity page (participants, linked
records, notes, attachments, findings, timeline) and its forms. Each view parses input, calls
one service or selector, and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

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
from wulian.core.activities.models import Activity
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
