"""A deputy gives 不满意 on the phone and sees what happens next (issue 13 item 9, issue 14):
the reason is asked for, the page says the suggestion is reopened and by when the office
reassigns it; the congress clerk reassigns it and the re-reply month starts then."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import PHONE, sign_in
from tests.browser.test_suggestions import calendar, fits_the_screen  # noqa: F401
from tests.suggestions.helpers import walk
from wulian.suggestions.choices import SuggestionStatus as S
from wulian.suggestions.models import Suggestion

pytestmark = pytest.mark.browser


def test_the_deputy_gives_unsatisfied_and_sees_what_happens_next(
    new_page,
    personas,
    calendar,  # noqa: F811
):
    s = walk(personas, S.ANSWERED)
    url = s.get_absolute_url()

    phone = new_page(PHONE)
    sign_in(phone, "deputy")
    phone.goto(url)
    phone.locator('input[name="on_attitude"][value="satisfied"]').check()
    phone.locator('input[name="on_result"][value="unsatisfied"]').check()
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_text("请说明不满意的理由").first).to_be_visible()
    phone.locator('input[name="on_attitude"][value="satisfied"]').check()
    phone.locator('input[name="on_result"][value="unsatisfied"]').check()
    phone.get_by_label("意见").fill("补贴标准没有落实到位。")
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_text("您的建议已重新办理").first).to_be_visible()
    expect(phone.get_by_text("重新办理").first).to_be_visible()
    assert fits_the_screen(phone)

    clerk = new_page()
    sign_in(clerk, "congress_clerk")
    clerk.goto(url)
    clerk.get_by_role("button", name="重新交办", exact=True).click()
    expect(clerk.get_by_text("已重新交办")).to_be_visible()

    s.refresh_from_db()
    assert s.status == S.REOPENED and s.reassigned_at is not None and s.reply_due_at
    assert Suggestion.objects.get(pk=s.pk).verdict == "unsatisfied"
