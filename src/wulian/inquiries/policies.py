"""Access rules of special inquiries.

- Congress-side and CDI-side desks see inquiries and their questions (the CDI follows up with
  the congress); an answering unit sees the inquiries that ask it something.
- Congress-side staff or leaders prepare and run them (questions, the meeting, answers,
  commitments, the 审议意见, 回头看 and 暗访 activities).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from wulian.core.access import Actor, rule, scope_rule
from wulian.core.choices import CDI_SIDE, CONGRESS_SIDE, OFFICE_ROLES, Role

DESK_ROLES = frozenset({Role.STAFF, Role.LEADER})


def congress_desk(actor: Actor) -> frozenset[int]:
    return frozenset(
        s.org_id for s in actor.seats if s.role in DESK_ROLES and s.org_kind in CONGRESS_SIDE
    )


def _watcher(actor: Actor) -> bool:
    return bool(congress_desk(actor) or actor.office_org_ids(CDI_SIDE))


def _units(actor: Actor) -> frozenset[int]:
    return frozenset(s.org_id for s in actor.seats if s.role in OFFICE_ROLES)


@rule("inquiries.inquiry.view", describe="congress and CDI desks; the units it asks")
def _view(actor: Actor, inquiry: Any) -> bool:
    if _watcher(actor):
        return True
    if inquiry is None:
        return bool(_units(actor))
    return inquiry.questions.filter(unit_id__in=_units(actor)).exists()


@scope_rule("inquiries.inquiry.view")
def _scope(actor: Actor, qs: QuerySet) -> QuerySet:
    if _watcher(actor):
        return qs
    return qs.filter(questions__unit_id__in=_units(actor)).distinct()


@rule("inquiries.inquiry.manage", describe="congress-side staff or leaders")
def _manage(actor: Actor, inquiry: Any) -> bool:
    return bool(congress_desk(actor))


@rule("inquiries.question.view", describe="as its inquiry")
def _q_view(actor: Actor, question: Any) -> bool:
    if question is None:
        return _view(actor, None)
    return _watcher(actor) or question.unit_id in _units(actor)


@scope_rule("inquiries.question.view")
def _q_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs if _watcher(actor) else qs.filter(Q(unit_id__in=_units(actor)))


@rule("inquiries.question.manage", describe="congress-side staff or leaders")
def _q_manage(actor: Actor, question: Any) -> bool:
    return bool(congress_desk(actor))
