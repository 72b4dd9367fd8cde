"""Access rules of the judicial link (联动).

- **Watchers** — desk staff of the congress side and of the CDI side (the CDI and its group
  stationed in the congress) — see the pool, the cases, the batches, the suggestions, the
  petitions and the figures. The government's offices, handling units, deputies and the three
  administrators see none of it.
- The **pool** and **case filing**: congress-side staff or leaders manage the pool; they and
  the stationed group file cases (the group files the cases it watches, as in the article).
- A **batch** is run by its organiser (staff or leaders of the congress-side organisation that
  created it); its witness is the stationed group named on the batch.
- The **sealed result** of a draw (who sits on which case) is seen by the organiser and the
  witness only, until the review opens; then by every watcher. Anyone who sees the batch may
  recompute the draw (the verify page); before the review opens it says only whether the
  record matches.
- **Aborting a draw** takes two people: the organiser asks (with the reason) and the batch's
  witness — the group member who entered the witness's dice, once he has — confirms or refuses;
  nobody confirms his own request.
- **Experts** see their own invitations (no case details) and answer them (the organiser may
  record an answer an expert gave by telephone); once the review opens they see the cases
  they sit on; they score them blind (nobody sees another reviewer's scores but the
  organiser and the witness).
- A **court or procuratorate** sees the cases filed about it, the problems found in them, the
  suggestions addressed to it (which it answers) and the petitions routed to it (which it
  answers) — but not who reviewed its cases.
- A problem flagged as possible **misconduct** by judicial staff (it may become a clue for the
  CDI) is confidential like a clue: the CDI side (the CDI and its stationed group, who witness
  the batch) and the batch's organiser only — never the reviewed court or procuratorate, the
  reviewers or other congress offices.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from wulian.core.access import Actor, can, rule, scope_rule
from wulian.core.choices import CDI_SIDE, CONGRESS_SIDE, OrgKind, Role
from wulian.judicial.choices import BatchState, DrawState, SuggestionState

DESK_ROLES = frozenset({Role.STAFF, Role.LEADER})
JUDICIAL_KINDS = frozenset({OrgKind.COURT, OrgKind.PROCURATORATE})
WITNESS_KINDS = frozenset({OrgKind.STATIONED_GROUP})


def _desk(actor: Actor, kinds: frozenset[str]) -> frozenset[int]:
    return frozenset(s.org_id for s in actor.seats if s.role in DESK_ROLES and s.org_kind in kinds)


def congress_desk(actor: Actor) -> frozenset[int]:
    """Congress-side organisations where the actor is staff or leader (organisers)."""
    return _desk(actor, CONGRESS_SIDE)


def witness_desk(actor: Actor) -> frozenset[int]:
    """Stationed groups where the actor is staff or leader (witnesses)."""
    return _desk(actor, WITNESS_KINDS)


def court_desk(actor: Actor) -> frozenset[int]:
    """Courts and procuratorates where the actor does desk work."""
    return actor.office_org_ids(JUDICIAL_KINDS)


def is_watcher(actor: Actor) -> bool:
    return bool(actor.office_org_ids(CONGRESS_SIDE | CDI_SIDE))


def _runs(actor: Actor, batch: Any) -> bool:
    return batch.organiser_org_id in congress_desk(actor)


def _witnesses(actor: Actor, batch: Any) -> bool:
    return batch.witness_org_id in witness_desk(actor)


def _review_open(batch: Any) -> bool:
    return batch.state in (BatchState.REVIEWING, BatchState.CLOSED)


# --- The pool -----------------------------------------------------------------------------


@rule("judicial.expert.view", describe="watchers: the pool; an expert: his own entry")
def _expert_view(actor: Actor, expert: Any) -> bool:
    if is_watcher(actor):
        return True
    return expert is not None and expert.profile.person_id == actor.person_id


@scope_rule("judicial.expert.view")
def _expert_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    if is_watcher(actor):
        return qs
    return qs.filter(profile__person_id=actor.person_id) if actor.person_id else qs.none()


@rule("judicial.expert.manage", describe="congress-side staff or leaders")
def _expert_manage(actor: Actor, expert: Any) -> bool:
    return bool(congress_desk(actor))


# --- Cases --------------------------------------------------------------------------------


def _sits_on(actor: Actor, case: Any) -> bool:
    if actor.person_id is None or case.batch_id is None:
        return False
    return case.seats.filter(expert__profile__person_id=actor.person_id).exists()


@rule("judicial.case.view", describe="watchers; the court of the case; its reviewers")
def _case_view(actor: Actor, case: Any) -> bool:
    if case is None:
        return is_watcher(actor) or bool(court_desk(actor))
    if is_watcher(actor) or case.court_id in court_desk(actor):
        return True
    return _sits_on(actor, case)


@rule(
    "judicial.case.view_reviewers",
    describe="who reviewed a case: watchers and its reviewers, never the reviewed court",
)
def _case_view_reviewers(actor: Actor, case: Any) -> bool:
    if is_watcher(actor):
        return True
    return case is not None and _sits_on(actor, case)


@scope_rule("judicial.case.view")
def _case_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    if is_watcher(actor):
        return qs
    visible = Q(court_id__in=court_desk(actor))
    if actor.person_id:
        visible |= Q(seats__expert__profile__person_id=actor.person_id)
    return qs.filter(visible).distinct()


@rule("judicial.case.file", describe="congress-side staff or leaders, the stationed group")
def _case_file(actor: Actor, case: Any) -> bool:
    desks = congress_desk(actor) | witness_desk(actor)
    if case is None:
        return bool(desks)
    # Once its batch's draw is frozen, a case's parties, judges and lawyers are part of the
    # manifest: the case is no longer edited.
    if case.batch_id is not None and case.batch.state != BatchState.PREPARING:
        return False
    return bool(desks)


# --- Batches and draws --------------------------------------------------------------------


@rule("judicial.batch.view", describe="watchers")
def _batch_view(actor: Actor, batch: Any) -> bool:
    return is_watcher(actor)


@scope_rule("judicial.batch.view")
def _batch_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs if is_watcher(actor) else qs.none()


@rule("judicial.batch.create", describe="congress-side staff or leaders")
def _batch_create(actor: Actor, obj: Any) -> bool:
    return bool(congress_desk(actor))


@rule("judicial.batch.manage", describe="the organiser: staff or leaders of the batch's body")
def _batch_manage(actor: Actor, batch: Any) -> bool:
    return bool(congress_desk(actor)) if batch is None else _runs(actor, batch)


@rule("judicial.draw.witness", describe="the batch's witness group and its organiser")
def _draw_witness(actor: Actor, draw: Any) -> bool:
    if draw is None:
        return bool(witness_desk(actor) or congress_desk(actor))
    return _witnesses(actor, draw.batch) or _runs(actor, draw.batch)


@rule(
    "judicial.draw.cosign_abort",
    describe="confirm or refuse the organiser's request to abort a draw: the batch's witness",
)
def _draw_cosign_abort(actor: Actor, draw: Any) -> bool:
    # Which member of the witness group, and never the one who asked: the service decides.
    if draw is None:
        return bool(witness_desk(actor))
    return _witnesses(actor, draw.batch)


@rule(
    "judicial.draw.view_sealed",
    describe="who sits on which case: organiser and witness; every watcher once review opens",
)
def _draw_view_sealed(actor: Actor, draw: Any) -> bool:
    if draw is None:
        return bool(witness_desk(actor) or congress_desk(actor))
    batch = draw.batch
    if _runs(actor, batch) or _witnesses(actor, batch):
        return True
    return is_watcher(actor) and _review_open(batch) and draw.state == DrawState.SEALED


@rule("judicial.draw.view", describe="watchers: the public record of a draw (hashes, inputs)")
def _draw_view(actor: Actor, draw: Any) -> bool:
    return is_watcher(actor)


# --- Experts' own business ----------------------------------------------------------------


@rule(
    "judicial.invitation.respond",
    describe="the invited expert; the organiser records an answer given by telephone",
)
def _invitation_respond(actor: Actor, invitation: Any) -> bool:
    if invitation is None:
        return actor.person_id is not None
    if actor.person_id is not None and invitation.expert.profile.person_id == actor.person_id:
        return True
    return _runs(actor, invitation.draw.batch)


@rule("judicial.review.mine", describe="my invitations and cases to score: experts")
def _my_reviews(actor: Actor, obj: Any) -> bool:
    return actor.person_id is not None and actor.holds(Role.EXPERT)


@rule("judicial.home.view", describe="the link's front page: watchers, courts, experts")
def _home(actor: Actor, obj: Any) -> bool:
    return is_watcher(actor) or bool(court_desk(actor)) or _my_reviews(actor, obj)


@rule("judicial.review.score", describe="the reviewer on his own seat, while the review is open")
def _score(actor: Actor, seat: Any) -> bool:
    if seat is None:
        return actor.person_id is not None
    return actor.person_id is not None and seat.expert.profile.person_id == actor.person_id


@rule("judicial.review.view_scores", describe="every reviewer's scores: organiser and witness")
def _view_scores(actor: Actor, case: Any) -> bool:
    if case is None or case.batch_id is None:
        return False
    return _runs(actor, case.batch) or _witnesses(actor, case.batch)


@rule("judicial.review.consolidate", describe="the organiser of the case's batch")
def _consolidate(actor: Actor, case: Any) -> bool:
    if case is None:  # before the case is read (an API door): who may organise a batch at all
        return bool(congress_desk(actor))
    if case.batch_id is None:
        return False
    return _runs(actor, case.batch)


rule(
    "judicial.review.paper_score",
    describe="enter a reviewer's paper score sheet on his behalf: the organiser of the batch",
)(_consolidate)


@rule(
    "judicial.review.paper_cosign",
    describe="co-sign a paper score sheet the organiser entered: the batch's witness",
)
def _paper_cosign(actor: Actor, case: Any) -> bool:
    if case is None:  # before the case is read (an API door): who may witness at all
        return bool(witness_desk(actor))
    if case.batch_id is None:
        return False
    return _witnesses(actor, case.batch)


# --- Problems (record type: clue source) --------------------------------------------------


def sees_misconduct(actor: Actor, case: Any) -> bool:
    """Who may see the problems of `case` flagged as possible misconduct: the CDI side (desk
    work at the CDI or its stationed group, the batch's witness) and the batch's organiser."""
    if actor.office_org_ids(CDI_SIDE):
        return True
    return case is not None and case.batch_id is not None and _runs(actor, case.batch)


@rule(
    "judicial.problem.view",
    describe="whoever sees the case; a misconduct finding: the CDI side and the organiser",
)
def _problem_view(actor: Actor, problem: Any) -> bool:
    if problem is None:
        return is_watcher(actor) or bool(court_desk(actor))
    if not _case_view(actor, problem.case):
        return False
    return not problem.is_misconduct or sees_misconduct(actor, problem.case)


@rule(
    "judicial.problem.refer",
    describe="refer a problem to the CDI as a clue: who sees it and may send clues",
)
def _problem_refer(actor: Actor, problem: Any) -> bool:
    # Whether it is a misconduct finding is the service's to say (a wrong state: 409).
    return _problem_view(actor, problem) and can(actor, "clues.clue.create")


@scope_rule("judicial.problem.view")
def _problem_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    if not is_watcher(actor):
        cases = _case_scope(actor, qs.model._meta.get_field("case").related_model.objects.all())
        qs = qs.filter(case__in=cases.values("pk"))
    if actor.office_org_ids(CDI_SIDE):
        return qs
    organiser = Q(case__batch__organiser_org_id__in=congress_desk(actor))
    return qs.filter(Q(is_misconduct=False) | organiser)


# --- Suggestions to courts and procuratorates ---------------------------------------------


@rule("judicial.courtsuggestion.view", describe="watchers; the addressee once sent")
def _suggestion_view(actor: Actor, suggestion: Any) -> bool:
    if suggestion is None:
        return is_watcher(actor) or bool(court_desk(actor))
    if is_watcher(actor):
        return True
    return suggestion.state != SuggestionState.DRAFT and suggestion.addressee_id in court_desk(
        actor
    )


@scope_rule("judicial.courtsuggestion.view")
def _suggestion_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    if is_watcher(actor):
        return qs
    return qs.filter(addressee_id__in=court_desk(actor)).exclude(state=SuggestionState.DRAFT)


@rule("judicial.courtsuggestion.manage", describe="the organiser of the batch")
def _suggestion_manage(actor: Actor, suggestion: Any) -> bool:
    if suggestion is None:
        return bool(congress_desk(actor))
    return _runs(actor, suggestion.batch)


@rule("judicial.courtsuggestion.respond", describe="the addressee's desk staff")
def _suggestion_respond(actor: Actor, suggestion: Any) -> bool:
    if suggestion is None:
        return bool(court_desk(actor))
    return suggestion.addressee_id in court_desk(actor)


# --- Petitions ----------------------------------------------------------------------------


@rule("judicial.petition.view", describe="watchers; the court or procuratorate it is routed to")
def _petition_view(actor: Actor, petition: Any) -> bool:
    if petition is None:
        return is_watcher(actor) or bool(court_desk(actor))
    return is_watcher(actor) or (
        petition.organisation_id is not None and petition.organisation_id in court_desk(actor)
    )


@scope_rule("judicial.petition.view")
def _petition_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    if is_watcher(actor):
        return qs
    return qs.filter(organisation_id__in=court_desk(actor))


@rule("judicial.petition.manage", describe="congress-side staff or leaders (register, route)")
def _petition_manage(actor: Actor, petition: Any) -> bool:
    if petition is None:
        return bool(congress_desk(actor))
    return petition.registering_org_id in congress_desk(actor)


@rule("judicial.petition.respond", describe="the desk staff of the organisation it is routed to")
def _petition_respond(actor: Actor, petition: Any) -> bool:
    if petition is None:
        return bool(court_desk(actor))
    return petition.organisation_id is not None and petition.organisation_id in court_desk(actor)


# --- Figures ------------------------------------------------------------------------------


@rule("judicial.figures.view", describe="watchers")
def _figures(actor: Actor, obj: Any) -> bool:
    return is_watcher(actor)
