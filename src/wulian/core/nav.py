"""The navigation: only what exists and what the person may use. Apps add entries here."""

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
    section: str = "main"  # main | admin


ENTRIES: list[NavEntry] = [
    NavEntry(_("我的待办"), "core:home", "core.home.view"),
    NavEntry(_("单位"), "core:organisation_list", "core.organisation.view"),
    NavEntry(_("人员"), "core:person_list", "core.person.view"),
    NavEntry(_("整改台账"), "rectification:ledger", "rectification.rectification.view"),
    NavEntry(_("问题线索"), "clues:clue_list", "clues.clue.view_status"),
    NavEntry(_("活动"), "activities:activity_list", "activities.activity.view"),
    NavEntry(_("数据导入"), "core:reference_import", "core.reference.import", "admin"),
    NavEntry(_("账号管理"), "accounts:account_list", "accounts.account.manage", "admin"),
    NavEntry(_("待确认授权"), "core:grant_list", "core.membership.review", "admin"),
    NavEntry(_("审计日志"), "core:audit_list", "core.audit.view", "admin"),
    NavEntry(_("节假日日历"), "deadlines:calendar", "deadlines.calendar.manage", "admin"),
    NavEntry(_("消息投递"), "notifications:outbox", "notifications.outbox.manage", "admin"),
]


def register(entry: NavEntry, *, after: str | None = None) -> None:
    """A link app adds its entry (from its AppConfig.ready), after the named one or before the
    administration entries."""
    if any(e.url_name == entry.url_name for e in ENTRIES):
        return
    if after is not None:
        index = next(i for i, e in enumerate(ENTRIES) if e.url_name == after) + 1
    else:
        index = next((i for i, e in enumerate(ENTRIES) if e.section == "admin"), len(ENTRIES))
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
