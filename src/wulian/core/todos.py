"""我的待办: what waits on the signed-in person, gathered from every app.

An app registers a provider: a function (actor) -> list[TodoItem]. Each provider must use a
constant number of queries. The home page shows the items sorted by deadline, with their
count per kind, and a second tab, 已办: the work the person finished lately (`done_provider`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.access import Actor


@dataclass(frozen=True)
class TodoItem:
    title: str
    url: str
    source: str  # the app or section that asks, shown as a badge
    due: datetime | None = None
    status: str = ""
    tone: str = "neutral"  # neutral | warning | danger
    # The due date was counted on a year the holiday calendar does not yet hold (暂定).
    provisional: bool = False

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.now()


Provider = Callable[[Actor], list[TodoItem]]
_providers: list[Provider] = []


def provider(fn: Provider) -> Provider:
    _providers.append(fn)
    return fn


def todos_for(actor: Actor) -> list[TodoItem]:
    """Every provider's items, sorted by deadline. One row per piece of work: should two
    providers list the same work (same link, same title), the first one listed stays."""
    items: list[TodoItem] = []
    seen: set[tuple[str, str]] = set()
    for fn in _providers:
        for item in fn(actor):
            key = (item.url, str(item.title))
            if key not in seen:
                seen.add(key)
                items.append(item)
    far = timezone.now().replace(year=9999)
    return sorted(items, key=lambda i: (i.due or far, i.title))


def counts_by_source(items: list[TodoItem]) -> list[tuple[str, int]]:
    """How many items of each kind (the asking app or section), most first."""
    counts: dict[str, int] = {}
    for item in items:
        counts[str(item.source)] = counts.get(str(item.source), 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


# --- 已办: what the person has done lately ------------------------------------------------


@dataclass(frozen=True)
class DoneItem:
    title: str
    url: str
    source: str
    done_at: datetime
    status: str = ""
    tone: str = "ok"


DoneProvider = Callable[[Actor, int], list[DoneItem]]
_done_providers: list[DoneProvider] = []

# 已办 shows at most this many items, newest first.
DONE_LIMIT = 50


def done_provider(fn: DoneProvider) -> DoneProvider:
    """Register a function (actor, limit) -> list[DoneItem] of work the person finished, with a
    constant number of queries."""
    _done_providers.append(fn)
    return fn


def done_for(actor: Actor, limit: int = DONE_LIMIT) -> list[DoneItem]:
    items: list[DoneItem] = []
    for fn in _done_providers:
        items.extend(fn(actor, limit))
    return sorted(items, key=lambda i: (i.done_at, i.title), reverse=True)[:limit]


@provider
def _account_todos(actor: Actor) -> list[TodoItem]:
    """The account asks for attention: a password that must be changed soon."""
    from django.urls import reverse

    from wulian.accounts.passwords import password_expires_at

    user = actor.user
    if user is None:
        return []
    expires = password_expires_at(user)
    if expires is None or expires - timezone.now() > timedelta(days=14):
        return []
    return [
        TodoItem(
            title=_("修改登录密码"),
            url=reverse("accounts:password_change"),
            source=_("账号安全"),
            due=expires,
            status=_("密码即将到期"),
            tone="warning",
        )
    ]


# How far back the audit administrator reviews the other administrators' operations.
ADMIN_REVIEW_DAYS = 7


@provider
def _admin_trail_todos(actor: Actor) -> list[TodoItem]:
    """The audit administrator reviews what the system and security administrators did (三员
    分立): their operations of the last week, counted in one query."""
    from django.urls import reverse

    from wulian.core.choices import Role
    from wulian.core.models import AuditEvent, Membership

    if actor.admin_role != Role.AUDIT_ADMIN:
        return []
    since = timezone.now() - timedelta(days=ADMIN_REVIEW_DAYS)
    admins = Membership.objects.filter(
        is_active=True,
        role__in=[Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN],
        person__user__isnull=False,
    ).values("person__user_id")
    n = AuditEvent.objects.filter(at__gte=since, actor_id__in=admins).count()
    if not n:
        return []
    return [
        TodoItem(
            title=_("审阅系统管理员和安全管理员近 %(d)d 天的 %(n)d 项操作")
            % {"d": ADMIN_REVIEW_DAYS, "n": n},
            url=reverse("core:audit_list"),
            source=_("审计日志"),
            status=_("待审阅"),
        )
    ]


# --- The home page's own panels -------------------------------------------------------------

# A panel: (actor) -> HTML shown above 我的待办, or "" (e.g. the deputy's 提出建议 and their own
# suggestions, first on a phone). Each uses a constant number of queries.
HomePanel = Callable[[Actor], str]
_home_panels: list[HomePanel] = []


def home_panel(fn: HomePanel) -> HomePanel:
    _home_panels.append(fn)
    return fn


def home_panels_for(actor: Actor) -> list[str]:
    return [html for fn in _home_panels if (html := fn(actor))]
