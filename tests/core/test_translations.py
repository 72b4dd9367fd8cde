"""Chinese first, English available: every user-facing string has an English translation,
compiled, and the catalogue is current with the code."""

from __future__ import annotations

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
