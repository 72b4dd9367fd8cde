"""我的待办 from suggestions: each side sees what waits on it, at a constant number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.suggestions.helpers import make_batch, make_order, make_suggestion
from wulian.core.access import actor_for
from wulian.suggestions.choices import SuggestionStatus as S
from wulian.suggestions.todos import suggestion_todos


def titles(user) -> list[str]:
    return [i.title for i in suggestion_todos(actor_for(user))]


def test_each_side_sees_what_waits_on_it(personas):
    p = personas
    make_suggestion(p, S.SUBMITTED)
    make_batch(p)
    make_suggestion(p, S.HANDLING)  # unit B co-handles: its opinion is owed
    make_suggestion(p, S.ANSWERED)
    make_order(p, escalated_to_cdi_at=timezone.now())
    make_suggestion(p, S.HANDLING, escalated_to_cdi_at=timezone.now())
    clerk = titles(p.congress_clerk)
    assert any(t.startswith("审查代表建议") for t in clerk)
    assert any(t.startswith("交办代表建议") for t in clerk) is False  # recess ones have a clock
    assert any(t.startswith("会签人大拟定的联合交办") for t in titles(p.gov_supervisor))
    assert any(t.startswith("向主办单位提交会办意见") for t in titles(p.unit_b))
    assert any(t.startswith("报告督办事项办理情况") for t in titles(p.unit_a))
    assert any(t.startswith("评价建议的答复") for t in titles(p.deputy))
    assert any(t.startswith("关注督办中的建议") for t in titles(p.stationed))
    assert any(t.startswith("人大常委会通报的建议办理问题") for t in titles(p.cdi_officer))
    assert not titles(p.court_clerk) and not titles(p.expert) and not titles(p.sysadmin)


def test_the_provider_costs_the_same_queries_for_one_item_as_for_ten(personas):
    p = personas
    actor = actor_for(p.congress_clerk)
    make_suggestion(p, S.SUBMITTED)
    with CaptureQueriesContext(connection) as one:
        suggestion_todos(actor)
    for _ in range(9):
        make_suggestion(p, S.SUBMITTED)
    with CaptureQueriesContext(connection) as ten:
        items = suggestion_todos(actor)
    assert len(items) == 10 and len(one.captured_queries) == len(ten.captured_queries)
