"""The written forms of a case's people, shared by the filing form (one item per line) and the
.xlsx import (items in one cell, separated by 、 ； or a line break):

- party: ``名称`` or ``名称（角色）`` or ``名称（角色，企业）``,
  e.g. ``黄石某某机械有限公司（被告，企业）``;
  the role is one of the party roles' Chinese names; ``企业`` marks an enterprise;
- lawyer: ``姓名（律师事务所）`` or ``姓名（律师事务所，代理当事人名称）``;
- judge or prosecutor: a name.

Names are compared by the draw's avoidance rules after `normalise` (spaces removed,
full-width brackets).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from wulian.judicial.choices import PartyRole

_ITEM = re.compile(r"^(?P<name>[^（）()]+?)\s*(?:[（(](?P<inner>[^（）()]*)[)）])?$")
_INNER_SEPARATORS = re.compile(r"[，,、；;]")
ENTERPRISE_WORD = "企业"
MAX_ITEMS = 50


class ListError(ValueError):
    """A malformed item; str() says which and what to write instead."""


def normalise(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "")
    return re.sub(r"\s+", "", text)


def split_items(text: str) -> list[str]:
    """Split a cell or a text area into items: on line breaks, 、 and ；, and on commas outside
    brackets. Blank items and repeats are dropped."""
    items: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in (text or "").replace("\r", "\n"):
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        if ch in "\n、;；" or (ch in ",，" and depth == 0):
            items.append("".join(current))
            current = []
            continue
        current.append(ch)
    items.append("".join(current))
    out: list[str] = []
    for item in items:
        item = item.strip()
        if item and item not in out:
            out.append(item)
    if len(out) > MAX_ITEMS:
        raise ListError(_("最多填写 %(n)d 项。") % {"n": MAX_ITEMS})
    return out


def _role_lookup() -> dict[str, str]:
    lookup = {}
    for member in PartyRole:
        lookup[member.value] = member.value
        with translation.override(None):
            lookup[str(member.label)] = member.value
        lookup[str(member.label)] = member.value
    return lookup


def _split(item: str) -> tuple[str, list[str]]:
    match = _ITEM.match(item.strip())
    if match is None:
        raise ListError(
            _("“%(item)s”的格式不对：括号只能出现一次，写在名称之后，例如“张三（原告）”。")
            % {"item": item}
        )
    inner = [p.strip() for p in _INNER_SEPARATORS.split(match["inner"] or "") if p.strip()]
    return match["name"].strip(), inner


def parse_parties(text: str) -> list[dict[str, Any]]:
    roles = _role_lookup()
    allowed = "、".join(str(m.label) for m in PartyRole)
    parties: list[dict[str, Any]] = []
    for item in split_items(text):
        name, inner = _split(item)
        role, enterprise = PartyRole.OTHER.value, False
        for word in inner:
            if word == ENTERPRISE_WORD:
                enterprise = True
            elif word in roles:
                role = roles[word]
            else:
                raise ListError(
                    _(
                        "“%(item)s”中的“%(word)s”不是当事人身份。可填：%(allowed)s，企业当事人另加“企业”。"
                    )
                    % {"item": item, "word": word, "allowed": allowed}
                )
        if any(p["name"] == name for p in parties):
            continue
        parties.append({"name": name, "role": role, "enterprise": enterprise})
    return parties


def parse_lawyers(text: str) -> list[dict[str, str]]:
    lawyers: list[dict[str, str]] = []
    for item in split_items(text):
        name, inner = _split(item)
        if not inner:
            raise ListError(
                _("请为律师“%(name)s”写明律师事务所，例如“%(name)s（湖北某某律师事务所）”。")
                % {"name": name}
            )
        firm = inner[0]
        party = inner[1].removeprefix("代理") if len(inner) > 1 else ""
        lawyers.append({"name": name, "firm": firm, "party": party})
    return lawyers


def parse_names(text: str) -> list[str]:
    names = []
    for item in split_items(text):
        name, inner = _split(item)
        if inner:
            raise ListError(_("“%(item)s”：这里只填姓名，不加括号。") % {"item": item})
        names.append(name)
    return names


def format_parties(parties: list[dict[str, Any]]) -> str:
    lines = []
    for p in parties:
        words = []
        if p.get("role") and p["role"] != PartyRole.OTHER:
            words.append(str(PartyRole(p["role"]).label))
        if p.get("enterprise"):
            words.append(ENTERPRISE_WORD)
        lines.append(p["name"] + (f"（{'，'.join(words)}）" if words else ""))
    return "\n".join(lines)


def format_lawyers(lawyers: list[dict[str, str]]) -> str:
    lines = []
    for lawyer in lawyers:
        inner = lawyer["firm"] + (f"，代理{lawyer['party']}" if lawyer.get("party") else "")
        lines.append(f"{lawyer['name']}（{inner}）")
    return "\n".join(lines)
