"""A deadline's (or a message's, or a background task's) title in the reader's language.

A deadline's title is stored as the services wrote it, in Chinese ("答复代表建议 2026年会议第3号
《…》"). In the English pages it is composed again at display time: the title is matched
against the Chinese templates the apps register (the same msgids the services format), the
record's own words (a suggestion's title, a finding's title, a number) are taken out of it, and
the template's translation is filled with them. A stored title no template matches is shown as
stored (the record's own words are the person's, not the product's), so old rows stay readable
without a migration.

Messages (the inbox, 我的待办, e-mails) and background tasks are composed the same way: each
app registers the msgids its services format as message titles (in its AppConfig.ready); a
value taken out of a title is composed again when it is itself a title (a deadline's title in
its reminder), translated when it is a word of the product (a role, a category) and kept as
written otherwise.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.translation import get_language, gettext

# Chinese msgids of deadline titles, each with named placeholders (%(t)s, %(n)s, %(n)d).
_TEMPLATES: list[str] = []
# The suggestion's label inside a title: "<session>第<n>号《<title>》".
_SUGGESTION = re.compile(r"^(?P<session>.*?)第(?P<n>\d+)号《(?P<title>.*)》$", re.S)


def register(*msgids: str) -> None:
    """An app's deadline title templates (its services format the same msgids)."""
    for msgid in msgids:
        if msgid not in _TEMPLATES:
            _TEMPLATES.append(msgid)
    _patterns.cache_clear()


def register_apps() -> None:
    """Every installed app's `message_titles` (a tuple on its AppConfig), in INSTALLED_APPS
    order — the order the apps' ready() registered them in before (issue 12)."""
    from django.apps import apps

    for config in apps.get_app_configs():
        register(*getattr(config, "message_titles", ()))


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    out = []
    for msgid in _TEMPLATES:
        pattern = ""
        for part in re.split(r"(%\(\w+\)[sd])", msgid):
            m = re.fullmatch(r"%\((\w+)\)([sd])", part)
            if m:
                pattern += (
                    rf"(?P<{m.group(1)}>\d+)" if m.group(2) == "d" else rf"(?P<{m.group(1)}>.+?)"
                )
            else:
                pattern += re.escape(part)
        out.append((re.compile(f"^{pattern}$", re.S), msgid))
    # The most specific first ("督办事项已报告：代表建议 %(t)s" before "%(kind)s：代表建议 %(t)s").
    out.sort(key=lambda item: -len(re.sub(r"%\(\w+\)[sd]", "", item[1])))
    return out


def _record_words(value: str) -> str:
    """A suggestion's label in the reader's language (its number), its words as written."""
    m = _SUGGESTION.match(value)
    if m is None:
        return value
    number = gettext("第%(n)d号") % {"n": int(m.group("n"))}
    return f"{m.group('session')} {number} “{m.group('title')}”".strip()


def _param(value: str, depth: int) -> str:
    """A value taken out of a title: itself a composed title (a deadline's title inside its
    reminder), a word of the product (a role, a category: its label is its msgid), or the
    record's own words."""
    inner = display(value, _depth=depth + 1)
    if inner != value:
        return inner
    translated = gettext(value) if value.strip() else value
    if translated != value:
        return translated
    return _record_words(value)


def display(stored: str, *, _depth: int = 0) -> str:
    """The title in the reader's language (as stored in Chinese pages): a deadline's title, a
    message's title (the inbox, e-mails), a background task's title and result line."""
    if not stored or _depth > 3 or not (get_language() or "").startswith("en"):
        return stored
    for pattern, msgid in _patterns():
        m = pattern.match(stored)
        if m is None:
            continue
        params: dict[str, object] = {}
        for name, value in m.groupdict().items():
            params[name] = int(value) if f"%({name})d" in msgid else _param(value, _depth)
        try:
            return gettext(msgid) % params
        except (KeyError, TypeError, ValueError):
            return stored
    return stored
