"""Every POST form is sent once (issue 13, item 10): while it is on its way its submit button
is disabled (static/wulian/submit-once.js, a file of our own — the CSP allows no inline
script), so a second click or a second submission sends nothing more."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import LOGIN, PASSWORD

pytestmark = pytest.mark.browser

# Counts the submissions the page lets through, and keeps them from leaving (a listener on the
# window runs after the script's own, on the document): the form stays "on its way".
COUNT_AND_HOLD = """() => {
  window.sent = 0;
  window.addEventListener("submit", (event) => {
    if (!event.defaultPrevented) window.sent += 1;
    event.preventDefault();
  });
}"""


def test_a_form_is_sent_once_and_its_button_waits(new_page, personas):
    page = new_page()
    page.goto(LOGIN)
    page.evaluate(COUNT_AND_HOLD)
    page.get_by_label("用户名").fill("congress_clerk")
    page.get_by_label("密码").fill(PASSWORD)
    button = page.get_by_role("button", name="登录")
    button.click()
    expect(button).to_be_disabled()
    expect(page.locator("form[data-submitting]")).to_have_count(1)
    page.evaluate("() => document.querySelector('form[data-submitting]').requestSubmit()")
    page.keyboard.press("Enter")
    assert page.evaluate("() => window.sent") == 1  # one submission, however often asked
