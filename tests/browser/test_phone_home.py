"""On a 390-pixel phone (issue 13, item 12): the header is one line — the brand, the menu button,
the inbox and the account menu (language, password, API token and sign-out in a <details>, which
opens without script) — and the deputy's home starts with 提出建议 and their suggestions."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import LOGIN, PHONE, RESULTS_DIR, path_is, sign_in
from tests.suggestions.helpers import make_suggestion
from wulian.suggestions.choices import SuggestionStatus

pytestmark = pytest.mark.browser


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_the_deputys_phone_home_starts_with_their_suggestions(new_page, personas):
    s = make_suggestion(personas, SuggestionStatus.HANDLING)
    phone = new_page(PHONE)
    sign_in(phone, "deputy")
    expect(phone).to_have_url(path_is("/"))
    mine = phone.get_by_role("heading", level=2, name="我的建议")
    expect(mine).to_be_visible()
    submit = phone.locator("#my-suggestions").get_by_role("link", name="提出建议")
    expect(submit).to_be_visible()
    own = phone.get_by_role("link", name=f"第{s.number}号 {s.title}")
    expect(own).to_be_visible()
    # Both are on the first screen, above 我的待办, and nothing is wider than the phone.
    for locator in (submit, own):
        box = locator.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], box
    todo = phone.get_by_role("heading", level=1, name="我的待办").bounding_box()
    assert todo is not None and mine.bounding_box()["y"] < todo["y"]
    assert _overflow(phone) <= 0
    # The header is one line: at most a sixth of the screen.
    header = phone.locator("header.topbar").bounding_box()
    assert header is not None and header["height"] <= PHONE["height"] / 6, header
    RESULTS_DIR.mkdir(exist_ok=True)
    phone.screenshot(path=RESULTS_DIR / "home-deputy-phone.png", full_page=True)
    submit.click()
    expect(phone.get_by_role("heading", level=1, name="提出代表建议")).to_be_visible()


def test_the_account_menu_on_a_phone(new_page, personas):
    phone = new_page(PHONE)
    sign_in(phone, "unit_a")
    menu = phone.locator("details.account-menu")
    items = [
        phone.get_by_label("语言"),
        phone.get_by_role("link", name="修改密码"),
        phone.get_by_role("link", name="API 令牌"),
        phone.get_by_role("button", name="退出"),
    ]
    for item in items:
        expect(item).to_be_hidden()
    menu.locator("summary").click()
    for item in items:
        expect(item).to_be_visible()
        box = item.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert _overflow(phone) <= 0
    RESULTS_DIR.mkdir(exist_ok=True)
    phone.screenshot(path=RESULTS_DIR / "account-menu-phone.png")
    phone.get_by_role("link", name="API 令牌").click()
    expect(phone).to_have_url(path_is("/accounts/tokens/"))
    phone.locator("details.account-menu summary").click()
    phone.get_by_role("button", name="退出").click()
    expect(phone).to_have_url(path_is(LOGIN))


def test_the_header_works_without_script(new_page, personas):
    phone = new_page(PHONE, java_script_enabled=False)
    sign_in(phone, "congress_clerk")
    expect(phone.get_by_role("heading", level=1, name="我的待办")).to_be_visible()
    # Without script the navigation is an open list (no 菜单 button to press).
    expect(phone.get_by_role("button", name="菜单")).to_be_hidden()
    expect(phone.locator("#mainnav").get_by_role("link", name="单位")).to_be_visible()
    phone.locator("details.account-menu summary").click()
    expect(phone.get_by_role("link", name="修改密码")).to_be_visible()
    # The language form has its own button without script.
    phone.get_by_label("语言").select_option("en")
    phone.locator("form.lang button").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    phone.locator("details.account-menu summary").click()
    phone.get_by_role("button", name="Sign out").click()
    expect(phone).to_have_url(path_is(LOGIN))
