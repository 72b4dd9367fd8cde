"""The clue rules of issue 14 (docs/adr/0019): the CDI's triage (one clue officer proposes, a
leader who is not the proposer approves or returns — 《中国共产党纪律检查机关监督执纪工作规则》:
集体研究、履行审批手续), the outcomes of 谈话函询 and 初步核实 and the reactivation of 暂存待查
(the same rules), and the sending office's own time limit to transfer from the day it found the
clue (a LOCAL setting: CLUE_TRANSFER_WORKING_DAYS, no national source). The sending office sees
states, kinds and the feedback only, never the notes (ADR 0007)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.clues.helpers import (
    APPROVAL,
    EVIDENCE,
    NOTE,
    OUTCOME_NOTE,
    POST,
    SECRET,
    SUBJECT,
    make_clue,
    proposer,
)
from tests.clues.test_services import assert_no_content, data, only_event, recipients
from tests.personas import client_for
from wulian.core import records
from wulian.core.clues import services
from wulian.core.clues.choices import (
    DEADLINE_DISPOSITION,
    DEADLINE_TRANSFER,
    ClueState,
    Disposition,
    Outcome,
)
from wulian.core.clues.models import Clue
from wulian.core.deadlines.choices import DeadlineState
from wulian.core.deadlines.models import Deadline
from wulian.core.deadlines.rules import Rule, due_at
from wulian.core.errors import AccessDenied, ConcurrentEdit, TransitionNotAllowed, ValidationFailed
from wulian.core.models import AuditEvent

PROPOSAL = "拟由第二监督检查室谈话函询，理由见线索摘要"
RETURN_REASON = "依据不足，请补充核对后重新拟办"


def _received(p) -> Clue:
    clue = make_clue(p, ClueState.DRAFT)
    services.clue_transfer(actor=p.congress_clerk, clue_id=clue.pk, version=1)
    services.clue_receive(actor=p.cdi_clue, clue_id=clue.pk, version=2)
    return Clue.objects.get(pk=clue.pk)


# --- Propose -------------------------------------------------------------------------------


def test_propose_waits_for_approval_and_records_nothing_yet(personas):
    p = personas
    clue = _received(p)
    services.clue_propose(
        actor=proposer(p),
        clue_id=clue.pk,
        version=clue.version,
        disposition=Disposition.PRELIMINARY_VERIFICATION,
        note=PROPOSAL,
    )
    clue.refresh_from_db()
    assert clue.state == ClueState.PROPOSED
    assert (clue.proposed_disposition, clue.proposal_note) == ("preliminary_verification", PROPOSAL)
    assert clue.proposed_by == proposer(p)
    assert clue.disposition == "" and clue.disposed_at is None
    ev = only_event("clues.clue.proposed")
    assert ev.after_data["proposed_disposition"] == "preliminary_verification"
    assert ev.after_data["note_sm3"]
    assert PROPOSAL not in json.dumps(ev.after, ensure_ascii=False)
    # The other clue officers are told a proposal waits; the sending office is not.
    assert "cdi_clue" in recipients("clues.clue.proposed")
    assert "congress_clerk" not in recipients("clues.clue.proposed")
    # The disposition time limit is still running: only the approval meets it.
    deadline = Deadline.objects.get(**records.reference(clue), kind=DEADLINE_DISPOSITION)
    assert deadline.state != DeadlineState.MET


def test_propose_refusals(personas):
    p = personas
    received = make_clue(p, ClueState.RECEIVED)
    with pytest.raises(ValidationFailed) as exc:
        services.clue_propose(actor=p.cdi_clue, clue_id=received.pk, version=1, disposition="x")
    assert "disposition" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        services.clue_propose(
            actor=p.cdi_clue, clue_id=received.pk, version=1, disposition="hold", note="长" * 5001
        )
    assert "note" in exc.value.field_errors
    for outsider in (p.cdi_officer, p.congress_clerk):
        with pytest.raises(AccessDenied):
            services.clue_propose(
                actor=outsider, clue_id=received.pk, version=1, disposition="hold"
            )
    with pytest.raises(ConcurrentEdit):
        services.clue_propose(actor=p.cdi_clue, clue_id=received.pk, version=7, disposition="hold")
    proposed = make_clue(p, ClueState.PROPOSED)
    with pytest.raises(TransitionNotAllowed):
        services.clue_propose(actor=p.cdi_clue, clue_id=proposed.pk, version=1, disposition="hold")
    assert Clue.objects.get(pk=received.pk).state == ClueState.RECEIVED


# --- Approve and return ------------------------------------------------------------------


def test_a_leader_other_than_the_proposer_approves_and_the_disposition_is_recorded(personas):
    p = personas
    clue = _received(p)
    services.clue_propose(
        actor=proposer(p), clue_id=clue.pk, version=3, disposition="talk_or_letter", note=PROPOSAL
    )
    services.clue_approve(actor=p.cdi_clue, clue_id=clue.pk, version=4, note=APPROVAL)
    clue.refresh_from_db()
    assert clue.state == ClueState.DISPOSED
    assert (clue.disposition, clue.disposition_note, clue.approval_note) == (
        "talk_or_letter",
        PROPOSAL,
        APPROVAL,
    )
    assert clue.disposed_by == p.cdi_clue and clue.proposed_by == proposer(p)
    ev = only_event("clues.clue.disposed")
    assert ev.after_data["proposed_by"] == proposer(p).pk
    assert ev.after_data["approval_note_sm3"]
    assert_no_content(ev.before, ev.after)
    assert Deadline.objects.get(**records.reference(clue), kind=DEADLINE_DISPOSITION).state == (
        DeadlineState.MET
    )
    assert recipients("clues.clue.disposed") == {"congress_clerk"}


def test_the_proposer_cannot_approve_their_own_proposal(personas):
    """两人以上: the one who proposed is refused, whatever seats they hold."""
    p = personas
    clue = _received(p)
    services.clue_propose(actor=p.cdi_clue, clue_id=clue.pk, version=3, disposition="close")
    with pytest.raises(ValidationFailed) as exc:
        services.clue_approve(actor=p.cdi_clue, clue_id=clue.pk, version=4)
    assert "本人" in exc.value.message
    clue.refresh_from_db()
    assert clue.state == ClueState.PROPOSED and clue.disposition == ""
    assert not AuditEvent.objects.filter(action="clues.clue.disposed").exists()
    # Another officer may approve it.
    services.clue_approve(actor=proposer(p), clue_id=clue.pk, version=4)
    assert Clue.objects.get(pk=clue.pk).state == ClueState.DISPOSED


def test_approve_refusals(personas):
    p = personas
    proposed = make_clue(p, ClueState.PROPOSED)
    for outsider in (p.cdi_officer, p.congress_clerk):
        with pytest.raises(AccessDenied):
            services.clue_approve(actor=outsider, clue_id=proposed.pk, version=1)
    with pytest.raises(ConcurrentEdit):
        services.clue_approve(actor=p.cdi_clue, clue_id=proposed.pk, version=2)
    with pytest.raises(ValidationFailed) as exc:
        services.clue_approve(actor=p.cdi_clue, clue_id=proposed.pk, version=1, note="长" * 5001)
    assert "note" in exc.value.field_errors
    received = make_clue(p, ClueState.RECEIVED)
    with pytest.raises(TransitionNotAllowed):
        services.clue_approve(actor=p.cdi_clue, clue_id=received.pk, version=1)


def test_return_sends_the_proposal_back_with_the_reason(personas):
    p = personas
    proposed = make_clue(p, ClueState.PROPOSED)
    services.clue_return(actor=p.cdi_clue, clue_id=proposed.pk, version=1, note=RETURN_REASON)
    proposed.refresh_from_db()
    assert proposed.state == ClueState.RECEIVED
    assert proposed.approval_note == RETURN_REASON and proposed.disposition == ""
    ev = only_event("clues.clue.proposal_returned")
    assert RETURN_REASON not in json.dumps(ev.after, ensure_ascii=False)
    assert "congress_clerk" not in recipients("clues.clue.proposal_returned")
    # A new proposal may follow.
    services.clue_propose(actor=proposer(p), clue_id=proposed.pk, version=2, disposition="hold")
    assert Clue.objects.get(pk=proposed.pk).state == ClueState.PROPOSED


def test_return_refusals(personas):
    p = personas
    proposed = make_clue(p, ClueState.PROPOSED)
    with pytest.raises(ValidationFailed) as exc:
        services.clue_return(actor=p.cdi_clue, clue_id=proposed.pk, version=1, note="  ")
    assert "note" in exc.value.field_errors
    with pytest.raises(AccessDenied):
        services.clue_return(actor=p.congress_clerk, clue_id=proposed.pk, version=1, note="x")
    with pytest.raises(ConcurrentEdit):
        services.clue_return(actor=p.cdi_clue, clue_id=proposed.pk, version=5, note="x")
    disposed = make_clue(p, ClueState.DISPOSED)
    with pytest.raises(TransitionNotAllowed):
        services.clue_return(actor=p.cdi_clue, clue_id=disposed.pk, version=1, note="x")


# --- Reactivate (暂存待查) ------------------------------------------------------------------


@pytest.mark.parametrize("state", [ClueState.DISPOSED, ClueState.FEEDBACK_GIVEN])
def test_a_held_clue_is_taken_up_again_and_goes_back_to_triage(personas, state):
    p = personas
    held = make_clue(p, state, disposition=Disposition.HOLD)
    services.clue_reactivate(actor=p.cdi_clue, clue_id=held.pk, version=1)
    held.refresh_from_db()
    assert held.state == ClueState.RECEIVED
    assert held.disposition == "" and held.proposed_disposition == ""
    ev = only_event("clues.clue.reactivated")
    assert ev.before_data == {"state": state, "disposition": "hold"}
    assert recipients("clues.clue.reactivated") == {"congress_clerk"}
    services.clue_propose(actor=proposer(p), clue_id=held.pk, version=2, disposition="close")
    services.clue_approve(actor=p.cdi_clue, clue_id=held.pk, version=3)
    assert Clue.objects.get(pk=held.pk).disposition == Disposition.CLOSE


def test_reactivate_refusals(personas):
    p = personas
    talk = make_clue(p, ClueState.DISPOSED)  # 谈话函询: not on hold
    with pytest.raises(TransitionNotAllowed) as exc:
        services.clue_reactivate(actor=p.cdi_clue, clue_id=talk.pk, version=1)
    assert "暂存待查" in exc.value.message
    held = make_clue(p, ClueState.DISPOSED, disposition=Disposition.HOLD)
    with pytest.raises(AccessDenied):
        services.clue_reactivate(actor=p.congress_clerk, clue_id=held.pk, version=1)
    with pytest.raises(AccessDenied):
        services.clue_reactivate(actor=p.cdi_officer, clue_id=held.pk, version=1)
    with pytest.raises(ConcurrentEdit):
        services.clue_reactivate(actor=p.cdi_clue, clue_id=held.pk, version=3)
    received = make_clue(p, ClueState.RECEIVED)
    with pytest.raises(TransitionNotAllowed):
        services.clue_reactivate(actor=p.cdi_clue, clue_id=received.pk, version=1)


# --- Outcomes of 谈话函询 and 初步核实 -------------------------------------------------------


@pytest.mark.parametrize(
    ("disposition", "outcome"),
    [
        (Disposition.TALK_OR_LETTER, Outcome.CLOSED),
        (Disposition.TALK_OR_LETTER, Outcome.REMINDER),
        (Disposition.PRELIMINARY_VERIFICATION, Outcome.CASE_FILED),
        (Disposition.PRELIMINARY_VERIFICATION, Outcome.TRANSFERRED_ELSEWHERE),
    ],
)
def test_an_outcome_is_recorded_and_the_feedback_reflects_it(personas, disposition, outcome):
    p = personas
    clue = make_clue(p, ClueState.FEEDBACK_GIVEN, disposition=disposition)
    services.clue_conclude(
        actor=p.cdi_clue, clue_id=clue.pk, version=1, outcome=outcome, note=OUTCOME_NOTE
    )
    clue.refresh_from_db()
    assert (clue.state, clue.outcome, clue.outcome_note) == (
        ClueState.CONCLUDED,
        outcome,
        OUTCOME_NOTE,
    )
    ev = only_event("clues.clue.concluded")
    assert ev.after_data["outcome"] == outcome
    assert_no_content(ev.before, ev.after)
    assert recipients("clues.clue.concluded") == {"congress_clerk"}
    # The sending office sees the kind of outcome, and a further feedback reports it.
    status = services.clue_open_status(actor=p.congress_clerk, clue_id=clue.pk)
    assert (status.outcome, status.outcome_label) == (outcome, Outcome(outcome).label)
    services.clue_give_feedback(
        actor=p.cdi_clue, clue_id=clue.pk, version=2, feedback="谈话函询已办结，予以了结"
    )
    clue.refresh_from_db()
    assert clue.state == ClueState.FEEDBACK_GIVEN and clue.feedback == "谈话函询已办结，予以了结"
    assert recipients("clues.clue.feedback_given") == {"congress_clerk"}


def test_conclude_refusals(personas):
    p = personas
    talk = make_clue(p, ClueState.DISPOSED)
    with pytest.raises(ValidationFailed) as exc:
        services.clue_conclude(actor=p.cdi_clue, clue_id=talk.pk, version=1, outcome="case_filed")
    assert "outcome" in exc.value.field_errors  # 立案 follows 初步核实, not 谈话函询
    with pytest.raises(ValidationFailed):
        services.clue_conclude(actor=p.cdi_clue, clue_id=talk.pk, version=1, outcome="nonsense")
    with pytest.raises(AccessDenied):
        services.clue_conclude(actor=p.congress_clerk, clue_id=talk.pk, version=1, outcome="closed")
    with pytest.raises(ConcurrentEdit):
        services.clue_conclude(actor=p.cdi_clue, clue_id=talk.pk, version=4, outcome="closed")
    for kind in (Disposition.HOLD, Disposition.CLOSE):
        other = make_clue(p, ClueState.DISPOSED, disposition=kind)
        with pytest.raises(TransitionNotAllowed):
            services.clue_conclude(actor=p.cdi_clue, clue_id=other.pk, version=1, outcome="closed")
    # An outcome is recorded once.
    done = make_clue(p, ClueState.CONCLUDED)
    services.clue_give_feedback(actor=p.cdi_clue, clue_id=done.pk, version=1, feedback="已办结")
    with pytest.raises(TransitionNotAllowed):
        services.clue_conclude(actor=p.cdi_clue, clue_id=done.pk, version=2, outcome="reminder")
    assert Clue.objects.get(pk=talk.pk).state == ClueState.DISPOSED


# --- Confidentiality: the sending office never sees the notes (ADR 0007) -------------------


def test_the_sending_office_never_sees_proposal_approval_or_outcome_notes(personas, client_of):
    p = personas
    clue = make_clue(p, ClueState.CONCLUDED)
    page = client_for(p.congress_clerk).get(reverse("clues:clue_detail", args=[clue.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert str(Outcome.CLOSED.label) in body  # the kind of outcome is shown
    api = client_of(p.congress_clerk).get(reverse("clues_api:clues-detail", args=[clue.pk]))
    assert api.status_code == 200
    assert api.json()["content"] is None
    for text in (body, json.dumps(api.json(), ensure_ascii=False)):
        for secret in (NOTE, APPROVAL, OUTCOME_NOTE, SUBJECT, POST, SECRET, EVIDENCE):
            assert secret not in text
        assert "拟办" not in text and proposer(p).username not in text
    # The clue officers see them all.
    officer = client_for(p.cdi_clue).get(reverse("clues:clue_detail", args=[clue.pk]))
    for secret in (NOTE, APPROVAL, OUTCOME_NOTE):
        assert secret in officer.content.decode()


def test_the_status_view_does_not_load_the_new_note_columns(personas):
    p = personas
    clue = make_clue(p, ClueState.PROPOSED)
    status = services.clue_open_status(actor=p.congress_clerk, clue_id=clue.pk)
    assert status.state == ClueState.PROPOSED and status.disposition == ""
    names = set(status.__dataclass_fields__)
    assert not names & {"proposal_note", "approval_note", "outcome_note", "proposed_disposition"}


# --- The page: each step shown where the person may take it -----------------------------


def test_the_page_offers_approval_to_another_officer_only(personas):
    p = personas
    clue = make_clue(p, ClueState.PROPOSED)
    leader = client_for(p.cdi_clue).get(reverse("clues:clue_detail", args=[clue.pk]))
    body = leader.content.decode()
    assert reverse("clues:clue_approve", args=[clue.pk]) in body
    assert "data-confirm" in body
    own = client_for(proposer(p)).get(reverse("clues:clue_detail", args=[clue.pk])).content
    assert reverse("clues:clue_approve", args=[clue.pk]) not in own.decode()
    assert "须由其他负责同志审批" in own.decode()
    held = make_clue(p, ClueState.DISPOSED, disposition=Disposition.HOLD)
    page = client_for(p.cdi_clue).get(reverse("clues:clue_detail", args=[held.pk])).content
    assert reverse("clues:clue_reactivate", args=[held.pk]) in page.decode()
    assert reverse("clues:clue_conclude", args=[held.pk]) not in page.decode()
    talk = make_clue(p, ClueState.DISPOSED)
    page = client_for(p.cdi_clue).get(reverse("clues:clue_detail", args=[talk.pk])).content
    assert reverse("clues:clue_conclude", args=[talk.pk]) in page.decode()
    assert str(Outcome.CASE_FILED.label) not in page.decode()  # not an outcome of 谈话函询


def test_approval_through_the_page(personas):
    p = personas
    clue = make_clue(p, ClueState.PROPOSED)
    url = reverse("clues:clue_approve", args=[clue.pk])
    refused = client_for(proposer(p)).post(url, {"version": 1, "note": ""})
    assert refused.status_code == 400
    assert Clue.objects.get(pk=clue.pk).state == ClueState.PROPOSED
    done = client_for(p.cdi_clue).post(url, {"version": 1, "note": APPROVAL})
    assert done.status_code == 302
    assert Clue.objects.get(pk=clue.pk).state == ClueState.DISPOSED


# --- The sending office's own time limit to transfer (LOCAL setting) -----------------------


def test_a_draft_with_the_day_found_opens_the_transfer_limit(personas):
    p = personas
    found = date(2026, 6, 8)  # the Monday before "now" (tests/clues/conftest.py)
    clue = services.clue_draft(actor=p.congress_clerk, data=data(p, found_on=found))
    deadline = Deadline.objects.get(**records.reference(clue), kind=DEADLINE_TRANSFER)
    assert deadline.responsible_org == p.orgs["congress_body"]
    assert deadline.due_at == due_at(Rule.working_days(15), deadline.start)
    assert timezone.localtime(deadline.start).date() == found
    status = services.clue_statuses(actor=p.congress_clerk, clues=[clue])[0]
    assert (status.found_on, status.transfer_due) == (found, deadline.due_at)
    services.clue_transfer(actor=p.congress_clerk, clue_id=clue.pk, version=1)
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET


@override_settings(CLUE_TRANSFER_WORKING_DAYS=5)
def test_the_transfer_limit_is_a_local_setting(personas):
    p = personas
    clue = services.clue_draft(actor=p.congress_clerk, data=data(p, found_on="2026-06-08"))
    deadline = Deadline.objects.get(**records.reference(clue), kind=DEADLINE_TRANSFER)
    assert deadline.due_at == due_at(Rule.working_days(5), deadline.start)


def test_no_day_found_no_transfer_limit_and_a_future_day_is_refused(personas):
    p = personas
    clue = services.clue_draft(actor=p.congress_clerk, data=data(p))
    assert not Deadline.objects.filter(**records.reference(clue), kind=DEADLINE_TRANSFER).exists()
    with pytest.raises(ValidationFailed) as exc:
        services.clue_draft(
            actor=p.congress_clerk, data=data(p, found_on=date(2026, 6, 15) + timedelta(days=3))
        )
    assert "found_on" in exc.value.field_errors


def test_correcting_the_day_found_restarts_the_limit(personas):
    p = personas
    clue = services.clue_draft(actor=p.congress_clerk, data=data(p, found_on=date(2026, 6, 8)))
    services.clue_update(
        actor=p.congress_clerk, clue_id=clue.pk, version=1, data=data(p, found_on=date(2026, 6, 1))
    )
    limits = Deadline.objects.filter(**records.reference(clue), kind=DEADLINE_TRANSFER)
    assert sorted(d.state for d in limits) == sorted(
        [DeadlineState.CANCELLED, limits.get(start__date=date(2026, 6, 1)).state]
    )
    assert limits.get(start__date=date(2026, 6, 1)).state != DeadlineState.CANCELLED
