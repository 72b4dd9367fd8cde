"""The kinds of notification a person can switch on or off, by prefix of the action code.

An app that announces things registers its prefix once, in its AppConfig.ready():

    from wulian.core.notifications import kinds
    kinds.register("deadlines.", _("期限提醒"))

The preferences page offers one row per registered prefix ("" — everything — is always there).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    prefix: str
    label: str | Promise


EVERYTHING = Kind("", _("全部消息"))
_kinds: dict[str, Kind] = {}


def register(prefix: str, label: str | Promise) -> Kind:
    if not prefix:
        raise ValueError("the empty prefix is built in (EVERYTHING)")
    kind = Kind(prefix, label)
    _kinds[prefix] = kind
    return kind


def unregister(prefix: str) -> None:
    _kinds.pop(prefix, None)


def registered() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda k: k.prefix)


def label_for(prefix: str) -> str | Promise:
    if not prefix:
        return EVERYTHING.label
    kind = _kinds.get(prefix)
    return kind.label if kind else prefix
