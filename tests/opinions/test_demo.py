"""The opinion rounds' demo data: the 2023 监督工作计划 with every comment adopted, concluded and
its 说明 issued; a current round with comments to dispose of and invitees still to answer."""

from __future__ import annotations

import pytest

from wulian.core.access import actor_for
from wulian.core.opinions import demo
from wulian.core.opinions.choices import Disposition, RoundState
from wulian.core.opinions.models import OpinionRound
from wulian.core.todos import todos_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded_demo(seeded):
    from wulian.core import demo as core_demo

    core_demo.seed()
    demo.seed()


def test_the_demo_rounds(seeded_demo):
    from django.contrib.auth import get_user_model

    plan = OpinionRound.objects.get(year=2023)
    assert "2023年监督工作计划" in plan.title and plan.state == RoundState.CONCLUDED
    assert plan.comments.count() == 3
    assert set(plan.comments.values_list("disposition", flat=True)) == {Disposition.ADOPTED}
    assert plan.concluded_at.year == 2023
    now = OpinionRound.objects.exclude(pk=plan.pk).get()
    assert now.state == RoundState.OPEN and now.comments.filter(disposition="").count() == 2
    users = {u.username: u for u in get_user_model().objects.all()}
    leader = [t.title for t in todos_for(actor_for(users["congress_leader"]))]
    assert any("2条待处理" in t for t in leader)
    for who in ("unit_a", "deputy"):
        assert any(t.title.startswith("提出意见：") for t in todos_for(actor_for(users[who])))
