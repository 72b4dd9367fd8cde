"""A bulletin in a real browser: the congress working body's clerk drafts it through the form
and issues it to the CDI and unit A; unit A's liaison, on a 390 px phone, finds it in 我的待办
and signs for it (签收); the clerk sees the receipt on the bulletin page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import PHONE, signed_in
from wulian.core.bulletins.models import Bulletin
from wulian.core.deadlines import seed, workcalendar
from wulian.core.deadlines.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.browser


@pytest.fixture
def world(personas):
    workcalendar.invalidate()
    seed.fill_table(CalendarYear, CalendarDay)
    yield personas
    workcalendar.invalidate()


def test_a_bulletin_is_issued_and_the_recipient_signs_for_it(new_page, world):
    p = world
    clerk = signed_in(new_page, "congress_clerk")
    clerk.locator("#mainnav summary", has_text="协同工作").click()  # the group folds
    clerk.locator("#mainnav").get_by_role("link", name="通报台账").click()
    clerk.get_by_role("link", name="起草通报").click()
    clerk.get_by_label("标题").fill("关于2026年第二季度代表建议办理情况的通报")
    clerk.get_by_label("正文").fill("一、总体情况\n本季度共交办代表建议52件，已办结40件。")
    clerk.get_by_label("接收单位").select_option([str(p.orgs["cdi"].pk), str(p.orgs["unit_a"].pk)])
    clerk.get_by_role("button", name="保存草稿").click()
    expect(clerk.get_by_role("status")).to_contain_text("通报草稿已保存")
    clerk.get_by_role("button", name="印发").click()
    expect(clerk.get_by_role("status")).to_contain_text("通报已印发")
    bulletin = Bulletin.objects.get()
    assert bulletin.number == 1

    liaison = signed_in(new_page, "unit_a", viewport=PHONE)
    liaison.get_by_role("link", name="签收通报：〔").first.click()
    expect(liaison.get_by_role("heading", level=1)).to_contain_text("代表建议办理情况")
    liaison.get_by_role("button", name="签收").click()
    expect(liaison.get_by_role("status")).to_contain_text("已签收")
    expect(
        liaison.locator(f"#recipient-{bulletin.recipients.get(organisation=p.orgs['unit_a']).pk}")
    ).to_contain_text("按时签收")
    width = liaison.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, "the bulletin page scrolls sideways on a phone"

    clerk.reload()
    row = clerk.locator(f"#recipient-{bulletin.recipients.get(organisation=p.orgs['unit_a']).pk}")
    expect(row).to_contain_text("按时签收")
    cdi_row = clerk.locator(f"#recipient-{bulletin.recipients.get(organisation=p.orgs['cdi']).pk}")
    expect(cdi_row).to_contain_text("待签收")
