"""The demo reproduces the article's four figures exactly."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from wulian.core import demo as core_demo
from wulian.core.activities.models import Activity
from wulian.livelihood import demo
from wulian.livelihood.figures import cli_figures
from wulian.livelihood.models import Actual, Cycle, Photo, Project, Warning

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    core_demo.seed()
    return demo.seed()


def _indicator(figures, name):
    return next(i for p in figures.projects for i in p.indicators if i.name == name)


def test_the_2023_demo_reproduces_the_article_and_tells_the_whole_cycle(seeded):
    figures = cli_figures(year=2023)
    assert len(figures.projects) == 10
    villages = _indicator(figures, "建制村人居环境整治")
    assert (villages.progress.target, villages.progress.actual) == (20, 20)
    road = _indicator(figures, "农村公路提档升级")
    assert road.progress.actual >= 600 and road.progress.over
    assert road.text == "600 公里，完成 612.5 公里，超额完成"
    housing = _indicator(figures, "保障性租赁住房项目")
    units = _indicator(figures, "保障性租赁住房房源")
    assert (housing.progress.actual, units.progress.actual) == (25, 6256)
    canteens = _indicator(figures, "幸福食堂")
    assert (canteens.progress.actual, canteens.progress.in_use) == (50, 50)
    assert canteens.progress.done
    assert figures.done == 10
    # The vote, monthly actuals with photos, a warning, activities and satisfaction.
    cycle = Cycle.objects.get(year=2023)
    assert cycle.decision_number and cycle.candidates.count() == 15
    assert Actual.objects.count() > 100
    assert Photo.objects.filter(readable=False).exists()
    assert Photo.objects.filter(public=True).exists()
    assert Warning.objects.filter(indicator__project__title="城区智慧停车泊位建设").count() >= 1
    kinds = set(
        Activity.objects.filter(
            record_links__object_id__in=Project.objects.values("pk")
        ).values_list("kind", flat=True)
    )
    assert {"concentrated_inspection", "onsite_supervision", "undercover_visit"} <= kinds
    assert Project.objects.exclude(satisfaction="").count() == 10
    unsatisfied = Project.objects.filter(satisfaction="unsatisfied")
    assert unsatisfied.exists() and all(p.inquiry_topic for p in unsatisfied)
    # The figures command.
    out = StringIO()
    call_command("figures", "livelihood", "--year", "2023", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["projects"] == 10 and data["done"] == 10
    out = StringIO()
    call_command("figures", "livelihood", "--year", "2023", "--format", "table", stdout=out)
    assert "600 公里，完成 612.5 公里，超额完成" in out.getvalue()
