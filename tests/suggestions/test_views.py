"""Suggestion pages: the ledger (constant queries, filters, search, keyset pages, red overdue
rows, verdicts hidden from units), the suggestion page as each side sees it, the steps through
the browser forms, the .xlsx export and import, and the public page without personal data."""

from __future__ import annotations

import io
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tests.factories import DeputyProfileFactory
from tests.suggestions.helpers import deputy, make_session, make_suggestion, walk
from wulian.core.formkit import deputy_label, organisation_label
from wulian.core.models import AuditEvent
from wulian.suggestions import services
from wulian.suggestions.choices import Satisfaction
from wulian.suggestions.choices import SuggestionStatus as S
from wulian.suggestions.models import Reply, Suggestion

LEDGER = reverse("suggestions:suggestion_list")


def _many(p, n: int, **fields) -> list[Suggestion]:
    return [make_suggestion(p, S.HANDLING, **fields) for _ in range(n)]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# --- The ledger -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["congress_clerk", "unit_a", "deputy"])
def test_the_ledger_costs_the_same_queries_for_20_rows_as_for_100(personas, client_of, who):
    p = personas
    client = client_of(p.users[who])
    client.get(LEDGER)  # the first request of a session saves the session
    _many(p, 20)
    few = _queries(client, f"{LEDGER}?per_page=20")
    _many(p, 100)
    many = _queries(client, f"{LEDGER}?per_page=100")
    assert few == many
    # A deep page costs the same, and shows older rows (keyset, no OFFSET).
    response = client.get(f"{LEDGER}?per_page=20")
    after = response.context["page"].next_after
    with CaptureQueriesContext(connection) as ctx:
        deep = client.get(f"{LEDGER}?per_page=20&after={after}")
    assert len(ctx.captured_queries) == few
    assert all(s.pk < after for s in deep.context["page"].object_list)
    assert not any("OFFSET" in q["sql"] for q in ctx.captured_queries if "suggestion" in q["sql"])


def test_the_ledger_shows_each_person_only_what_they_may_see(personas, client_of):
    p = personas
    ours = make_suggestion(p, S.HANDLING)
    theirs = make_suggestion(p, S.HANDLING, lead="unit_b", co=())
    for who, expected in [
        ("congress_clerk", {ours.pk, theirs.pk}),
        ("gov_supervisor", {ours.pk, theirs.pk}),
        ("stationed", {ours.pk, theirs.pk}),
        ("unit_a", {ours.pk}),
        ("unit_b", {ours.pk, theirs.pk}),
        ("court_clerk", set()),
        ("cdi_officer", set()),
    ]:
        page = client_of(p.users[who]).get(LEDGER).context["page"]
        assert {s.pk for s in page.object_list} == expected, who


def test_filters_by_session_status_unit_category_overdue_and_verdict(personas, client_of):
    p = personas
    handling = make_suggestion(p, S.HANDLING, category="health")
    closed = make_suggestion(p, S.CLOSED, lead="unit_b", co=())
    late = make_suggestion(
        p,
        S.HANDLING,
        first_contact_at=None,
        contact_due_at=timezone.now() - timedelta(hours=1),
    )
    other_session = make_session(p, name="市十五届人大三次会议", is_current=False)
    elsewhere = make_suggestion(p, S.SUBMITTED, session=other_session, number=1)
    client = client_of(p.congress_clerk)

    def rows(query: str) -> set[int]:
        response = client.get(f"{LEDGER}?{query}")
        assert response.status_code == 200
        return {s.pk for s in response.context["page"].object_list}

    assert rows(f"session={other_session.pk}") == {elsewhere.pk}
    assert rows("status=closed") == {closed.pk}
    assert rows(f"unit={p.orgs['unit_b'].pk}") == {handling.pk, closed.pk, late.pk}
    assert rows(f"lead_unit={p.orgs['unit_b'].pk}") == {closed.pk}
    # The unit box takes what a person types: a code, or the name and code it suggested.
    assert rows(f"unit={p.orgs['unit_b'].code}") == {handling.pk, closed.pk, late.pk}
    assert rows(urlencode({"unit": organisation_label(p.orgs["unit_b"])})) == {
        handling.pk,
        closed.pk,
        late.pk,
    }
    # The deputy box: an id (links), or the label it suggests.
    lead = Suggestion.objects.get(pk=handling.pk).lead_deputy
    by_id = rows(f"deputy={lead.pk}")
    assert handling.pk in by_id
    page = client.get(f"{LEDGER}?deputy={lead.pk}").content.decode()
    assert f'value="{deputy_label(lead)}"' in page
    assert rows(urlencode({"deputy": deputy_label(lead)})) == by_id
    unknown = client.get(f"{LEDGER}?unit=不存在的单位")
    assert "找不到单位“不存在的单位”" in unknown.content.decode()
    assert rows("category=health") == {handling.pk}
    assert rows("overdue=contact") == {late.pk}
    assert rows("overdue=yes") == {late.pk}
    assert rows("verdict=satisfied") == {closed.pk}
    # A bad value is a form error, not a 500.
    assert client.get(f"{LEDGER}?status=nonsense").status_code == 200


def test_a_unit_can_neither_see_nor_filter_by_verdicts(personas, client_of):
    p = personas
    good = make_suggestion(p, S.CLOSED)
    bad = make_suggestion(p, S.CLOSED, verdict=Satisfaction.UNSATISFIED)
    client = client_of(p.unit_a)
    response = client.get(f"{LEDGER}?verdict=unsatisfied")
    # The filter is ignored: both rows, no verdict column, no verdict filter in the form.
    assert {s.pk for s in response.context["page"].object_list} == {good.pk, bad.pk}
    assert "verdict" not in response.context["filter"].form.fields
    assert "代表评价" not in response.content.decode()
    clerk = client_of(p.congress_clerk).get(f"{LEDGER}?verdict=unsatisfied")
    assert {s.pk for s in clerk.context["page"].object_list} == {bad.pk}


def test_an_overdue_contact_shows_red_on_the_ledger_and_the_page(personas, client_of):
    p = personas
    late = make_suggestion(
        p, S.HANDLING, first_contact_at=None, contact_due_at=timezone.now() - timedelta(hours=1)
    )
    client = client_of(p.unit_a)
    html = client.get(LEDGER).content.decode()
    assert 'class="overdue"' in html and "联系代表逾期" in html
    page = client.get(reverse("suggestions:suggestion_detail", args=[late.pk])).content.decode()
    assert "联系代表逾期" in page and "badge-danger" in page


def test_chinese_full_text_search(personas, client_of):
    p = personas
    lift = make_suggestion(p, S.HANDLING, title="关于老旧小区加装电梯的建议")
    lamp = make_suggestion(
        p, S.HANDLING, title="关于背街小巷路灯的建议", content="背街小巷路灯损坏多年未修。"
    )
    client = client_of(p.congress_clerk)

    def found(q: str) -> set[int]:
        return {s.pk for s in client.get(LEDGER, {"q": q}).context["page"].object_list}

    assert found("电梯") == {lift.pk}
    assert found("小区") == {lift.pk}  # a part of 老旧小区
    assert found("路灯 小巷") == {lamp.pk}
    assert found("地铁") == set()
    # After an edit of the words the index follows (the trigger on the column).
    Suggestion.objects.filter(pk=lamp.pk).update(search_tokens="电梯")
    assert found("电梯") == {lift.pk, lamp.pk}


# --- The suggestion page --------------------------------------------------------------------------


def test_each_side_sees_its_part_of_the_suggestion(personas, client_of):
    p = personas
    s = walk(p, S.ANSWERED)
    services.verdict_give(
        actor=p.deputy,
        suggestion_id=s.pk,
        version=Suggestion.objects.get(pk=s.pk).version,
        on_attitude="satisfied",
        on_result="basically",
        comment="希望持续跟进",
    )
    url = reverse("suggestions:suggestion_detail", args=[s.pk])
    clerk = client_of(p.congress_clerk).get(url).content.decode()
    assert "希望持续跟进" in clerk and "电话联系代表" in clerk and "会办意见" in clerk
    lead = client_of(p.unit_a).get(url).content.decode()
    assert "电话联系代表" in lead and "会办意见：同意" in lead
    assert "希望持续跟进" not in lead and "基本满意" not in lead
    co = client_of(p.unit_b).get(url).content.decode()
    assert "电话联系代表" not in co and "希望持续跟进" not in co and "基本满意" not in co
    assert "答复函" in co
    own = client_of(p.deputy).get(url).content.decode()
    assert "希望持续跟进" in own
    assert client_of(p.court_clerk).get(url).status_code == 404


def test_the_timeline_hides_the_ratings_from_units(personas, client_of):
    p = personas
    s = walk(p, S.CLOSED)
    url = reverse("suggestions:suggestion_detail", args=[s.pk])
    timeline = client_of(p.unit_a).get(url).context["timeline"]
    verdicts = [e for e in timeline if e.action == "suggestions.verdict.given"]
    assert verdicts and verdicts[0].after == ""
    timeline = client_of(p.congress_clerk).get(url).context["timeline"]
    assert "on_result" in next(e for e in timeline if e.action == "suggestions.verdict.given").after


def test_a_deputy_walks_the_steps_through_the_forms(personas, client_of):
    p = personas
    make_session(p)
    deputy_client = client_of(p.deputy)
    response = deputy_client.post(
        reverse("suggestions:suggestion_submit"),
        {
            "title": "关于增设公交站点的建议",
            "content": "新建小区附近没有公交站。",
            "category": "transport",
        },
    )
    assert response.status_code == 302
    s = Suggestion.objects.get()
    clerk = client_of(p.congress_clerk)
    response = clerk.post(
        reverse("suggestions:suggestion_accept", args=[s.pk]), {"version": s.version}
    )
    assert response.status_code == 302
    assert Suggestion.objects.get(pk=s.pk).status == S.ACCEPTED
    # A stale page: told, nothing saved.
    response = clerk.post(
        reverse("suggestions:suggestion_reject", args=[s.pk]),
        {"version": s.version, "reason": "no_substance"},
    )
    assert response.status_code == 409
    assert "已被他人处理" in response.content.decode()


def test_submission_form_errors_are_shown_on_the_form(personas, client_of):
    make_session(personas)
    response = client_of(personas.deputy).post(reverse("suggestions:suggestion_submit"), {})
    assert response.status_code == 400
    assert not Suggestion.objects.exists()


def test_batch_of_many_suggestions_prepared_and_confirmed_through_the_pages(personas, client_of):
    p = personas
    one, two = walk(p, S.ACCEPTED), walk(p, S.ACCEPTED)
    clerk = client_of(p.congress_clerk)
    form = clerk.get(reverse("suggestions:batch_create"))
    assert {s.pk for s in form.context["rows"]} == {one.pk, two.pk}
    response = clerk.post(
        reverse("suggestions:batch_create"),
        {
            "pick": [one.pk, two.pk],
            f"v_{one.pk}": one.version,
            f"v_{two.pk}": two.version,
            f"lead_{one.pk}": p.orgs["unit_a"].pk,
            f"co_{one.pk}": [p.orgs["unit_b"].pk],
            f"lead_{two.pk}": p.orgs["unit_b"].pk,
        },
    )
    assert response.status_code == 302
    batch_url = response["Location"]
    from wulian.suggestions.models import AssignmentBatch

    b = AssignmentBatch.objects.get()
    response = client_of(p.gov_supervisor).post(
        reverse("suggestions:batch_confirm", args=[b.pk]), {"version": b.version}
    )
    # Irreversible (Step.confirm): the page asks first, saying what cannot be undone.
    assert response.status_code == 200 and "会签后即联合交办，不能撤回" in response.content.decode()
    assert AssignmentBatch.objects.get().state == "proposed"
    response = client_of(p.gov_supervisor).post(
        reverse("suggestions:batch_confirm", args=[b.pk]), {"version": b.version, "confirm": "on"}
    )
    assert response.status_code == 302 and response["Location"] == batch_url
    assert set(Suggestion.objects.values_list("status", flat=True)) == {S.ASSIGNED}


# --- Export and import ----------------------------------------------------------------------------


def test_export_has_the_ledger_rows_and_the_verdict_only_for_supervisors(personas, client_of):
    p = personas
    make_suggestion(p, S.CLOSED)
    make_suggestion(p, S.HANDLING, lead="unit_b", co=())
    response = client_of(p.congress_clerk).get(reverse("suggestions:suggestion_export"))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.max_row == 3 and ws.cell(1, ws.max_column).value == "代表评价"
    response = client_of(p.unit_a).get(reverse("suggestions:suggestion_export"))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.max_row == 2 and "代表评价" not in [c.value for c in ws[1]]
    assert AuditEvent.objects.filter(action="suggestions.ledger.exported").count() == 2


def _workbook(rows: list[list[str]]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.title = "代表建议"
    ws.append(["编号", "标题", "内容", "类别", "提出时间", "领衔代表", "附议代表"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("建议.xlsx", buffer.getvalue())


def test_import_all_or_nothing_with_a_row_by_row_report(personas, client_of):
    p = personas
    session = make_session(p)
    DeputyProfileFactory(person=deputy(p), certificate_no="HS15-0001")
    client = client_of(p.congress_clerk)
    url = reverse("suggestions:suggestion_import")
    bad = _workbook(
        [
            ["", "关于公交的建议", "增设站点", "交通运输", "大会期间", "HS15-0001", ""],
            ["", "", "没有标题", "交通运输", "", "HS15-0001", ""],
            ["", "关于学校的建议", "扩建", "不存在的类别", "", "无此人", ""],
        ]
    )
    response = client.post(url, {"session": session.pk, "file": bad})
    assert response.status_code == 400
    errors = response.context["result"].errors
    assert {(e.row, e.column) for e in errors} >= {(3, "标题"), (4, "类别"), (4, "领衔代表")}
    assert not Suggestion.objects.exists()
    good = _workbook(
        [
            ["", "关于公交的建议", "增设站点", "交通运输", "大会期间", "HS15-0001", ""],
            ["7", "关于学校的建议", "扩建", "education", "闭会期间", deputy(p).name, ""],
        ]
    )
    response = client.post(url, {"session": session.pk, "file": good})
    assert response.status_code == 302
    assert sorted(Suggestion.objects.values_list("number", flat=True)) == [1, 7]
    assert AuditEvent.objects.filter(action="suggestions.suggestion.imported").count() == 2
    # The template downloads and is itself importable.
    assert client.get(reverse("suggestions:import_template")).status_code == 200


def test_import_refuses_a_file_that_is_not_a_workbook(personas, client_of):
    session = make_session(personas)
    response = client_of(personas.congress_clerk).post(
        reverse("suggestions:suggestion_import"),
        {"session": session.pk, "file": SimpleUploadedFile("a.xlsx", b"not a zip")},
    )
    assert response.status_code == 400 and "xlsx" in response.content.decode()


# --- Publication ----------------------------------------------------------------------------------


def test_the_public_page_shows_published_answers_without_personal_data(personas, client):
    p = personas
    s = make_suggestion(
        p, S.CLOSED, content="我的电话 13912345678，身份证 420201198001011234。", public=True
    )
    Reply.objects.filter(suggestion=s).update(
        public_text="联系人邮箱 li@example.cn，已解决。",
        published_text="联系人邮箱 li@example.cn，已解决。",
    )
    hidden = make_suggestion(p, S.CLOSED)
    response = client.get(reverse("suggestions:public_list"))
    assert response.status_code == 200
    assert [r.pk for r in response.context["page"].object_list] == [s.pk]
    page = client.get(reverse("suggestions:public_detail", args=[s.pk])).content.decode()
    for private in ("13912345678", "420201198001011234", "li@example.cn", deputy(p).name):
        assert private not in page
    assert "已解决" in page and "［已隐去］" in page
    assert client.get(reverse("suggestions:public_detail", args=[hidden.pk])).status_code == 404


def test_the_page_says_who_submitted_on_the_deputys_behalf(personas, client_of):
    p = personas
    own = make_suggestion(p, S.SUBMITTED)
    staff = make_suggestion(p, S.SUBMITTED, number=2, submitted_by=p.congress_clerk)
    client = client_of(p.congress_clerk)
    on_behalf = f"{p.congress_clerk.person.name}代为提交"
    assert (
        on_behalf
        in client.get(reverse("suggestions:suggestion_detail", args=[staff.pk])).content.decode()
    )
    assert (
        "代为提交"
        not in client.get(reverse("suggestions:suggestion_detail", args=[own.pk])).content.decode()
    )


def test_export_writes_a_formula_like_title_as_text(personas, client_of):
    from tests.xlsx_checks import HOSTILE, assert_shown_as_text

    make_suggestion(personas, S.HANDLING, title=HOSTILE)
    response = client_of(personas.congress_clerk).get(reverse("suggestions:suggestion_export"))
    assert response.status_code == 200
    assert_shown_as_text(response.content)


def test_import_treats_an_invisible_title_as_missing_and_drops_bidi_controls(personas, client_of):
    p = personas
    session = make_session(p)
    DeputyProfileFactory(person=deputy(p), certificate_no="HS15-0001")
    client = client_of(p.congress_clerk)
    url = reverse("suggestions:suggestion_import")
    invisible = _workbook(
        [["", "\u200b\u200d\ufeff", "增设站点", "交通运输", "大会期间", "HS15-0001", ""]]
    )
    response = client.post(url, {"session": session.pk, "file": invisible})
    assert response.status_code == 400
    assert (2, "标题") in {(e.row, e.column) for e in response.context["result"].errors}
    bidi = _workbook(
        [["", "关于公交\u202e的建议", "增设站点", "交通运输", "大会期间", "HS15-0001", ""]]
    )
    assert client.post(url, {"session": session.pk, "file": bidi}).status_code == 302
    assert Suggestion.objects.get().title == "关于公交的建议"


def test_the_public_page_masks_known_names_and_numbers_in_any_spelling(personas, client):
    p = personas
    lead = deputy(p).name
    s = make_suggestion(
        p,
        S.CLOSED,
        title="关于一三九一二三四五六七八号线的建议",
        content=f"我是{' '.join(lead)}，电话１３９\u200b1234.5678，请回电。",
        public=True,
    )
    signer = Reply.objects.filter(suggestion=s).values_list("signer", flat=True).first()
    approved = f"经{signer}签发，已答复{lead}代表。"
    Reply.objects.filter(suggestion=s).update(public_text=approved, published_text=approved)
    listing = client.get(reverse("suggestions:public_list")).content.decode()
    page = client.get(reverse("suggestions:public_detail", args=[s.pk])).content.decode()
    for shown in (listing, page):
        assert "一三九一二三四五六七八" not in shown and "［已隐去］" in shown
    for private in (lead, " ".join(lead), "5678", signer):
        assert private not in page
    assert "请回电" in page and "已答复" in page
