"""Dashboards per role (issue 20, item 2; ADR 0031): which dashboard each persona opens and
what it may show (the access matrix), figures equal to the links' own counts, each chart with
its table, each point a link to the list that counts as many records, and a constant number of
queries."""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from tests.bulletins.helpers import make_bulletin
from tests.clues.helpers import make_clue
from tests.personas import client_for
from tests.rectification.helpers import make_finding, raise_data
from tests.suggestions.scenario import enact
from wulian.core.access import actor_for
from wulian.core.activities import selectors as action_selectors
from wulian.core.bulletins import selectors as bulletin_selectors
from wulian.core.clues import selectors as clue_selectors
from wulian.core.clues.choices import ClueState
from wulian.core.rectification import selectors as rect_selectors
from wulian.core.rectification.choices import RectificationState
from wulian.evaluation import selectors as evaluation_selectors
from wulian.livelihood import selectors as livelihood_selectors
from wulian.reports import dashboards, profile
from wulian.suggestions import selectors as suggestion_selectors

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
URL = "/reports/dashboard/"

# Each link's own list, as the person sees it, filtered by a point's link.
LISTS = {
    "suggestions": lambda a, q: suggestion_selectors.suggestion_list(actor=a, filters=q),
    "rectification": lambda a, q: rect_selectors.rectification_ledger(actor=a, filters=q),
    "clues": lambda a, q: clue_selectors.clue_list(actor=a, filters=q),
    "bulletins": lambda a, q: bulletin_selectors.receipt_list(actor=a, filters=q),
    "action_items": lambda a, q: action_selectors.action_list(actor=a, filters=q),
    "livelihood": lambda a, q: livelihood_selectors.project_list(actor=a, filters=q),
    "evaluation": lambda a, q: evaluation_selectors.evaluation_list(actor=a, filters=q),
    # Commitments made at inquiries are rectifications of that source.
    "inquiries": lambda a, q: rect_selectors.rectification_ledger(actor=a, filters=q),
    "consultation": lambda a, q: rect_selectors.rectification_ledger(actor=a, filters=q),
}


def _listed(link: str, actor, url: str) -> int:
    """How many records the list a figure links to shows (the judicial link's three lists are
    told apart by their path)."""
    if link == "judicial":
        from wulian.judicial import selectors as judicial_selectors

        path = urlparse(url).path
        pick = {
            "/judicial/cases/": judicial_selectors.case_list,
            "/judicial/suggestions/": judicial_selectors.suggestion_list,
            "/judicial/petitions/": judicial_selectors.petition_list,
        }[path]
        return pick(actor=actor, filters=_query(url)).count()
    return LISTS[link](actor, _query(url)).count()


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _query(url: str) -> QueryDict:
    return QueryDict(urlparse(url).query)


def _world(personas) -> None:
    make_finding(personas, units=("unit_a",), found_at=date(2026, 3, 1))
    make_finding(
        personas, units=("unit_a",), state=RectificationState.CLOSED, found_at=date(2025, 3, 1)
    )
    make_finding(personas, units=("unit_b",), found_at=date(2026, 4, 1))
    make_bulletin(personas, recipients=("unit_a", "unit_b"))
    make_clue(personas, state=ClueState.RECEIVED)
    make_clue(personas, state=ClueState.CONCLUDED)
    make_clue(personas, state=ClueState.DRAFT)


def _board(personas, who: str, role: str | None = None, first: int = 2024, last: int = 2026):
    return dashboards.dashboard(
        actor=actor_for(personas.users[who]), role_key=role, first=first, last=last
    )


# (persona, the dashboards they may open, the links their first dashboard may never show)
MATRIX = [
    ("congress_clerk", ["congress"], {"clues"}),
    ("cdi_clue", ["cdi"], set()),
    ("cdi_officer", ["cdi"], {"clues"}),
    ("stationed", ["cdi"], {"clues"}),
    ("gov_supervisor", ["government"], {"clues"}),
    ("unit_a", ["department"], {"clues"}),
    ("unit_b", ["department"], {"clues"}),
]
NO_DASHBOARD = ["court_clerk", "deputy", "expert", "sysadmin", "secadmin", "auditadmin"]


@pytest.mark.parametrize(("who", "roles", "never"), MATRIX, ids=[m[0] for m in MATRIX])
def test_each_role_opens_its_dashboard_and_shows_nothing_it_may_not(
    personas, who, roles, never
) -> None:
    _world(personas)
    board = _board(personas, who)
    assert [r.key for r in board.roles] == roles
    links = {t.link for t in board.trends}
    assert not links & never, who
    page = client_for(personas.users[who]).get(URL, {"from": 2024, "to": 2026})
    assert page.status_code == 200
    html = page.content.decode()
    for link in never:
        assert f'id="dashboard-{link}"' not in html
    # A dashboard not theirs is refused, not shown empty.
    for other in {r.key for r in dashboards.ROLES} - set(roles):
        assert client_for(personas.users[who]).get(URL, {"role": other}).status_code == 403


@pytest.mark.parametrize("who", NO_DASHBOARD)
def test_no_dashboard_for_those_without_a_desk_in_the_supervision(personas, who) -> None:
    assert client_for(personas.users[who]).get(URL).status_code == 403


def test_clue_figures_only_for_the_cdi_clue_officer(personas) -> None:
    """The congress clerk drafted a clue and follows two: no clue number on any dashboard of
    theirs; the CDI's clue officer sees the clues by the department they concern."""
    _world(personas)
    clerk = client_for(personas.congress_clerk).get(URL).content.decode()
    assert "dashboard-clues" not in clerk and "问题线索" not in clerk.split("<main", 1)[-1]
    officer = _board(personas, "cdi_clue")
    clues = next(t for t in officer.trends if t.link == "clues")
    a = personas.orgs["unit_a"].pk
    assert [(org, cell.value) for org, _n, cell in clues.by_organisation] == [(a, 2)]
    cell = clues.by_organisation[0][2]
    actor = actor_for(personas.cdi_clue)
    assert LISTS["clues"](actor, _query(cell.url)).count() == 2
    # The trend: the clues about someone in an organisation, each year's point listing as
    # many (the draft of the congress office is not the officer's to read, nor counted).
    assert [k for k, _label in clues.measures] == ["total", "concluded"]
    total = clues.cell("total", 2026)
    assert total.value == 2 and LISTS["clues"](actor, _query(total.url)).count() == 2
    concluded = clues.cell("concluded", 2026)
    assert concluded.value == 1 and LISTS["clues"](actor, _query(concluded.url)).count() == 1
    # The same link opened by the congress clerk lists only the draft their office may read,
    # none of the CDI's.
    clerk_actor = actor_for(personas.congress_clerk)
    seen = LISTS["clues"](clerk_actor, _query(total.url))
    assert [c.state for c in seen] == [ClueState.DRAFT]


def test_the_department_sees_only_itself(personas) -> None:
    _world(personas)
    board = _board(personas, "unit_a")
    a = personas.orgs["unit_a"].pk
    assert board.organisation_ids == [a]
    rect = next(t for t in board.trends if t.link == "rectification")
    assert rect.cell("total", 2026).value == 1  # unit B's finding of 2026 is not counted
    assert rect.cell("closed", 2025).value == 1
    assert all(not t.by_organisation for t in board.trends)
    html = client_for(personas.unit_a).get(URL).content.decode()
    assert personas.orgs["unit_b"].name not in html
    # The figure is its profile's figure.
    p = profile.organisation_profile(actor=actor_for(personas.unit_a), organisation_id=a, year=2026)
    assert rect.cell("total", 2026).value == p.signal("rectification.total").value


def test_the_figures_are_the_providers_counts_and_each_link_lists_as_many(personas) -> None:
    enact(personas, count=12, year=2026)
    _world(personas)
    for who in ("congress_clerk", "cdi_clue", "gov_supervisor", "unit_a"):
        actor = actor_for(personas.users[who])
        board = _board(personas, who)
        by_link = {p.LINK: p for p in profile.providers()}
        for trend in board.trends:
            provider = by_link[trend.link]
            for year in board.years:
                counts = provider.counts(
                    actor=actor, year=year, organisation_ids=board.organisation_ids
                )
                for key, _label in trend.measures:
                    cell = trend.cell(key, year)
                    assert cell.value == sum(v.get(key, 0) for v in counts.values())
                    assert cell.url, (who, trend.link, key)
                    listed = _listed(trend.link, actor, cell.url)
                    assert listed == cell.value, (who, trend.link, key, year, cell.url)
            for org, _name, cell in trend.by_organisation:
                listed = _listed(trend.link, actor, cell.url)
                assert listed == cell.value, (who, trend.link, org)
    clerk = _board(personas, "congress_clerk")
    suggestions = next(t for t in clerk.trends if t.link == "suggestions")
    assert suggestions.cell("assigned", 2026).value == 12


def test_each_chart_has_its_table_and_each_point_is_a_link(personas) -> None:
    enact(personas, count=6, year=2026)
    _world(personas)
    html = client_for(personas.congress_clerk).get(URL).content.decode()
    figures = re.findall(r'<figure class="chart" data-chart="([^"]+)">(.*?)</figure>', html, re.S)
    assert figures
    for key, body in figures:
        assert 'role="img"' in body and "<desc id=" in body and "aria-labelledby" in body
        # The chart's table follows it, with the same links.
        after = html.split(f'data-chart="{key}"', 1)[1]
        table = re.search(r'<table class="data" data-table="([^"]+)">(.*?)</table>', after, re.S)
        assert table and table.group(1) == key, key
        chart_links = re.findall(r'<a href="([^"]+)" tabindex="-1">', body)
        table_links = re.findall(r'<a href="([^"]+)">', table.group(2))
        assert chart_links and set(chart_links) <= set(table_links), key


def test_the_year_range_is_chosen_and_bad_input_says_what_to_fix(personas) -> None:
    client = client_for(personas.congress_clerk)
    page = client.get(URL, {"from": 2023, "to": 2024})
    assert page.status_code == 200
    assert page.context["board"].years == [2023, 2024]
    for bad in ({"from": 2026, "to": 2020}, {"from": "x"}, {"from": 2001, "to": 2026}):
        page = client.get(URL, bad)
        assert page.status_code == 400, bad
        assert 'role="alert"' in page.content.decode()
        assert page.context["board"].years == [2022, 2023, 2024, 2025, 2026]


def test_the_dashboard_is_reachable_from_the_nav_and_the_profile(personas) -> None:
    client = client_for(personas.congress_clerk)
    assert f'href="{URL}"' in client.get("/").content.decode()
    a = personas.orgs["unit_a"].pk
    assert f'href="{URL}"' in client.get(f"/reports/organisations/{a}/").content.decode()
    assert f'href="{URL}"' not in client_for(personas.deputy).get("/").content.decode()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, {"from": 2025, "to": 2026}).status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_the_records(personas, settings) -> None:
    """One query per link and year, one for the organisations' names, and the page's own
    (session, person, seats, nav) — whatever the number of records. (Counted afresh each
    time: kept counts are the next test's.)"""
    settings.REPORTS_COUNTS_CACHE_SECONDS = 0
    client = client_for(personas.cdi_clue)
    make_finding(personas, units=("unit_a",), found_at=date(2026, 3, 1))
    make_clue(personas, state=ClueState.RECEIVED)
    _queries(client)  # the first request of a session reads what it keeps
    few = _queries(client)
    links = len(_board(personas, "cdi_clue", first=2025, last=2026).trends)
    assert few <= links * 2 + 1 + 12
    for unit in ("unit_a", "unit_b") * 4:
        make_finding(personas, units=(unit,), found_at=date(2025, 3, 1))
        make_clue(personas, state=ClueState.CONCLUDED, subject_organisation=personas.orgs[unit])
    make_bulletin(personas, recipients=("unit_a", "unit_b"))
    assert _queries(client) == few


def _total(personas, who: str, link: str, year: int = 2026) -> int | None:
    board = _board(personas, who)
    return next(t for t in board.trends if t.link == link).cell("total", year).value


def _raise(personas) -> None:
    """A finding about unit A raised through its service (a step: it appends to the chain),
    with a rectification for units A and B and their commitment deadlines."""
    from wulian.core.rectification import services as rect_services

    rect_services.finding_raise(
        actor=actor_for(personas.congress_clerk),
        record=personas.orgs["unit_a"],
        data=raise_data(personas),
    )


def _rectifications(personas, who: str = "cdi_clue"):
    return next(t for t in _board(personas, who).trends if t.link == "rectification")


def test_counts_are_kept_until_a_change_is_recorded(personas) -> None:
    """The second look at a dashboard counts nothing again (one read of the audit head); a
    step taken anywhere (it appends to the audit chain) shows in the very next look."""
    from django.core.cache import cache

    make_finding(personas, units=("unit_a",), found_at=date(2026, 3, 1))
    client = client_for(personas.cdi_clue)
    _queries(client)  # the first request of a session reads what it keeps
    cache.clear()
    cold = _queries(client)
    warm = _queries(client)
    assert warm < cold - 5, (warm, cold)
    assert _rectifications(personas).cell("total", 2026).value == 1
    _raise(personas)
    assert _rectifications(personas).cell("total", 2026).value == 3  # two more, at once


def test_kept_counts_are_each_persons_own(personas) -> None:
    """The counts are kept per person: a department's liaison after the CDI's officer sees
    their own department's figure, not the city's, and no clue figure at all."""
    _world(personas)
    assert _rectifications(personas).cell("total", 2026).value == 2
    board = _board(personas, "unit_a")
    assert "clues" not in {t.link for t in board.trends}
    assert _rectifications(personas, "unit_a").cell("total", 2026).value == 1


def test_kept_counts_are_counted_again_the_next_day(personas) -> None:
    """A deadline passing makes a rectification overdue without a step: counts kept on one
    day are not the next day's."""
    _raise(personas)
    assert _rectifications(personas).cell("overdue", 2026).value == 0
    with time_machine.travel(datetime(2026, 12, 30, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        assert _rectifications(personas).cell("overdue", 2026).value == 2


@pytest.mark.redis
def test_kept_counts_are_shared_by_the_web_processes_through_redis(personas, settings) -> None:
    """With WULIAN_CACHE_URL the counts are kept in Redis, where every web process finds
    them: the second look (as if in another process) counts nothing again."""
    import uuid

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # this test's own keys
        }
    }
    from django.core.cache import cache

    make_finding(personas, units=("unit_a",), found_at=date(2026, 3, 1))
    try:
        assert _rectifications(personas).cell("total", 2026).value == 1
        kept = cache._cache.get_client().keys(f"{cache.key_prefix}:*reports:counts:*")
        assert kept  # in Redis, not in this process's memory
        client = client_for(personas.cdi_clue)
        _queries(client)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"from": 2025, "to": 2026}).status_code == 200
        assert not any("rectification_rectification" in q["sql"] for q in ctx.captured_queries)
    finally:
        cache.clear()


def test_the_by_department_chart_and_table_show_the_first_ten_and_link_the_ranking(
    personas,
) -> None:
    """A city has thousands of units: the chart and its table show the first ten, say how many
    there are, and link the ranking that lists every one (where the measure ranks)."""
    from wulian.core.choices import OrgKind
    from wulian.core.models import Organisation
    from wulian.reports import dashboard_views

    for i in range(12):
        key = f"unit_{i:02d}"
        personas.orgs[key] = Organisation.objects.create(
            kind=OrgKind.HANDLING_UNIT, code=f"T-U{i:02d}", name=f"测试承办单位{i:02d}"
        )
        for _n in range(i + 1):
            make_finding(personas, units=(key,), found_at=date(2026, 3, 1))
    rect = _rectifications(personas, "congress_clerk")
    assert rect.organisations == 12 and len(rect.by_organisation) == 10
    assert [name for _o, name, _c in rect.by_organisation][:2] == [
        "测试承办单位11",
        "测试承办单位10",
    ]
    table = str(dashboard_views.organisation_table(rect))
    assert table.count('<tr><th scope="row">') == 10 and "测试承办单位01" not in table
    # 整改事项 is not a ranked measure: no ranking link, the note says how many there are.
    assert "reports/ranking" not in table
    assert "共 12 个" in str(dashboard_views.organisation_chart(rect))
    # A ranked measure (suggestions led) links its ranking, which lists every unit.
    rect.link, rect.by_key = "suggestions", "assigned"
    table = str(dashboard_views.organisation_table(rect))
    assert "measure=suggestions.assigned" in table and "全部 12 个单位的排名" in table
