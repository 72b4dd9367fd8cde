"""Reply classes (答复类别 / 办理结果分类): a configured list, A / B / C / D by default.

Each locality marks a reply by how far the matter was solved; the letters and their meaning
differ between local rules, so the list is a setting (`SUGGESTION_REPLY_CLASSES`,
`WULIAN_SUGGESTION_REPLY_CLASSES`: ``code:label;code:label…``, one capital letter each).

Sources (docs/adr/0019, "Suggestions"):
- the common practice is four classes — A 已解决或基本解决, B 正在解决或列入计划逐步解决,
  C 留作参考, D 因条件限制不能解决 — with C and D "as the locality defines" (issue 14).
  One municipal notice found uses A / B / C / D with C 因目前条件限制需以后解决 and
  D 留作参考; a provincial bureau's rule (浙海渔办〔2011〕16号 第十三条) uses three
  classes A / B / C;
- the default is the set the product ships for Huangshi (the demo's 2023). Huangshi's own
  classification text was not retrieved here (its government rule [CN6] was read only in
  part: art. 18, 19, 24–27); the default follows the common practice the issue names and
  keeps the stored codes A, B, C meaning what they meant (C: 因条件限制留作参考 → 留作参考).

Stored replies keep their code; a code no longer in the configured list still shows (its code
and "不在当前分类中"), so changing the list never hides an old reply's class."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext

from wulian.suggestions.choices import ReplyCategory

# The shipped set (Huangshi's default), translated in this app's catalogue.
DEFAULT: tuple[tuple[str, Any], ...] = tuple(ReplyCategory.choices)
# Its labels as the setting writes them (the Chinese source text without "X 类："): a setting
# entry with the same words is the shipped, translated label.
SHIPPED_WORDS = {
    "A": "已解决或基本解决",
    "B": "正在解决或列入计划逐步解决",
    "C": "留作参考",
    "D": "因条件限制不能解决",
}
# What an entry of the setting may be: one capital letter, a colon, a label.
ENTRY = re.compile(r"^\s*([A-Z])\s*[:：]\s*(\S.{0,58}?)\s*$")


class ConfigError(ValueError):
    """The setting does not parse (checked at start-up by `check`)."""


def parse(value: str) -> tuple[tuple[str, Any], ...]:
    """The classes a setting value names; empty: the shipped set. A label with the shipped
    words of its code (`SHIPPED_WORDS`) is the shipped, translated label."""
    if not value.strip():
        return DEFAULT
    shipped = {code: label for code, label in DEFAULT}
    found: list[tuple[str, Any]] = []
    for part in value.split(";"):
        if not part.strip():
            continue
        m = ENTRY.match(part)
        if m is None:
            raise ConfigError(
                f"WULIAN_SUGGESTION_REPLY_CLASSES: {part!r} is not 'X:label' (one capital letter)"
            )
        code, label = m.group(1), m.group(2)
        if any(c == code for c, _l in found):
            raise ConfigError(f"WULIAN_SUGGESTION_REPLY_CLASSES: {code} appears twice")
        if code in shipped and SHIPPED_WORDS.get(code) == label:
            found.append((code, shipped[code]))
        else:
            found.append((code, f"{code} 类：{label}"))
    if len(found) < 2:
        raise ConfigError("WULIAN_SUGGESTION_REPLY_CLASSES: name at least two classes")
    return tuple(found)


def _configured() -> tuple[tuple[str, Any], ...]:
    return parse(getattr(settings, "SUGGESTION_REPLY_CLASSES", ""))


def choices() -> list[tuple[str, Any]]:
    """The configured classes as choices (the model fields' `choices` is this callable, so a
    change of the setting needs no migration)."""
    return list(_configured())


def codes() -> list[str]:
    return [code for code, _label in _configured()]


def display(code: str) -> str:
    """The label of a stored code, also one no longer configured."""
    for c, label in _configured():
        if c == code:
            return str(label)
    if not code:
        return ""
    return gettext("%(code)s 类（不在当前分类中）") % {"code": code}


def prompt() -> str:
    """ "A、B、C 或 D" for the form's message."""
    names = codes()
    if len(names) == 1:
        return names[0]
    return gettext("%(first)s 或 %(last)s") % {"first": "、".join(names[:-1]), "last": names[-1]}


def check_setting(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """`wulian check` (and start-up): a malformed WULIAN_SUGGESTION_REPLY_CLASSES is an error
    before any page needs it."""
    from django.core import checks

    try:
        _configured()
    except ConfigError as exc:
        return [checks.Error(str(exc), id="wulian.suggestions.E001")]
    return []
