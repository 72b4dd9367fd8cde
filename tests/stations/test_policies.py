"""The stations' access rules, persona by persona (and the integrity monitor). An observation
is clue-grade: the CDI's clue officer alone sees it — in a rule, a list, a count, a page and the
API; its own author does not."""

from __future__ import annotations

import pytest

from tests.personas import PERSONA_NAMES, client_for
from tests.stations import helpers as h
from wulian.core import access
from wulian.stations import services
from wulian.stations.models import Observation

pytestmark = pytest.mark.django_db

ALL = frozenset(PERSONA_NAMES) | {"monitor"}
WATCHERS = frozenset(
    {"congress_clerk", "cdi_officer", "cdi_clue", "stationed", "deputy", "monitor"}
)

# action → who may, on the station's record (an event, a handed opinion, an observation)
MATRIX = {
    "stations.station.view": WATCHERS,
    "stations.station.manage": frozenset({"congress_clerk"}),
    "stations.event.view": WATCHERS,
    "stations.event.record": frozenset({"congress_clerk", "deputy"}),
    "stations.opinion.record": frozenset({"congress_clerk", "deputy"}),
    "stations.opinion.view": frozenset({"congress_clerk", "deputy", "unit_a"}),
    "stations.opinion.handle": frozenset({"congress_clerk", "deputy"}),
    "stations.opinion.raise": frozenset({"deputy"}),
    "stations.opinion.reply": frozenset({"unit_a"}),
    "stations.observation.create": frozenset({"monitor"}),
    "stations.observation.view": frozenset({"cdi_clue"}),
    "stations.observation.intake": frozenset({"cdi_clue"}),
    "stations.figures.view": WATCHERS,
}


def test_every_stations_action_has_a_row():
    codes = {c for c in access.registered_actions() if c.startswith("stations.")}
    assert codes == set(MATRIX)


@pytest.mark.parametrize("action", sorted(MATRIX))
def test_the_policy_matrix(p, action):
    users = {**p.users, "monitor": h.monitor(p)}
    event = h.event(p)
    opinion = h.handed(p)
    observation = services.observation_report(
        actor=users["monitor"], event_id=event.pk, subject_name="王某", subject_post="", content="x"
    )
    record = {
        "station": h.station(p),
        "event": event,
        "opinion": opinion,
        "observation": observation,
        "figures": None,
    }[action.split(".")[1]]
    allowed = {name for name in ALL if access.can(users[name], action, record)}
    assert allowed == MATRIX[action]


def test_an_observation_is_seen_by_the_clue_officer_alone_everywhere(p):
    monitor = h.monitor(p)
    event = h.event(p)
    ob = services.observation_report(
        actor=monitor,
        event_id=event.pk,
        subject_name="王某",
        subject_post="街道城管科科长",
        content="收受摊贩财物",
    )
    users = {**p.users, "monitor": monitor}
    for name, user in users.items():
        seen = access.scope(user, "stations.observation.view", Observation.objects.all())
        client = client_for(user)
        page = client.get(f"/stations/observations/{ob.pk}/")
        api = client.get(f"/api/v1/stations/observations/{ob.pk}/", HTTP_ACCEPT="application/json")
        event_page = client.get(f"/stations/events/{event.pk}/")
        if name == "cdi_clue":
            assert seen.count() == 1 and page.status_code == 200 and api.status_code == 200
            assert "收受摊贩财物" in page.content.decode()
        else:
            assert seen.count() == 0, name
            assert page.status_code in (403, 404) and api.status_code in (403, 404), name
            if event_page.status_code == 200:
                assert "收受摊贩财物" not in event_page.content.decode(), name
                assert "王某" not in event_page.content.decode(), name
