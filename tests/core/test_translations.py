"""Chinese first, English available: every user-facing string has an English translation,
compiled, and the catalogue is current with the code."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "wulian"
CATALOGUES = sorted(SRC.rglob("locale/en/LC_MESSAGES/django.po"))


def test_there_is_an_english_catalogue():
    assert CATALOGUES, "run `make messages` and translate src/wulian/locale/en/…/django.po"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_every_string_is_translated_and_compiled(po_path: Path):
    po = polib.pofile(str(po_path))
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert not missing, f"untranslated or fuzzy in {po_path.name}: {missing[:10]}"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), "compile it: `make messages`"
    mo = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.mofile(str(mo_path))
    }
    po_entries = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in po
        if not e.obsolete and e.translated()
    }
    assert mo == po_entries, "the .mo file is older than the .po: run `make messages`"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_the_catalogue_holds_every_string_of_the_code(tmp_path):
    """makemessages over a copy of the sources finds no msgid the catalogues lack."""
    copy = tmp_path / "wulian"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "var"))
    for po in copy.rglob("locale/en/LC_MESSAGES/django.po"):
        po.unlink()
    env = {"SECRET_KEY": "x", "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "wulian.settings"}
    result = subprocess.run(
        [sys.executable, "-c",
         "from django.core.management import execute_from_command_line as e; "
         "e(['wulian', 'makemessages', '-l', 'en', '--no-location', '--no-obsolete'])"],
        cwd=copy, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        pytest.skip(f"makemessages could not run here: {result.stderr[-300:]}")
    found = set()
    for po in copy.rglob("locale/en/LC_MESSAGES/django.po"):
        found |= {e.msgid for e in polib.pofile(str(po))}
    known = set()
    for po in CATALOGUES:
        known |= {e.msgid for e in polib.pofile(str(po)) if not e.obsolete}
    assert not sorted(found - known)[:20], "new strings: run `make messages` and translate them"


# --- Stored Chinese in English pages --------------------------------------------------------

# Chinese words (ideographs); Chinese punctuation is looked for separately (FULL_WIDTH).
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# Text the product composed and stored (a deadline's title, a message) is not the user's: it
# must be composed again in the reader's language, so it is not taken out below.
PRODUCT_TEXT = {
    ("deadlines", "deadline", "title"),
    ("notifications", "outboxmessage", "title"),
    ("notifications", "notification", "title"),
    ("core", "backgroundtask", "title"),
    ("core", "backgroundtask", "message"),
}
# The language switch names each language in itself.
OWN_NAMES = ("简体中文",)


def _user_words() -> list[str]:
    """Every text value people entered: the rows' char and text fields (names, titles,
    contents, numbers…), longest first, so that a longer text is taken out before its parts."""
    from django.apps import apps
    from django.db import models

    words: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("wulian.") or model._meta.model_name == "auditevent":
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and (model._meta.app_label, model._meta.model_name, f.name) not in PRODUCT_TEXT
            and not f.choices
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            for value in _strings(row):
                if CJK.search(value):
                    words.add(value)
                    words.update(part for part in value.splitlines() if part.strip())
    return sorted(words, key=len, reverse=True)


def _strings(value: object) -> list[str]:
    """The texts in a value (a JSON field's lists and objects included)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _strings(v)]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _strings(v)]
    return []


# Full-width punctuation the product writes between parts (lists, labels, asides): an English
# page spells it ", ", ": ", " ( )" (wulian.core.punctuation).
FULL_WIDTH = re.compile(r".{0,12}[、，；：（）].{0,12}")


def _product_text(html: str, words: list[str]) -> str:
    """The page's text without what people entered (and the languages' own names)."""
    import html as html_lib

    text = html_lib.unescape(re.sub(r"<[^>]+>", "\n", html))
    for word in words:
        text = text.replace(word, " ")
    for name in OWN_NAMES:
        text = text.replace(name, " ")
    return text


def _untranslated(html: str, words: list[str]) -> list[str]:
    text = _product_text(html, words)
    return sorted({m.group(0) for m in CJK.finditer(text)})


def _full_width(html: str, words: list[str]) -> list[str]:
    text = _product_text(html, words)
    return sorted({m.group(0).strip() for m in FULL_WIDTH.finditer(text)})


@pytest.fixture
def _calendar_cache():
    from wulian.core.deadlines import workcalendar

    yield
    workcalendar.invalidate()


def _finished_import(p):
    """A background import of the congress clerk's, done (its title and result line stored in
    Chinese)."""
    from wulian.core.models import BackgroundTask, TaskState

    return BackgroundTask.objects.create(
        kind="suggestions.import",
        title="导入代表建议",
        requested_by=p.users["congress_clerk"],
        total=400,
        done=400,
        state=TaskState.DONE,
        message="已导入 400 件代表建议。",
    )


def test_stored_message_titles_are_composed_again_in_english():
    """A message's title stored in Chinese reads in English on an English page: the msgid is
    found again, the record's words kept, a composed title inside it composed too."""
    from django.utils import translation
    from django.utils.translation import gettext

    from wulian.core.deadlines import titles

    with translation.override("en"):
        done = titles.display("导入已完成：导入代表建议")
        assert done == f"Import finished: {gettext('导入代表建议')}" and not CJK.search(done)
        reminder = titles.display("期限提醒：答复代表建议 2026年会议第3号《关于路灯的建议》")
        assert not CJK.search(reminder.replace("关于路灯的建议", "").replace("2026年会议", ""))
        assert "关于路灯的建议" in reminder  # the deputy's own words stay as written
        assert titles.display("某人自己写的标题") == "某人自己写的标题"
    with translation.override("zh-hans"):
        assert titles.display("导入已完成：导入代表建议") == "导入已完成：导入代表建议"


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_english_pages_show_no_chinese_outside_what_people_entered(_calendar_cache):
    """The key pages (tests/core/test_render_output.py's set) in English, as each persona: no
    Chinese is left once the words people entered (names, titles, contents) are taken out —
    stored Chinese (a title composed when the row was written) is caught here."""
    import time_machine
    from django.conf import settings
    from django.urls import reverse

    from tests.core.test_render_output import NOW, build
    from tests.personas import PERSONA_NAMES, client_for

    with time_machine.travel(NOW, tick=False):
        p, pages = build()
        # Each persona's inbox: the titles of the messages the walk above sent them (stored in
        # Chinese, composed again in English), and a finished background import's page.
        from wulian.core.notifications.delivery import deliver_due

        deliver_due(limit=10_000)  # the in-app messages into each inbox
        pages = [*pages, ("inbox", reverse("notifications:inbox"))]
        task = _finished_import(p)
        words = _user_words()
        found: dict[str, set[str]] = {}
        marks: dict[str, set[str]] = {}
        for persona in PERSONA_NAMES:
            client = client_for(p.users[persona])
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
            own = [("task", task.get_absolute_url())] if persona == "congress_clerk" else []
            for label, url in [*pages, *own]:
                response = client.get(url)
                html = response.content.decode()
                for text in _untranslated(html, words):
                    found.setdefault(text, set()).add(f"{persona}: {label}")
                for text in _full_width(html, words):
                    marks.setdefault(text, set()).add(f"{persona}: {label}")
    assert not found, "Chinese in English pages:\n" + "\n".join(
        f"  {text!r} on {sorted(where)[:3]}" for text, where in sorted(found.items())
    )
    assert not marks, "Chinese punctuation in English pages (wulian.core.punctuation):\n" + (
        "\n".join(f"  {text!r} on {sorted(where)[:3]}" for text, where in sorted(marks.items()))
    )
