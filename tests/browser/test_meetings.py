"""A joint meeting in a real browser (ADR 0023): the CDI side's leader (with the second factor)
and the congress side's leader co-sign the minutes from 我的待办; the clerk, told first whose
signature is missing, issues them; unit A's liaison reports its action item done and the CDI
officer verifies it."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.activities.meeting_helpers import leaders, make_meeting
from tests.browser.support import SECOND_FACTOR, path_is, sign_in
from tests.browser.test_journeys import TOTP_KEY, totp_codes
from wulian.core.activities.choices import ActionState, MinutesState
from wulian.core.activities.models import ActionItem, Meeting

pytestmark = pytest.mark.browser


def as_user(new_page: Any, username: str, device: TOTPDevice | None = None) -> Any:
    page = new_page()
    sign_in(page, username)
    if device is not None:
        expect(page).to_have_url(path_is(SECOND_FACTOR))
        page.get_by_label("验证码").fill(totp_codes(device, range(0, 1))[0])
        page.get_by_role("button", name="验证").click()
    expect(page.get_by_role("heading", level=1, name="我的待办")).to_be_visible()
    return page


def test_minutes_cosigned_by_both_sides_and_issued(new_page, personas):
    p = personas
    congress_head, cdi_head = leaders(p)
    device = TOTPDevice.objects.create(user=cdi_head, name="browser", key=TOTP_KEY, confirmed=True)
    activity = make_meeting(p)

    clerk = as_user(new_page, "congress_clerk")
    clerk.goto(activity.get_absolute_url())
    clerk.get_by_role("button", name="印发纪要").click()
    clerk.get_by_role("button", name="确认").click()
    expect(clerk.get_by_role("status")).to_contain_text("尚缺代表工委、市纪委监委负责人的会签")

    for user, dev in ((cdi_head, device), (congress_head, None)):
        leader = as_user(new_page, user.username, dev)
        leader.get_by_role("link", name="会签会议纪要：").first.click()
        expect(leader.locator("#minutes")).to_contain_text("（一）市民政局限期完成整改。")
        leader.get_by_role("button", name="会签纪要").click()
        expect(leader.get_by_role("status")).to_contain_text("已会签会议纪要")

    clerk.goto(activity.get_absolute_url())
    expect(clerk.locator("#meeting")).not_to_contain_text("待会签")
    clerk.get_by_role("button", name="印发纪要").click()
    clerk.get_by_role("button", name="确认").click()
    expect(clerk.get_by_role("status")).to_contain_text("会议纪要已印发")
    meeting = Meeting.objects.get(activity=activity)
    assert meeting.minutes_state == MinutesState.ISSUED
    expect(clerk.locator("#minutes")).to_contain_text(meeting.number_label)


def test_an_action_item_is_reported_and_verified(new_page, personas):
    p = personas
    activity = make_meeting(p)
    action = ActionItem.objects.get(decision__meeting__activity=activity)

    liaison = as_user(new_page, "unit_a")
    liaison.get_by_role("link", name="落实会议议定事项：").first.click()
    expect(liaison.get_by_role("heading", level=1)).to_contain_text(action.title)
    liaison.get_by_label("完成情况").fill("整改已完成，验收记录见附件。")
    liaison.get_by_role("button", name="报告完成").click()
    expect(liaison.get_by_role("status")).to_contain_text("已报告完成")

    clerk = as_user(new_page, "congress_clerk")
    clerk.get_by_role("link", name="核验落实事项：").first.click()
    clerk.get_by_role("button", name="核验通过").click()
    expect(clerk.get_by_role("status")).to_contain_text("落实事项办结")
    expect(clerk.locator(".page-head")).to_contain_text("已办结")
    action.refresh_from_db()
    assert action.state == ActionState.DONE
