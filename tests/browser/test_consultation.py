"""联商 in a real browser: the congress clerk enters a matter in the register, links the joint
meeting about it, and follows the link from the matter to the meeting (the meeting's decision →
closed action item is tests/browser/test_meetings.py)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.activities.meeting_helpers import make_meeting
from tests.browser.support import sign_in
from wulian.consultation.models import Matter

pytestmark = pytest.mark.browser


def test_register_to_matter_to_meeting(new_page: Any, personas):
    activity = make_meeting(personas)
    page = new_page()
    sign_in(page, "congress_clerk")
    page.locator("#mainnav summary", has_text="五联").click()  # the links' group folds
    page.locator("#mainnav").get_by_role("link", name="联商").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("重大事项登记簿")
    page.get_by_role("link", name="登记重大事项").click()
    page.get_by_label("事项类别").select_option(label="监督工作计划")
    page.get_by_label("事项名称").fill("2027年监督工作计划")
    page.get_by_label("年度").fill("2027")
    page.get_by_label("开始日期").fill("2027-01-01")
    page.get_by_label("结束日期").fill("2027-12-31")
    page.get_by_label("知悉范围").select_option(label="双方共享")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2027年监督工作计划")
    page.get_by_text("关联会议、通报、征求意见或联合研判").click()
    page.get_by_label("记录类别").select_option(label="会议或活动")
    page.get_by_label("记录编号").fill(str(activity.pk))
    page.get_by_role("button", name="关联", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已关联")
    page.get_by_role("link", name=activity.title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(activity.title)
    assert Matter.objects.get().links.count() == 1
