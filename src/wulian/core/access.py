"""The access policy: the one place that answers "may this actor do X to this record?".

Rules are registered per action code (`core.person.view`) by each app's `policies.py`.
A rule has a `check(actor, obj)` for one record and, for actions on lists, a `scope(actor, qs)`
that filters a queryset in the database — lists are never filtered after the query.

Views, API and CLI all ask here: `require()` raises `AccessDenied` (rendered as 403 page or
problem+json), `can()` answers for navigation and buttons, `scope()` filters lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from wulian.core.choices import ADMIN_ROLES, CDI_SIDE, CONGRESS_SIDE, OFFICE_ROLES, OrgKind, Role
from wulian.core.errors import AccessDenied

Q_ = TypeVar("Q_", bound=QuerySet)


@dataclass(frozen=True)
class Seat:
    """One active membership, flattened: the organisation, its kind and the role held."""

    org_id: int
    org_kind: str
    role: str


@dataclass(frozen=True)
class Actor:
    """Who is acting: the user, their person and their active memberships (loaded once)."""

    user: Any = None
    person_id: int | None = None
    seats: tuple[Seat, ...] = field(default_factory=tuple)

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None and self.user.is_authenticated

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(s.role for s in self.seats)

    @cached_property
    def org_ids(self) -> frozenset[int]:
        return frozenset(s.org_id for s in self.seats)

    @cached_property
    def admin_role(self) -> str | None:
        for s in self.seats:
            if s.role in ADMIN_ROLES:
                return s.role
        return None

    def holds(self, role: str, *, kinds: frozenset[str] | None = None) -> bool:
        return any(s.role == role and (kinds is None or s.org_kind in kinds) for s in self.seats)

    def office_org_ids(self, kinds: frozenset[str] | None = None) -> frozenset[int]:
        """Organisations where the actor does desk work (staff, leader, clue officer, liaison)."""
        return frozenset(
            s.org_id
            for s in self.seats
            if s.role in OFFICE_ROLES and (kinds is None or s.org_kind in kinds)
        )

    @cached_property
    def is_congress_staff(self) -> bool:
        return bool(self.office_org_ids(CONGRESS_SIDE))

    @cached_property
    def is_cdi_staff(self) -> bool:
        return bool(self.office_org_ids(frozenset({OrgKind.CDI})))

    @cached_property
    def is_stationed_group(self) -> bool:
        return bool(self.office_org_ids(frozenset({OrgKind.STATIONED_GROUP})))

    @cached_property
    def is_gov_supervision(self) -> bool:
        return bool(self.office_org_ids(frozenset({OrgKind.GOV_SUPERVISION_OFFICE})))

    @cached_property
    def is_supervisor(self) -> bool:
        """Staff of a supervising body: congress side, CDI side or the government supervision
        office. They see across handling units."""
        return (
            self.is_congress_staff or self.is_gov_supervision or bool(self.office_org_ids(CDI_SIDE))
        )

    @cached_property
    def needs_second_factor(self) -> bool:
        """TOTP is enforced for CDI, stationed-group and administrator roles: the staff of the
        CDI side (not the integrity monitors it appoints) and the three administrators."""
        return self.admin_role is not None or bool(self.office_org_ids(CDI_SIDE))


ANONYMOUS = Actor()


def actor_for(user: Any) -> Actor:
    """Build the actor for a user with one query, cached on the user object."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_wulian_actor", None)
    if cached is not None:
        return cached
    rows = _seat_rows(user.pk)
    person_id = None
    seats = []
    for pid, org_id, kind, role in rows:
        person_id = pid
        seats.append(Seat(org_id=org_id, org_kind=kind, role=role))
    if person_id is None:
        person_id = getattr(getattr(user, "person", None), "pk", None)
    actor = Actor(user=user, person_id=person_id, seats=tuple(seats))
    user._wulian_actor = actor
    return actor


_SEATS_SQL: list[str] = []


def _seat_rows(user_pk: int) -> list[tuple[int, int, str, str]]:
    """The account's active seats in active organisations, as (person, organisation, its
    kind, role), in the order they were given: the same rows as

        Membership.objects.filter(person__user=user, is_active=True, person__is_active=True,
            organisation__is_active=True)
        .values_list("person_id", "organisation_id", "organisation__kind", "role")
        .order_by("id")

    written out because every request asks (ADR 0018, third round: the ORM's building of the
    query cost ~0.4 ms of CPU a page, the statement ~0.05 ms)."""
    from django.db import connection

    from wulian.core.models import Membership, Organisation, Person

    if not _SEATS_SQL:
        q = connection.ops.quote_name
        m, o, p = Membership._meta, Organisation._meta, Person._meta

        def col(meta: Any, name: str) -> str:
            return f"{q(meta.db_table)}.{q(meta.get_field(name).column)}"

        _SEATS_SQL.append(
            _SEATS.format(
                m=q(m.db_table),
                o=q(o.db_table),
                p=q(p.db_table),
                m_person=col(m, "person"),
                m_org=col(m, "organisation"),
                o_kind=col(o, "kind"),
                m_role=col(m, "role"),
                o_id=col(o, "id"),
                p_id=col(p, "id"),
                p_user=col(p, "user"),
                m_active=col(m, "is_active"),
                p_active=col(p, "is_active"),
                o_active=col(o, "is_active"),
                m_id=col(m, "id"),
            )
        )
    with connection.cursor() as cursor:
        cursor.execute(_SEATS_SQL[0], [user_pk])
        return cursor.fetchall()


_SEATS = (
    "SELECT {m_person}, {m_org}, {o_kind}, {m_role} FROM {m} "
    "INNER JOIN {o} ON ({m_org} = {o_id}) INNER JOIN {p} ON ({m_person} = {p_id}) "
    "WHERE {p_user} = %s AND {m_active} AND {p_active} AND {o_active} ORDER BY {m_id} ASC"
)


def as_actor(who: Any) -> Actor:
    """The acting person as an `Actor`. Services take `actor: Actor`, and this is their door:
    a `User` passed in its place (tests, the command line, a view holding `request.user`) is
    turned into its actor here — by `require`, `can` and `scope`, which call this — so the
    service's body always works with an `Actor` (`actor = access.require(actor, ...)`)."""
    return who if isinstance(who, Actor) else actor_for(who)


# --- Registry -----------------------------------------------------------------------------

Check = Callable[[Actor, Any], bool]
Scope = Callable[[Actor, QuerySet], QuerySet]


@dataclass(frozen=True)
class Rule:
    action: str
    check: Check
    scope: Scope | None = None
    describe: str = ""


_rules: dict[str, Rule] = {}


def rule(action: str, *, describe: str = "") -> Callable[[Check], Check]:
    """Register the check for an action code. One rule per action code."""

    def decorator(fn: Check) -> Check:
        if action in _rules:
            raise RuntimeError(f"access rule {action!r} registered twice")
        _rules[action] = Rule(action=action, check=fn, describe=describe or (fn.__doc__ or ""))
        return fn

    return decorator


def scope_rule(action: str) -> Callable[[Scope], Scope]:
    """Register the queryset filter for an action already registered with `rule`."""

    def decorator(fn: Scope) -> Scope:
        existing = _rules[action]
        _rules[action] = Rule(
            action=action, check=existing.check, scope=fn, describe=existing.describe
        )
        return fn

    return decorator


def registered_actions() -> dict[str, Rule]:
    return dict(_rules)


def _get(action: str) -> Rule:
    try:
        return _rules[action]
    except KeyError:
        raise LookupError(f"no access rule is registered for {action!r}") from None


def can(who: Any, action: str, obj: Any = None) -> bool:
    actor = as_actor(who)
    if not actor.is_authenticated:
        return False
    return bool(_get(action).check(actor, obj))


def require(who: Any, action: str, obj: Any = None) -> Actor:
    """Return the actor if allowed; raise AccessDenied otherwise."""
    actor = as_actor(who)
    if not can(actor, action, obj):
        raise AccessDenied(_("您没有权限执行此操作或查看此记录。"))
    return actor


def scope(who: Any, action: str, qs: Q_) -> Q_:
    """Filter a queryset to the rows the actor may see, in the database."""
    actor = as_actor(who)
    if not actor.is_authenticated:
        return qs.none()
    r = _get(action)
    if r.scope is None:
        raise LookupError(f"access rule {action!r} has no scope for lists")
    return r.scope(actor, qs)


def holds_any(actor: Actor, *roles: str) -> bool:
    return any(r in actor.roles for r in roles)


__all__ = [
    "ANONYMOUS",
    "Actor",
    "Role",
    "Seat",
    "actor_for",
    "as_actor",
    "can",
    "registered_actions",
    "require",
    "rule",
    "scope",
    "scope_rule",
]
