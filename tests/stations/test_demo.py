"""The stations' demo data: the article's 225 stations across the seven districts, a year of
events, the demo story (a suggestion raised, an opinion handed over, an observation)."""

from __future__ import annotations

import pytest
import time_machine

from tests.stations.helpers import NOW
from wulian.core import audit
from wulian.core import demo as core_demo
from wulian.core.access import actor_for
from wulian.core.todos import todos_for
from wulian.stations import demo, selectors
from wulian.stations.choices import Disposition, District
from wulian.stations.models import Observation, Opinion, Station, Tally
from wulian.suggestions import demo as suggestions_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data(seeded, stations_env):
    core_demo.seed()
    suggestions_demo.seed()
    return demo.seed()


def test_the_demo_has_the_articles_225_stations_in_seven_districts(demo_data):
    assert Station.objects.count() == 225
    assert set(Station.objects.values_list("district", flat=True)) == set(District.values)
    assert Station.objects.filter(practice_base=True).count() == 225
    topics = set(Opinion.objects.values_list("topic", flat=True))
    assert {"老旧小区加装电梯", "文明养犬"} <= topics
    raised = Opinion.objects.get(disposition=Disposition.RAISED)
    assert raised.suggestion.title == "关于加快推进老旧小区加装电梯的建议"
    assert Observation.objects.count() == 1
    # the figures agree with the records they count
    total = selectors.figures(actor=actor_for_clerk(), year=None)["total"].values
    assert total["opinions"] == Opinion.objects.count()
    assert sum(Tally.objects.values_list("raised", flat=True)) == 1
    assert audit.verify().ok


def actor_for_clerk():
    from wulian.accounts.models import User

    return actor_for(User.objects.get(username="congress_clerk"))


def test_the_demo_deputy_and_the_civil_affairs_bureau_have_work_waiting(demo_data):
    from wulian.accounts.models import User

    with time_machine.travel(NOW, tick=True):
        for username, words in (("deputy", "群众意见待处理"), ("unit_a", "群众意见待答复")):
            items = todos_for(actor_for(User.objects.get(username=username)))
            assert any(words in str(i.title) for i in items), username
