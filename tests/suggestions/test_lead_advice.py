"""The lead-unit proposal where the lead unit is chosen (issue 13, item 4): on the suggestion's
page above 拟定联合交办 and in each row of the batch form — the top three units with their share
of the votes and the similar past suggestions behind each, linked; or the sentence saying why
there is none yet. Nothing is preselected."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory
from tests.personas import client_for
from tests.suggestions import corpus, figure_data
from wulian.suggestions import analytics
from wulian.suggestions.models import Suggestion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_indexes():
    analytics.reset()
    yield
    analytics.reset()


@pytest.fixture
def history(personas):
    """Last year's suggestions, each received by the unit that led it."""
    units = {}
    b = figure_data.Builder(personas, figure_data.session(personas, 2025))
    for _key, title, content, unit in corpus.SUGGESTIONS:
        org = units.setdefault(unit, OrganisationFactory(name=unit))
        b.suggestion(stage="received", unit=org, title=title, content=content)
    return units


def _new(personas, title="关于社区老年食堂建设的建议"):
    b = figure_data.Builder(personas, figure_data.session(personas, 2026))
    return b.suggestion(
        stage="accepted",
        title=title,
        content="高龄独居老人吃饭难，建议每个社区设立老年食堂或助餐点，给予运营补贴。",
    )


def _advice(body: str) -> str:
    found = re.search(r'<div class="lead-advice">.*?</div>', body, re.S)
    assert found, "no proposal on the page"
    return found.group(0)


def test_the_suggestion_page_proposes_the_lead_unit_with_its_reasons(personas, history):
    new = _new(personas)
    body = client_for(personas.congress_clerk).get(new.get_absolute_url()).content.decode()
    advice = _advice(body)
    assert advice.index("市民政局") < advice.index("</li>")  # the first proposal
    titles = [t for k, t, _c, _u in corpus.SUGGESTIONS if k.startswith("elder-meal")]
    meals = Suggestion.objects.filter(session__year=2025, title__in=titles)
    assert meals.count() == 2
    for past in meals:
        assert f'href="{past.get_absolute_url()}"' in advice
        assert f"2025年 第{past.number}号 {past.title}" in advice
    assert re.search(r"把握 \d+%", advice)
    # It sits where the lead unit is chosen, and chooses nothing itself.
    assert body.index('class="lead-advice"') < body.index('id="propose"')
    lead = body[body.index('name="lead_unit"') :].split("</select>")[0]
    assert re.findall(r'<option value="(\d*)"[^>]*selected', lead) in ([], [""])


def test_without_history_the_page_says_why_there_is_no_proposal(personas):
    new = _new(personas)
    body = client_for(personas.congress_clerk).get(new.get_absolute_url()).content.decode()
    assert "暂无提议：还没有承办单位签收过主办的建议" in body


def test_with_history_but_nothing_alike_the_page_says_so(personas, history):
    b = figure_data.Builder(personas, figure_data.session(personas, 2026))
    odd = b.suggestion(stage="accepted", title="关于量子通信", content="量子通信。")
    body = client_for(personas.congress_clerk).get(odd.get_absolute_url()).content.decode()
    assert "暂无提议：在已签收的" in body
    assert "没有与本建议足够相似的建议" in body


def test_the_batch_form_proposes_for_each_row(personas, history):
    new = _new(personas)
    body = client_for(personas.gov_supervisor).get(reverse("suggestions:batch_create")).content
    row = body.decode().split(f'id="pick-{new.pk}"')[1].split("</tr>")[0]
    assert "市民政局" in _advice(row)


def test_those_who_do_not_assign_see_no_proposal(personas, history):
    from tests.suggestions.helpers import make_suggestion
    from wulian.suggestions.choices import SuggestionStatus

    s = make_suggestion(personas, SuggestionStatus.ACCEPTED)
    for who in ("deputy", "stationed"):
        body = client_for(personas.users[who]).get(s.get_absolute_url()).content.decode()
        assert "lead-advice" not in body
