"""Access rules of opinion rounds (征求意见). The reasons: docs/adr/0024-opinion-rounds.md.

- **drafting side**: staff or leaders of the drafting organisation (起草单位), which must be a
  supervising organisation (congress side, CDI side, the government supervision office). They
  create the round, upload versions, invite, open, dispose of every comment, close and conclude.
- **invitees**: the desk staff (staff, leader, clue officer, liaison) of an invited
  organisation, and each invited named person (a deputy …) themselves. They see the draft from
  the opening, comment (or say 无意见) until the close, and read the 意见采纳情况说明.
- **comments**: the drafting side sees every comment; an invitee sees its own until the round
  is concluded, then every comment with its disposition (the 说明 lists them all anyway).
- A round in preparation (准备中) is seen by the drafting side only. Nobody else sees a round.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from wulian.core.access import Actor, rule, scope_rule
from wulian.core.bulletins.policies import ISSUING_KINDS, MANAGER_ROLES
from wulian.core.choices import ADMIN_ROLES
from wulian.core.opinions.choices import RoundState


def drafter_org_ids(actor: Actor) -> frozenset[int]:
    """Organisations in whose name the actor may seek opinions on a draft."""
    return frozenset(
        s.org_id for s in actor.seats if s.role in MANAGER_ROLES and s.org_kind in ISSUING_KINDS
    )


def manager_org_ids(actor: Actor) -> frozenset[int]:
    return frozenset(s.org_id for s in actor.seats if s.role in MANAGER_ROLES)


def participant(actor: Actor) -> bool:
    """Whoever may be invited: a seat other than the three administrators' (desk staff, a
    deputy, an expert …)."""
    return any(s.role not in ADMIN_ROLES for s in actor.seats)


def drafting_side(actor: Actor, round_: Any) -> bool:
    return round_.drafter_id in manager_org_ids(actor)


def invitee_q(actor: Actor, prefix: str = "") -> Q:
    """The invitee rows the actor answers for, as a filter on Invitee (or through `prefix`)."""
    q = Q(**{f"{prefix}organisation_id__in": actor.office_org_ids()})
    if actor.person_id is not None:
        q |= Q(**{f"{prefix}person_id": actor.person_id})
    return q


def _invitees(round_: Any) -> list[Any]:
    cache = getattr(round_, "_prefetched_objects_cache", {})
    if "invitees" in cache:
        return list(cache["invitees"])
    return list(round_.invitees.all())


def my_invitees(actor: Actor, round_: Any) -> list[Any]:
    """The invitee rows of `round_` the actor answers for (an organisation's desk staff, or
    the named person)."""
    orgs = actor.office_org_ids()
    return [
        i
        for i in _invitees(round_)
        if (i.organisation_id and i.organisation_id in orgs)
        or (i.person_id and i.person_id == actor.person_id)
    ]


def is_invitee(actor: Actor, round_: Any) -> bool:
    return round_.state != RoundState.DRAFT and bool(my_invitees(actor, round_))


def sees(actor: Actor, round_: Any) -> bool:
    return drafting_side(actor, round_) or is_invitee(actor, round_)


def visible_q(actor: Actor, prefix: str = "") -> Q:
    """The rounds the actor sees, as a filter on OpinionRound (or through `prefix`)."""
    from wulian.core.opinions.models import Invitee

    def f(**kw: Any) -> Q:
        return Q(**{f"{prefix}{k}": v for k, v in kw.items()})

    mine = Invitee.objects.filter(invitee_q(actor)).values("round_id")
    return f(drafter_id__in=manager_org_ids(actor)) | (~f(state=RoundState.DRAFT) & f(pk__in=mine))


def comments_shown(actor: Actor, round_: Any, comments: list[Any]) -> list[Any]:
    """The comments of `round_` the actor reads: all on the drafting side and, once the round
    is concluded, for every invitee; before that an invitee reads its own only."""
    if drafting_side(actor, round_) or round_.state == RoundState.CONCLUDED:
        return list(comments)
    mine = {i.pk for i in my_invitees(actor, round_)}
    return [c for c in comments if c.invitee_id in mine]


@rule("opinions.round.view", describe="the drafting side; invitees once it is sent out")
def _view(actor: Actor, round_: Any) -> bool:
    if round_ is None:
        return participant(actor)
    return sees(actor, round_)


@scope_rule("opinions.round.view")
def _view_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs.filter(visible_q(actor))


@rule("opinions.round.create", describe="staff or leaders of a supervising organisation")
def _create(actor: Actor, obj: Any) -> bool:
    return bool(drafter_org_ids(actor))


@rule("opinions.round.manage", describe="the drafting organisation's staff or leaders")
def _manage(actor: Actor, round_: Any) -> bool:
    if round_ is None:
        return bool(drafter_org_ids(actor))
    return drafting_side(actor, round_)


@rule("opinions.round.comment", describe="invitees (organisations' desk staff, named people)")
def _comment(actor: Actor, round_: Any) -> bool:
    if round_ is None:
        return participant(actor)
    return round_.state == RoundState.OPEN and bool(my_invitees(actor, round_))


@rule("opinions.invitee.view", describe="whoever sees the round")
def _invitee_view(actor: Actor, invitee: Any) -> bool:
    if invitee is None:
        return participant(actor)
    return sees(actor, invitee.round)


@rule(
    "opinions.invitee.manage",
    describe="comment reminders: the drafting side; a named person settles its own",
)
def _invitee_manage(actor: Actor, invitee: Any) -> bool:
    if invitee is None:
        return bool(drafter_org_ids(actor))
    if drafting_side(actor, invitee.round):
        return True
    # A named person (a deputy has no desk seat) settles their own reminder by answering.
    return invitee.person_id is not None and invitee.person_id == actor.person_id


@rule("opinions.figures.view", describe="desk staff and named people (what they see)")
def _figures(actor: Actor, obj: Any) -> bool:
    return participant(actor)
