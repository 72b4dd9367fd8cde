"""Escaping for what is drawn in loops (ADR 0018): the same text as Django's
`conditional_escape` and `format_html`, without their per-value overhead."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def esc(value: Any) -> str:
    """`conditional_escape` for the parts drawn in loops, the same text: a plain `str` through
    `html.escape` (Django's `escape` is that, behind a lazy-argument check per call), a
    `SafeString` as it is, anything else through Django's. A ledger page escapes ~750 values."""
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is SafeString:
        return value
    return conditional_escape(value)


def html_format(template_string: str, *args: Any) -> SafeString:
    """`format_html(template_string, *args)` with `esc`: the same HTML, for rows and badges."""
    return mark_safe(template_string.format(*[esc(a) for a in args]))  # noqa: S308


def once_a_page() -> Callable[[tuple, Callable[[], Any]], Any]:
    """`once(key, draw)`: `draw()` the first time a key is asked for, then what it drew — for
    what repeats from row to row of one page (a badge, a label, a set of flags)."""
    drawn: dict[tuple, Any] = {}

    def once(key: tuple, draw: Callable[[], Any]) -> Any:
        value = drawn.get(key)
        if value is None:
            value = drawn[key] = draw()
        return value

    return once
