"""The annual 五联 report (issue 20, item 3): on the demo's 2023 — the article's year — every
figure the article reports is in the report, counted from the records, and equals that link's
own figures; the same report as a page, a GB/T 9704 .docx and `wulian report annual`; only the
two bodies' desks open it, and it says nothing that may point at a person."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from docx import Document

from tests.personas import client_for
from wulian.judicial import selectors as judicial_selectors
from wulian.livelihood import figures as livelihood_figures
from wulian.reports import annual
from wulian.suggestions import figures as suggestion_figures

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 6, 15, 9, tzinfo=ZoneInfo("Asia/Shanghai"))

# The article's 2023, figure by figure: (the report's key, the article's value).
ARTICLE = [
    ("suggestions.received", 187),
    ("suggestions.answered", 187),  # 187件代表建议全部办结并答复代表
    ("evaluation.departments", 6),
    ("livelihood.1.建制村人居环境整治.target", "20"),
    ("livelihood.1.建制村人居环境整治.actual", "20"),
    ("livelihood.3.农村公路提档升级.target", "600"),  # 600公里“四好农村路” 超额完成
    ("livelihood.4.保障性租赁住房项目.actual", "25"),
    ("livelihood.4.保障性租赁住房房源.actual", "6,256"),
    ("livelihood.2.幸福食堂.in_use", "50"),  # 50家幸福食堂全部完工并投入使用
    ("stations.stations", 225),
    ("inquiries.held", 4),
    ("judicial.experts", 54),
    ("judicial.cases_corrected", 2),
    ("judicial.mechanisms", 2),
]


def _docx_text(body: bytes) -> str:
    doc = Document(io.BytesIO(body))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture
def demo(time_machine):
    time_machine.move_to(WHEN, tick=False)
    call_command("demo_seed", verbosity=0)


def _leader() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="congress_leader"))
    return client


def test_the_2023_report_reproduces_the_article_from_the_records(demo, tmp_path):
    """One demo load (it takes a while) for the whole journey: the figures, the links' own
    figures, the page, the .docx and the command."""
    with CaptureQueriesContext(connection) as queries:
        report = annual.build(2023)
    assert len(queries) <= 60  # a fixed number per link, whatever the year's volume
    for key, value in ARTICLE:
        assert report.figure(key) == value, key
    f = report.figures
    # 668 opinions collected in 三进三促, 594 completed.
    campaign = [k for k in f if k.startswith("suggestions.campaign.")]
    assert sorted(f[k] for k in campaign) == [594, 668]
    # 10+ suggestions to the courts, all adopted.
    assert f["judicial.suggestions"] >= 10 and f["judicial.adopted"] == f["judicial.suggestions"]
    text = "\n".join(p for s in report.sections for p in s.paragraphs)
    for phrase in (
        "187件代表建议全部办结并答复代表",
        "“三进三促”代表行动中收集意见、建议668件，办结594件",
        "等6个政府部门的工作开展评议",
        "农村公路提档升级600公里，完成612.5公里，超额完成",
        "保障性租赁住房项目25个，完成25个，全部完成",
        "幸福食堂50个，完成50个、投入使用50个，全部建成并投入使用",
        "依托全市225个代表联络站",
        "开展4场专题询问",
        "等54人组成的专家库",
        "督促依法纠正问题案件2件",
        "制度机制2个",
    ):
        assert phrase in text, phrase
    # The sections follow the article's order, one per link.
    assert [s.link for s in report.sections] == annual.LINK_KEYS

    # Each figure is the link's own figure.
    s = suggestion_figures.compute(year=2023, links=False)
    assert report.figure("suggestions.received") == s.figure("received").value
    assert report.figure("suggestions.answered_on_time") == s.figure("answered_on_time").value
    j = judicial_selectors.count_figures(2023)
    assert report.figure("judicial.experts") == j.experts_total.value
    assert report.figure("judicial.suggestions") == j.suggestions.value
    lv = livelihood_figures.cli_figures(year=2023)
    assert report.figure("livelihood.projects") == len(lv.projects) == 10
    assert report.figure("livelihood.done") == lv.done

    # The congress leader: from the navigation to the page, the figures pages, the .docx.
    leader = _leader()
    assert 'href="/reports/annual/"' in leader.get("/").content.decode()
    page = leader.get("/reports/annual/?year=2023")
    assert page.status_code == 200
    html = page.content.decode()
    assert "187件代表建议全部办结并答复代表" in html and "/reports/annual/docx/?year=2023" in html
    figures_page = leader.get("/suggestions/figures/?year=2023").content.decode()
    assert "187" in figures_page and "668" in figures_page and "594" in figures_page
    judicial_page = leader.get("/judicial/figures/?year=2023").content.decode()
    assert ">54<" in judicial_page.replace(" ", "")
    response = leader.get("/reports/annual/docx/?year=2023")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    docx = _docx_text(response.content)
    assert "关于2023年度人大监督与纪检监察监督“五联”工作情况的报告" in docx
    for heading in (
        "一、监督事项联商",
        "二、部门工作联评",
        "三、民生实事联督",
        "四、司法监督联动",
        "五、意见建议联办",
    ):
        assert heading in docx
    assert "6,256套（间）" in docx  # the livelihood table
    # Nothing that may point at a person: no clue, and no department's grade.
    assert "线索" not in docx and "测评结果为" not in docx

    # The command line writes the same document.
    out = tmp_path / "2023.docx"
    call_command("report", "annual", "--year", "2023", "--output", str(out), stdout=io.StringIO())
    assert "187件代表建议全部办结并答复代表" in _docx_text(out.read_bytes())
    with pytest.raises(CommandError, match="four-digit year"):
        call_command("report", "annual", "--year", "23")


def test_only_the_two_bodies_desks_open_it(personas):
    for name in ("congress_clerk", "cdi_officer", "stationed"):
        assert client_for(personas.users[name]).get("/reports/annual/").status_code == 200
    for name in ("unit_a", "deputy", "court_clerk", "expert", "sysadmin"):
        client = client_for(personas.users[name])
        assert client.get("/reports/annual/").status_code == 403, name
        assert client.get("/reports/annual/docx/?year=2023").status_code == 403, name


def test_a_year_that_is_not_one_says_what_to_give(personas):
    client = client_for(personas.congress_clerk)
    response = client.get("/reports/annual/?year=23")
    assert response.status_code == 400
    assert "年度应为2000至2100之间的四位数字" in response.content.decode()
    assert client.get("/reports/annual/docx/?year=x").status_code == 400


def test_a_year_without_records_is_a_report_that_says_so(personas):
    client = client_for(personas.congress_clerk)
    html = client.get("/reports/annual/?year=2001").content.decode()
    assert html.count("本年度暂无工作记录") == len(annual.LINKS)
