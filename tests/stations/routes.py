"""The stations rows of the route matrix (tests/core/test_route_matrix.py).

Who is who here: the congress working body's clerk manages the stations; the `deputy` persona
sits at the personas' liaison station (on duty there) and takes opinions; unit A is the
department an opinion is handed to; the CDI's clue officer alone sees monitors' observations.
The notice page is public."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.personas import Personas
from tests.route_cases import PUBLIC, Case
from tests.stations import helpers as h

WATCHERS = frozenset({"congress_clerk", "cdi_officer", "cdi_clue", "stationed", "deputy"})
MANAGER = frozenset({"congress_clerk"})
AT_STATION = frozenset({"congress_clerk", "deputy"})
DEPUTY = frozenset({"deputy"})
DEPARTMENT = frozenset({"unit_a"})
CLUE_OFFICER = frozenset({"cdi_clue"})
OPINION_READERS = frozenset(
    {
        "congress_clerk",
        "deputy",
        "cdi_officer",
        "cdi_clue",
        "stationed",
        "gov_supervisor",
        "unit_a",
        "unit_b",
        "court_clerk",
    }
)
NOBODY: frozenset[str] = frozenset()

Kwargs = Callable[[Personas], dict[str, Any]]


def _pk(build: Callable[[Personas], Any]) -> Kwargs:
    return lambda p: {"pk": build(p).pk}


def _observation(p: Personas) -> Any:
    from wulian.stations import services

    e = h.event(p)
    return services.observation_report(
        actor=h.monitor(p), event_id=e.pk, subject_name="某科长", subject_post="", content="x"
    )


ROUTES: dict[str, Case | str] = {
    "stations:notice": PUBLIC,
    "stations:station_list": Case(WATCHERS),
    "stations:station_detail": Case(WATCHERS, kwargs=_pk(h.station)),
    "stations:station_rule_add": Case(MANAGER, kwargs=_pk(h.station), method="post"),
    "stations:station_schedule": Case(MANAGER, kwargs=_pk(h.station), method="post"),
    "stations:figures": Case(WATCHERS),
    "stations:event_list": Case(WATCHERS),
    "stations:event_detail": Case(WATCHERS, kwargs=_pk(h.event)),
    "stations:event_record": Case(AT_STATION, kwargs=_pk(h.event), method="post"),
    "stations:event_opinion_add": Case(AT_STATION, kwargs=_pk(h.event), method="post"),
    # An integrity monitor on duty at the station only (no persona is one: tests/stations).
    "stations:event_observe": Case(NOBODY, kwargs=_pk(h.event), method="post"),
    "stations:opinion_list": Case(OPINION_READERS),
    "stations:topics": Case(WATCHERS),
    "stations:opinion_detail": Case(AT_STATION | DEPARTMENT, kwargs=_pk(h.handed)),
    "stations:opinion_answer": Case(AT_STATION, kwargs=_pk(h.opinion), method="post"),
    "stations:opinion_hand": Case(AT_STATION, kwargs=_pk(h.opinion), method="post"),
    "stations:opinion_decline": Case(AT_STATION, kwargs=_pk(h.opinion), method="post"),
    "stations:opinion_raise": Case(DEPUTY, kwargs=_pk(h.opinion), method="post"),
    "stations:opinion_reply": Case(DEPARTMENT, kwargs=_pk(h.handed), method="post"),
    # Clue-grade: the CDI's clue officer only; anyone else cannot tell it exists.
    "stations:observation_list": Case(CLUE_OFFICER),
    "stations:observation_detail": Case(
        CLUE_OFFICER, kwargs=_pk(_observation), denied_status=(403, 404)
    ),
    "stations:observation_intake": Case(
        CLUE_OFFICER, kwargs=_pk(_observation), method="post", denied_status=(403, 404)
    ),
    "stations_api:figures": Case(WATCHERS, api=True),
    "stations_api:station-list": Case(WATCHERS, api=True),
    "stations_api:station-detail": Case(
        WATCHERS, kwargs=_pk(h.station), api=True, denied_status=(403, 404)
    ),
    "stations_api:event-list": Case(WATCHERS, api=True),
    "stations_api:event-detail": Case(
        WATCHERS, kwargs=_pk(h.event), api=True, denied_status=(403, 404)
    ),
    "stations_api:opinion-list": Case(OPINION_READERS, api=True),
    "stations_api:opinion-detail": Case(
        AT_STATION | DEPARTMENT, kwargs=_pk(h.handed), api=True, denied_status=(403, 404)
    ),
    "stations_api:observation-list": Case(CLUE_OFFICER, api=True),
    "stations_api:observation-detail": Case(
        CLUE_OFFICER, kwargs=_pk(_observation), api=True, denied_status=(403, 404)
    ),
}
