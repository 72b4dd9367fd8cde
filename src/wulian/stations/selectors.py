"""Reads of the liaison-station link, scoped by access."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.models import Person
from wulian.stations.choices import District, DutyRole, EventState
from wulian.stations.filters import EventFilter, OpinionFilter, StationFilter
from wulian.stations.models import Duty, Event, Observation, Opinion, Station, Tally
from wulian.suggestions import similarity

# How far ahead the public notice page looks.
NOTICE_HORIZON_DAYS = 30
# The topic groups are proposed among at most this many of a year's opinions (newest first).
MAX_GROUPED = 5_000


def _filtered(filter_class: Any, filters: Any, qs: QuerySet) -> QuerySet:
    return filter_class(filters, queryset=qs).qs if filters is not None else qs


def station_list(*, actor: Actor, filters: Any = None) -> QuerySet:
    qs = Station.objects.select_related("organisation").order_by("district", "organisation__name")
    return _filtered(StationFilter, filters, access.scope(actor, "stations.station.view", qs))


def stations_by_district(*, actor: Actor, filters: Any = None) -> list[tuple[str, list[Station]]]:
    """The stations grouped by district, in the districts' order (the map-like list)."""
    rows = list(station_list(actor=actor, filters=filters))
    out: list[tuple[str, list[Station]]] = []
    for value, label in District.choices:
        here = [s for s in rows if s.district == value]
        if here:
            out.append((label, here))
    return out


def duties(station: Station) -> dict[str, list[Person]]:
    found: dict[str, list[Person]] = {DutyRole.DEPUTY: [], DutyRole.MONITOR: []}
    for d in Duty.objects.filter(station=station).select_related("person"):
        found[d.role].append(d.person)
    return found


def event_list(*, actor: Actor, filters: Any = None) -> QuerySet:
    qs = Event.objects.select_related("station__organisation").order_by("-id")
    return _filtered(EventFilter, filters, access.scope(actor, "stations.event.view", qs))


def opinion_list(*, actor: Actor, filters: Any = None) -> QuerySet:
    qs = Opinion.objects.select_related("station__organisation", "department", "event").order_by(
        "-id"
    )
    return _filtered(OpinionFilter, filters, access.scope(actor, "stations.opinion.view", qs))


def observation_list(*, actor: Actor) -> QuerySet:
    qs = Observation.objects.select_related("station__organisation").order_by("-id")
    return access.scope(actor, "stations.observation.view", qs)


@dataclass(frozen=True)
class Notice:
    """One line of the public notice: nothing a stranger should not read."""

    date: date
    starts_at: Any
    kind: str
    station: str
    district: str
    place: str
    topic: str
    moved_from: date | None
    deputies: tuple[str, ...]
    monitors: tuple[str, ...]


def public_notices(*, today: date | None = None, district: str = "") -> list[Notice]:
    """The events of the coming weeks, for the page without sign-in: date, time, place and the
    names of who is on duty — never a phone number, an address of a person or an account.
    Every event is on it from the day it is scheduled, at least NOTICE_DAYS days before."""
    today = today or timezone.localdate()
    qs = (
        Event.objects.filter(
            state=EventState.PLANNED,
            date__gte=today,
            date__lte=today + timedelta(days=NOTICE_HORIZON_DAYS),
        )
        .select_related("station__organisation")
        .prefetch_related(Prefetch("on_duty", queryset=Person.objects.only("id", "name")))
        .order_by("date", "starts_at", "station__organisation__name")
    )
    if district in District.values:
        qs = qs.filter(station__district=district)
    qs = qs[:500]
    events = list(qs)
    roles = dict(
        ((d.station_id, d.person_id), d.role)
        for d in Duty.objects.filter(station_id__in={e.station_id for e in events}).only(
            "station_id", "person_id", "role"
        )
    )
    out = []
    for e in events:
        people = sorted(e.on_duty.all(), key=lambda p: p.pk)
        out.append(
            Notice(
                date=e.date,
                starts_at=e.starts_at,
                kind=e.get_kind_display(),
                station=e.station.organisation.name,
                district=e.station.get_district_display(),
                place=e.place,
                topic=e.topic,
                moved_from=e.moved_from,
                deputies=tuple(
                    p.name for p in people if roles.get((e.station_id, p.pk)) == DutyRole.DEPUTY
                ),
                monitors=tuple(
                    p.name for p in people if roles.get((e.station_id, p.pk)) == DutyRole.MONITOR
                ),
            )
        )
    return out


# --- Figures -------------------------------------------------------------------------------

FIGURE_FIELDS = (
    "events_held",
    "attendance",
    "opinions",
    "answered",
    "handed",
    "replied_on_time",
    "replied_late",
    "raised",
    "declined",
)


@dataclass
class FigureRow:
    label: str
    station_id: int | None = None
    district: str = ""
    values: dict[str, int] = field(default_factory=dict)


def figures(*, actor: Actor, year: int | None, district: str = "") -> dict[str, Any]:
    """Events held, attendance, opinions received / answered / handed over / replied on time
    / raised as suggestions / declined — by district and, for one district, by station; read
    from the stations' tallies (kept by the services), so two queries whatever the volume."""
    access.require(actor, "stations.figures.view")
    return tally_figures(year=year, district=district)


def tally_figures(*, year: int | None, district: str = "") -> dict[str, Any]:
    """The figures over every station (no person's scope: `figures` checks who asks; the
    command line counts as the server's operator)."""
    qs = Tally.objects.all()
    if year:
        qs = qs.filter(year=year)
    sums = {f: Sum(f) for f in FIGURE_FIELDS}
    by_district = {
        row["station__district"]: row for row in qs.values("station__district").annotate(**sums)
    }
    districts = [
        FigureRow(
            label=str(label),
            district=value,
            values={f: by_district.get(value, {}).get(f) or 0 for f in FIGURE_FIELDS},
        )
        for value, label in District.choices
    ]
    total = FigureRow(
        label="",
        values={f: sum(r.values[f] for r in districts) for f in FIGURE_FIELDS},
    )
    stations: list[FigureRow] = []
    if district in District.values:
        per = {
            row["station_id"]: row
            for row in qs.filter(station__district=district).values("station_id").annotate(**sums)
        }
        for s in Station.objects.filter(district=district).select_related("organisation"):
            stations.append(
                FigureRow(
                    label=s.organisation.name,
                    station_id=s.pk,
                    district=district,
                    values={f: per.get(s.pk, {}).get(f) or 0 for f in FIGURE_FIELDS},
                )
            )
    return {"districts": districts, "total": total, "stations": stations, "year": year}


# --- Topics across stations ------------------------------------------------------------------


@dataclass(frozen=True)
class TopicGroup:
    topic: str
    opinions: int
    stations: int
    ids: tuple[int, ...]


def topic_groups(*, actor: Actor, year: int, threshold: float = 0.35) -> list[TopicGroup]:
    """Opinions about the same matter raised at several stations shown as one (jieba tokens
    and TF-IDF cosine, the suggestions link's `similarity.groups`)."""
    rows = list(
        opinion_list(actor=actor)
        .filter(year=year)
        .values_list("id", "topic", "station_id", "search_tokens")[:MAX_GROUPED]
    )
    rows.reverse()  # oldest first: the earliest opinion seeds its group
    meta = {r[0]: r for r in rows}
    groups = similarity.groups(
        ((r[0], r[3].split() or similarity.tokens(r[1])) for r in rows), threshold, max_group=200
    )
    out = []
    for g in groups:
        ids = (g.seed, *(m for m, _s in g.members))
        out.append(
            TopicGroup(
                topic=meta[g.seed][1],
                opinions=len(ids),
                stations=len({meta[i][2] for i in ids}),
                ids=tuple(sorted(ids)),
            )
        )
    out.sort(key=lambda g: (-g.stations, -g.opinions))
    return out
