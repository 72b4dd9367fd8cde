"""The suggestion documents (.docx, GB/T 9704 layout): opened with python-docx and read back;
their downloads are policy-checked."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from docx import Document

from tests.suggestions import figure_data
from wulian.suggestions import documents, figures
from wulian.suggestions.models import Contact, CoSigner, CoUnitOpinion

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def tables_of(content: bytes) -> list[list[list[str]]]:
    doc = Document(io.BytesIO(content))
    return [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


@pytest.fixture
def built(personas):
    b = figure_data.Builder(personas, figure_data.session(personas, 2023))
    return b


def suggestion_in(personas, built, stage: str, **kw):
    s = built.suggestion(
        stage=stage, unit=personas.orgs["unit_a"], co_units=(personas.orgs["unit_b"],), **kw
    )
    CoSigner.objects.create(suggestion=s, person=personas.unit_b.person, position=1)
    return s


def test_assignment_sheet(personas, built, settings):
    s = suggestion_in(personas, built, "received")
    name, content = documents.assignment_sheet(s)
    assert name == f"交办单-{s.session.name}第{s.number}号.docx"
    text = text_of(content)
    assert "代表建议交办单" in text
    assert "市民政局：" in text  # the lead unit is addressed
    assert s.title in text and "老旧小区没有电梯" in text
    rows = dict(tuple(r) for r in tables_of(content)[0][1:])
    assert rows["主办单位"] == "市民政局"
    assert rows["会办单位"] == "市司法局"
    assert rows["领衔代表"] == personas.deputy.person.name
    assert rows["附议代表"] == personas.unit_b.person.name
    assert rows["答复截止"] == "2023年4月23日"  # assigned 1月22日 + 91 days
    assert f"交办送达后{settings.SUGGESTION_CONTACT_HOURS}小时内" in text
    assert "抄送：市司法局。" in text


def test_assignment_sheet_follows_the_configured_limits(personas, built, settings):
    settings.SUGGESTION_CONTACT_HOURS = 24
    settings.SUGGESTION_REPLY_MONTHS = 2
    text = text_of(documents.assignment_sheet(suggestion_in(personas, built, "assigned"))[1])
    assert "交办送达后24小时内" in text and "2个月内书面答复" in text


def test_no_assignment_sheet_before_assignment(personas, built):
    s = built.suggestion(stage="accepted")
    with pytest.raises(ValueError):
        documents.assignment_sheet(s)


def test_supervision_notice(personas, built):
    s = suggestion_in(personas, built, "contacted")
    order = figure_data.supervision_order(personas, s)
    name, content = documents.supervision_notice(order)
    text = text_of(content)
    assert name.startswith("督办通知-") and name.endswith(".docx")
    assert f"关于督办{s.session.name}第{s.number}号代表建议的通知" in text
    assert "政务督查室" in text and "市民政局：" in text
    assert "已超过规定的办理期限" in text
    assert "请于十个工作日内报告办理进展" in text


def test_reply_letter_prefilled_before_the_reply(personas, built):
    s = suggestion_in(personas, built, "contacted")
    lead = s.assignments.get(unit=personas.orgs["unit_a"])
    co = s.assignments.get(unit=personas.orgs["unit_b"])
    CoUnitOpinion.objects.create(
        suggestion=s,
        assignment=co,
        text="同意分批实施，司法局负责法律审核。",
        submitted_by=personas.unit_b,
        submitted_at=built.at(40),
    )
    assert Contact.objects.filter(assignment=lead).exists()
    name, content = documents.reply_letter(s)
    text = text_of(content)
    assert name == f"答复函-{s.session.name}第{s.number}号.docx"
    assert f"{personas.deputy.person.name}代表：" in text
    assert f"您提出的《{s.title}》收悉" in text
    assert "与代表沟通情况" in text and "电话沟通，代表同意分批实施" in text
    assert "（请在此填写办理情况和答复意见。）" in text
    assert "市司法局：同意分批实施" in text
    assert "（A、B、C 或 D 类，请选择）" in text
    assert f"{personas.unit_b.person.name}代表" in text  # the co-signer gets a copy


def test_reply_letter_as_sent_never_shows_the_verdict(personas, built):
    s = suggestion_in(personas, built, "rated", category="B", verdict="unsatisfied")
    text = text_of(documents.reply_letter(s)[1])
    assert "补贴标准提高到每台20万元" in text
    assert "B 类：正在解决或列入计划逐步解决" in text
    assert "签发人：张局长" in text
    assert "不满意" not in text and "满意" not in text.replace("欢迎", "")


def test_figures_report(personas, built):
    a = personas.orgs["unit_a"]
    built.suggestion(stage="rated", unit=a, category="A", verdict="satisfied")
    built.suggestion(stage="answered", unit=personas.orgs["unit_b"], category="C")
    built.suggestion(stage="not_accepted")
    data = figures.compute(year=2023)
    name, content = documents.figures_report(data, issuer="代表工委")
    assert name == "2023年代表建议办理情况统计.docx"
    text = text_of(content)
    assert "2023年代表建议办理情况统计" in text
    assert "2023年共收到代表建议3件，立案2件，交办2件，已答复2件（100.0%）" in text
    progress, categories, satisfaction, units = tables_of(content)[:4]
    assert progress[1] == ["收到建议", "3", "—"]
    assert ["A 类：已解决或基本解决", "1", "50.0%"] in categories
    assert ["满意", "1", "100.0%"] in satisfaction
    assert [row[1] for row in units[1:]] == ["市民政局", "市司法局"]


# ---- downloads


def _download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == documents.DOCX
    assert "attachment" in response["Content-Disposition"]
    return unquote(response["Content-Disposition"]), b"".join(response.streaming_content) if (
        response.streaming
    ) else response.content


def test_the_lead_unit_downloads_the_letter_to_fill_in(personas, built, client_of):
    s = suggestion_in(personas, built, "contacted")
    url = reverse("suggestions:reply_letter_docx", args=[s.pk])
    disposition, content = _download(client_of(personas.unit_a), url)
    assert "答复函" in disposition
    assert "（请在此填写办理情况和答复意见。）" in text_of(content)
    # Before the reply, others who see the suggestion may not have a draft.
    assert client_of(personas.unit_b).get(url).status_code == 403
    assert client_of(personas.congress_clerk).get(url).status_code == 403
    assert client_of(personas.cdi_officer).get(url).status_code == 404


def test_others_who_see_it_download_the_letter_once_sent(personas, built, client_of):
    s = suggestion_in(personas, built, "answered")
    url = reverse("suggestions:reply_letter_docx", args=[s.pk])
    for user in (personas.congress_clerk, personas.unit_b, personas.deputy):
        _disposition, content = _download(client_of(user), url)
        assert "补贴标准提高到每台20万元" in text_of(content)


def test_the_assignment_sheet_download(personas, built, client_of):
    s = suggestion_in(personas, built, "received")
    url = reverse("suggestions:assignment_sheet_docx", args=[s.pk])
    _d, content = _download(client_of(personas.unit_a), url)
    assert "代表建议交办单" in text_of(content)
    assert client_of(personas.court_clerk).get(url).status_code == 404
    accepted = built.suggestion(stage="accepted")
    url = reverse("suggestions:assignment_sheet_docx", args=[accepted.pk])
    assert client_of(personas.congress_clerk).get(url).status_code == 404


def test_the_supervision_notice_download(personas, built, client_of):
    order = figure_data.supervision_order(personas, suggestion_in(personas, built, "contacted"))
    url = reverse("suggestions:supervision_notice_docx", args=[order.pk])
    _d, content = _download(client_of(personas.unit_a), url)
    assert "现予督办" in text_of(content)
    assert client_of(personas.unit_b).get(url).status_code == 404  # co-unit: not its order


def test_the_figures_download_counts_what_the_person_sees(personas, built, client_of):
    built.suggestion(stage="answered", unit=personas.orgs["unit_a"])
    built.suggestion(stage="answered", unit=personas.orgs["unit_b"])
    url = reverse("suggestions:figures_docx") + "?year=2023"
    _d, content = _download(client_of(personas.congress_clerk), url)
    assert "2023年共收到代表建议2件" in text_of(content)
    _d, content = _download(client_of(personas.unit_a), url)
    assert "2023年共收到代表建议1件" in text_of(content)
    assert (
        client_of(personas.unit_a).get(reverse("suggestions:figures_docx") + "?year=x").status_code
        == 400
    )
