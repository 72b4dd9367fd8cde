"""The stations' API: read viewsets (stations, events, opinions, observations — the last for
the CDI's clue officers only), the figures and the public notice; the steps are made from the
declarations in stations/steps.py. A resident's phone number is never in an API answer."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from wulian.api.views import ReadViewSet, documented
from wulian.core import pages
from wulian.stations import selectors
from wulian.stations.filters import EventFilter, OpinionFilter, StationFilter
from wulian.stations.models import Event, Observation, Opinion, Station


class StationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Station
        fields = [
            "id",
            "name",
            "district",
            "address",
            "hours",
            "head_name",
            "practice_base",
            "version",
        ]
        read_only_fields = fields


class StationEventSerializer(serializers.ModelSerializer):
    station_name = serializers.CharField(source="station.organisation.name", read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "station",
            "station_name",
            "kind",
            "date",
            "starts_at",
            "place",
            "topic",
            "moved_from",
            "state",
            "attendance",
            "record",
            "version",
        ]
        read_only_fields = fields


class StationOpinionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Opinion
        fields = [
            "id",
            "event",
            "station",
            "year",
            "topic",
            "content",
            "consent",
            "disposition",
            "answer",
            "department",
            "handed_at",
            "reply",
            "replied_at",
            "replied_on_time",
            "suggestion",
            "elsewhere",
            "version",
        ]
        read_only_fields = fields


class StationObservationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Observation
        fields = [
            "id",
            "station",
            "event",
            "receiving_org",
            "subject_name",
            "subject_post",
            "content",
            "observed_on",
            "created_at",
        ]
        read_only_fields = fields


@documented("List liaison stations (代表联络站)", "One liaison station")
class StationViewSet(ReadViewSet):
    serializer_class = StationSerializer
    filterset_class = StationFilter
    wulian_policy = "stations.station.view"
    queryset = Station.objects.none()
    listed = (selectors, "station_list")


@documented("List the stations' events (联络站活动)", "One event")
class EventViewSet(ReadViewSet):
    serializer_class = StationEventSerializer
    filterset_class = EventFilter
    wulian_policy = "stations.event.view"
    queryset = Event.objects.none()
    listed = (selectors, "event_list")


@documented("List residents' opinions taken at the stations (群众意见)", "One opinion")
class OpinionViewSet(ReadViewSet):
    serializer_class = StationOpinionSerializer
    filterset_class = OpinionFilter
    wulian_policy = "stations.opinion.view"
    queryset = Opinion.objects.none()
    listed = (selectors, "opinion_list")


@documented(
    "List integrity monitors' observations (清廉监督员观察; CDI clue officers only)",
    "One observation",
)
class ObservationViewSet(ReadViewSet):
    serializer_class = StationObservationSerializer
    wulian_policy = "stations.observation.view"
    queryset = Observation.objects.none()
    listed = (selectors, "observation_list")


def figures_json(data: dict[str, Any]) -> dict[str, Any]:
    """The figures as JSON, each number with the list that shows its records."""
    year = data["year"]

    def row(r: selectors.FigureRow) -> dict[str, Any]:
        return {
            "label": r.label,
            "district": r.district,
            "station": r.station_id,
            "values": r.values,
            "urls": figure_urls(r, year),
        }

    return {
        "year": year,
        "total": data["total"].values,
        "districts": [row(r) for r in data["districts"]],
        "stations": [row(r) for r in data["stations"]],
    }


def figure_urls(r: selectors.FigureRow, year: int | None) -> dict[str, str]:
    """Where each number of a figures row leads: the filtered list of its records."""
    where = []
    if year:
        where.append(f"year={year}")
    if r.station_id:
        where.append(f"station={r.station_id}")
    elif r.district:
        where.append(f"district={r.district}")
    base = "&".join(where)
    events = reverse("stations:event_list") + "?" + "&".join([base, "state=held"]).strip("&")
    opinions = reverse("stations:opinion_list") + "?" + base

    def o(extra: str) -> str:
        return (opinions + "&" + extra) if base else (opinions + extra)

    return {
        "events_held": events,
        "attendance": events,
        "opinions": opinions,
        "answered": o("disposition=answered"),
        "handed": o("handed=true"),
        "replied_on_time": o("on_time=1"),
        "replied_late": o("on_time=0"),
        "raised": o("disposition=raised"),
        "declined": o("disposition=declined"),
    }


@extend_schema(
    summary="The liaison stations' figures (联络站数据统计) by district (and by station for one "
    "district), each number with the list URL that shows its records",
    parameters=[
        OpenApiParameter("year", OpenApiTypes.INT, description="四位数年度；省略时为全部年度"),
        OpenApiParameter("district", OpenApiTypes.STR, description="区县代码；给出时按联络站细分"),
    ],
    responses=OpenApiTypes.OBJECT,
    operation_id="stations_figures",
)
@api_view(["GET"])
def figures_api(request: Request) -> Response:
    data = selectors.figures(
        actor=request.user,
        year=pages.year_of(request.query_params),
        district=request.query_params.get("district", ""),
    )
    return Response(figures_json(data))


figures_api.cls.wulian_policy = "stations.figures.view"  # type: ignore[attr-defined]
