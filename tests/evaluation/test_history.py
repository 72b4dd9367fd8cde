"""The department's evaluation history on the evaluation page: its other years' evaluations
and results, as far as the person may see them; a mandatory re-evaluation names the year
that triggered it."""

from __future__ import annotations

import pytest
import time_machine

from tests.evaluation import helpers as h
from tests.personas import client_for
from wulian.evaluation.choices import Consequence
from wulian.evaluation.models import Evaluation

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(h.T0, tick=False):
        yield


def test_the_page_lists_the_other_years_with_their_results(personas):
    old = h.create(personas, year=2025)
    Evaluation.objects.filter(pk=old.pk).update(
        grade="unsatisfied",
        score="58.20",
        conduct_grade="一般",
        consequence=Consequence.MANDATORY,
        consequence_reason="社会各界代表组不满意率超过三分之一",
    )
    h.create(personas, year=2024)
    other_department = h.create(personas, year=2025, department="unit_b")
    current = h.create(personas, year=2026)
    for who in ("unit_a", "congress_clerk"):
        text = client_for(personas.users[who]).get(current.get_absolute_url()).content.decode()
        assert "该部门历次评议" in text
        assert old.get_absolute_url() in text and "58.20" in text and "一般" in text
        assert "2024年度" in text  # the older one too
        assert other_department.get_absolute_url() not in text
        assert "2025年度测评触发次年再评议" in text
    # The department of another unit does not see unit A's history (nor the page).
    assert client_for(personas.unit_b).get(current.get_absolute_url()).status_code == 403


def test_a_first_evaluation_says_so(personas):
    e = h.create(personas)
    text = client_for(personas.congress_clerk).get(e.get_absolute_url()).content.decode()
    assert "该部门此前没有工作评议记录" in text
