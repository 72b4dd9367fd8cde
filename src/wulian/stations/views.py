"""The liaison stations' pages, mounted at /stations/ (reads; the steps are declared in
stations/steps.py). The public notice needs no sign-in."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from wulian.core import access, pages, steps
from wulian.core.clues.models import Clue
from wulian.core.deadlines.models import Deadline
from wulian.core.records import reference
from wulian.core.viewpolicy import policy, public
from wulian.stations import forms, selectors
from wulian.stations.api import figure_urls
from wulian.stations.choices import Disposition, District, EventKind, EventState
from wulian.stations.filters import EventFilter, OpinionFilter, StationFilter
from wulian.stations.models import Event, Observation, Opinion, Station
from wulian.stations.rows import event_rows, opinion_rows


def _load(model: type[Model], pk: int, action: str, request: HttpRequest, *related: str) -> Any:
    qs = model._default_manager.all()
    if related:
        qs = qs.select_related(*related)
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404
    access.require(request.actor, action, obj)  # type: ignore[attr-defined]
    return obj


# --- Stations ------------------------------------------------------------------------------


@policy("stations.station.view")
@require_GET
def station_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    groups = selectors.stations_by_district(actor=actor, filters=request.GET)
    return render(
        request,
        "stations/station_list.html",
        {
            "groups": groups,
            "count": sum(len(g[1]) for g in groups),
            "filter": StationFilter(request.GET),
            "can_figures": access.can(actor, "stations.figures.view"),
            "can_observations": access.can(actor, "stations.observation.view"),
        },
    )


def _station_page(
    request: HttpRequest, pk: int, step_forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    station = _load(Station, pk, "stations.station.view", request, "organisation")
    actor = request.actor  # type: ignore[attr-defined]
    step_forms = step_forms or {}
    v = {"version": station.version}
    today = timezone.localdate()
    context: dict[str, Any] = {
        "station": station,
        "duties": selectors.duties(station),
        "rules": list(station.rules.all()),
        "upcoming": list(station.events.filter(date__gte=today).order_by("date")[:8]),
        "recent": list(station.events.filter(date__lt=today).order_by("-date")[:8]),
    }
    if access.can(actor, "stations.station.manage", station):
        context["rule_form"] = step_forms.get("rule_add") or forms.RuleForm(initial=v)
        context["schedule_form"] = step_forms.get("schedule") or forms.ScheduleForm(initial=v)
    return render(request, "stations/station_detail.html", context, status=status)


station_detail = pages.detail_view(_station_page, "stations.station.view")


# --- Events --------------------------------------------------------------------------------


@policy("stations.event.view")
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    from wulian.core import keyset

    page = keyset.page_for(
        request,
        selectors.event_list(actor=request.actor, filters=request.GET),  # type: ignore[attr-defined]
    )
    return render(
        request,
        "stations/event_list.html",
        {
            "page": page,
            "rows": event_rows(page.object_list),
            "query": keyset.query_without_cursor(request),
            "filter": EventFilter(request.GET),
        },
    )


def _event_page(
    request: HttpRequest, pk: int, step_forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    event = _load(Event, pk, "stations.event.view", request, "station__organisation")
    actor = request.actor  # type: ignore[attr-defined]
    step_forms = step_forms or {}
    today = timezone.localdate()
    context: dict[str, Any] = {
        "event": event,
        "on_duty": list(event.on_duty.all()),
        "opinions": opinion_rows(
            access.scope(actor, "stations.opinion.view", event.opinions.all())
            .select_related("station__organisation", "department", "event")
            .order_by("-id")[:50]
        ),
        "held_or_today": event.date <= today and event.state != EventState.CANCELLED,
    }
    if context["held_or_today"]:
        if access.can(actor, "stations.opinion.record", event):
            context["opinion_form"] = step_forms.get("opinion_add") or forms.OpinionForm()
        if access.can(actor, "stations.event.record", event):
            context["record_form"] = step_forms.get("record") or forms.EventRecordForm(
                initial={
                    "version": event.version,
                    "attendance": event.attendance or None,
                    "record": event.record,
                }
            )
        if access.can(actor, "stations.observation.create", event):
            context["observation_form"] = step_forms.get("observe") or forms.ObservationForm()
    return render(request, "stations/event_detail.html", context, status=status)


event_detail = pages.detail_view(_event_page, "stations.event.view")


@public
@require_GET
def notice(request: HttpRequest) -> HttpResponse:
    """The public notice of the coming events (no sign-in): dates, places, names only."""
    district = request.GET.get("district", "")
    return render(
        request,
        "stations/notice.html",
        {
            "notices": selectors.public_notices(district=district),
            "districts": District.choices,
            "district": district,
        },
    )


# --- Opinions ------------------------------------------------------------------------------


@policy("stations.opinion.view")
@require_GET
def opinion_list(request: HttpRequest) -> HttpResponse:
    from wulian.core import keyset

    actor = request.actor  # type: ignore[attr-defined]
    page = keyset.page_for(request, selectors.opinion_list(actor=actor, filters=request.GET))
    return render(
        request,
        "stations/opinion_list.html",
        {
            "page": page,
            "rows": opinion_rows(page.object_list),
            "query": keyset.query_without_cursor(request),
            "filter": OpinionFilter(request.GET),
            "year": timezone.localdate().year,
        },
    )


def _opinion_page(
    request: HttpRequest, pk: int, step_forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    o = _load(
        Opinion,
        pk,
        "stations.opinion.view",
        request,
        "station__organisation",
        "department",
        "event",
        "suggestion",
    )
    actor = request.actor  # type: ignore[attr-defined]
    step_forms = step_forms or {}
    v = {"version": o.version}
    from wulian.stations.policies import congress_desk, station_orgs

    context: dict[str, Any] = {
        "o": o,
        # The phone number: the station and the congress side, never the department.
        "show_contact": bool(congress_desk(actor))
        or o.station.organisation_id in station_orgs(actor),
        "deadlines": list(Deadline.objects.filter(**reference(o)).order_by("-id")),
        "suggestion_visible": o.suggestion_id is not None
        and access.can(actor, "suggestions.suggestion.view", o.suggestion),
    }
    if o.disposition == Disposition.OPEN:
        if access.can(actor, "stations.opinion.handle", o):
            context["answer_form"] = step_forms.get("answer") or forms.AnswerForm(initial=v)
            context["hand_form"] = step_forms.get("hand") or forms.HandForm(initial=v)
            context["decline_form"] = step_forms.get("decline") or forms.DeclineForm(initial=v)
        if access.can(actor, "stations.opinion.raise", o):
            context["raise_form"] = step_forms.get("raise") or forms.RaiseForm(
                initial={**v, "title": o.topic, "content": o.content}
            )
    if o.disposition == Disposition.HANDED and access.can(actor, "stations.opinion.reply", o):
        context["reply_form"] = step_forms.get("reply") or forms.ReplyForm(initial=v)
    return render(request, "stations/opinion_detail.html", context, status=status)


opinion_detail = pages.detail_view(_opinion_page, "stations.opinion.view")


@policy("stations.figures.view")
@require_GET
def topics(request: HttpRequest) -> HttpResponse:
    year = pages.year_of(request.GET) or timezone.localdate().year
    groups = selectors.topic_groups(actor=request.actor, year=year)  # type: ignore[attr-defined]
    return render(request, "stations/topics.html", {"groups": groups[:100], "year": year})


# --- Observations (CDI clue officers only) --------------------------------------------------


@policy("stations.observation.view")
@require_GET
def observation_list(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.observation_list(actor=request.actor)[:200])  # type: ignore[attr-defined]
    return render(request, "stations/observation_list.html", {"rows": rows})


def _observation_page(
    request: HttpRequest, pk: int, step_forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    ob = selectors.observation_list(actor=request.actor).filter(pk=pk).first()  # type: ignore[attr-defined]
    if ob is None:
        raise Http404  # a clue-grade record's existence is not revealed
    clue = Clue.objects.filter(
        source_type=ContentType.objects.get_for_model(Observation), source_id=ob.pk
    ).first()
    context: dict[str, Any] = {"ob": ob, "clue": clue}
    if clue is None and access.can(request.actor, "stations.observation.intake", ob):  # type: ignore[attr-defined]
        context["intake_form"] = (step_forms or {}).get("intake") or steps.step_of(
            Observation, "intake"
        ).page_form(request.actor, ob)  # type: ignore[attr-defined]
    return render(request, "stations/observation_detail.html", context, status=status)


observation_detail = pages.detail_view(_observation_page, "stations.observation.view")


# --- Figures -------------------------------------------------------------------------------


@policy("stations.figures.view")
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    year = pages.year_of(request.GET)
    district = request.GET.get("district", "")
    data = selectors.figures(actor=request.actor, year=year, district=district)  # type: ignore[attr-defined]
    rows = []
    for r in data["districts"] + data["stations"]:
        urls = figure_urls(r, year)
        rows.append((r, [(r.values[f], urls[f]) for f in selectors.FIGURE_FIELDS]))
    return render(
        request,
        "stations/figures.html",
        {
            "district_rows": rows[: len(data["districts"])],
            "station_rows": rows[len(data["districts"]) :],
            "total": data["total"],
            "year": year,
            "district": dict(District.choices).get(district, ""),
            "kinds": EventKind.choices,
        },
    )
