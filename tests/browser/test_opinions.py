"""An opinion round in a real browser: the congress working body's clerk has sent a draft out
to the CDI, unit A and a deputy; unit A's liaison, on a 390 px phone, finds it in 我的待办 and
comments on paragraph 2; the clerk declines the comment with a reason (refused first without
one), closes the round and concludes it; the 意见采纳情况说明 is issued and unit A reads the
disposition and its reason."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import PHONE, signed_in
from tests.opinions.helpers import make_round
from wulian.core.deadlines import seed, workcalendar
from wulian.core.deadlines.models import CalendarDay, CalendarYear
from wulian.core.opinions.models import Comment

pytestmark = pytest.mark.browser


@pytest.fixture
def world(personas):
    workcalendar.invalidate()
    seed.fill_table(CalendarYear, CalendarDay)
    yield personas
    workcalendar.invalidate()


def test_a_comment_is_declined_with_a_reason_and_the_explanation_issued(new_page, world):
    p = world
    round_ = make_round(p)

    liaison = signed_in(new_page, "unit_a", viewport=PHONE)
    liaison.get_by_role("link", name="提出意见：").first.click()
    expect(liaison.get_by_role("heading", level=1)).to_contain_text("监督工作计划")
    liaison.get_by_label("段号").fill("2")
    liaison.get_by_label("意见内容").fill("建议将“依法监督”改为“依法、正确、有效监督”。")
    liaison.get_by_role("button", name="提交意见").click()
    expect(liaison.get_by_role("status")).to_contain_text("意见已提交")
    comment = Comment.objects.get()
    assert comment.paragraph.number == 2
    width = liaison.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, "the round page scrolls sideways on a phone"

    clerk = signed_in(new_page, "congress_clerk")
    clerk.locator("#mainnav summary", has_text="协同工作").click()  # the group folds
    clerk.locator("#mainnav").get_by_role("link", name="征求意见").click()
    clerk.get_by_role("link", name=round_.title).click()
    row = clerk.locator(f"#comment-{comment.pk}")
    expect(row).to_contain_text("待处理")
    row.get_by_label("处理结果").select_option("declined")
    row.get_by_role("button", name="保存处理结果").click()
    expect(clerk.locator(".form-errors")).to_contain_text("须说明理由")
    row = clerk.locator(f"#comment-{comment.pk}")
    row.get_by_label("处理结果").select_option("declined")
    row.get_by_label("理由").fill("与宪法和监督法的表述保持一致，不作修改。")
    row.get_by_role("button", name="保存处理结果").click()
    expect(clerk.get_by_role("status")).to_contain_text("处理结果已保存")
    expect(clerk.locator(f"#comment-{comment.pk}")).to_contain_text("未采纳")

    clerk.get_by_role("button", name="截止征求").click()
    expect(clerk.get_by_role("status")).to_contain_text("征求意见已截止")
    clerk.get_by_label("我已知晓").check()
    clerk.get_by_role("button", name="办结并印发意见采纳情况说明").click()
    expect(clerk.get_by_role("status")).to_contain_text("意见采纳情况说明已发送")
    with clerk.expect_download() as download:
        clerk.get_by_role("link", name="下载意见采纳情况说明").click()
    assert download.value.suggested_filename.endswith("说明.docx")

    liaison.reload()
    expect(liaison.locator(f"#comment-{comment.pk}")).to_contain_text("未采纳")
    expect(liaison.locator(f"#comment-{comment.pk}")).to_contain_text("不作修改")
    expect(liaison.get_by_role("link", name="下载意见采纳情况说明")).to_be_visible()
