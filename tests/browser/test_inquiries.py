"""联督 II in a real browser (issue 17).

An inquiry from topic to ledger: the congress working body's clerk starts a special inquiry,
puts a question to unit A on the list, holds the meeting, records the answer and the
commitment given with it, sends the 审议意见 and downloads it as a .docx; the commitment is in
the rectification ledger — the clerk's and unit A's.

A station's opinion to its reply: a deputy on a 390-pixel phone records a resident's opinion
at a 接待日 and hands it to unit A; unit A's liaison answers it at his desk; the deputy sees the
reply on the opinion's page, on his phone, with 请告知群众 in his 我的待办."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from tests.browser.support import PHONE, signed_in
from tests.clues.helpers import use_test_keyring
from tests.stations import helpers as sh
from wulian.core import crypto
from wulian.core.deadlines import seed, workcalendar
from wulian.core.deadlines.models import CalendarDay, CalendarYear
from wulian.core.rectification.models import Rectification
from wulian.inquiries.models import Inquiry
from wulian.stations.models import Opinion

pytestmark = pytest.mark.browser


@pytest.fixture
def world(personas):
    use_test_keyring()
    workcalendar.invalidate()
    seed.fill_table(CalendarYear, CalendarDay)
    yield personas
    workcalendar.invalidate()
    crypto.reset_field_keyring(None)


def _exactly(label: str) -> re.Pattern[str]:
    """A field's label as the page shows it: the name, and a * when it is required."""
    return re.compile(rf"^{label}\s*\*?$")


def _open(page, summary: str):
    """Unfold the <details> whose summary is `summary`; its form."""
    details = page.locator("details", has=page.locator("summary", has_text=summary))
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details.locator("form")


def test_an_inquiry_from_topic_to_the_rectification_ledger(new_page, world):
    p = world
    unit = p.orgs["unit_a"]
    page = signed_in(new_page, "congress_clerk")
    page.goto("/inquiries/")
    page.get_by_role("link", name="新建专题询问").click()
    page.get_by_label("询问主题").fill("小区物业管理")
    page.get_by_label("年度").fill(str(timezone.localdate().year))
    page.get_by_label("选题来源").select_option(label="年度监督工作计划")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1, name="小区物业管理")).to_be_visible()

    form = _open(page, "添加问题")
    form.get_by_label("提问人类别").select_option(label="人大代表")
    form.get_by_label(_exactly("提问人")).fill("张卫东")
    form.get_by_label(_exactly("问题")).fill("物业收费定价不规范，如何整治？")
    form.get_by_label("应询单位").fill(unit.code)
    form.get_by_label("应询人").fill("局长")
    form.get_by_role("button", name="添加").click()
    expect(page.get_by_text("问题已加入询问问题清单。")).to_be_visible()

    page.get_by_label("询问日期").fill(timezone.localdate().isoformat())
    page.get_by_label("地点").fill("常委会会议室")
    page.get_by_role("button", name="举行询问会议").click()
    expect(page.get_by_text("回头看已安排在6个月后", exact=False)).to_be_visible()

    form = _open(page, "记录答复")
    form.get_by_label("答复").fill("年内出台物业服务收费指导价。")
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_text("答复已记录。")).to_be_visible()

    form = _open(page, "添加承诺事项")
    form.get_by_label("承诺事项").fill("物业收费定价不规范")
    form.get_by_label("承诺内容").fill("三个月内出台收费指导价并公示。")
    form.get_by_role("button", name="列入整改台账").click()
    expect(page.get_by_text("承诺事项已列入整改台账", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="物业收费定价不规范")).to_be_visible()

    page.get_by_label(_exactly("审议意见")).fill("一、总体评价\n请应询单位落实承诺事项。")
    page.get_by_role("button", name="送达审议意见").click()
    expect(page.get_by_text("审议意见已送达应询单位。")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="下载审议意见（.docx）").click()
    doc = Document(str(download.value.path()))
    text = "\n".join(x.text for x in doc.paragraphs)
    assert "关于小区物业管理专题询问的审议意见" in text
    assert "请应询单位落实承诺事项。" in text and "草稿" not in text

    rect = Rectification.objects.get(finding__title="物业收费定价不规范")
    assert rect.responsible_org_id == unit.pk
    page.goto("/rectification/")
    expect(page.get_by_role("link", name="物业收费定价不规范")).to_be_visible()
    desk = signed_in(new_page, "unit_a")
    desk.goto("/rectification/")
    expect(desk.get_by_role("link", name="物业收费定价不规范")).to_be_visible()
    assert Inquiry.objects.get().state == "opinion_sent"


def test_a_residents_opinion_reaches_a_department_and_its_reply_the_station(new_page, world):
    p = world
    event = sh.event(p, day=timezone.localdate())
    phone = signed_in(new_page, "deputy", viewport=PHONE)
    phone.goto(f"/stations/events/{event.pk}/")
    form = phone.locator("#opinion")
    form.get_by_label("事项").fill("文明养犬")
    form.get_by_label("意见内容").fill("小区遛狗不牵绳，晚上犬吠扰民。")
    form.get_by_role("button", name="记录").click()
    expect(phone.get_by_text("已记录：文明养犬")).to_be_visible()
    phone.get_by_role("link", name="文明养犬").click()
    form = _open(phone, "转交部门")
    form.get_by_label("转交部门").fill(p.orgs["unit_a"].code)
    form.get_by_role("button", name="转交（15个工作日内答复）").click()
    expect(phone.locator(".badge").first).to_have_text("已转交部门")
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    desk = signed_in(new_page, "unit_a")
    desk.goto("/stations/opinions/")
    desk.get_by_role("link", name="文明养犬").click()
    desk.get_by_label("答复内容").fill("已联合社区开展文明养犬宣传，夜间巡查。")
    desk.get_by_role("button", name="答复").click()
    expect(desk.get_by_text("已联合社区开展文明养犬宣传", exact=False).first).to_be_visible()

    phone.reload()
    expect(phone.get_by_role("heading", name="部门答复")).to_be_visible()
    expect(phone.get_by_text("已联合社区开展文明养犬宣传，夜间巡查。")).to_be_visible()
    phone.goto("/")
    expect(phone.get_by_text("请告知群众")).to_be_visible()
    o = Opinion.objects.get(topic="文明养犬")
    assert o.reply and o.replied_on_time
