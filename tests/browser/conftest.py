"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's
live server.

- One Chromium for all browser tests (package-scoped: it lives exactly as long as the tests
  under tests/browser, so the event loop Playwright runs does not outlive them).
- A fresh browser context per test, so no cookie or storage leaks from one journey into the
  next.
- No browser is ever downloaded: without /usr/bin/chromium the tests are skipped with a reason,
  unless WULIAN_REQUIRE_BROWSER=1 (CI), in which case they fail.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.browser.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    RESULTS_DIR,
    TIMEOUT_MS,
)
from tests.personas import Personas


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    item.stash.setdefault(_reports_key, {})[report.when] = report
    return report


_reports_key = pytest.StashKey[dict[str, pytest.TestReport]]()


def _unavailable(reason: str) -> None:
    if os.environ.get("WULIAN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"WULIAN_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[dev]')")

    # Playwright's sync API keeps an asyncio loop running in this thread; Django refuses ORM
    # calls from a thread with a running loop unless told it is safe (it is: the loop is idle
    # whenever test code runs).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
    except Exception as exc:
        playwright.stop()
        _unavailable(f"Chromium at {CHROMIUM} did not start: {exc}")
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# --- The database between tests ----------------------------------------------------------------
# The live server needs committed data, so these tests use `transactional_db`, which empties the
# tables after each test (tests/conftest.py lets that flush past the append-only audit table).


@pytest.fixture
def flushable_db(transactional_db) -> None:
    """Committed data, emptied after the test."""


@pytest.fixture
def personas(flushable_db) -> Personas:
    """The personas of tests/personas.py, committed so that the live server sees them."""
    return Personas.build()


@pytest.fixture(autouse=True)
def _plain_static_files(settings) -> None:
    """The settings use WhiteNoise's manifest storage outside DEBUG, which needs a
    collectstatic run. The live server serves static files from the finders
    (django.contrib.staticfiles' handler), so plain storage gives the same URLs it serves."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def new_page(
    request: pytest.FixtureRequest, browser: Any, live_server: Any, flushable_db: None
) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh browser context: `new_page()` desktop, `new_page(PHONE)` phone.

    The test fails on a JavaScript error or a Content-Security-Policy violation; a failed
    test leaves a screenshot of each of its pages in test-results/.
    """
    contexts: list[Any] = []
    problems: list[str] = []

    def open_page(viewport: dict[str, int] | None = None, **options: Any) -> Any:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport or DESKTOP,
            locale="zh-CN",
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))
        page.on(
            "console",
            lambda msg: (
                problems.append(f"console: {msg.text}")
                if msg.type == "error" and "Content Security Policy" in msg.text
                else None
            ),
        )
        return page

    yield open_page

    reports = request.node.stash.get(_reports_key, {})
    failed = "call" in reports and reports["call"].failed
    for n, context in enumerate(contexts):
        if failed:
            RESULTS_DIR.mkdir(exist_ok=True)
            for m, page in enumerate(context.pages):
                with contextlib.suppress(Exception):  # a crashed page must not hide the failure
                    page.screenshot(
                        path=RESULTS_DIR / f"failed-{request.node.name}-{n}-{m}.png",
                        full_page=True,
                    )
        context.close()
    if not failed:
        assert not problems, "\n".join(problems)


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A desktop page in its own browser context."""
    return new_page()
