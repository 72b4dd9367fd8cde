"""The judicial pages and API: the same number of queries for 1 row as for 20, the forms'
refusals shown on the form with their status, the sealed result page, the verify page, the
figures' links, the 评查报告 as a real .docx, the imports through the page."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document

from tests.judicial import helpers as h
from tests.personas import client_for
from wulian.core.choices import ExpertCategory
from wulian.judicial import services
from wulian.judicial.choices import BatchState, PetitionState, SuggestionState
from wulian.judicial.models import Case, Draw, Problem, ReviewBatch, WitnessInput

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("judicial_env")]


def queries_for(client, url: str, **headers: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


def _experts(p, n: int) -> None:
    for i in range(n):
        h.make_expert(name=f"专家{i}", category=ExpertCategory.PROFESSOR, employer=f"大学{i}")


def _cases(p, n: int) -> None:
    start = Case.objects.count()
    batch = ReviewBatch.objects.first()
    for i in range(n):
        h.make_case(p, f"（2023）鄂02民初{1000 + start + i}号", batch=batch)


def _batches(p, n: int) -> None:
    for i in range(n):
        h.make_batch(p, cases=0, title=f"批次{i}")


def _suggestions(p, n: int) -> None:
    batch = ReviewBatch.objects.first() or h.make_batch(p, cases=0)
    for i in range(n):
        h.make_suggestion(
            p, batch, title=f"建议{i}", state=SuggestionState.SENT, sent_at=timezone.now()
        )


def _petitions(p, n: int) -> None:
    for _ in range(n):
        h.make_petition(
            p, state=PetitionState.ROUTED, organisation=p.orgs["court"], routed_at=timezone.now()
        )


def _draws(p, n: int) -> None:
    for i in range(n):
        batch = h.make_batch(p, cases=0, title=f"抽取批次{i}")
        h.make_case(p, f"（2023）鄂02民初{3000 + Case.objects.count()}号", batch=batch)
        services.draw_freeze(actor=p.users["congress_clerk"], batch_id=batch.pk, version=1)


LISTS: list[tuple[str, Callable[..., None], str]] = [
    ("judicial:expert_list", _experts, "congress_clerk"),
    ("judicial:case_list", _cases, "court_clerk"),
    ("judicial:batch_list", _batches, "stationed"),
    ("judicial:suggestion_list", _suggestions, "court_clerk"),
    ("judicial:petition_list", _petitions, "cdi_officer"),
    ("judicial:draw_list", _draws, "congress_clerk"),
    ("judicial_api:expert-list", _experts, "congress_clerk"),
    ("judicial_api:case-list", _cases, "court_clerk"),
    ("judicial_api:batch-list", _batches, "stationed"),
    ("judicial_api:draw-list", _draws, "congress_clerk"),
    ("judicial_api:suggestion-list", _suggestions, "court_clerk"),
    ("judicial_api:petition-list", _petitions, "cdi_officer"),
]


@pytest.mark.parametrize(("name", "grow", "who"), LISTS, ids=[x[0] for x in LISTS])
def test_lists_cost_the_same_queries_for_1_and_20_rows(p, name, grow, who):
    h.small_pool(p)
    h.make_batch(p, cases=0)
    client = client_for(p.users[who])
    url = reverse(name)
    headers = {"HTTP_ACCEPT": "application/json"} if "api" in name else {}
    grow(p, 1)
    client.get(url, **headers)  # warm the per-process caches
    one = queries_for(client, url, **headers)
    grow(p, 19)
    assert queries_for(client, url, **headers) == one


def test_the_case_list_shows_the_court_only_its_own_cases(p):
    from tests.factories import OrganisationFactory
    from wulian.core.choices import OrgKind

    mine = h.make_case(p)
    other_court = OrganisationFactory(kind=OrgKind.COURT, code="FY2", name="某区法院")
    theirs = h.make_case(p, "（2023）鄂0202民初5号")
    Case.objects.filter(pk=theirs.pk).update(court=other_court)
    page = client_for(p.users["court_clerk"]).get(reverse("judicial:case_list")).content.decode()
    assert mine.number in page and theirs.number not in page


# --- Forms and steps ----------------------------------------------------------------------


def test_a_malformed_case_number_is_shown_on_its_field(p):
    client = client_for(p.users["congress_clerk"])
    response = client.post(
        reverse("judicial:case_create"),
        {
            "number": "2023鄂02民初1号",
            "court": p.orgs["court"].pk,
            "kind": "enforcement",
            "parties": "张三（申请人）",
            "judges": "赵法官",
            "filed_by_org": p.orgs["congress_body"].pk,
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "年份" in " ".join(form.errors["number"])
    assert not Case.objects.exists()


def test_filing_through_the_page(p):
    client = client_for(p.users["stationed"])
    response = client.post(
        reverse("judicial:case_create"),
        {
            "number": "（2023）鄂02执12号",
            "court": p.orgs["court"].pk,
            "kind": "enforcement",
            "parties": "黄石某某公司（申请人，企业）\n李某（被申请人）",
            "judges": "周法官",
            "lawyers": "王律师（湖北某律所，代理黄石某某公司）",
            "filed_by_org": p.orgs["stationed_group"].pk,
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.filed_by_org == p.orgs["stationed_group"]


def test_the_freeze_refusal_is_shown_on_the_batch_page_and_nothing_is_saved(p):
    h.small_pool(p)
    batch = h.make_batch(p, minimums={"lawyer": 2, "professor": 1})
    response = client_for(p.users["congress_clerk"]).post(
        reverse("judicial:batch_freeze", args=[batch.pk]), {"version": 1}
    )
    assert response.status_code == 400
    assert "「律师」类至少需要2人" in response.content.decode()
    assert not Draw.objects.exists()


def test_the_witness_input_before_the_commitment_is_refused_on_the_page(p):
    d = h.frozen_draw(p)
    response = client_for(p.users["stationed"]).post(
        reverse("judicial:draw_input", args=[d.pk]), {"value": "314159265358"}
    )
    assert response.status_code == 409
    assert "尚未承诺" in response.content.decode()
    assert not WitnessInput.objects.exists()


def test_the_draw_page_hides_the_seed_from_watchers_until_the_review_opens(p):
    d = h.sealed_draw(p)
    for who, shown in (("cdi_officer", False), ("stationed", True), ("congress_clerk", True)):
        page = client_for(p.users[who]).get(d.get_absolute_url()).content.decode()
        assert d.manifest_hash in page and d.result_hash in page
        assert (d.seed in page) is shown, who


def test_the_sealed_result_page_names_the_panel_and_is_audited(p):
    d = h.sealed_draw(p)
    client = client_for(p.users["stationed"])
    page = client.get(reverse("judicial:draw_result", args=[d.pk])).content.decode()
    assert p.users["expert"].person.name in page
    assert (
        client_for(p.users["cdi_officer"])
        .get(reverse("judicial:draw_result", args=[d.pk]))
        .status_code
        == 403
    )


def test_the_verify_page_says_whether_the_record_matches(p):
    d = h.sealed_draw(p)
    client = client_for(p.users["cdi_officer"])
    page = client.get(reverse("judicial:draw_verify", args=[d.pk])).content.decode()
    assert 'data-verify="ok"' in page
    assert p.users["expert"].person.name not in page
    WitnessInput.objects.filter(draw=d, role="witness").update(value="123123123123")
    page = client.get(reverse("judicial:draw_verify", args=[d.pk])).content.decode()
    assert 'data-verify="fail"' in page


def test_invitation_pages_show_no_case_details(p):
    d = h.sealed_draw(p)
    client = client_for(p.users["expert"])
    page = client.get(reverse("judicial:my_reviews")).content.decode()
    assert d.code in page
    case = Case.objects.get(batch=d.batch)
    assert case.number not in page and "民初" not in page and p.orgs["court"].name not in page


def test_accept_and_score_through_the_pages(p):
    d = h.sealed_draw(p)
    client = client_for(p.users["expert"])
    inv = d.invitations.get(expert__profile__person=p.users["expert"].person)
    client.post(reverse("judicial:invitation_accept", args=[inv.pk]), {"version": inv.version})
    inv.refresh_from_db()
    assert inv.state == "accepted"
    h.accept_all(d)
    batch = ReviewBatch.objects.get(pk=d.batch_id)
    services.batch_open_review(
        actor=p.users["congress_clerk"], batch_id=batch.pk, version=batch.version
    )
    seat = h.expert_seat(p, batch)
    url = reverse("judicial:score", args=[seat.pk])
    bad = client.post(
        url, {"c_substance": 50, "c_procedure": 1, "c_documents": 1, "c_enforcement": 1}
    )
    assert bad.status_code == 400
    ok = client.post(
        url, {"c_substance": 35, "c_procedure": 25, "c_documents": 12, "c_enforcement": 12}
    )
    assert ok.status_code == 302
    assert seat.score.total == 84


# --- Figures, report ----------------------------------------------------------------------


def test_every_figure_is_a_link_to_its_records(p):
    batch = h.reviewing_batch(p)
    h.graded_case(p, batch)
    page = client_for(p.users["cdi_officer"]).get(reverse("judicial:figures")).content.decode()
    links = re.findall(r'data-figure="([^"]+)" href="([^"]+)"', page)
    assert len(links) >= 15
    client = client_for(p.users["cdi_officer"])
    for _name, href in links:
        href = href.replace("&amp;", "&")
        assert client.get(href).status_code == 200, href
    flawed = dict(links)["grade-3"].replace("&amp;", "&")
    assert batch.cases.get().number in client.get(flawed).content.decode()
    # The charts (ADR 0020) beside the table: each bar opens the same list as its number.
    bars = re.findall(r'<figure class="chart" data-chart="(\w+)"', page)
    assert bars == ["experts", "grades"]
    chart_links = set(re.findall(r'<a href="([^"]+)" tabindex="-1">', page))
    assert dict(links)["grade-3"] in chart_links
    assert "<script" not in page.split('data-chart="experts"')[1].split("</figure>")[0]


def test_the_review_report_is_a_docx_with_the_grades_and_problems(p):
    batch = h.reviewing_batch(p)
    case = h.graded_case(p, batch)
    Problem.objects.create(
        case=case, description="判决书说理不充分", created_by=p.users["congress_clerk"]
    )
    response = client_for(p.users["stationed"]).get(
        reverse("judicial:batch_report", args=[batch.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(par.text for par in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "评查报告" in text and "判决书说理不充分" in text
    assert case.number in cells and "瑕疵" in cells
    assert Draw.objects.get(batch=batch).code in text


def test_the_batch_page_walks_the_organiser_through_the_steps(p):
    h.small_pool(p)
    batch = h.make_batch(p)
    client = client_for(p.users["congress_clerk"])
    page = client.get(batch.get_absolute_url()).content.decode()
    assert reverse("judicial:batch_freeze", args=[batch.pk]) in page
    client.post(reverse("judicial:batch_freeze", args=[batch.pk]), {"version": 1})
    batch.refresh_from_db()
    assert batch.state == BatchState.DRAWING
    d = Draw.objects.get(batch=batch)
    page = client.get(d.get_absolute_url()).content.decode()
    assert reverse("judicial:draw_commit", args=[d.pk]) in page


def test_the_expert_import_page_lists_problems_by_row(p):
    from tests.judicial.test_pool_and_cases import EXPERT_HEADER, workbook

    data = workbook("专家", EXPERT_HEADER, [["甲", "法官", None, None, None]])
    upload = io.BytesIO(data)
    upload.name = "experts.xlsx"
    response = client_for(p.users["congress_clerk"]).post(
        reverse("judicial:expert_import"), {"file": upload}
    )
    assert response.status_code == 400
    assert "第 2 行" in response.content.decode()


def test_a_failed_verification_does_not_unseal_the_panel_for_watchers(p):
    from wulian.judicial import draw as engine

    d = h.sealed_draw(p)
    result = engine.Result.from_json(d.result)
    panel = result.panels[0]
    swapped = engine.Panel(
        panel.case_ref,
        tuple(reversed(panel.members)),
        tuple(reversed(panel.categories)),
        panel.reserves,
    )
    d.result = engine.Result((swapped,)).canonical().decode()
    d.save(update_fields=["result"])
    url = reverse("judicial:draw_verify", args=[d.pk])
    watcher = client_for(p.users["cdi_officer"]).get(url).content.decode()
    assert 'data-verify="fail"' in watcher
    assert not re.search(r"E\d{4}", watcher)
    witness = client_for(p.users["stationed"]).get(url).content.decode()
    assert re.search(r"E\d{4}", witness)


@pytest.mark.parametrize(
    ("parties", "says"),
    [
        ([{"role": "plaintiff"}], "姓名"),
        ([{"name": "张三", "role": "bystander"}], "诉讼地位"),
        ([{"name": ["张三"]}], "文字"),
        ([7], "对象"),
    ],
)
def test_parties_given_as_objects_are_checked_and_nothing_is_saved(p, parties, says):
    """Through the API, parties come as objects: a malformed one is refused on its field."""
    from wulian.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        services.case_file(
            actor=p.users["congress_clerk"],
            data={
                "number": "（2023）鄂02民初9号",
                "court": p.orgs["court"].pk,
                "kind": "enforcement",
                "parties": parties,
                "judges": "赵法官",
                "filed_by_org": p.orgs["congress_body"].pk,
            },
        )
    assert says in " ".join(refused.value.field_errors["parties"])
    assert not Case.objects.exists()
