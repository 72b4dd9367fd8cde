"""Every page and document a person may open is reachable by links (issue 13, item 3).

For each persona, a representative data set (the records of every GET row of the route matrix,
tests/core/test_route_matrix.py) is built; the crawl starts at the home page and follows
same-origin links (`<a href>`, GET only), bounded; every GET page route the persona may open
(the matrix says so) must be linked from some page reached. A route that is reachable by URL
but linked from nowhere fails the test — unless it is in EXEMPT, with the reason."""

from __future__ import annotations

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import IntegrityError, transaction
from django.urls import Resolver404, resolve

from tests.core.test_route_matrix import MATRIX
from tests.personas import PERSONA_NAMES, Personas, client_for
from tests.route_cases import Case
from wulian.core.errors import DomainError

pytestmark = pytest.mark.django_db

# Routes a person may open that no page needs to link to, each with why.
EXEMPT: dict[str, str] = {
    # JSON for the unit and deputy search boxes (formkit lookups): read by script, not pages.
    "core:organisation_lookup": "JSON of the unit search box, fetched by app.js",
    "core:deputy_lookup": "JSON of the deputy search box, fetched by app.js",
    # Sign-in steps: the second factor is asked by redirect when the role needs it.
    "accounts:otp_verify": "the second-factor step of signing in, reached by redirect",
    "accounts:otp_setup": "setting up the second factor, reached by redirect at sign-in",
    # A step's page shown only while that step is possible (its record's page links it then;
    # the matrix row opens it on a record in that state, which the crawl may not reach).
    "judicial:draw_abort_confirm": "the confirmation page of aborting a draw, reached by its form",
    # A background export's progress page and its file: reached by the redirect after the
    # export link starts it, and by the notice sent when it is done.
    "core:task_detail": "a background export's progress, reached by redirect from its export",
    "core:task_download": "a finished background export, linked from its progress page",
    # A department's desk opens the stations' opinion list from 我的待办 when a station has
    # handed it an opinion; with none handed to it there is nothing to link to.
    "stations:opinion_list": "a department's handed opinions, linked from 我的待办 when any",
}

# The crawl's bounds: pages fetched per persona, and pages fetched per route (other records of
# the same route add nothing but time; their links are still collected from the pages read).
MAX_PAGES = 600
MAX_PER_ROUTE = 40


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _may_open(persona: str) -> set[str]:
    """The GET page routes the matrix lets the persona open."""
    return {
        name
        for name, case in MATRIX.items()
        if isinstance(case, Case)
        and not case.api
        and case.method == "get"
        and persona in case.allowed
        and persona not in case.skip_personas
    }


def _data_set(personas: Personas) -> None:
    """The records of every GET page row of the matrix (a suggestion at each stage with its
    documents, a clue, a batch, a rectification, an activity, the judicial records…)."""
    # The rows' worlds share one database: a row may find its one-of-a-kind record made (an
    # IntegrityError) or its rule unmet (a DomainError: the pool's one lawyer reviewed that
    # judge lately, so a second draw cannot be made) — the first world of its kind serves.
    # The judicial suggestion's world (a draw with its reviews) comes first: it needs the draw.
    first = ["judicial:suggestion_detail"]
    rows = first + sorted(set(MATRIX) - set(first))
    for name in rows:
        case = MATRIX[name]
        if isinstance(case, Case) and not case.api and case.method == "get":
            try:
                with transaction.atomic():
                    case.kwargs(personas)
            except (IntegrityError, DomainError):
                continue


def crawl(client, start: str = "/") -> tuple[set[str], int]:
    """(route names linked from the pages reached, pages fetched)."""
    linked: set[str] = set()
    seen = {start}
    queue = deque([start])
    per_route: Counter[str] = Counter()
    fetched = 0
    while queue and fetched < MAX_PAGES:
        url = queue.popleft()
        route = _route(urlsplit(url).path)
        if route is None or route.split(":")[0].endswith("api") or route.startswith("api:"):
            continue
        per_route[route] += 1
        if per_route[route] > MAX_PER_ROUTE:
            continue
        response = client.get(url)
        fetched += 1
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue  # another site, mailto:, javascript:
            if parts.path.startswith("/static/"):
                continue
            name = _route(parts.path)
            if name is None:
                continue
            linked.add(name)
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local not in seen:
                seen.add(local)
                queue.append(local)
    return linked, fetched


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_every_page_the_persona_may_open_is_linked(persona, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    personas = Personas.build()
    _data_set(personas)
    linked, fetched = crawl(client_for(personas.users[persona]))
    assert fetched > 1
    unlinked = sorted(_may_open(persona) - linked - set(EXEMPT))
    assert not unlinked, (
        f"{persona} may open these pages, but no link reaches them from the home page "
        f"(link them from the navigation or their record's page, or exempt them with a "
        f"reason): {unlinked}"
    )


def test_the_exemptions_are_routes_that_exist():
    assert not set(EXEMPT) - set(MATRIX)


def test_the_crawl_catches_an_unlinked_page(settings, tmp_path, monkeypatch):
    """A test of the test: with the navigation down to 我的待办, the unit directory and the
    suggestions ledger are linked from nowhere the clerk can reach, and the crawl says so."""
    from wulian.core import nav

    settings.MEDIA_ROOT = tmp_path / "media"
    personas = Personas.build()
    linked, _fetched = crawl(client_for(personas.congress_clerk))
    assert {"core:organisation_list", "suggestions:suggestion_list"} <= linked
    monkeypatch.setattr(nav, "ENTRIES", [e for e in nav.ENTRIES if e.url_name == "core:home"])
    linked, _fetched = crawl(client_for(personas.congress_clerk))
    missing = _may_open("congress_clerk") - linked - set(EXEMPT)
    assert {"core:organisation_list", "suggestions:suggestion_list"} <= missing
