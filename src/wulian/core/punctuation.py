"""Lists and composed labels in the reader's language (issue 13, item 13).

Chinese joins a list with 、 (or ，), puts a label before ： and an aside in （）; English uses
", ", ": " and " ( )". Code that composes product text from parts (a list of units, a count
and its label, a name and its role) uses these instead of writing the Chinese marks, so an
English page reads "Civil affairs bureau, Justice bureau" and "Lead unit: Civil affairs bureau".
What people typed is never touched: only the marks the product puts between the parts.

    join(["市民政局", "市司法局"])      # 市民政局、市司法局 | 市民政局, 市司法局
    join(parts, sep="，")              # the Chinese comma (a sentence's list) | ", "
    labelled("主办单位", "市民政局")     # 主办单位：市民政局 | 主办单位: 市民政局
    aside("张三", "原告")               # 张三（原告） | 张三 (原告)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import get_language

# The full-width marks the product writes between parts, and their English spelling.
ENGLISH = {"、": ", ", "，": ", ", "；": "; ", "：": ": "}
FULL_WIDTH = "、，；：（）"


def english() -> bool:
    return (get_language() or "").startswith("en")


def join(items: Iterable[Any], sep: str = "、") -> str:
    """The items as one list in the reader's language (empty items left out)."""
    parts = [str(item) for item in items if item not in (None, "")]
    return (ENGLISH.get(sep, sep) if english() else sep).join(parts)


def labelled(label: Any, value: Any) -> str:
    """ "label：value" — "label: value" in English."""
    return f"{label}: {value}" if english() else f"{label}：{value}"


def aside(text: Any, note: Any) -> str:
    """ "text（note）" — "text (note)" in English; the text alone without a note."""
    if note in (None, ""):
        return str(text)
    return f"{text} ({note})" if english() else f"{text}（{note}）"
