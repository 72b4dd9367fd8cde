"""Access rules of the core records: organisations, people, memberships, audit trail.

Every rule is a small function of (actor, record). The matrix in
`tests/core/test_policy_matrix.py` states, role by role, what each one answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wulian.core.access import Actor, rule, scope_rule
from wulian.core.choices import ADMIN_ROLES, CDI_SIDE, CONGRESS_SIDE, OFFICE_ROLES, OrgKind, Role

# --- Everyone signed in ------------------------------------------------------------------


@rule("core.home.view", describe="我的待办: every signed-in person")
def _home(actor: Actor, obj: Any) -> bool:
    return actor.is_authenticated


@rule("accounts.self.manage", describe="own password, second factor and API tokens")
def _self(actor: Actor, obj: Any) -> bool:
    return actor.is_authenticated


@rule("accounts.api_token.own", describe="an API token: its owner alone reads or revokes it")
def _own_token(actor: Actor, token: Any) -> bool:
    if not actor.is_authenticated:
        return False
    return token is None or token.user_id == getattr(actor.user, "pk", None)


# --- Organisations: an internal directory every member of the platform may read -----------


@rule("core.organisation.view")
def _org_view(actor: Actor, obj: Any) -> bool:
    if obj is not None and not obj.is_active:
        return actor.admin_role == Role.SYSTEM_ADMIN
    return bool(actor.seats)


@scope_rule("core.organisation.view")
def _org_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    if not actor.seats:
        return qs.none()
    if actor.admin_role == Role.SYSTEM_ADMIN:
        return qs
    return qs.filter(is_active=True)


@rule("core.organisation.manage", describe="reference data: the system administrator")
def _org_manage(actor: Actor, obj: Any) -> bool:
    return actor.admin_role == Role.SYSTEM_ADMIN


# --- People: contact details are personal information -------------------------------------


def _sees_all_people(actor: Actor) -> bool:
    return actor.is_supervisor or actor.admin_role in {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}


@rule("core.person.view", describe="supervisors and administrators: all; a unit: its own staff")
def _person_view(actor: Actor, obj: Any) -> bool:
    if obj is None:
        return bool(actor.seats)
    if _sees_all_people(actor) or obj.pk == actor.person_id:
        return True
    own_units = actor.office_org_ids()
    return (
        bool(own_units)
        and obj.memberships.filter(organisation_id__in=own_units, is_active=True).exists()
    )


@scope_rule("core.person.view")
def _person_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    if _sees_all_people(actor):
        return qs
    own_units = actor.office_org_ids()
    visible = Q(pk=actor.person_id) if actor.person_id else Q(pk__in=[])
    if own_units:
        visible |= Q(
            pk__in=qs.model.memberships.rel.related_model.objects.filter(
                organisation_id__in=own_units, is_active=True
            ).values("person_id")
        )
    return qs.filter(visible)


@rule("core.person.manage", describe="reference data: the system administrator")
def _person_manage(actor: Actor, obj: Any) -> bool:
    return actor.admin_role == Role.SYSTEM_ADMIN


@rule("core.reference.import", describe="import organisations and people from .xlsx")
def _reference_import(actor: Actor, obj: Any) -> bool:
    return actor.admin_role == Role.SYSTEM_ADMIN


# --- Accounts and the three administrators (三员分立) ---------------------------------------


@rule("accounts.account.manage", describe="unlock, reset second factor, end sessions")
def _account_manage(actor: Actor, obj: Any) -> bool:
    return actor.admin_role == Role.SECURITY_ADMIN


@rule("accounts.admin_role.assign", describe="grant or revoke an administrator role")
def _admin_role_assign(actor: Actor, obj: Any) -> bool:
    return actor.admin_role == Role.SECURITY_ADMIN


# --- Role grants: who may give whom which role (docs/adr/0014) -----------------------------
#
# Three tiers. Ordinary roles are granted by the system administrator. The three
# administrator roles by the security administrator (三员分立). The roles of the CDI side —
# a clue officer, and any desk role in the CDI or a stationed group — by the security
# administrator *and* a CDI officer who confirms (two people); until confirmed the grant gives
# no rights. Nobody grants a role to himself, and no grant may make a combination of seats
# that `INCOMPATIBLE` names.

TIER_ORDINARY, TIER_ADMIN, TIER_CDI = "ordinary", "admin", "cdi"
GRANTED_BY = {
    TIER_ORDINARY: Role.SYSTEM_ADMIN,
    TIER_ADMIN: Role.SECURITY_ADMIN,
    TIER_CDI: Role.SECURITY_ADMIN,
}
CONFIRMED_TIERS = frozenset({TIER_CDI})
# Grants and ends the CDI's clue officers are told about.
NOTIFIED_TIERS = frozenset({TIER_CDI, TIER_ADMIN})
# Who confirms a grant of the CDI side: a leader or clue officer of the CDI itself.
CONFIRMER_ROLES = frozenset({Role.LEADER, Role.CLUE_OFFICER})
CONFIRMER_KINDS = frozenset({OrgKind.CDI})
# Where a role may be held at all.
ROLE_KINDS = {Role.CLUE_OFFICER: frozenset({OrgKind.CDI})}


def grant_tier(role: str, org_kind: str) -> str:
    if role in ADMIN_ROLES:
        return TIER_ADMIN
    if role == Role.CLUE_OFFICER or (role in OFFICE_ROLES and org_kind in CDI_SIDE):
        return TIER_CDI
    return TIER_ORDINARY


@dataclass(frozen=True)
class Seats:
    """A set of seats: these roles (None: any) in organisations of these kinds (None: any),
    or of this grant tier."""

    roles: frozenset[str] | None = None
    kinds: frozenset[str] | None = None
    tier: str | None = None
    label: Any = ""

    def __contains__(self, seat: tuple[str, str]) -> bool:
        role, kind = seat
        if self.tier is not None and grant_tier(role, kind) != self.tier:
            return False
        return (self.roles is None or role in self.roles) and (
            self.kinds is None or kind in self.kinds
        )


ADMIN_SEATS = Seats(roles=ADMIN_ROLES, label=_("系统、安全或审计管理员"))
CDI_SEATS = Seats(
    tier=TIER_CDI, label=_("纪委监委一方的岗位（线索管理员、纪委监委或派驻组工作人员）")
)
SUPERVISED_SEATS = Seats(
    roles=OFFICE_ROLES,
    kinds=frozenset(
        {
            OrgKind.HANDLING_UNIT,
            OrgKind.GOVERNMENT,
            OrgKind.GOV_SUPERVISION_OFFICE,
            OrgKind.COURT,
            OrgKind.PROCURATORATE,
        }
    ),
    label=_("被监督单位（承办单位、政府、法院、检察院）的岗位"),
)
CONGRESS_OFFICE_SEATS = Seats(
    roles=OFFICE_ROLES, kinds=CONGRESS_SIDE, label=_("人大机关的岗位（起草和移送线索）")
)
CLUE_OFFICER_SEATS = Seats(roles=frozenset({Role.CLUE_OFFICER}), label=_("线索管理员"))
STATIONED_SEATS = Seats(
    roles=OFFICE_ROLES,
    kinds=frozenset({OrgKind.STATIONED_GROUP}),
    label=_("派驻纪检监察组的岗位"),
)


@dataclass(frozen=True)
class Incompatible:
    a: Seats
    b: Seats
    reason: Any


# No person holds a seat of `a` and one of `b` at the same time, whichever came first.
INCOMPATIBLE: tuple[Incompatible, ...] = (
    Incompatible(
        ADMIN_SEATS,
        CDI_SEATS,
        _("三员分立：管理员管理系统、账号或审计记录，不能同时在纪委监委一方任职、查看线索。"),
    ),
    Incompatible(
        SUPERVISED_SEATS,
        CDI_SEATS,
        _("被监督单位的人员不能同时在纪委监委一方任职：线索可能涉及本单位。"),
    ),
    Incompatible(
        CONGRESS_OFFICE_SEATS,
        CLUE_OFFICER_SEATS,
        _("起草、移送线索的人大机关人员不能同时是受理线索的线索管理员。"),
    ),
    Incompatible(
        STATIONED_SEATS,
        CLUE_OFFICER_SEATS,
        _("派驻纪检监察组监督人大机关干部，不查看移送的线索（ADR 0007），不能兼任线索管理员。"),
    ),
)


def incompatibility(
    role: str, org_kind: str, held: Iterable[tuple[str, str]]
) -> tuple[Incompatible, tuple[str, str]] | None:
    """The first rule of `INCOMPATIBLE` that a new seat (role, org_kind) breaks together with
    one of the seats already `held`, and that seat; None when the combination is safe."""
    new = (role, org_kind)
    for seat in held:
        for pair in INCOMPATIBLE:
            if (new in pair.a and seat in pair.b) or (new in pair.b and seat in pair.a):
                return pair, seat
    return None


@dataclass(frozen=True)
class Grant:
    """A role someone proposes to give: the record `core.membership.grant` is asked about."""

    person_id: int | None
    role: str
    org_kind: str

    @property
    def tier(self) -> str:
        return grant_tier(self.role, self.org_kind)


@rule(
    "core.membership.grant",
    describe="ordinary roles: the system administrator; administrator and CDI-side roles: the "
    "security administrator (CDI-side ones then confirmed by a CDI officer); never to oneself",
)
def _membership_grant(actor: Actor, grant: Any) -> bool:
    if grant is None:
        return actor.admin_role in {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}
    if grant.person_id is not None and grant.person_id == actor.person_id:
        return False
    return actor.admin_role == GRANTED_BY[grant.tier]


@rule("core.membership.end", describe="who grants a role ends it (no confirmation needed)")
def _membership_end(actor: Actor, membership: Any) -> bool:
    if membership is None:
        return actor.admin_role in {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}
    tier = grant_tier(membership.role, membership.organisation.kind)
    return actor.admin_role == GRANTED_BY[tier]


def is_grant_confirmer(actor: Actor) -> bool:
    return any(s.role in CONFIRMER_ROLES and s.org_kind in CONFIRMER_KINDS for s in actor.seats)


@rule("core.membership.review", describe="pending CDI-side grants: CDI officers, security admin")
def _membership_review(actor: Actor, obj: Any) -> bool:
    return is_grant_confirmer(actor) or actor.admin_role == Role.SECURITY_ADMIN


@rule(
    "core.membership.confirm",
    describe="a CDI leader or clue officer: not the proposer, not the person granted",
)
def _membership_confirm(actor: Actor, grant: Any) -> bool:
    if not is_grant_confirmer(actor):
        return False
    if grant is None:
        return True
    user_id = getattr(actor.user, "pk", None)
    return grant.requested_by_id != user_id and grant.person_id != actor.person_id


@rule("core.membership.refuse", describe="a confirmer, or the security administrator (withdraw)")
def _membership_refuse(actor: Actor, grant: Any) -> bool:
    if actor.admin_role == Role.SECURITY_ADMIN:
        return grant is None or grant.person_id != actor.person_id
    return _membership_confirm(actor, grant)


@rule("core.audit.view", describe="the audit administrator reads the audit trail")
def _audit_view(actor: Actor, obj: Any) -> bool:
    return actor.admin_role == Role.AUDIT_ADMIN


@rule("core.task.view", describe="a background export: the person who asked for it")
def _task_view(actor: Actor, task: Any) -> bool:
    if task is None:
        return actor.user is not None
    return actor.user is not None and task.requested_by_id == actor.user.pk


@rule(
    "core.audit.details",
    describe="the raw events under a record's history (技术详情): audit and system administrators",
)
def _audit_details(actor: Actor, obj: Any) -> bool:
    return actor.admin_role in {Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN}
