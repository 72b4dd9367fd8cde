"""The 联评 demo: the six 2023 evaluations of the article, each with its dossier, three
activities the stationed group attended, the result of the polls demo's certified 2023 poll
(no second poll), the 评议意见书 and rectification; the two clues of the article tagged with
their campaigns, counted in the figures only for those who may see clues."""

from __future__ import annotations

import pytest

from wulian.accounts.models import User
from wulian.core import demo
from wulian.core.access import actor_for
from wulian.core.activities.models import ActivityParticipant
from wulian.core.polls import demo as poll_demo
from wulian.core.polls.models import Poll
from wulian.evaluation import demo as evaluation_demo
from wulian.evaluation import documents, selectors
from wulian.evaluation.choices import Stage
from wulian.evaluation.models import Evaluation

pytestmark = pytest.mark.django_db


def test_the_six_2023_evaluations():
    demo.seed()
    poll_demo.seed()
    assert evaluation_demo.seed() == {"evaluations": 6, "evaluation_clues": 2}
    assert Poll.objects.count() == 3  # the polls demo's, reused
    rows = list(Evaluation.objects.filter(year=2023).select_related("department"))
    assert sorted(e.department.short_name for e in rows) == sorted(
        [
            "市民政局",
            "市司法局",
            "市自然资源和规划局",
            "市卫健委",
            "市统计局",
            "市政务服务和大数据局",
        ]
    )
    for e in rows:
        assert e.dossier.count() == 2 and e.grade == "satisfied" and e.score
        assert e.opinion_sent_at and e.bulletin_id
        held = ActivityParticipant.objects.filter(
            organisation=e.stationed_group, attended=True, activity__record_links__object_id=e.pk
        )
        assert held.count() == 3
        assert selectors.rectifications(e)
        assert documents.opinion_letter(e)[:2] == b"PK"
    stages = {e.department.short_name: e.stage for e in rows}
    assert stages["市民政局"] == Stage.CLOSED
    assert stages["市统计局"] == Stage.RECTIFYING

    clue_officer = actor_for(User.objects.get(username="cdi_clue"))
    figures = selectors.figures(actor=clue_officer, year=2023)
    assert dict(figures["campaigns"]) == {"整治医疗领域不正之风": 1, "统计造假问题整改": 1}
    assert figures["total"] == 6
    unit = actor_for(User.objects.get(username="unit_a"))
    assert selectors.figures(actor=unit, year=2023)["campaigns"] == []


def test_the_figures_command_names_the_grades():
    """`wulian figures evaluation --year 2023`: an operator reads 满意, not the code `satisfied`
    (the JSON keeps the code)."""
    import io
    import json

    from django.core.management import call_command

    demo.seed()
    poll_demo.seed()
    evaluation_demo.seed()
    out = io.StringIO()
    call_command("figures", "evaluation", "--year", "2023", stdout=out)
    table = out.getvalue()
    assert "市统计局" in table and "满意" in table and "satisfied" not in table
    out = io.StringIO()
    call_command("figures", "evaluation", "--year", "2023", "--format", "json", stdout=out)
    assert {r["grade"] for r in json.loads(out.getvalue())["rows"]} == {"satisfied"}
