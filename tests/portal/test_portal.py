"""The public portal (issue 20, item 4; ADR 0032): without sign-in, every public page is reached
from /public/, /public/ from the sign-in page; nothing unpublished and no one's personal data
appears on any of them; each page reads a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from tests.livelihood.helpers import make_project
from tests.portal import helpers as h
from tests.stations import helpers as station_helpers
from wulian.livelihood.models import Cycle
from wulian.portal import selectors
from wulian.suggestions.models import Suggestion

pytestmark = pytest.mark.django_db

# The public pages (route names) the portal gathers: each must be reached from its home.
PORTAL_PAGES = {
    "portal:home",
    "portal:inquiries",
    "suggestions:public_list",
    "suggestions:public_detail",
    "livelihood:public",
    "stations:notice",
}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.hrefs.append(href)


def _route(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def public_crawl(client, start: str = "/public/") -> dict[str, str]:
    """The pages an anonymous visitor reaches from `start` by links (only those that open
    without sign-in): {url: html}."""
    pages: dict[str, str] = {}
    queue, seen = [start], {start}
    while queue:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        pages[url] = html = response.content.decode()
        parser = _Links()
        parser.feed(html)
        for href in parser.hrefs:
            parts = urlsplit(urljoin(url, href))
            if parts.scheme or parts.netloc or parts.path.startswith("/static/"):
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if _route(parts.path) and local not in seen and len(seen) < 200:
                seen.add(local)
                queue.append(local)
    return pages


def test_the_home_page_gathers_every_section(client, p):
    h.build(p)
    html = client.get(reverse("portal:home")).content.decode()
    assert "已公开答复的代表建议 1 件" in html
    assert reverse("livelihood:public", args=[2026]) in html
    assert "（项目 2 个）" in html
    assert reverse("livelihood:public", args=[2027]) not in html  # still voting
    assert "近期活动安排 2 场" in html  # today's reception and the one in three days
    assert "已送达审议意见的专题询问 1 次；应询单位承诺事项 2 项，已兑现 1 项" in html
    assert reverse("portal:inquiries") in html
    assert reverse("stations:notice") in html
    assert reverse("suggestions:public_list") in html


def test_the_inquiries_page_shows_the_opinion_and_the_commitments_kept(client, p):
    h.build(p)
    html = client.get(reverse("portal:inquiries")).content.decode()
    assert h.PUBLIC_INQUIRY in html
    assert "一、加快停车设施建设。" in html
    assert "［已隐去］" in html  # the asker's name, the phone and the official in the opinion
    assert h.COMMITMENT in html and h.KEPT in html
    assert "已兑现（2026-06-15）" in html
    assert "承诺 2 项，已兑现 1 项" in html
    for never in h.NEVER_SHOWN:
        assert never not in html, never


def test_nothing_is_shown_before_the_opinion_is_sent(client, p):
    h.unheld_inquiry(p)
    html = client.get(reverse("portal:inquiries")).content.decode()
    assert h.UNHELD_INQUIRY not in html
    assert "暂无已公开的专题询问结果" in html
    assert selectors.public_inquiries() == []


def test_the_portal_is_reached_from_the_sign_in_page_and_reaches_every_public_page(client, p):
    world = h.build(p)
    login = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse("portal:home")}"' in login
    pages = public_crawl(client, reverse("accounts:login"))
    reached = {_route(urlsplit(u).path) for u in pages}
    assert reached >= PORTAL_PAGES, PORTAL_PAGES - reached
    assert reverse("suggestions:public_detail", args=[world.suggestion_id]) in pages
    # Each public page leads back to the portal's home.
    for url, html in pages.items():
        if _route(urlsplit(url).path) in PORTAL_PAGES - {"portal:home"}:
            assert f'href="{reverse("portal:home")}"' in html, url


def test_no_personal_data_and_nothing_unpublished_on_any_portal_page(client, p):
    h.build(p)
    pages = public_crawl(client)
    assert len(pages) >= 6
    for url, html in pages.items():
        for never in h.NEVER_SHOWN:
            assert never not in html, f"{never} on {url}"
    # The lead deputy of the published suggestion is not named on the suggestions' pages.
    deputy = p.users["deputy"].person.name
    for url, html in pages.items():
        if urlsplit(url).path.startswith("/suggestions/"):
            assert deputy not in html, url


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


PAGES = {
    "portal:home": lambda w: reverse("portal:home"),
    "portal:inquiries": lambda w: reverse("portal:inquiries"),
    "suggestions:public_list": lambda w: reverse("suggestions:public_list"),
    "suggestions:public_detail": lambda w: reverse(
        "suggestions:public_detail", args=[w.suggestion_id]
    ),
    "livelihood:public": lambda w: reverse("livelihood:public", args=[w.year]),
    "stations:notice": lambda w: reverse("stations:notice"),
}


@pytest.mark.parametrize("route", sorted(PAGES))
def test_the_queries_of_a_page_do_not_grow_with_its_rows(client, p, route):
    world = h.build(p)
    url = PAGES[route](world)
    few = _queries(client, url)
    for n in range(3):
        h.published_suggestion(p)
        h.opinion_sent_inquiry(p, title=f"{h.PUBLIC_INQUIRY}（{n + 2}）")
        make_project(p, cycle=Cycle.objects.get(year=world.year))
        station_helpers.event(p, day=timezone.localdate() + timedelta(days=4 + n))
    assert _queries(client, url) == few
    assert few <= 12, few


def test_the_pages_need_no_sign_in_and_refuse_a_post(client, p):
    for route in ("portal:home", "portal:inquiries"):
        assert client.get(reverse(route)).status_code == 200
        assert client.post(reverse(route)).status_code == 405


def test_what_is_not_published_answers_404_by_its_address(client, p):
    world = h.build(p)
    unpublished = Suggestion.objects.get(title=h.UNPUBLISHED_SUGGESTION)
    detail = "suggestions:public_detail"
    assert client.get(reverse(detail, args=[unpublished.pk])).status_code == 404
    assert client.get(reverse("livelihood:public", args=[world.year + 1])).status_code == 404
    assert client.get(reverse(detail, args=[world.suggestion_id])).status_code == 200
