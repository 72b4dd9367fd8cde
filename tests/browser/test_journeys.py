"""The main journeys through the web interface, in a real browser (Chromium via Playwright).

Each test signs in through the sign-in form, as a person would; nothing is forced on the
session. Static files come from the live server, so layout and scripts are the real ones.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.support import (
    LOGIN,
    PHONE,
    RESULTS_DIR,
    SECOND_FACTOR,
    open_account_menu,
    path_is,
    sign_in,
)

pytestmark = pytest.mark.browser

# The English catalogue (src/wulian/locale/en/) is not written yet.
EN_CATALOGUE = Path(__file__).resolve().parents[2] / "src/wulian/locale/en/LC_MESSAGES/django.mo"
# A known key for the CDI officer's authenticator, so the test can compute the codes.
TOTP_KEY = "3132333435363738393031323334353637383930"


def nav(page: Any) -> Any:
    return page.get_by_role("navigation", name="主导航")


def totp_codes(device: TOTPDevice, drifts: range = range(-3, 4)) -> list[str]:
    """The device's codes around now (drift in steps)."""
    codes = []
    for drift in drifts:
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time() + drift * device.step
        codes.append(f"{totp.token():0{device.digits}d}")
    return codes


# --- a. sign in --------------------------------------------------------------------------------


def test_congress_clerk_signs_in_and_sees_their_navigation(page, personas):
    sign_in(page, "congress_clerk")

    expect(page).to_have_url(path_is("/"))
    expect(page.get_by_role("heading", level=1, name="我的待办")).to_be_visible()
    menu = nav(page)
    expect(menu.get_by_role("link", name="单位")).to_be_visible()
    expect(menu.get_by_role("link", name="人员")).to_be_visible()
    expect(menu.get_by_role("link", name="账号管理")).to_have_count(0)
    expect(menu.get_by_role("link", name="审计日志")).to_have_count(0)
    expect(page.get_by_role("button", name="退出")).to_be_hidden()  # in the account menu
    open_account_menu(page)
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    # The stylesheet is served and applied: the top bar has the brand colour.
    expect(page.locator("header.topbar")).not_to_have_css("background-color", "rgba(0, 0, 0, 0)")

    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=RESULTS_DIR / "home-desktop.png", full_page=True)


# --- b. wrong password ---------------------------------------------------------------------------


def test_wrong_password_shows_the_error_on_the_login_page(page, personas):
    sign_in(page, "congress_clerk", "not-the-password")

    expect(page).to_have_url(path_is(LOGIN))
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码错误")
    expect(page.get_by_role("heading", level=1, name="登录")).to_be_visible()
    # The username is kept; the password is not echoed back.
    expect(page.get_by_label("用户名")).to_have_value("congress_clerk")
    expect(page.get_by_label("密码")).to_have_value("")


# --- c. language -------------------------------------------------------------------------------


def test_language_switch_to_english_and_back(page, personas):
    sign_in(page, "congress_clerk")
    html = page.locator("html")
    heading = page.get_by_role("heading", level=1)
    expect(html).to_have_attribute("lang", "zh-hans")
    expect(heading).to_have_text("我的待办")

    open_account_menu(page)
    page.get_by_label("语言").select_option("en")

    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(path_is("/"))
    if EN_CATALOGUE.exists():
        expect(heading).not_to_have_text(re.compile(r"[\u4e00-\u9fff]"))
    # TODO(en catalogue): once src/wulian/locale/en/LC_MESSAGES/django.po is translated and
    # compiled, assert the exact English heading here (e.g. "My tasks") unconditionally.

    open_account_menu(page)
    page.locator("#lang-select").select_option("zh-hans")

    expect(html).to_have_attribute("lang", "zh-hans")
    expect(heading).to_have_text("我的待办")


# --- d. error pages ----------------------------------------------------------------------------


def test_other_units_person_is_a_proper_403_and_unknown_url_a_proper_404(page, personas):
    other_units_person = personas.unit_a.person
    sign_in(page, "unit_b")
    expect(page.get_by_role("heading", level=1, name="我的待办")).to_be_visible()

    response = page.goto(f"/people/{other_units_person.pk}/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("无权访问")
    expect(page.get_by_text(other_units_person.name)).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("Traceback")
    page.get_by_role("link", name="返回首页").click()
    expect(page).to_have_url(path_is("/"))
    expect(page.get_by_role("heading", level=1, name="我的待办")).to_be_visible()

    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
    expect(page.locator("body")).not_to_contain_text("Traceback")
    expect(page.get_by_role("link", name="返回首页")).to_have_attribute("href", "/")
    # Still the product's page, with its stylesheet.
    expect(page.locator("header.topbar")).not_to_have_css("background-color", "rgba(0, 0, 0, 0)")


# --- e. second factor --------------------------------------------------------------------------


@pytest.fixture
def cdi_device(personas) -> TOTPDevice:
    return TOTPDevice.objects.create(
        user=personas.cdi_officer, name="browser-test", key=TOTP_KEY, confirmed=True
    )


def test_cdi_officer_passes_the_second_factor(page, personas, cdi_device):
    sign_in(page, "cdi_officer")
    expect(page).to_have_url(path_is(SECOND_FACTOR))
    expect(page.get_by_role("heading", level=1, name="双因素验证")).to_be_visible()

    page.get_by_label("验证码").fill(totp_codes(cdi_device, range(0, 1))[0])
    page.get_by_role("button", name="验证").click()

    expect(page).to_have_url(path_is("/"))
    expect(page.get_by_role("heading", level=1, name="我的待办")).to_be_visible()


def test_wrong_second_factor_code_shows_the_error(page, personas, cdi_device):
    valid = set(totp_codes(cdi_device))
    wrong = next(f"{n:06d}" for n in range(100_000, 200_000) if f"{n:06d}" not in valid)
    sign_in(page, "cdi_officer")
    expect(page).to_have_url(path_is(SECOND_FACTOR))

    page.get_by_label("验证码").fill(wrong)
    page.get_by_role("button", name="验证").click()

    expect(page).to_have_url(path_is(SECOND_FACTOR))
    expect(page.get_by_role("alert")).to_contain_text("验证码不正确或已过期")
    # Still not through: the home page sends them back to the second factor.
    page.goto("/")
    expect(page).to_have_url(path_is(SECOND_FACTOR))


# --- f. phone ------------------------------------------------------------------------------------


def _horizontal_overflow(page: Any) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_phone_navigation_collapses_behind_the_menu_button(new_page, personas):
    page = new_page(PHONE)
    page.goto(LOGIN)
    expect(page.get_by_role("heading", level=1, name="登录")).to_be_visible()
    assert _horizontal_overflow(page) <= 0
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=RESULTS_DIR / "login-phone.png", full_page=True)

    sign_in(page, "congress_clerk")
    expect(page.get_by_role("heading", level=1, name="我的待办")).to_be_visible()
    menu = page.get_by_role("button", name="菜单")
    units = page.locator("#mainnav").get_by_role("link", name="单位")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(units).to_be_hidden()
    assert _horizontal_overflow(page) <= 0

    menu.click()

    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(units).to_be_visible()
    assert _horizontal_overflow(page) <= 0
    units.click()
    expect(page).to_have_url(path_is("/orgs/"))


# --- g. sign out -------------------------------------------------------------------------------


def test_sign_out_and_back_button_does_not_show_the_signed_in_page(page, personas):
    sign_in(page, "congress_clerk")
    response = page.goto("/")
    assert response is not None
    assert "no-store" in response.headers.get("cache-control", "")
    expect(page.get_by_role("heading", level=1, name="我的待办")).to_be_visible()

    open_account_menu(page)
    page.get_by_role("button", name="退出").click()

    expect(page).to_have_url(path_is(LOGIN))
    expect(page.get_by_role("heading", level=1, name="登录")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("您已安全退出")

    page.go_back()

    expect(page).to_have_url(re.compile(re.escape(LOGIN)))
    expect(page.get_by_role("heading", level=1, name="我的待办")).to_have_count(0)
    expect(page.get_by_role("button", name="退出")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("我的待办")
