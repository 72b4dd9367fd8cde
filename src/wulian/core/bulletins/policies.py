"""Access rules of bulletins (通报). The reasons: docs/adr/0021-bulletins.md.

- **issue** (create, edit a draft, issue, open a series): staff or leaders of a supervising
  organisation (congress side, CDI side, the government supervision office); a bulletin is
  issued in the name of one of them (the issuer).
- **see** a draft: the issuer's staff and leaders only. An issued bulletin, by its level:
  - 普通: the issuer's desk staff and the desk staff (staff, leader, clue officer, liaison)
    of every organisation on its distribution list;
  - 敏感: the issuer's staff and leaders and the recipients' staff and leaders (not liaisons);
  - 涉及问题线索 (clue-grade): the issuer's staff and leaders and the clue officers of the
    recipient CDI organisations — the rule of the clues app (`clues.policies`).
  Nobody else sees it, in a list or a count. The issuer's side sees every recipient's receipt
  and feedback; a recipient sees only its own (on the page, in the API, the lists and the
  figures).
- **sign** (签收) and **give feedback**: the recipients' people who may see it, for their own
  organisation.
- **manage** the receipt deadlines: the issuer's staff and leaders.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from wulian.core.access import Actor, rule, scope_rule
from wulian.core.bulletins.choices import BulletinSensitivity, BulletinState
from wulian.core.choices import CDI_SIDE, CONGRESS_SIDE, OFFICE_ROLES, OrgKind, Role
from wulian.core.clues.policies import clue_officer_org_ids

MANAGER_ROLES = frozenset({Role.STAFF, Role.LEADER})
ISSUING_KINDS = CONGRESS_SIDE | CDI_SIDE | frozenset({OrgKind.GOV_SUPERVISION_OFFICE})
# Who, in a recipient organisation, sees (and signs for) a bulletin of each level.
RECIPIENT_ROLES = {
    BulletinSensitivity.ORDINARY: OFFICE_ROLES,
    BulletinSensitivity.SENSITIVE: MANAGER_ROLES,
    BulletinSensitivity.CLUE: frozenset({Role.CLUE_OFFICER}),
}
# The role the receipt reminders reach in a recipient organisation ("" : all its desk staff).
REMINDED_ROLE = {
    BulletinSensitivity.ORDINARY: "",
    BulletinSensitivity.SENSITIVE: Role.STAFF,
    BulletinSensitivity.CLUE: Role.CLUE_OFFICER,
}


def manager_org_ids(actor: Actor) -> frozenset[int]:
    """Organisations where the actor is staff or leader."""
    return frozenset(s.org_id for s in actor.seats if s.role in MANAGER_ROLES)


def issuer_org_ids(actor: Actor) -> frozenset[int]:
    """Organisations in whose name the actor may issue bulletins."""
    return frozenset(
        s.org_id for s in actor.seats if s.role in MANAGER_ROLES and s.org_kind in ISSUING_KINDS
    )


def receiving_org_ids(actor: Actor, sensitivity: str) -> frozenset[int]:
    """Organisations for which the actor sees and signs for a bulletin of `sensitivity`."""
    if sensitivity == BulletinSensitivity.CLUE:
        return clue_officer_org_ids(actor)
    roles = RECIPIENT_ROLES.get(sensitivity, frozenset())
    return frozenset(s.org_id for s in actor.seats if s.role in roles)


def recipient_org_ids(bulletin: Any) -> set[int]:
    cache = getattr(bulletin, "_prefetched_objects_cache", {})
    if "recipients" in cache:
        return {r.organisation_id for r in cache["recipients"]}
    return set(bulletin.recipients.values_list("organisation_id", flat=True))


def _issuer_sees(actor: Actor, bulletin: Any) -> bool:
    if bulletin.issuer_id in manager_org_ids(actor):
        return True
    return (
        bulletin.state == BulletinState.ISSUED
        and bulletin.sensitivity == BulletinSensitivity.ORDINARY
        and bulletin.issuer_id in actor.office_org_ids()
    )


def sees(actor: Actor, bulletin: Any) -> bool:
    if _issuer_sees(actor, bulletin):
        return True
    if bulletin.state != BulletinState.ISSUED:
        return False
    mine = receiving_org_ids(actor, bulletin.sensitivity)
    return bool(mine) and bool(recipient_org_ids(bulletin) & mine)


def visible_q(actor: Actor, prefix: str = "") -> Q:
    """The bulletins the actor sees, as a filter (on Bulletin, or through `prefix`)."""
    from wulian.core.bulletins.models import BulletinRecipient

    def f(**kw: Any) -> Q:
        return Q(**{f"{prefix}{k}": v for k, v in kw.items()})

    q = f(issuer_id__in=manager_org_ids(actor)) | f(
        state=BulletinState.ISSUED,
        sensitivity=BulletinSensitivity.ORDINARY,
        issuer_id__in=actor.office_org_ids(),
    )
    for level in BulletinSensitivity.values:
        orgs = receiving_org_ids(actor, level)
        if orgs:
            q |= f(
                state=BulletinState.ISSUED,
                sensitivity=level,
                pk__in=BulletinRecipient.objects.filter(organisation_id__in=orgs).values(
                    "bulletin_id"
                ),
            )
    return q


def issuer_side(actor: Actor, bulletin: Any) -> bool:
    """The issuer's people who see the bulletin see every recipient's receipt and feedback."""
    return _issuer_sees(actor, bulletin)


def own_rows(actor: Actor, bulletin: Any, rows: list[Any]) -> list[Any]:
    """The recipient rows of `bulletin` the actor sees: all of them on the issuer's side, a
    recipient's own row(s) otherwise (one recipient does not see another's receipt or
    feedback)."""
    if issuer_side(actor, bulletin):
        return list(rows)
    mine = receiving_org_ids(actor, bulletin.sensitivity)
    return [r for r in rows if r.organisation_id in mine]


def receipts_q(actor: Actor) -> Q:
    """The recipient rows (of issued bulletins) the actor sees, as a filter on
    BulletinRecipient: the issuer's side sees every row, a recipient its own."""
    office = actor.office_org_ids()
    q = Q(bulletin__issuer_id__in=manager_org_ids(actor)) | Q(
        bulletin__sensitivity=BulletinSensitivity.ORDINARY, bulletin__issuer_id__in=office
    )
    for level in BulletinSensitivity.values:
        orgs = receiving_org_ids(actor, level)
        if orgs:
            q |= Q(bulletin__sensitivity=level, organisation_id__in=orgs)
    return q & Q(bulletin__state=BulletinState.ISSUED)


@rule("bulletins.bulletin.view", describe="the issuer; the recipients' people of the right role")
def _view(actor: Actor, bulletin: Any) -> bool:
    if bulletin is None:
        return bool(actor.office_org_ids())
    return sees(actor, bulletin)


@scope_rule("bulletins.bulletin.view")
def _view_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs.filter(visible_q(actor))


@rule("bulletins.bulletin.create", describe="staff or leaders of a supervising organisation")
def _create(actor: Actor, obj: Any) -> bool:
    return bool(issuer_org_ids(actor))


@rule("bulletins.bulletin.edit", describe="staff or leaders of the issuer (drafts)")
def _edit(actor: Actor, bulletin: Any) -> bool:
    if bulletin is None:
        return bool(issuer_org_ids(actor))
    return bulletin.issuer_id in manager_org_ids(actor)


rule("bulletins.bulletin.issue", describe="staff or leaders of the issuer")(_edit)


@rule("bulletins.bulletin.sign", describe="recipients' people of the right role (签收)")
def _sign(actor: Actor, bulletin: Any) -> bool:
    if bulletin is None:
        return bool(actor.office_org_ids())
    if bulletin.state != BulletinState.ISSUED:
        return False
    mine = receiving_org_ids(actor, bulletin.sensitivity)
    return bool(mine) and bool(recipient_org_ids(bulletin) & mine)


rule("bulletins.bulletin.feedback", describe="recipients' people of the right role (反馈)")(_sign)


@rule("bulletins.bulletinrecipient.view", describe="whoever sees the bulletin")
def _recipient_view(actor: Actor, recipient: Any) -> bool:
    if recipient is None:
        return bool(actor.office_org_ids())
    return sees(actor, recipient.bulletin)


@rule("bulletins.bulletinrecipient.manage", describe="receipt deadlines: the issuer's staff")
def _recipient_manage(actor: Actor, recipient: Any) -> bool:
    if recipient is None:
        return bool(issuer_org_ids(actor))
    return recipient.bulletin.issuer_id in manager_org_ids(actor)


@rule("bulletins.series.create", describe="staff or leaders of a supervising organisation")
def _series_create(actor: Actor, obj: Any) -> bool:
    return bool(issuer_org_ids(actor))


@rule("bulletins.figures.view", describe="desk staff (the figures count what they see)")
def _figures(actor: Actor, obj: Any) -> bool:
    return bool(actor.office_org_ids())
