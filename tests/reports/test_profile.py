"""A department's supervision profile (issue 20, item 1): every link's figures about one
organisation and year, each equal to that link's own figures and to the list its link opens,
each counted over what the viewer may see — and the ranking built from the same counts."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.bulletins.helpers import make_bulletin
from tests.clues.helpers import make_clue
from tests.personas import client_for
from tests.rectification.helpers import make_finding
from tests.suggestions.scenario import enact
from wulian.core.access import actor_for
from wulian.core.clues.choices import ClueState
from wulian.core.rectification import selectors as rect_selectors
from wulian.core.rectification.choices import RectificationState
from wulian.core.rectification.models import Rectification
from wulian.reports import profile
from wulian.suggestions import figures
from wulian.suggestions import selectors as suggestion_selectors

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _query(url: str) -> QueryDict:
    return QueryDict(urlparse(url).query)


def test_the_suggestions_section_is_each_units_row_of_the_years_figures(personas) -> None:
    """For every lead unit of a session, what its profile says of its suggestions is its row
    in the figures' ranking, and each count's link lists that many suggestions."""
    enact(personas, count=24, year=2026)
    clerk = actor_for(personas.congress_clerk)
    year_figures = figures.year_figures(actor=clerk, year=2026)
    assert len(year_figures.units) >= 4
    for row in year_figures.units:
        p = profile.organisation_profile(actor=clerk, organisation_id=row.unit_id, year=2026)
        for key in ("assigned", "answered", "due", "answered_on_time", "rated"):
            signal = p.signal(f"suggestions.{key}")
            assert signal.value == getattr(row, key), (row.unit, key)
            listed = suggestion_selectors.suggestion_list(
                actor=clerk, filters=_query(signal.url)
            ).count()
            assert listed == signal.value, (row.unit, key, signal.url)
        assert p.signal("suggestions.satisfied").value == row.satisfied
        co = p.signal("suggestions.co_handled")
        if co.value:
            listed = suggestion_selectors.suggestion_list(actor=clerk, filters=_query(co.url))
            assert listed.count() == co.value


def test_a_unit_sees_its_own_profile_and_nothing_of_anothers(personas) -> None:
    make_finding(personas, units=("unit_a",), found_at=date(2026, 3, 1))
    make_finding(personas, units=("unit_b",), found_at=date(2026, 3, 1))
    a, b = personas.orgs["unit_a"].pk, personas.orgs["unit_b"].pk
    unit_a = actor_for(personas.unit_a)
    own = profile.organisation_profile(actor=unit_a, organisation_id=a, year=2026)
    assert own.signal("rectification.total").value == 1
    other = profile.organisation_profile(actor=unit_a, organisation_id=b, year=2026)
    assert other.signal("rectification.total").value == 0
    clerk = actor_for(personas.congress_clerk)
    seen = profile.organisation_profile(actor=clerk, organisation_id=b, year=2026)
    assert seen.signal("rectification.total").value == 1


def test_clue_counts_only_for_those_who_read_the_clues(personas) -> None:
    """Whom a clue is about is its content: the CDI's clue officer sees how many clues concern
    unit A; the sending office (status view only), the unit itself, the stationed group and
    the deputies see no clue section at all — not even a zero."""
    make_clue(personas, state=ClueState.RECEIVED)
    make_clue(personas, state=ClueState.CONCLUDED)
    a = personas.orgs["unit_a"].pk
    year = NOW.year
    officer = actor_for(personas.cdi_clue)
    p = profile.organisation_profile(actor=officer, organisation_id=a, year=year)
    assert p.signal("clues.total").value == 2
    assert p.signal("clues.concluded").value == 1
    assert client_for(personas.cdi_clue).get(p.signal("clues.total").url).status_code == 200
    # The sending office reads only its drafts: a transferred clue's subject is not counted.
    clerk = actor_for(personas.congress_clerk)
    drafts = profile.organisation_profile(actor=clerk, organisation_id=a, year=year)
    assert drafts.signal("clues.total").value == 0
    make_clue(personas, state=ClueState.DRAFT)
    drafts = profile.organisation_profile(actor=clerk, organisation_id=a, year=year)
    assert drafts.signal("clues.total").value == 1
    for who in ("unit_a", "stationed", "deputy", "cdi_officer", "gov_supervisor", "sysadmin"):
        seen = profile.organisation_profile(
            actor=actor_for(personas.users[who]), organisation_id=a, year=year
        )
        assert "clues" not in [s.link for s in seen.sections], who
        page = client_for(personas.users[who]).get(f"/reports/organisations/{a}/?year={year}")
        assert page.status_code == 200, who
        assert 'id="profile-clues"' not in page.content.decode(), who
        api = client_for(personas.users[who]).get(f"/api/v1/organisations/{a}/profile/")
        assert "clues" not in [s["link"] for s in api.json()["sections"]], who


def test_the_clue_list_narrowed_by_subject_keeps_only_readable_clues(personas) -> None:
    """The sending office follows its transferred clue's status but may not learn whom it is
    about: narrowed by subject, its list is empty rather than telling."""
    make_clue(personas, state=ClueState.RECEIVED)
    a = personas.orgs["unit_a"].pk
    from wulian.core.clues import selectors as clue_selectors

    clerk = actor_for(personas.congress_clerk)
    assert clue_selectors.clue_list(actor=clerk, filters={}).count() == 1
    assert clue_selectors.clue_list(actor=clerk, filters={"subject_organisation": a}).count() == 0
    officer = actor_for(personas.cdi_clue)
    narrowed = clue_selectors.clue_list(actor=officer, filters={"subject_organisation": a})
    assert narrowed.count() == 1
    other = personas.orgs["unit_b"].pk
    assert (
        clue_selectors.clue_list(actor=officer, filters={"subject_organisation": other}).count()
        == 0
    )


def test_bulletin_receipts_in_the_profile(personas) -> None:
    make_bulletin(personas, recipients=("unit_a", "unit_b"))
    a = personas.orgs["unit_a"].pk
    clerk = actor_for(personas.congress_clerk)
    p = profile.organisation_profile(actor=clerk, organisation_id=a, year=NOW.year)
    assert p.signal("bulletins.received").value == 1
    assert p.signal("bulletins.missing").value == 0
    assert parse_qs(urlparse(p.signal("bulletins.received").url).query) == {
        "year": [str(NOW.year)],
        "organisation": [str(a)],
    }


STATES = st.sampled_from(
    [
        RectificationState.AWAITING_COMMITMENT,
        RectificationState.IN_PROGRESS,
        RectificationState.SUBMITTED,
        RectificationState.CLOSED,
    ]
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(["unit_a", "unit_b"]), STATES, st.sampled_from([2025, 2026])),
        max_size=8,
    )
)
def test_rectification_figures_equal_the_ledger_they_open(personas, rows) -> None:
    """Over any mix of rectifications, units, states and years: each department's figures
    are what the ledger lists under the figure's link, and the ranking's row is the profile's."""
    Rectification.objects.all().delete()
    for unit, state, year in rows:
        make_finding(personas, units=(unit,), state=state, found_at=date(year, 5, 1))
    clerk = actor_for(personas.congress_clerk)
    for unit in ("unit_a", "unit_b"):
        org = personas.orgs[unit].pk
        p = profile.organisation_profile(actor=clerk, organisation_id=org, year=2026)
        expected = [r for r in rows if r[0] == unit and r[2] == 2026]
        assert p.signal("rectification.total").value == len(expected)
        closed = sum(1 for r in expected if r[1] == RectificationState.CLOSED)
        assert p.signal("rectification.closed").value == closed
        for key in ("total", "closed", "overdue"):
            signal = p.signal(f"rectification.{key}")
            if signal.url:
                listed = rect_selectors.rectification_ledger(
                    actor=clerk, filters=_query(signal.url)
                )
                assert listed.count() == signal.value
    ranked = profile.ranking(actor=clerk, year=2026, measure="rectification.closed") or []
    for row in ranked:
        p = profile.organisation_profile(
            actor=clerk, organisation_id=row.organisation_id, year=2026
        )
        assert p.signal("rectification.closed") == row.signal
    rates = [r.signal.rate for r in ranked]
    assert rates == sorted(rates, key=lambda r: -(r or 0))


def test_the_ranking_refuses_an_unknown_measure(personas) -> None:
    clerk = actor_for(personas.congress_clerk)
    assert profile.ranking(actor=clerk, year=2026, measure="nothing.here") is None
    response = client_for(personas.congress_clerk).get("/reports/ranking/?measure=nothing.here")
    assert response.status_code == 400
    assert "请从下拉列表中选择指标" in response.content.decode()


def test_the_profile_page_and_api_agree_in_a_constant_number_of_queries(personas) -> None:
    a = personas.orgs["unit_a"].pk
    client = client_for(personas.congress_clerk)
    url = f"/reports/organisations/{a}/?year=2026"
    make_finding(personas, units=("unit_a",), found_at=date(2026, 3, 1))
    client.get(url)  # the session and the providers, once
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(15):
        make_finding(personas, units=("unit_a",), found_at=date(2026, 3, 1))
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(many.captured_queries) == len(one.captured_queries)
    html = page.content.decode()
    assert '<tr data-signal="rectification.total">' in html and ">16</a>" in html
    api = client.get(f"/api/v1/organisations/{a}/profile/?year=2026").json()
    sections = {s["link"]: s for s in api["sections"]}
    total = next(g for g in sections["rectification"]["signals"] if g["key"].endswith(".total"))
    assert total["value"] == 16 and total["url"].startswith("/rectification/?")
    # The organisation's page leads here.
    org_page = client.get(f"/orgs/{a}/").content.decode()
    assert f'href="/reports/organisations/{a}/"' in org_page


def test_the_evaluation_section_counts_the_departments_evaluations(personas) -> None:
    """联评 in the profile: the department's evaluation of the year, seen by the department
    itself and the congress side, its count opening the evaluation list that shows it."""
    from tests.evaluation.helpers import create
    from wulian.evaluation import selectors as evaluation_selectors

    create(personas, year=2026, department="unit_a")
    a = personas.orgs["unit_a"].pk
    for who in ("congress_clerk", "unit_a"):
        actor = actor_for(personas.users[who])
        signal = profile.organisation_profile(actor=actor, organisation_id=a, year=2026).signal(
            "evaluation.total"
        )
        assert signal.value == 1, who
        listed = evaluation_selectors.evaluation_list(actor=actor, filters=_query(signal.url))
        assert listed.count() == 1, who
    other = actor_for(personas.unit_b)
    seen = profile.organisation_profile(actor=other, organisation_id=a, year=2026)
    assert "evaluation" not in [s.link for s in seen.sections] or (
        seen.signal("evaluation.total").value == 0
    )


def test_the_livelihood_section_is_the_project_list_filtered_alike(personas) -> None:
    """民生实事 in the profile: the projects a department is responsible for in a cycle's
    year, those with a warning standing and those rated 不满意 — each the project list
    filtered alike."""
    from decimal import Decimal

    from wulian.livelihood import selectors as livelihood_selectors
    from wulian.livelihood.choices import Satisfaction
    from wulian.livelihood.models import Cycle, Indicator, Project

    cycle = Cycle.objects.create(year=2026, organiser=personas.orgs["congress_body"])
    a = personas.orgs["unit_a"]
    projects = [
        Project.objects.create(cycle=cycle, number=n, title=f"项目{n}", responsible=a)
        for n in (1, 2, 3)
    ]
    b = personas.orgs["unit_b"]
    Project.objects.create(cycle=cycle, number=4, title="项目4", responsible=b)
    Indicator.objects.create(
        project=projects[0], name="道路", unit="公里", kind="length", target=Decimal(600),
        warned_gap=Decimal("0.25"),
    )  # fmt: skip
    Project.objects.filter(pk=projects[1].pk).update(satisfaction=Satisfaction.UNSATISFIED)
    clerk = actor_for(personas.congress_clerk)
    p = profile.organisation_profile(actor=clerk, organisation_id=a.pk, year=2026)
    expected = {"total": 3, "warned": 1, "unsatisfied": 1}
    for key, value in expected.items():
        signal = p.signal(f"livelihood.{key}")
        assert signal.value == value, key
        listed = livelihood_selectors.project_list(actor=clerk, filters=_query(signal.url))
        assert listed.count() == value, key


def test_the_judicial_section_is_the_courts_lists_filtered_alike(personas) -> None:
    """司法监督 in a court's profile: its cases in the year's reviews and those corrected, the
    suggestions it received and adopted, the petitions routed to it — each the judicial list
    filtered alike; a department the link does not supervise has no such section."""
    from tests.judicial.helpers import make_batch, make_petition, make_suggestion
    from wulian.judicial import selectors as judicial_selectors
    from wulian.judicial.choices import SuggestionState
    from wulian.judicial.models import Case

    batch = make_batch(personas, cases=3, year=2023)
    sent = make_suggestion(personas, batch, state=SuggestionState.SENT)
    make_suggestion(
        personas, batch, title="关于终本案件层报审批的建议", state=SuggestionState.ADOPTED
    )
    make_suggestion(personas, batch, title="草稿", state=SuggestionState.DRAFT)
    Case.objects.filter(pk=batch.cases.first().pk).update(corrected_by=sent)
    make_petition(personas, organisation=personas.orgs["court"])
    court = personas.orgs["court"].pk
    clerk = actor_for(personas.congress_clerk)
    p = profile.organisation_profile(actor=clerk, organisation_id=court, year=2023)
    lists = {
        "cases": judicial_selectors.case_list,
        "corrected": judicial_selectors.case_list,
        "suggestions": judicial_selectors.suggestion_list,
        "adopted": judicial_selectors.suggestion_list,
        "petitions": judicial_selectors.petition_list,
    }
    expected = {"cases": 3, "corrected": 1, "suggestions": 2, "adopted": 1, "petitions": 1}
    for key, value in expected.items():
        signal = p.signal(f"judicial.{key}")
        assert signal.value == value, key
        assert lists[key](actor=clerk, filters=_query(signal.url)).count() == value, key
    # Not a court: no judicial section; the court's own desk sees its own section.
    a = personas.orgs["unit_a"].pk
    links = [
        s.link
        for s in profile.organisation_profile(actor=clerk, organisation_id=a, year=2023).sections
    ]
    assert "judicial" not in links
    own = profile.organisation_profile(
        actor=actor_for(personas.court_clerk), organisation_id=court, year=2023
    )
    assert own.signal("judicial.suggestions").value == 2


def test_the_ranking_is_read_a_page_at_a_time_with_ranks_counted_over_all(
    personas, monkeypatch
) -> None:
    """At thousands of units the ranking comes a page at a time; page two goes on from page
    one's ranks, and its links keep the year and the measure."""
    from wulian.core.choices import OrgKind
    from wulian.core.models import Organisation
    from wulian.reports import views

    monkeypatch.setattr(views, "RANKING_PAGE_SIZE", 2)
    Rectification.objects.all().delete()
    for i in range(5):
        key = f"unit_r{i}"
        personas.orgs[key] = Organisation.objects.create(
            kind=OrgKind.HANDLING_UNIT, code=f"T-R{i}", name=f"排名单位{i}"
        )
        for n in range(i + 1):
            state = RectificationState.CLOSED if n < i else RectificationState.IN_PROGRESS
            make_finding(personas, units=(key,), state=state, found_at=date(2026, 3, 1))
    client = client_for(personas.congress_clerk)
    url = "/reports/ranking/?year=2026&measure=rectification.closed"
    first = client.get(url).content.decode()
    second = client.get(url + "&page=2").content.decode()
    assert first.count('<tr><td class="num">') == 2 and second.count('<tr><td class="num">') == 2
    # The best share (4 of 5 closed) first; page two starts at rank 3.
    assert first.index("排名单位4") < first.index("排名单位3")
    assert '<tr><td class="num">3</td>' in second and "排名单位2" in second
    assert "第 2 / 3 页，共 5 条" in second
    assert "?year=2026&amp;measure=rectification.closed&amp;page=3" in second
