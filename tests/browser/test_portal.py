"""The public portal in Chromium (issue 20, item 4; ADR 0032): every portal page, and the sign-in
page that leads to it, has no WCAG 2.1 A/AA violation that axe-core finds — on a desktop and
on a 390-pixel phone, where nothing is wider than the screen — and a visitor walks from the
sign-in page to each section by links.

axe-core comes inside `axe-playwright-python` (its axe.min.js is injected into the page by
Playwright's evaluate, outside the page's Content-Security-Policy): nothing is fetched."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.support import LOGIN, PHONE, RESULTS_DIR
from tests.clues.helpers import use_test_keyring
from tests.portal import helpers as h
from tests.stations.helpers import NOW
from wulian.core import crypto
from wulian.core.deadlines import seed, workcalendar
from wulian.core.deadlines.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def world(personas, settings) -> Any:
    """The demo-like world (tests/portal/helpers.py) on the stations' fixed day, committed, in
    demo mode (the banner, the sign-in page's demo accounts)."""
    settings.DEMO_MODE = True
    use_test_keyring()
    workcalendar.invalidate()
    seed.fill_table(CalendarYear, CalendarDay)
    with time_machine.travel(NOW, tick=True):
        yield h.build(personas, suggestions=3, inquiries=2)
    workcalendar.invalidate()
    crypto.reset_field_keyring(None)


def _pages(world: Any) -> list[str]:
    return [
        LOGIN,
        "/public/",
        "/public/inquiries/",
        "/suggestions/public/",
        f"/suggestions/public/{world.suggestion_id}/",
        f"/livelihood/public/{world.year}/",
        "/stations/notice/",
    ]


def violations(page: Any) -> list[str]:
    """axe-core's violations of the WCAG 2.0/2.1 A and AA rules on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_every_portal_page_passes_wcag_21_aa(new_page, world, viewport):
    page = new_page(viewport)
    found = {}
    for url in _pages(world):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        problems = violations(page)
        if problems:
            found[url] = problems
        if viewport is PHONE:
            width = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert width <= 0, f"{url} is {width}px wider than a 390px phone"
            RESULTS_DIR.mkdir(exist_ok=True)
            name = url.strip("/").replace("/", "-") or "root"
            page.screenshot(path=RESULTS_DIR / f"portal-{name}-phone.png", full_page=True)
    assert not found, "\n".join(f"{url}: {p}" for url, ps in found.items() for p in ps)


def test_a_visitor_walks_from_the_sign_in_page_to_every_section(new_page, world):
    page = new_page(PHONE)
    page.goto(LOGIN)
    page.get_by_role("link", name="公开信息（无需登录）").click()
    expect(page.get_by_role("heading", level=1, name="公开信息")).to_be_visible()
    sections = [
        ("代表建议办理情况", "代表建议办理情况公开"),
        (f"{world.year}年市级民生实事项目", f"{world.year}年民生实事项目进度"),
        ("代表联络站活动公告", "代表联络站活动公告"),
        ("专题询问结果与承诺落实", "专题询问结果公开"),
    ]
    for link, heading in sections:
        page.get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        for never in h.NEVER_SHOWN:
            assert never not in page.content(), (never, heading)
        page.get_by_role("link", name="返回公开信息首页").click()
        expect(page.get_by_role("heading", level=1, name="公开信息")).to_be_visible()


def test_the_checker_finds_a_violation(page):
    """A test of the test: axe runs in the page and reports what it finds."""
    page.set_content(
        '<html lang="zh-hans"><head><title>t</title></head><body><main>'
        '<img src="data:,"><p style="color:#ccc;background:#fff">浅色文字</p></main></body></html>'
    )
    found = " ".join(violations(page))
    assert "image-alt" in found and "color-contrast" in found, found
