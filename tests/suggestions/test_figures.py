"""The year's figures: counted right, each agreeing with the ledger rows it links to, scoped to
the viewer, in a constant number of queries; the command line."""

from __future__ import annotations

import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import OrganisationFactory
from tests.suggestions import figure_data
from wulian.suggestions import figures
from wulian.suggestions.figures import STAGES, FigureFilters, compute, year_figures
from wulian.suggestions.models import Suggestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(personas):
    """2023: eight suggestions in every stage, two lead units; 2022: one answered."""
    b = figure_data.Builder(personas, figure_data.session(personas, 2023))
    a, u = personas.orgs["unit_a"], personas.orgs["unit_b"]
    b.suggestion(stage="submitted")
    b.suggestion(stage="not_accepted")
    b.suggestion(stage="accepted")
    b.suggestion(stage="rated", unit=a, category="A", verdict="satisfied")
    b.suggestion(
        stage="rated",
        unit=a,
        contact_hours=60,
        reply_on_time=False,
        category="B",
        verdict="unsatisfied",
    )
    b.suggestion(stage="assigned", unit=a, co_units=(u,))
    b.suggestion(stage="rated", unit=u, category="C", verdict="basically")
    b.suggestion(stage="contacted", unit=u)
    old = figure_data.Builder(personas, figure_data.session(personas, 2022))
    old.suggestion(stage="rated", unit=a, verdict="unsatisfied")
    return 2023


def values(result) -> dict[str, int]:
    return {f.key: f.value for f in (*result.figures, *result.categories, *result.satisfaction)}


def test_every_figure_of_the_year(year):
    result = compute(year=year)
    assert values(result) == {
        "received": 8,
        "accepted": 6,
        "not_accepted": 1,
        "assigned": 5,
        "received_by_unit": 4,
        "contacted_in_time": 3,
        "answered": 3,
        "due": 5,
        "answered_on_time": 2,
        "rated": 3,
        "category_A": 1,
        "category_B": 1,
        "category_C": 1,
        "category_D": 0,  # the configured classes (reply_classes): A-D by default
        "verdict_satisfied": 1,
        "verdict_basically": 1,
        "verdict_unsatisfied": 1,
    }
    assert result.figure("answered").of == 5  # of those assigned
    assert result.figure("answered_on_time").rate == 0.4
    assert result.figure("contacted_in_time").of == 4  # of those the units received
    assert result.satisfaction_rate == pytest.approx(2 / 3, abs=1e-4)


def test_another_year_counts_its_own(year):
    assert values(compute(year=2022))["received"] == 1
    assert values(compute(year=2021))["received"] == 0
    assert compute(year=2021).satisfaction_rate is None


def test_units_ranked_by_on_time_replies_then_satisfaction(year, personas):
    units = compute(year=year).units
    assert [u.unit for u in units] == ["市司法局", "市民政局"]
    b, a = units
    assert (b.rank, b.assigned, b.answered_on_time, b.contacted_in_time) == (1, 2, 1, 2)
    assert (a.rank, a.assigned, a.answered, a.answered_on_time, a.rated, a.satisfied) == (
        2, 3, 2, 1, 2, 1,
    )  # fmt: skip
    assert a.on_time_rate == pytest.approx(1 / 3, abs=1e-4)
    assert a.satisfaction_rate == 0.5
    assert b.url.endswith(f"lead_unit={personas.orgs['unit_b'].pk}")


def test_units_with_the_same_rates_share_a_rank(personas):
    b = figure_data.Builder(personas, figure_data.session(personas, 2024))
    b.suggestion(stage="answered", unit=personas.orgs["unit_a"])
    b.suggestion(stage="answered", unit=personas.orgs["unit_b"])
    assert [u.rank for u in compute(year=2024).units] == [1, 1]


def test_answered_on_time_reads_the_reply_where_the_column_was_never_written(personas):
    b = figure_data.Builder(personas, figure_data.session(personas, 2024))
    a = personas.orgs["unit_a"]
    on_time = b.suggestion(stage="answered", unit=a, reply_on_time=True)
    late = b.suggestion(stage="answered", unit=a, reply_on_time=False)
    Suggestion.objects.filter(pk__in=[on_time.pk, late.pk]).update(first_reply_on_time=None)
    result = compute(year=2024)
    assert result.figure("answered_on_time").value == 1
    assert ledger_ids(result.figure("answered_on_time").url) == {on_time.pk}


def ledger_ids(url: str) -> set[int]:
    """The rows the ledger lists for a figure's link (its filters over all suggestions)."""
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    verdict = params.pop("verdict", None)
    qs = FigureFilters(params, queryset=Suggestion.objects.all()).qs
    if verdict:
        qs = qs.filter(verdict=verdict)
    return set(qs.values_list("pk", flat=True))


def test_each_figure_links_to_the_ledger_rows_it_counts(year):
    result = compute(year=year)
    for f in (*result.figures, *result.categories, *result.satisfaction):
        assert urlsplit(f.url).path == reverse("suggestions:suggestion_list")
        assert len(ledger_ids(f.url)) == f.value, f.key
    for u in result.units:
        assert len(ledger_ids(u.url)) == u.assigned


def test_a_unit_counts_only_what_it_handles(year, personas):
    result = year_figures(actor=personas.unit_b, year=year)
    # unit B leads two and co-handles one of unit A's.
    assert values(result)["received"] == 3
    assert values(result)["answered"] == 1
    assert {u.unit for u in result.units} == {"市司法局", "市民政局"}
    # Satisfaction in aggregate, but no link to who rated what.
    assert all(f.url is None for f in result.satisfaction)
    assert all(f.url for f in result.figures)


def test_the_trend_takes_the_year_it_is_shown_beside_as_counted(year, personas):
    """The figures page passes its year's totals to the trend (`by_year(known=…)`), which then
    does not read that year's rows again: the same rows as reading them, for every viewer,
    for a year with rows, one without any the viewer may see, and one outside the trend."""
    from wulian.suggestions import figure_charts

    figure_data.Builder(personas, figure_data.session(personas, 2016)).suggestion(
        stage="answered", unit=personas.orgs["unit_a"]
    )
    for name in ("congress_clerk", "unit_a", "unit_b", "deputy", "gov_supervisor"):
        actor = getattr(personas, name)
        read = figure_charts.by_year(actor=actor)
        for shown in (year, 2022, 2021, 2016):
            totals = figure_charts.year_totals(year_figures(actor=actor, year=shown))
            assert figure_charts.by_year(actor=actor, known={shown: totals}) == read, (name, shown)
        assert read, name


def test_the_supervising_side_counts_the_city_and_may_open_verdicts(year, personas):
    for name in ("congress_clerk", "gov_supervisor", "stationed"):
        result = year_figures(actor=getattr(personas, name), year=year)
        assert values(result)["received"] == 8
        assert all(f.url for f in result.satisfaction)


def test_a_deputy_counts_their_own(year, personas):
    assert values(year_figures(actor=personas.deputy, year=year))["received"] == 8
    other = figure_data.Builder(personas, figure_data.session(personas, 2025))
    other.suggestion(stage="accepted", lead_deputy=personas.unit_a.person)
    assert values(year_figures(actor=personas.deputy, year=2025))["received"] == 0


def test_those_who_see_no_suggestion_get_no_figures(year, personas):
    from wulian.core.errors import AccessDenied

    with pytest.raises(AccessDenied):
        year_figures(actor=personas.sysadmin, year=year)


def test_the_figures_cost_the_same_queries_for_one_row_as_for_twenty(personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    b = figure_data.Builder(personas, figure_data.session(personas, 2023))
    b.suggestion(stage="rated", unit=personas.orgs["unit_a"], verdict="satisfied")
    with CaptureQueriesContext(connection) as one:
        compute(year=2023)
    for i in range(19):
        b.suggestion(stage="rated", unit=personas.orgs["unit_a" if i % 2 else "unit_b"])
    with CaptureQueriesContext(connection) as twenty:
        result = compute(year=2023)
    assert values(result)["received"] == 20
    assert len(twenty) == len(one)
    # The year's sessions, the counts by lead unit (the totals are their sums), the names of the
    # units ranked, the campaigns (on PostgreSQL each figures query also sets `jit = off` in its
    # own savepoint).
    selects = [q for q in twenty.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) == 4


STAGE_LIST = ["submitted", "not_accepted", "accepted", "assigned", "received", "contacted",
              "answered", "rated"]  # fmt: skip


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(STAGE_LIST),
            st.booleans(),  # unit A or B
            st.sampled_from([1, 47, 49, 100]),  # hours to the first contact
            st.booleans(),  # replied on time
            st.sampled_from(["A", "B", "C"]),
            st.sampled_from(["satisfied", "basically", "unsatisfied"]),
        ),
        max_size=12,
    )
)
def test_figures_agree_with_the_ledger_whatever_the_mix(personas, rows):
    Suggestion.objects.all().update(merged_into=None)
    from wulian.suggestions.models import (
        Assignment,
        AssignmentBatch,
        CongressSession,
        Contact,
        Reply,
        Verdict,
    )

    for model in (Verdict, Reply, Contact, Assignment, AssignmentBatch, Suggestion):
        model.objects.all().delete()
    CongressSession.objects.all().delete()
    b = figure_data.Builder(personas, figure_data.session(personas, 2023))
    for stage, unit_a, hours, on_time, category, verdict in rows:
        b.suggestion(
            stage=stage,
            unit=personas.orgs["unit_a" if unit_a else "unit_b"],
            contact_hours=hours,
            reply_on_time=on_time,
            category=category,
            verdict=verdict,
        )
    result = compute(year=2023)
    got = values(result)
    assert got["received"] == len(rows)
    for key in STAGES:
        assert len(ledger_ids(result.figure(key).url)) == got[key], key
    assert got["answered"] == sum(got[f"category_{c}"] for c in "ABC")
    assert got["rated"] == sum(
        got[f"verdict_{v}"] for v in ("satisfied", "basically", "unsatisfied")
    )
    assert got["answered_on_time"] <= got["answered"] <= got["assigned"] <= got["accepted"]
    assert got["contacted_in_time"] <= got["received_by_unit"] <= got["assigned"]
    assert sum(u.assigned for u in result.units) == got["assigned"]
    ranks = [u.rank for u in result.units]
    assert ranks == sorted(ranks)


# ---- command line


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("figures", *args, stdout=out)
    return out.getvalue()


def test_command_json(year):
    data = json.loads(run("suggestions", "--year", str(year), "--format", "json"))
    assert data["year"] == 2023
    by_key = {f["key"]: f for f in data["figures"]}
    assert by_key["received"]["value"] == 8
    assert by_key["answered_on_time"]["rate"] == 0.4
    assert by_key["received"]["label"] == "收到建议"
    assert [u["unit"] for u in data["units"]] == ["市司法局", "市民政局"]
    assert {f["key"] for f in data["reply_categories"]} == {
        "category_A",
        "category_B",
        "category_C",
        "category_D",  # the configured classes (reply_classes)
    }
    assert data["satisfaction_rate"] == pytest.approx(0.6667)


def test_command_table(year):
    out = run("suggestions", "--year", str(year))
    assert "收到建议" in out and "8" in out
    assert "第1名 市司法局" in out
    assert "66.7%" in out


def test_command_refuses_an_unknown_link_or_a_bad_year(year):
    with pytest.raises(CommandError, match="suggestions"):
        run("nosuchlink", "--year", "2023")
    with pytest.raises(CommandError, match="four-digit"):
        run("suggestions", "--year", "23")


def test_the_command_finds_providers_by_module():
    from wulian.suggestions.management.commands.figures import providers

    assert providers()["suggestions"] is figures


# ---- page and API


def test_the_figures_page_shows_each_figure_with_its_link(year, personas, client_of):
    response = client_of(personas.congress_clerk).get(reverse("suggestions:figures") + "?year=2023")
    assert response.status_code == 200
    html = response.content.decode()
    assert "2023年代表建议办理情况" in html
    data = response.context["data"]
    for f in data.figures:
        assert f'href="{f.url.replace("&", "&amp;")}">{f.value}</a>' in html
    assert "40.0%" in html  # answered on time, of those assigned
    assert "66.7%" in html  # satisfaction
    assert "市司法局" in html and "市民政局" in html


def test_a_unit_sees_satisfaction_without_links(year, personas, client_of):
    response = client_of(personas.unit_a).get(reverse("suggestions:figures") + "?year=2023")
    html = response.content.decode()
    assert "verdict=" not in html
    assert response.context["data"].figure("received").value == 3  # the three it leads


def test_the_page_defaults_to_the_current_session_year(year, personas, client_of):
    from wulian.suggestions.models import CongressSession

    CongressSession.objects.filter(year=2023).update(is_current=True)
    response = client_of(personas.congress_clerk).get(reverse("suggestions:figures"))
    assert response.context["data"].year == 2023


def test_a_bad_year_is_a_form_error_not_a_500(year, personas, client_of):
    client = client_of(personas.congress_clerk)
    for bad in ("abc", "23", "99999", "2023.5"):
        response = client.get(reverse("suggestions:figures"), {"year": bad})
        assert response.status_code == 400
        assert "请填写四位数的年度" in response.content.decode()


def test_the_page_lists_many_units_in_part(personas, client_of):
    from wulian.suggestions import figures_views

    b = figure_data.Builder(personas, figure_data.session(personas, 2024))
    for _ in range(figures_views.UNITS_SHOWN + 2):
        b.suggestion(stage="assigned", unit=OrganisationFactory())
    client = client_of(personas.congress_clerk)
    response = client.get(reverse("suggestions:figures"), {"year": 2024})
    assert len(response.context["units"]) == figures_views.UNITS_SHOWN
    assert "还有 2 个单位" in response.content.decode()
    response = client.get(reverse("suggestions:figures"), {"year": 2024, "units": "all"})
    assert len(response.context["units"]) == figures_views.UNITS_SHOWN + 2


def test_the_page_costs_the_same_queries_for_one_row_as_for_twenty(personas, client_of):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_of(personas.congress_clerk)
    url = reverse("suggestions:figures") + "?year=2023"
    b = figure_data.Builder(personas, figure_data.session(personas, 2023))
    b.suggestion(stage="rated", unit=personas.orgs["unit_a"], verdict="satisfied")
    client.get(url)
    cache.clear()  # counted, not kept (the builder's rows are written without a step)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(19):
        b.suggestion(stage="rated", unit=personas.orgs["unit_b" if i % 2 else "unit_a"])
    cache.clear()
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(url)
    assert response.context["data"].figure("received").value == 20
    assert len(twenty) == len(one)


def test_the_page_keeps_its_counts_until_a_change_is_recorded(year, personas, client_of):
    """The year's counts and the trend's other years are kept (ADR 0031, kept counts): the
    second look counts nothing again and draws the same page; a change recorded anywhere (the
    audit head moves) is counted in the very next look; each person counts their own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wulian.core import audit

    client = client_of(personas.congress_clerk)
    url = reverse("suggestions:figures") + "?year=2023"
    client.get(url)  # the session's first request reads what it keeps
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        first = client.get(url)
    with CaptureQueriesContext(connection) as warm:
        second = client.get(url)

    # The year's aggregate and the trend's are counted in the first look only (on PostgreSQL
    # each runs in a savepoint of its own: count the aggregates, not the statements).
    def aggregates(ctx: CaptureQueriesContext) -> int:
        return sum('COUNT("suggestions_suggestion"."id")' in q["sql"] for q in ctx.captured_queries)

    assert aggregates(cold) == 2 and aggregates(warm) == 0
    assert len(warm) < len(cold)
    # The CSRF token is masked afresh for each response.
    token = re.compile(rb'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]*')
    assert token.sub(b"", second.content) == token.sub(b"", first.content)
    figure_data.Builder(personas, figure_data.session(personas, 2023)).suggestion(
        stage="rated", unit=personas.orgs["unit_a"], verdict="satisfied"
    )
    figure_data.Builder(personas, figure_data.session(personas, 2022)).suggestion(
        stage="answered", unit=personas.orgs["unit_a"]
    )
    assert client.get(url).context["data"].figure("received").value == 8  # kept
    audit.event(personas.congress_clerk, "accounts.session.expired", personas.congress_clerk)
    response = client.get(url)
    assert response.context["data"].figure("received").value == 9
    assert {r.year: r.received for r in response.context["trend"]}[2022] == 2
    # Kept per person: a unit's clerk after the congress office's sees only their unit's.
    unit = client_of(personas.unit_a).get(url).context["data"]
    assert unit == year_figures(actor=personas.unit_a, year=2023, by_category=True)
    assert unit.figure("received").value < 9


def test_the_api_gives_the_same_figures(year, personas, client_of):
    response = client_of(personas.gov_supervisor).get(
        reverse("suggestions_api:figures"), {"year": 2023}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    data = response.json()
    expected = compute(year=2023).as_dict()
    assert data == json.loads(json.dumps({**expected, "units_total": len(expected["units"])}))


def test_the_api_gives_the_first_units_unless_all_are_asked_for(personas, client_of):
    from wulian.suggestions import figures_views

    b = figure_data.Builder(personas, figure_data.session(personas, 2024))
    for _ in range(figures_views.UNITS_SHOWN + 3):
        b.suggestion(stage="assigned", unit=OrganisationFactory())
    client = client_of(personas.congress_clerk)
    url = reverse("suggestions_api:figures")
    data = client.get(url, {"year": 2024}, HTTP_ACCEPT="application/json").json()
    assert (len(data["units"]), data["units_total"]) == (figures_views.UNITS_SHOWN, 53)
    data = client.get(url, {"year": 2024, "units": "all"}, HTTP_ACCEPT="application/json").json()
    assert (len(data["units"]), data["units_total"]) == (53, 53)


def test_the_api_refuses_a_bad_year_with_a_problem(year, personas, client_of):
    response = client_of(personas.congress_clerk).get(
        reverse("suggestions_api:figures"), {"year": "nope"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["errors"]["year"] == ["请填写四位数的年度，例如 2023。"]


def test_the_api_counts_what_the_caller_sees(year, personas, client_of):
    response = client_of(personas.unit_b).get(
        reverse("suggestions_api:figures"), {"year": 2023}, HTTP_ACCEPT="application/json"
    )
    by_key = {f["key"]: f for f in response.json()["figures"]}
    assert by_key["received"]["value"] == 3
    assert all(f["url"] is None for f in response.json()["satisfaction"])


# ---- the 2023 session (the article: 187 suggestions, all answered)


def test_the_figures_page_says_all_187_suggestions_were_answered(personas, client_of, time_machine):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tests.suggestions.scenario import enact

    time_machine.move_to(datetime(2023, 2, 6, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)
    sc = enact(personas, count=187, year=2023)
    response = client_of(personas.congress_clerk).get(
        reverse("suggestions:figures"), {"year": 2023}
    )
    assert response.status_code == 200
    data = response.context["data"]
    for key in ("received", "accepted", "assigned", "received_by_unit", "contacted_in_time",
                "answered", "answered_on_time", "rated"):  # fmt: skip
        assert data.figure(key).value == 187, key
    assert data.figure("not_accepted").value == 0
    assert data.figure("answered").percent == "100.0%"
    assert data.figure("answered_on_time").percent == "100.0%"
    assert [f.value for f in data.categories] == [119, 34, 34, 0]  # D: configured, none
    # The 17 rated 不满意 were answered again and rated 满意: the latest verdicts count.
    assert data.figure("verdict_unsatisfied").value == 0
    assert data.satisfaction_percent == "100.0%"
    assert len(data.units) == len(sc.units) and {u.rank for u in data.units} == {1}
    assert sum(u.assigned for u in data.units) == 187
    html = response.content.decode()
    assert "2023年代表建议办理情况" in html
    answered = data.figure("answered")
    assert f'href="{answered.url.replace("&", "&amp;")}">187</a>' in html
    # The link opens the 187 on the ledger (20 a page).
    ledger = client_of(personas.congress_clerk).get(answered.url)
    assert ledger.status_code == 200
    assert ledger.context["page"].object_list and len(ledger.context["page"].object_list) <= 187
    assert len(ledger_ids(answered.url)) == 187


# ---- small numbers: a unit must not infer a deputy's verdict from the figures

SEE_VERDICTS = ("congress_clerk", "gov_supervisor", "stationed")
NO_VERDICTS = ("unit_a", "unit_b")


@pytest.mark.parametrize("who", SEE_VERDICTS + NO_VERDICTS)
def test_a_verdict_split_over_fewer_than_five_verdicts_is_suppressed_for_units(year, personas, who):
    # unit A sees two rated suggestions (满意, 不满意), unit B three: below 5 for both.
    result = year_figures(actor=getattr(personas, who), year=year)
    split = {f.key: f.value for f in result.satisfaction}
    if who in SEE_VERDICTS:
        assert split == {"verdict_satisfied": 1, "verdict_basically": 1, "verdict_unsatisfied": 1}
        assert result.satisfaction_rate == pytest.approx(0.6667)
        assert all(u.satisfaction_rate is not None for u in result.units if u.rated)
    else:
        assert set(split.values()) == {None}
        assert all(f.url is None and f.rate is None for f in result.satisfaction)
        assert result.satisfaction_rate is None
        assert all(u.satisfied is None and u.satisfaction_rate is None for u in result.units)
        assert result.figure("rated").value >= 1  # how many were rated is not a verdict


def test_a_unit_sees_a_split_over_enough_verdicts_but_never_links(year, personas, settings):
    settings.SUGGESTION_FIGURES_MIN_VERDICTS = 2
    result = year_figures(actor=personas.unit_a, year=year)
    assert {f.key: f.value for f in result.satisfaction} == {
        "verdict_satisfied": 1,
        "verdict_basically": 0,
        "verdict_unsatisfied": 1,
    }
    assert all(f.url is None for f in result.satisfaction)
    # unit A leads two rated suggestions (shown); unit B's one co-handled row has none rated.
    rows = {u.unit: u for u in result.units}
    assert rows["市民政局"].satisfaction_rate == 0.5


def test_a_units_figures_page_suppresses_the_split(year, personas, client_of):
    html = client_of(personas.unit_a).get(reverse("suggestions:figures") + "?year=2023")
    page = html.content.decode()
    assert 'id="verdicts-suppressed"' in page
    rows = page.split('id="figures-satisfaction"')[1].split("</table>")[0]
    assert "不公开" in rows and "50.0%" not in rows and "verdict=" not in rows
    assert "50.0%" not in page.split('id="figures-units"')[1].split("</table>")[0]
    clerk = client_of(personas.congress_clerk).get(reverse("suggestions:figures") + "?year=2023")
    assert 'id="verdicts-suppressed"' not in clerk.content.decode()


def test_a_units_figures_api_and_docx_suppress_the_split(year, personas, client_of):
    from docx import Document

    client = client_of(personas.unit_a)
    data = client.get(
        reverse("suggestions_api:figures"), {"year": 2023}, HTTP_ACCEPT="application/json"
    ).json()
    assert data["min_verdicts"] == 5
    assert all(f["value"] is None and f["suppressed"] for f in data["satisfaction"])
    assert data["satisfaction_rate"] is None
    assert all(u["satisfied"] is None and u["satisfaction_rate"] is None for u in data["units"])
    body = client.get(reverse("suggestions:figures_docx") + "?year=2023").content
    doc = Document(io.BytesIO(body))
    table = [[c.text for c in row.cells] for t in doc.tables for row in t.rows if row.cells[0].text]
    split = [r for r in table if r[0] in ("满意", "基本满意", "不满意")]
    assert split and all(r[1] == "不公开" and r[2] == "—" for r in split)
    assert "代表满意率—" in "\n".join(p.text for p in doc.paragraphs)


# --- Only what is due counts for the on-time share (issue 13) ----------------------------------


def test_a_reply_not_yet_due_is_neither_on_time_nor_late(personas, client_of, time_machine):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    # 5 March: the replies of suggestions assigned on 22 January are due in April.
    time_machine.move_to(datetime(2026, 3, 5, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    b = figure_data.Builder(personas, figure_data.session(personas, 2026))
    a, u = personas.orgs["unit_a"], personas.orgs["unit_b"]
    answered = b.suggestion(stage="answered", unit=a)
    b.suggestion(stage="received", unit=a)
    b.suggestion(stage="received", unit=u)
    data = compute(year=2026)
    assert data.figure("due").value == 1
    assert data.figure("answered_on_time").of == 1 and data.figure("answered_on_time").rate == 1
    rows = {r.unit_id: r for r in data.units}
    assert rows[a.pk].due == 1 and rows[a.pk].on_time_rate == 1.0  # not 50 %
    assert rows[u.pk].due == 0 and rows[u.pk].on_time_rate is None
    assert rows[u.pk].percents["on_time"] == "—"
    assert [r.unit_id for r in data.units] == [a.pk, u.pk]  # nothing due yet ranks after
    # The ledger's `due` stage lists the same rows.
    listed = FigureFilters({"year": 2026, "stage": "due"}, queryset=Suggestion.objects.all()).qs
    assert [s.pk for s in listed] == [answered.pk]
    # The page says so, and charts it.
    page = client_of(personas.congress_clerk).get(reverse("suggestions:figures"), {"year": 2026})
    html = page.content.decode()
    assert 'id="figures-due-note"' in html
    assert 'data-chart="units-on-time"' in html
    assert f'href="{reverse("suggestions:suggestion_list")}?year=2026&amp;lead_unit={a.pk}"' in html


def test_the_charts_link_to_the_records_and_sit_beside_their_tables(
    personas, client_of, year, django_assert_max_num_queries
):
    client = client_of(personas.congress_clerk)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("suggestions:figures"), {"year": year})
    html = page.content.decode()
    for key, table in (
        ("categories", "figures-suggestion-categories"),
        ("reply-categories", "figures-categories"),
        ("satisfaction", "figures-satisfaction"),
        ("units-on-time", "figures-units"),
        ("trend", "figures-trend"),
    ):
        assert f'data-chart="{key}"' in html and f'id="{table}"' in html
    ledger = reverse("suggestions:suggestion_list")
    # A bar of the reply classes opens the ledger filtered to that class.
    assert (
        f'<a href="{ledger}?year=2023&amp;stage=answered&amp;reply_category=A" tabindex="-1">'
        in html
    )
    # The trend: both years, each column a link.
    assert f'<a href="{ledger}?year=2022" tabindex="-1">' in html
    assert "<script" not in html.split('data-chart="categories"')[1].split("</figure>")[0]
