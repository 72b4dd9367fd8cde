"""Every POST form is sent once (issue 13, item 10): while it is on its way its submit button
is disabled (static/wulian/submit-once.js, a file of our own — the CSP allows no inline
script), so a second click sends nothing more."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.support import LOGIN, PASSWORD

pytestmark = pytest.mark.browser


def test_a_form_is_sent_once_and_its_button_waits(new_page, personas):
    page = new_page()
    held: list[Any] = []

    def hold(route: Any) -> None:
        if route.request.method == "POST":
            held.append(route)  # the answer waits: the form is "on its way"
        else:
            route.continue_()

    page.route(f"**{LOGIN}", hold)
    page.goto(LOGIN)
    page.get_by_label("用户名").fill("congress_clerk")
    page.get_by_label("密码").fill(PASSWORD)
    button = page.get_by_role("button", name="登录")
    button.click()
    page.wait_for_timeout(300)
    expect(button).to_be_disabled()
    button.click(force=True)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert len(held) == 1  # one POST, however often clicked
    held[0].continue_()
    expect(page.get_by_role("heading", level=1, name="我的待办")).to_be_visible()
