"""Access rules of deputies' suggestions (联办).

- **Seeing a suggestion** (`suggestions.suggestion.view`): congress-side staff, the government
  supervision office and the stationed group see all; CDI staff see those escalated to the CDI;
  a handling unit sees those it is actively assigned (lead or co-unit) — never another unit's;
  a deputy sees those they lead or co-signed (and those they submitted).
- **Verdicts are private** (`suggestions.verdict.view`): the deputy who gave them and the
  supervising side (congress staff, the supervision office, the stationed group); a handling
  unit sees only aggregates.
- **Merged suggestions** (并案) follow their primary: a unit assigned the primary sees and
  handles the suggestions merged into it.
- **Steps**: a deputy submits their own suggestions; congress staff submit on a deputy's behalf,
  review, publish and decide extensions; congress staff and the supervision office assign
  jointly (one side prepares, the other confirms); the assigned unit receives or sends back;
  congress staff replace (or drop) a co-unit that sent its assignment back, the supervision
  office being told, and may waive a co-unit's opinion (with a reason);
  the lead unit contacts the deputy and replies, co-units give opinions; the lead deputy (or
  congress staff recording the paper form) gives the verdict; the stationed group visits (联访);
  congress staff and the supervision office issue supervision orders (督办); congress staff
  escalate to the CDI.

Which step is possible in which state is the transition table's business (`choices.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from wulian.core.access import Actor, rule, scope_rule
from wulian.core.choices import CONGRESS_SIDE, OrgKind, Role
from wulian.suggestions.choices import ACTIVE_ASSIGNMENT, AssignmentRole

DESK_ROLES = frozenset({Role.STAFF, Role.LEADER})
GOV_OFFICE = frozenset({OrgKind.GOV_SUPERVISION_OFFICE})
STATIONED = frozenset({OrgKind.STATIONED_GROUP})


def congress_org_ids(actor: Actor) -> frozenset[int]:
    """Congress-side organisations where the actor is staff or a leader."""
    return frozenset(
        s.org_id for s in actor.seats if s.role in DESK_ROLES and s.org_kind in CONGRESS_SIDE
    )


def gov_office_org_ids(actor: Actor) -> frozenset[int]:
    return frozenset(
        s.org_id for s in actor.seats if s.role in DESK_ROLES and s.org_kind in GOV_OFFICE
    )


def stationed_org_ids(actor: Actor) -> frozenset[int]:
    return frozenset(
        s.org_id for s in actor.seats if s.role in DESK_ROLES and s.org_kind in STATIONED
    )


def assigning_org_ids(actor: Actor) -> frozenset[int]:
    """Organisations in which the actor may prepare or confirm a joint assignment."""
    return congress_org_ids(actor) | gov_office_org_ids(actor)


def unit_org_ids(actor: Actor) -> frozenset[int]:
    """Organisations in which the actor does a handling unit's desk work."""
    return actor.office_org_ids()


def is_deputy(actor: Actor) -> bool:
    return Role.DEPUTY in actor.roles and actor.person_id is not None


def sees_all(actor: Actor) -> bool:
    return bool(congress_org_ids(actor) or gov_office_org_ids(actor) or stationed_org_ids(actor))


def is_cdi_staff(actor: Actor) -> bool:
    return bool(actor.office_org_ids(frozenset({OrgKind.CDI})))


def _active_assignments(suggestion: Any) -> list[Any]:
    """The active assignments that give access: a merged suggestion (并案) follows its
    primary's."""
    if getattr(suggestion, "merged_into_id", None) is not None:
        from wulian.suggestions.models import Assignment

        return list(
            Assignment.objects.filter(
                suggestion_id=suggestion.merged_into_id, status__in=ACTIVE_ASSIGNMENT
            )
        )
    cache = getattr(suggestion, "_prefetched_objects_cache", {})
    if "assignments" in cache:
        return [a for a in cache["assignments"] if a.status in ACTIVE_ASSIGNMENT]
    return list(suggestion.assignments.filter(status__in=ACTIVE_ASSIGNMENT))


def unit_roles(actor: Actor, suggestion: Any) -> set[str]:
    """The roles (lead, co) the actor's units hold in the suggestion's active assignments."""
    mine = unit_org_ids(actor)
    if not mine:
        return set()
    return {a.role for a in _active_assignments(suggestion) if a.unit_id in mine}


def is_own(actor: Actor, suggestion: Any) -> bool:
    """The actor is the lead deputy, a co-signer or the one who submitted it."""
    if actor.person_id is None:
        return False
    if suggestion.lead_deputy_id == actor.person_id:
        return True
    if getattr(actor.user, "pk", None) == suggestion.submitted_by_id:
        return True
    return suggestion.cosigners.filter(person_id=actor.person_id).exists()


# --- Seeing ---------------------------------------------------------------------------------


@rule(
    "suggestions.suggestion.view",
    describe="supervising side: all; units: their assignments; deputies: their own",
)
def _view(actor: Actor, suggestion: Any) -> bool:
    if suggestion is None:
        return bool(actor.seats) and (
            sees_all(actor) or is_cdi_staff(actor) or is_deputy(actor) or bool(unit_org_ids(actor))
        )
    if sees_all(actor):
        return True
    if is_cdi_staff(actor) and suggestion.escalated_to_cdi_at is not None:
        return True
    if unit_roles(actor, suggestion):
        return True
    return is_own(actor, suggestion)


@scope_rule("suggestions.suggestion.view")
def _view_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    if sees_all(actor):
        return qs
    from wulian.suggestions.models import Assignment, CoSigner

    visible = Q(pk__in=[])
    if is_cdi_staff(actor):
        visible |= Q(escalated_to_cdi_at__isnull=False)
    units = unit_org_ids(actor)
    if units:
        visible |= Exists(
            Assignment.objects.filter(
                suggestion=OuterRef("pk"), unit_id__in=units, status__in=ACTIVE_ASSIGNMENT
            )
        )
        # A merged suggestion: through its primary's assignments.
        visible |= Exists(
            Assignment.objects.filter(
                suggestion=OuterRef("merged_into"),
                unit_id__in=units,
                status__in=ACTIVE_ASSIGNMENT,
            )
        )
    if actor.person_id is not None:
        visible |= Q(lead_deputy_id=actor.person_id) | Q(submitted_by_id=actor.user.pk)
        visible |= Exists(
            CoSigner.objects.filter(suggestion=OuterRef("pk"), person_id=actor.person_id)
        )
    return qs.filter(visible)


@rule("suggestions.verdict.view", describe="the deputy who gave it; congress, office, stationed")
def _verdict_view(actor: Actor, suggestion: Any) -> bool:
    if sees_all(actor):
        return True
    if suggestion is None:
        return False
    return actor.person_id is not None and suggestion.lead_deputy_id == actor.person_id


# --- Submission and review ------------------------------------------------------------------


@rule("suggestions.suggestion.submit", describe="deputies (their own) and congress staff")
def _submit(actor: Actor, obj: Any) -> bool:
    return is_deputy(actor) or bool(congress_org_ids(actor))


@rule("suggestions.suggestion.withdraw", describe="the lead deputy, or congress staff")
def _withdraw(actor: Actor, suggestion: Any) -> bool:
    if suggestion is None:
        return is_deputy(actor) or bool(congress_org_ids(actor))
    if congress_org_ids(actor):
        return True
    return actor.person_id is not None and suggestion.lead_deputy_id == actor.person_id


@rule("suggestions.suggestion.review", describe="congress staff")
def _review(actor: Actor, suggestion: Any) -> bool:
    return bool(congress_org_ids(actor))


@rule(
    "suggestions.suggestion.manage",
    describe="congress staff: the suggestion's deadlines, extensions, publication, import",
)
def _manage(actor: Actor, suggestion: Any) -> bool:
    return bool(congress_org_ids(actor))


@rule("suggestions.suggestion.attach", describe="the deputy while submitting; congress staff")
def _attach(actor: Actor, suggestion: Any) -> bool:
    if suggestion is None:
        return is_deputy(actor) or bool(congress_org_ids(actor))
    if congress_org_ids(actor):
        return True
    return actor.person_id is not None and suggestion.lead_deputy_id == actor.person_id


# --- Joint assignment ------------------------------------------------------------------------


@rule("suggestions.suggestion.assign", describe="congress staff and the supervision office")
def _assign(actor: Actor, obj: Any) -> bool:
    return bool(assigning_org_ids(actor))


@rule(
    "suggestions.suggestion.merge",
    describe="congress staff and the supervision office: merged handling (并案) and its split",
)
def _merge(actor: Actor, obj: Any) -> bool:
    return bool(assigning_org_ids(actor))


@rule("suggestions.batch.view", describe="congress staff and the supervision office")
def _batch_view(actor: Actor, batch: Any) -> bool:
    return bool(assigning_org_ids(actor)) or bool(stationed_org_ids(actor))


@scope_rule("suggestions.batch.view")
def _batch_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs if _batch_view(actor, None) else qs.none()


@rule("suggestions.batch.confirm", describe="the other side of the one who prepared the batch")
def _batch_confirm(actor: Actor, batch: Any) -> bool:
    if batch is None:
        return bool(assigning_org_ids(actor))
    if batch.proposed_org_id in congress_org_ids(actor) or batch.proposed_org_id in (
        gov_office_org_ids(actor)
    ):
        # The side that prepared it cannot confirm it: 联交 needs both.
        return False
    proposer_is_congress = batch.proposed_org.kind in CONGRESS_SIDE
    return bool(gov_office_org_ids(actor) if proposer_is_congress else congress_org_ids(actor))


# --- Handling units ---------------------------------------------------------------------------


@rule("suggestions.assignment.view", describe="whoever sees the suggestion")
def _assignment_view(actor: Actor, assignment: Any) -> bool:
    if assignment is None:
        return bool(actor.seats)
    if sees_all(actor):
        return True
    return assignment.unit_id in unit_org_ids(actor)


@rule("suggestions.assignment.respond", describe="the assigned unit's desk staff")
def _assignment_respond(actor: Actor, assignment: Any) -> bool:
    mine = unit_org_ids(actor)
    return bool(mine) if assignment is None else assignment.unit_id in mine


@rule(
    "suggestions.assignment.replace",
    describe="congress staff: replace or drop a co-unit that sent its assignment back",
)
def _assignment_replace(actor: Actor, assignment: Any) -> bool:
    """The congress side of the joint assignment (see `services.co_unit_replace` for why the
    supervision office is told rather than asked)."""
    return bool(congress_org_ids(actor))


@rule(
    "suggestions.assignment.waive",
    describe="congress staff: waive a co-unit's opinion so that the lead unit need not wait",
)
def _assignment_waive(actor: Actor, assignment: Any) -> bool:
    """The congress office, which assigned the suggestion and follows its handling, decides
    that the lead unit need not wait for a co-unit's opinion (the reason is recorded)."""
    return bool(congress_org_ids(actor))


@rule("suggestions.suggestion.handle", describe="the lead unit's desk staff: contact and reply")
def _handle(actor: Actor, suggestion: Any) -> bool:
    if suggestion is None:
        return bool(unit_org_ids(actor))
    return AssignmentRole.LEAD in unit_roles(actor, suggestion)


@rule("suggestions.suggestion.co_handle", describe="a co-unit's desk staff: its opinion")
def _co_handle(actor: Actor, suggestion: Any) -> bool:
    if suggestion is None:
        return bool(unit_org_ids(actor))
    return AssignmentRole.CO in unit_roles(actor, suggestion)


@rule("suggestions.reply.view", describe="whoever sees the suggestion")
def _reply_view(actor: Actor, reply: Any) -> bool:
    if reply is None:
        return bool(actor.seats)
    return _view(actor, reply.suggestion)


@rule("suggestions.reply.attach", describe="the lead unit while replying")
def _reply_attach(actor: Actor, reply: Any) -> bool:
    if reply is None:
        return bool(unit_org_ids(actor))
    return reply.unit_id in unit_org_ids(actor) and _view(actor, reply.suggestion)


# --- The deputy's verdict --------------------------------------------------------------------


@rule("suggestions.verdict.give", describe="the lead deputy, or congress staff on the form's word")
def _verdict_give(actor: Actor, suggestion: Any) -> bool:
    if suggestion is None:
        return is_deputy(actor) or bool(congress_org_ids(actor))
    if congress_org_ids(actor):
        return True
    return actor.person_id is not None and suggestion.lead_deputy_id == actor.person_id


# --- Follow-up, supervision, escalation ------------------------------------------------------


@rule("suggestions.suggestion.follow_up", describe="the stationed group: joint follow-up visit")
def _follow_up(actor: Actor, suggestion: Any) -> bool:
    return bool(stationed_org_ids(actor))


@rule("suggestions.suggestion.supervise", describe="congress staff and the supervision office")
def _supervise(actor: Actor, suggestion: Any) -> bool:
    return bool(assigning_org_ids(actor))


@rule("suggestions.suggestion.mark_key", describe="congress staff (the council's decision)")
def _mark_key(actor: Actor, suggestion: Any) -> bool:
    return bool(congress_org_ids(actor))


@rule("suggestions.suggestion.escalate", describe="congress staff: escalation to the CDI")
def _escalate(actor: Actor, suggestion: Any) -> bool:
    return bool(congress_org_ids(actor))


@rule("suggestions.supervisionorder.view", describe="whoever sees the suggestion")
def _order_view(actor: Actor, order: Any) -> bool:
    if order is None:
        return bool(actor.seats)
    if sees_all(actor):
        return True
    if order.to_unit_id in unit_org_ids(actor):
        return True
    return is_cdi_staff(actor) and order.escalated_to_cdi_at is not None


@rule("suggestions.supervisionorder.respond", describe="the supervised unit's desk staff")
def _order_respond(actor: Actor, order: Any) -> bool:
    mine = unit_org_ids(actor)
    return bool(mine) if order is None else order.to_unit_id in mine


@rule("suggestions.supervisionorder.close", describe="the issuing side's staff")
def _order_close(actor: Actor, order: Any) -> bool:
    mine = assigning_org_ids(actor)
    if order is None:
        return bool(mine)
    return order.issued_by_org_id in mine or bool(congress_org_ids(actor))


# --- Campaign opinions ------------------------------------------------------------------------


@rule("suggestions.campaign.view", describe="supervising side, deputies, units with opinions")
def _campaign_view(actor: Actor, campaign: Any) -> bool:
    return sees_all(actor) or is_deputy(actor) or bool(unit_org_ids(actor))


@scope_rule("suggestions.campaign.view")
def _campaign_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs if _campaign_view(actor, None) else qs.none()


@rule("suggestions.campaign.manage", describe="congress staff: campaigns and assigning opinions")
def _campaign_manage(actor: Actor, campaign: Any) -> bool:
    return bool(congress_org_ids(actor))


@rule("suggestions.opinion.register", describe="deputies and congress staff")
def _opinion_register(actor: Actor, campaign: Any) -> bool:
    return is_deputy(actor) or bool(congress_org_ids(actor))


@rule("suggestions.campaignopinion.view", describe="supervising side; the unit; the deputy")
def _opinion_view(actor: Actor, opinion: Any) -> bool:
    if opinion is None:
        return _campaign_view(actor, None)
    if sees_all(actor):
        return True
    if opinion.unit_id is not None and opinion.unit_id in unit_org_ids(actor):
        return True
    return actor.person_id is not None and opinion.collected_by_id == actor.person_id


@scope_rule("suggestions.campaignopinion.view")
def _opinion_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    if sees_all(actor):
        return qs
    visible = Q(pk__in=[])
    units = unit_org_ids(actor)
    if units:
        visible |= Q(unit_id__in=units)
    if actor.person_id is not None:
        visible |= Q(collected_by_id=actor.person_id)
    return qs.filter(visible)


@rule("suggestions.opinion.complete", describe="the assigned unit's desk staff")
def _opinion_complete(actor: Actor, opinion: Any) -> bool:
    mine = unit_org_ids(actor)
    if opinion is None:
        return bool(mine)
    return opinion.unit_id is not None and opinion.unit_id in mine


# --- Ledger, import, export -------------------------------------------------------------------


@rule("suggestions.suggestion.export", describe="whoever uses the ledger")
def _export(actor: Actor, obj: Any) -> bool:
    return _view(actor, None)


@rule("suggestions.suggestion.import", describe="congress staff")
def _import(actor: Actor, obj: Any) -> bool:
    return bool(congress_org_ids(actor))


# --- Clocks ---------------------------------------------------------------------------------

_clock_grant: ContextVar[bool] = ContextVar("suggestions_clock_grant", default=False)


@contextmanager
def clock_granted() -> Iterator[None]:
    """Inside a suggestions service that has already checked its own step (a unit's receipt
    starts the contact clock, a deputy's 不满意 the re-reply clock, a withdrawal stops them all),
    the step's actor may open, meet and cancel the suggestion's deadlines."""
    token = _clock_grant.set(True)
    try:
        yield
    finally:
        _clock_grant.reset(token)


@rule(
    "suggestions.suggestion.clock",
    describe="the deadlines of a suggestion: congress staff and the supervision office manage "
    "them (pause, resume, cancel); a step's own service opens and stops them",
)
def _clock(actor: Actor, record: Any) -> bool:
    return bool(assigning_org_ids(actor)) or _clock_grant.get()


# --- Concentrated opinions reported to the CDI (集中反映通报; services.concentration) ----------


def _cdi_clue_officer_org_ids(actor: Actor) -> frozenset[int]:
    return frozenset(
        s.org_id for s in actor.seats if s.role == Role.CLUE_OFFICER and s.org_kind == OrgKind.CDI
    )


@rule("suggestions.concentration.view", describe="congress staff: the year's concentrated clusters")
def _concentration_view(actor: Actor, obj: Any) -> bool:
    return bool(congress_org_ids(actor))


@rule("suggestions.concentration.report", describe="congress staff: 通报 a cluster to the CDI")
def _concentration_report(actor: Actor, obj: Any) -> bool:
    return bool(congress_org_ids(actor))


@rule(
    "suggestions.concentrationreport.view",
    describe="the sending office and the CDI; clue-grade (implicates): the sending office and "
    "the CDI's clue officers only",
)
def _concentration_report_view(actor: Actor, report: Any) -> bool:
    if report is None:
        return bool(
            congress_org_ids(actor) or is_cdi_staff(actor) or _cdi_clue_officer_org_ids(actor)
        )
    if report.implicates:
        # Clue-grade (ADR 0007): the sending office's desks and the receiving CDI's clue
        # officers; not the CDI's other staff, the supervision office or the stationed group.
        return report.sending_org_id in congress_org_ids(
            actor
        ) or report.receiving_org_id in _cdi_clue_officer_org_ids(actor)
    return bool(congress_org_ids(actor)) or report.receiving_org_id in actor.office_org_ids(
        frozenset({OrgKind.CDI})
    )


@scope_rule("suggestions.concentrationreport.view")
def _concentration_report_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    congress = congress_org_ids(actor)
    officers = _cdi_clue_officer_org_ids(actor)
    cdi = actor.office_org_ids(frozenset({OrgKind.CDI}))
    q = Q(implicates=True) & (Q(sending_org_id__in=congress) | Q(receiving_org_id__in=officers))
    q |= Q(implicates=False) & (Q(pk__isnull=False) if congress else Q(receiving_org_id__in=cdi))
    return qs.filter(q)
