"""The navigation: only what exists and what the person may use. Apps add entries here.

Entries sit in sections: a few at the top (`main`: 我的待办, 单位, 人员) and the rest in groups
that fold (`links`: the five links' own ledgers; `shared`: the work the links share —
rectification, clues, activities, bulletins, ballots, opinion rounds; `admin`: the
administrators' pages). A group the person sees one entry of shows that entry alone; a group of
several is a `<details>` in the bar (no script needed), open on a phone's folded menu.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wulian.core import access


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    action: str
    section: str = "main"  # main | links | shared | admin (SECTIONS)


# The sections in the order the bar shows them, with the label of those that fold into a group.
SECTIONS: tuple[tuple[str, str | Promise | None], ...] = (
    ("main", None),
    ("links", _("五联")),
    ("shared", _("协同工作")),
    ("admin", _("系统管理")),
)


ENTRIES: list[NavEntry] = [
    NavEntry(_("我的待办"), "core:home", "core.home.view"),
    NavEntry(_("单位"), "core:organisation_list", "core.organisation.view"),
    NavEntry(_("人员"), "core:person_list", "core.person.view"),
    NavEntry(_("整改台账"), "rectification:ledger", "rectification.rectification.view", "shared"),
    NavEntry(_("问题线索"), "clues:clue_list", "clues.clue.view_status", "shared"),
    NavEntry(_("活动"), "activities:activity_list", "activities.activity.view", "shared"),
    NavEntry(_("数据导入"), "core:reference_import", "core.reference.import", "admin"),
    NavEntry(_("账号管理"), "accounts:account_list", "accounts.account.manage", "admin"),
    NavEntry(_("待确认授权"), "core:grant_list", "core.membership.review", "admin"),
    NavEntry(_("审计日志"), "core:audit_list", "core.audit.view", "admin"),
    NavEntry(_("节假日日历"), "deadlines:calendar", "deadlines.calendar.manage", "admin"),
    NavEntry(_("消息投递"), "notifications:outbox", "notifications.outbox.manage", "admin"),
]


def register(entry: NavEntry, *, after: str | None = None) -> None:
    """A link app adds its entry (from its AppConfig.ready), after the named one or at the end of
    its section (a link's ledger: `section="links"`; a shared primitive's: `"shared"`)."""
    if any(e.url_name == entry.url_name for e in ENTRIES):
        return
    if after is not None:
        index = next(i for i, e in enumerate(ENTRIES) if e.url_name == after) + 1
    else:
        order = [name for name, _label in SECTIONS]
        later = order[order.index(entry.section) + 1 :]
        index = next((i for i, e in enumerate(ENTRIES) if e.section in later), len(ENTRIES))
    ENTRIES.insert(index, entry)


_URLS: dict[tuple[str, str], str] = {}


def _url(name: str) -> str:
    """An entry's address, reversed once per process (and script prefix): every page asks."""
    key = (get_script_prefix(), name)
    url = _URLS.get(key)
    if url is None:
        url = _URLS[key] = reverse(name)
    return url


def entries_for(actor: access.Actor) -> list[dict[str, object]]:
    return [
        {"label": e.label, "url": _url(e.url_name), "section": e.section, "name": e.url_name}
        for e in ENTRIES
        if access.can(actor, e.action)
    ]
