"""What the browser tests share: where the browser is, the viewports, and the sign-in step."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium tries to reach outside hosts, which this machine refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000

LOGIN = "/accounts/login/"
SECOND_FACTOR = "/accounts/second-factor/"


def sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    """Sign in through the form, as a person would."""
    page.goto(LOGIN)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def signed_in(new_page: Any, username: str, **options: Any) -> Any:
    """A new page (`options`: its viewport …) signed in as `username`, on 我的待办."""
    from playwright.sync_api import expect

    page = new_page(**options)
    sign_in(page, username)
    expect(page.get_by_role("heading", level=1, name="我的待办")).to_be_visible()
    return page


def path_is(path: str) -> re.Pattern[str]:
    """A URL pattern for `expect(page).to_have_url()`: this path on any host, any query."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$")


def open_account_menu(page: Any) -> None:
    """Open the header's account menu (language, password, API token, sign-out): a <details>
    whose summary is the person's name."""
    menu = page.locator("details.account-menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
