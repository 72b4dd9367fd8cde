"""联商 in a real browser: the congress clerk enters a matter in the register, links the joint
meeting about it, and follows the link from the matter to the meeting (the meeting's decision →
closed action item is tests/browser/test_meetings.py); a matter's journey across the two bodies
(the CDI's campaign → the congress's law-enforcement inspection in step with it → a finding
handed on as a rectification → read back on the CDI side, a wrong link taken off)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.activities.meeting_helpers import make_meeting
from tests.browser.support import sign_in, signed_in
from tests.browser.test_polls import TOTP_KEY, as_user
from wulian.consultation.models import InspectionFinding, Matter

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


def _enter_matter(page: Any, kind: str, title: str, parent: str | None = None) -> None:
    page.goto("/consultation/matters/new/")
    page.get_by_label("事项类别").select_option(label=kind)
    page.get_by_label("事项名称").fill(title)
    page.get_by_label("年度").fill("2027")
    page.get_by_label("开始日期").fill("2027-03-01")
    page.get_by_label("结束日期").fill("2027-09-30")
    page.get_by_label("知悉范围").select_option(label="双方共享")
    if parent:
        page.get_by_label("协同的专项工作").select_option(label=parent)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_a_matter_across_both_bodies(new_page: Any, personas):
    campaign = "群众身边不正之风和腐败问题专项治理"
    inspection = "中小企业促进法执法检查"
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(  # the CDI's roles sign in with a second factor
        user=personas.cdi_officer, name="browser-test", key=TOTP_KEY, confirmed=True
    )
    cdi = as_user(new_page, "cdi_officer", device)
    _enter_matter(cdi, "专项治理", campaign)

    # The congress sees the CDI's shared campaign and inspects the law in step with it.
    clerk = signed_in(new_page, "congress_clerk")
    clerk.goto("/consultation/")
    expect(clerk.get_by_role("link", name=campaign)).to_be_visible()
    _enter_matter(clerk, "执法检查", inspection, parent=campaign)
    clerk.get_by_role("link", name="填写执法检查情况").click()
    clerk.get_by_label("检查的法律法规").fill("《中华人民共和国中小企业促进法》")
    clerk.get_by_label("检查范围").fill("市直有关部门")
    clerk.get_by_label("被检查单位").select_option(label="市民政局")
    clerk.get_by_role("button", name="保存").click()
    expect(clerk.get_by_role("status")).to_contain_text("执法检查情况已保存")
    clerk.get_by_text("记录检查发现的问题", exact=True).click()
    clerk.get_by_label("被检查单位").select_option(label="市民政局")
    clerk.get_by_label("问题类别").select_option(label="涉企清欠")
    clerk.get_by_label("问题描述").fill("拖欠中小企业账款未按期清偿")
    clerk.get_by_label("涉及金额（万元）").fill("125.5")
    clerk.get_by_role("button", name="记录问题").click()
    expect(clerk.get_by_role("status")).to_contain_text("已记录检查发现的问题")
    clerk.get_by_text("交办整改", exact=True).first.click()
    clerk.get_by_label("整改期限（月）").fill("6")
    clerk.get_by_role("button", name="交办整改").click()
    expect(clerk.get_by_role("status")).to_contain_text("已交办整改")
    assert InspectionFinding.objects.get().finding_id is not None

    # A meeting linked by mistake is taken off, confirmed first, the reason on the timeline.
    meeting = make_meeting(personas)
    clerk.get_by_text("关联会议、通报、征求意见或联合研判").click()
    clerk.get_by_label("记录类别").select_option(label="会议或活动")
    clerk.get_by_label("记录编号").fill(str(meeting.pk))
    clerk.get_by_role("button", name="关联", exact=True).click()
    expect(clerk.get_by_role("status")).to_contain_text("已关联")
    clerk.get_by_text("取消关联误关联的记录").click()
    clerk.get_by_role("textbox", name="理由").fill("误关联了其他事项的会议")
    clerk.get_by_role("button", name="取消关联", exact=True).click()
    expect(clerk.get_by_role("heading", level=1)).to_have_text("请确认：此操作不可撤销")
    clerk.get_by_role("button", name="我已知晓不可撤销，确认").click()
    expect(clerk.get_by_role("status")).to_contain_text("已取消关联")
    expect(clerk.locator(".timeline")).to_contain_text("误关联了其他事项的会议")

    # Back on the CDI side: the campaign lists the inspection taken in step, with its finding.
    cdi.goto("/consultation/")
    cdi.get_by_role("link", name=campaign).click()
    cdi.get_by_role("link", name=inspection).click()
    expect(cdi.locator("#inspection")).to_contain_text("拖欠中小企业账款未按期清偿")
    expect(cdi.locator("#inspection")).to_contain_text("《中华人民共和国中小企业促进法》")
    expect(cdi.get_by_text("记录检查发现的问题", exact=True)).to_have_count(0)
    assert Matter.objects.get(title=inspection).parent.title == campaign
