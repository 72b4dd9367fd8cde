"""What each persona sees on a fixed set of pages is the same HTML as the golden copy under
tests/golden/render/ (ADR 0018): the proof that work on how pages are rendered changed nothing a
user sees — text, attributes, escaping and the Content-Security-Policy header included.

The data set is built by factories and the services on a fixed clock with the database's id
sequences reset, so that each run writes the same rows; only the per-request secrets (the CSRF
token, the CSP nonce) are replaced by placeholders. A change that is meant to change a page
regenerates the copies deliberately:

    WULIAN_GOLDEN_UPDATE=1 .venv/bin/pytest tests/core/test_render_output.py

and the diff of tests/golden/render/ goes into the same commit, for review.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests import factories
from tests.personas import PERSONA_NAMES, Personas, client_for

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "render"
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
UPDATE = os.environ.get("WULIAN_GOLDEN_UPDATE") == "1"
ENGLISH = ("congress_clerk", "unit_a", "cdi_clue")  # the same pages in English, too

# Per-request secrets: a token or a nonce is the same length each time, never the same value.
SECRETS = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")'), r"\1«csrf»\2"),
    (re.compile(r'("X-CSRFToken": ")[^"]+(")'), r"\1«csrf»\2"),
    (re.compile(r"(nonce=\")[^\"]+(\")"), r"\1«nonce»\2"),
    (re.compile(r"('nonce-)[^']+(')"), r"\1«nonce»\2"),
    (re.compile(r"((?:请求编号|Request ID) )[0-9a-f]{32}"), r"\1«request id»"),
]


def normalise(text: str) -> str:
    for pattern, replacement in SECRETS:
        text = pattern.sub(replacement, text)
    return text


def csp(header: str) -> str:
    """The policy's directives in a fixed order (the header lists them as a set does)."""
    return "; ".join(sorted(normalise(d.strip()) for d in header.split(";") if d.strip()))


def _reset_factories() -> None:
    for f in (
        factories.UserFactory,
        factories.OrganisationFactory,
        factories.PersonFactory,
        factories.MembershipFactory,
        factories.DeputyProfileFactory,
        factories.ExpertProfileFactory,
    ):
        f.reset_sequence(0, force=True)


def build() -> tuple[Personas, list[tuple[str, str]]]:
    """The fixed data set and the pages (label, URL) every persona asks for."""
    from tests.clues.helpers import make_clue
    from tests.judicial.helpers import make_case
    from tests.suggestions.helpers import S, make_suggestion, walk
    from wulian.core.clues.choices import ClueState

    # The holiday calendar the data migration seeds (a transactional test run before this one
    # in the same process flushed it; without it every deadline would be 暂定).
    from wulian.core.deadlines import seed, workcalendar
    from wulian.core.deadlines.models import CalendarDay, CalendarYear

    workcalendar.invalidate()
    seed.fill_table(CalendarYear, CalendarDay)
    workcalendar.invalidate()
    _reset_factories()
    p = Personas.build()
    closed = walk(p, S.CLOSED)
    handling = walk(p, S.HANDLING, title='关于<script>alert("x")</script>背街小巷 & “路灯”的建议')
    answered = walk(p, S.ANSWERED)
    submitted = make_suggestion(p, S.SUBMITTED, title="关于社区<b>养老</b>食堂的建议")
    key = make_suggestion(p, S.ASSIGNED, is_key=True)
    make_suggestion(p, S.NOT_ACCEPTED)
    late = NOW - timedelta(days=3)
    make_suggestion(
        p, S.HANDLING, contact_due_at=late, first_contact_at=None, reply_due_at=late, is_key=True
    )
    case = make_case(p)
    clue = make_clue(p, ClueState.RECEIVED)
    ledger = reverse("suggestions:suggestion_list")
    pages = [
        ("home", reverse("core:home")),
        ("ledger", ledger),
        ("ledger filtered", f"{ledger}?status=handling"),
        ("ledger searched", f"{ledger}?q=%E8%B7%AF%E7%81%AF"),
        ("ledger second page", f"{ledger}?after={answered.pk}"),
        *(
            (f"suggestion {s.status}", reverse("suggestions:suggestion_detail", args=[s.pk]))
            for s in (closed, handling, answered, submitted, key)
        ),
        ("judicial case", reverse("judicial:case_detail", args=[case.pk])),
        ("figures", f"{reverse('suggestions:figures')}?year=2026"),
        ("clue", reverse("clues:clue_detail", args=[clue.pk])),
    ]
    return p, pages


def rendered(p: Personas, persona: str, pages: list[tuple[str, str]], language: str = "") -> str:
    client = client_for(p.users[persona])
    if language:
        from django.conf import settings

        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    parts = []
    for label, url in pages:
        response = client.get(url)
        policy = csp(response.headers.get("Content-Security-Policy", ""))
        parts.append(
            f"===== {label}: GET {url} → {response.status_code}\n"
            f"===== Content-Type: {response.headers.get('Content-Type', '')}\n"
            f"===== Content-Security-Policy: {policy}\n" + normalise(response.content.decode())
        )
    return "\n".join(parts) + "\n"


@pytest.fixture
def _calendar_cache():
    """The work calendar's cache forgets this test's calendar (the database is flushed after)."""
    from wulian.core.deadlines import workcalendar

    yield
    workcalendar.invalidate()


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_each_persona_sees_the_golden_pages(_calendar_cache):
    with time_machine.travel(NOW, tick=False):
        p, pages = build()
        differ = []
        runs = [(persona, "") for persona in PERSONA_NAMES]
        runs += [(persona, "en") for persona in ENGLISH]
        for persona, language in runs:
            text = rendered(p, persona, pages, language)
            path = GOLDEN / f"{persona}{'.' + language if language else ''}.html"
            if UPDATE:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                continue
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                differ.append(persona)
                path.with_name(path.name + ".new").write_text(text, encoding="utf-8")
    assert not differ, (
        f"pages differ from tests/golden/render/ for {differ}: diff each <persona>.html with its "
        ".html.new; if the change is meant, WULIAN_GOLDEN_UPDATE=1 and commit the copies"
    )
    if UPDATE:
        pytest.skip("golden copies written")
