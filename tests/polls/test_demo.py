"""The polls' demo data: the 2023 政府工作评议满意度测评 sealed and certified (it verifies), the
2025 代表票决 open for the demo deputy (我的待办: 请投票), and a poll whose opening the stationed
group's demo account has to co-sign."""

from __future__ import annotations

import pytest

from wulian.accounts.models import User
from wulian.core import demo
from wulian.core.access import actor_for
from wulian.core.polls import demo as poll_demo
from wulian.core.polls import results
from wulian.core.polls.choices import PollState
from wulian.core.polls.models import Ballot, Poll
from wulian.core.todos import todos_for

pytestmark = pytest.mark.django_db


def test_the_demo_polls():
    demo.seed()
    assert poll_demo.seed()["polls"] == 3
    certified = Poll.objects.get(title="2023年度政府工作评议满意度测评")
    assert certified.state == PollState.CERTIFIED and certified.opens_at.year == 2023
    assert Ballot.objects.filter(poll=certified).count() == sum(poll_demo.CAST_2023)
    assert results.verify(certified) == []
    assert [r["grade"] for r in certified.result["items"]] == ["satisfied"] * 6
    deputy = [str(t.title) for t in todos_for(actor_for(User.objects.get(username="deputy")))]
    assert "请投票：2025年市级民生实事项目代表票决" in deputy
    stationed = [str(t.title) for t in todos_for(actor_for(User.objects.get(username="stationed")))]
    assert "见证开启投票：2025年度专题询问应询部门满意度测评" in stationed
