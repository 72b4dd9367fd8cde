"""Clue services: each step's success (state, exactly one audit event of its code with
before/after and no content, the notification to the other side) and its refusals (no access,
wrong state by the transition table, bad input, stale version)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.clues.helpers import (
    APPROVAL,
    EVIDENCE,
    FEEDBACK,
    NOTE,
    OUTCOME_NOTE,
    POST,
    SECRET,
    SUBJECT,
    make_clue,
    proposer,
)
from tests.factories import OrganisationFactory, account
from tests.personas import client_for
from wulian.core import access, records
from wulian.core.choices import OrgKind, Role
from wulian.core.clues import services
from wulian.core.clues.choices import (
    DEADLINE_DISPOSITION,
    DEADLINE_RECEIPT,
    TRANSITIONS,
    ClueState,
    Disposition,
    Step,
)
from wulian.core.clues.models import Clue
from wulian.core.deadlines.choices import DeadlineState
from wulian.core.deadlines.models import Deadline
from wulian.core.deadlines.rules import Rule, due_at
from wulian.core.errors import AccessDenied, ConcurrentEdit, TransitionNotAllowed, ValidationFailed
from wulian.core.models import AuditEvent, Organisation
from wulian.core.notifications.models import OutboxMessage

PLAINTEXTS = (SUBJECT, POST, SECRET, EVIDENCE, NOTE, FEEDBACK, APPROVAL, OUTCOME_NOTE)


def data(p, **over: Any) -> dict[str, Any]:
    return {
        "sending_org_id": p.orgs["congress_body"].pk,
        "receiving_org_id": p.orgs["cdi"].pk,
        "subject_name": SUBJECT,
        "subject_post": POST,
        "subject_organisation_id": p.orgs["unit_a"].pk,
        "violation_type": "integrity",
        "content": SECRET,
        "evidence": EVIDENCE,
        **over,
    }


def only_event(code: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=code))
    assert len(events) == 1, [e.action for e in events]
    return events[0]


def assert_no_content(*texts: str) -> None:
    for text in texts:
        for secret in PLAINTEXTS:
            assert secret not in text, f"{secret!r} leaked into {text[:120]!r}"


def recipients(kind: str) -> set[str]:
    return set(
        OutboxMessage.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


# --- Draft and edit ------------------------------------------------------------------------


def test_draft_saves_a_draft_of_the_office_with_one_audit_event(personas):
    p = personas
    clue = services.clue_draft(actor=p.congress_clerk, data=data(p))
    clue.refresh_from_db()
    assert clue.state == ClueState.DRAFT
    assert clue.sending_org == p.orgs["congress_body"]
    assert (clue.subject_name, clue.content, clue.evidence) == (SUBJECT, SECRET, EVIDENCE)
    ev = only_event("clues.clue.drafted")
    assert ev.target_type == "clues.clue" and ev.target_id == str(clue.pk)
    assert ev.after_data["state"] == "draft"
    assert ev.after_data["content_sm3"] == services.content_digest(clue)
    assert_no_content(ev.before, ev.after, ev.target_label)
    assert not OutboxMessage.objects.exists()  # a draft stays in the office


def test_draft_keeps_the_source_record(personas):
    p = personas
    source = p.orgs["unit_a"]
    clue = services.clue_draft(actor=p.congress_clerk, data=data(p), source=source)
    assert Clue.objects.get(pk=clue.pk).source == source
    assert only_event("clues.clue.drafted").after_data["source"] == (
        f"core.organisation#{source.pk}"
    )


@pytest.mark.parametrize(
    "who",
    ["cdi_clue", "cdi_officer", "stationed", "gov_supervisor", "unit_a", "deputy", "sysadmin"],
)
def test_only_congress_side_staff_draft(personas, who):
    with pytest.raises(AccessDenied):
        services.clue_draft(actor=personas.users[who], data=data(personas))
    assert not Clue.objects.exists()


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"content": "  "}, "content"),
        ({"subject_name": ""}, "subject_name"),
        ({"violation_type": "gossip"}, "violation_type"),
        ({"subject_name": "王" * 61}, "subject_name"),
    ],
)
def test_draft_refuses_bad_input_on_its_field(personas, over, field):
    with pytest.raises(ValidationFailed) as exc:
        services.clue_draft(actor=personas.congress_clerk, data=data(personas, **over))
    assert field in exc.value.field_errors
    assert not AuditEvent.objects.filter(action__startswith="clues.").exists()


def test_draft_goes_only_to_a_cdi_from_the_actors_own_office(personas):
    p = personas
    with pytest.raises(ValidationFailed) as exc:
        services.clue_draft(
            actor=p.congress_clerk,
            data=data(
                p,
                receiving_org_id=p.orgs["stationed_group"].pk,
                sending_org_id=p.orgs["congress"].pk,
            ),
        )
    assert set(exc.value.field_errors) == {"receiving_org", "sending_org"}


def test_update_changes_a_draft_and_records_digests_only(personas):
    p = personas
    clue = make_clue(p, ClueState.DRAFT)
    services.clue_update(
        actor=p.congress_clerk,
        clue_id=clue.pk,
        version=1,
        data=data(p, content=SECRET + "（补充）"),
    )
    clue.refresh_from_db()
    assert clue.content == SECRET + "（补充）" and clue.version == 2
    ev = only_event("clues.clue.updated")
    assert set(ev.after_data) == {"content_sm3"}
    assert ev.before_data["content_sm3"] != ev.after_data["content_sm3"]
    assert_no_content(ev.before, ev.after)


def test_update_refuses_a_stale_version_and_a_transferred_clue(personas):
    p = personas
    draft = make_clue(p, ClueState.DRAFT, version=3)
    with pytest.raises(ConcurrentEdit):
        services.clue_update(actor=p.congress_clerk, clue_id=draft.pk, version=2, data=data(p))
    sent = make_clue(p, ClueState.TRANSFERRED)
    with pytest.raises(TransitionNotAllowed):
        services.clue_update(actor=p.congress_clerk, clue_id=sent.pk, version=1, data=data(p))
    with pytest.raises(AccessDenied):
        services.clue_update(actor=p.cdi_clue, clue_id=draft.pk, version=3, data=data(p))


# --- Transfer ------------------------------------------------------------------------------


def test_transfer_opens_the_time_limits_and_tells_the_clue_officers_only(personas):
    p = personas
    clue = make_clue(p, ClueState.DRAFT)
    before = timezone.now()
    services.clue_transfer(actor=p.congress_clerk, clue_id=clue.pk, version=1)
    clue.refresh_from_db()
    assert clue.state == ClueState.TRANSFERRED and clue.transferred_by == p.congress_clerk
    ev = only_event("clues.clue.transferred")
    assert ev.before_data == {"state": "draft"}
    assert ev.after_data["state"] == "transferred"
    assert_no_content(ev.before, ev.after)
    deadlines = {d.kind: d for d in Deadline.objects.filter(**records.reference(clue))}
    assert set(deadlines) == {DEADLINE_RECEIPT, DEADLINE_DISPOSITION}
    receipt, disposition = deadlines[DEADLINE_RECEIPT], deadlines[DEADLINE_DISPOSITION]
    assert receipt.responsible_org == p.orgs["cdi"]
    assert receipt.assigner_org == p.orgs["congress_body"]
    # 5 and 15 working days, counted on the holiday calendar (端午节 2026-06-19 included).
    assert receipt.due_at == due_at(Rule.working_days(5), receipt.start)
    assert disposition.due_at == due_at(Rule.working_days(15), disposition.start)
    assert receipt.start >= before
    # The titles say only the step and the clue's number, and read in the reader's language.
    assert receipt.title == f"签收问题线索 {clue.number}"
    assert disposition.title == f"处置问题线索 {clue.number}"
    from django.utils import translation

    from wulian.core.deadlines import titles

    with translation.override("en"):
        assert titles.display(receipt.title) == f"Acknowledge clue {clue.number}"
        assert titles.display(disposition.title) == f"Dispose of clue {clue.number}"
    assert recipients("clues.clue.transferred") == {"cdi_clue"}
    for message in OutboxMessage.objects.all():
        assert_no_content(message.title, message.body)


def test_the_time_limits_come_from_the_settings(personas, settings):
    settings.CLUE_RECEIPT_WORKING_DAYS = 3
    settings.CLUE_DISPOSITION_WORKING_DAYS = 10
    p = personas
    clue = make_clue(p, ClueState.DRAFT)
    services.clue_transfer(actor=p.congress_clerk, clue_id=clue.pk, version=1)
    got = {
        d.kind: (d.rule_kind, d.rule_amount)
        for d in Deadline.objects.filter(**records.reference(clue))
    }
    assert got == {
        DEADLINE_RECEIPT: ("working_days", 3),
        DEADLINE_DISPOSITION: ("working_days", 10),
    }


def test_transfer_refusals(personas):
    p = personas
    clue = make_clue(p, ClueState.DRAFT, version=2)
    for who in ("cdi_clue", "stationed", "unit_a"):
        with pytest.raises(AccessDenied):
            services.clue_transfer(actor=p.users[who], clue_id=clue.pk, version=2)
    with pytest.raises(ConcurrentEdit):
        services.clue_transfer(actor=p.congress_clerk, clue_id=clue.pk, version=1)
    sent = make_clue(p, ClueState.TRANSFERRED)
    with pytest.raises(TransitionNotAllowed):
        services.clue_transfer(actor=p.congress_clerk, clue_id=sent.pk, version=1)
    assert not Deadline.objects.exists()
    assert not AuditEvent.objects.filter(action="clues.clue.transferred").exists()


# --- The CDI: receipt, disposition, feedback -----------------------------------------------


def _transferred(p) -> Clue:
    clue = make_clue(p, ClueState.DRAFT)
    services.clue_transfer(actor=p.congress_clerk, clue_id=clue.pk, version=1)
    return Clue.objects.get(pk=clue.pk)


def test_receipt_meets_the_receipt_limit_and_tells_the_sending_office(personas):
    p = personas
    clue = _transferred(p)
    services.clue_receive(actor=p.cdi_clue, clue_id=clue.pk, version=clue.version)
    clue.refresh_from_db()
    assert clue.state == ClueState.RECEIVED and clue.received_by == p.cdi_clue
    ev = only_event("clues.clue.received")
    assert (ev.before_data, ev.after_data) == ({"state": "transferred"}, {"state": "received"})
    states = dict(Deadline.objects.filter(**records.reference(clue)).values_list("kind", "state"))
    assert states == {DEADLINE_RECEIPT: DeadlineState.MET, DEADLINE_DISPOSITION: DeadlineState.OPEN}
    assert recipients("clues.clue.received") == {"congress_clerk"}


@pytest.mark.parametrize("who", ["cdi_officer", "congress_clerk", "stationed", "sysadmin"])
def test_only_clue_officers_receive(personas, who):
    clue = make_clue(personas, ClueState.TRANSFERRED)
    with pytest.raises(AccessDenied):
        services.clue_receive(actor=personas.users[who], clue_id=clue.pk, version=1)


def test_receipt_refuses_wrong_state_and_stale_version(personas):
    p = personas
    received = make_clue(p, ClueState.RECEIVED)
    with pytest.raises(TransitionNotAllowed):
        services.clue_receive(actor=p.cdi_clue, clue_id=received.pk, version=1)
    sent = make_clue(p, ClueState.TRANSFERRED, version=4)
    with pytest.raises(ConcurrentEdit):
        services.clue_receive(actor=p.cdi_clue, clue_id=sent.pk, version=3)
    # A draft is not even visible to the CDI: refused as no access, not as a wrong state.
    draft = make_clue(p, ClueState.DRAFT)
    with pytest.raises(AccessDenied):
        services.clue_receive(actor=p.cdi_clue, clue_id=draft.pk, version=1)


@pytest.mark.parametrize("disposition", Disposition.values)
def test_each_of_the_four_dispositions(personas, disposition):
    p = personas
    clue = _transferred(p)
    services.clue_receive(actor=p.cdi_clue, clue_id=clue.pk, version=clue.version)
    clue.refresh_from_db()
    # Proposed by the case-management office, approved by the leader (ADR 0019).
    services.clue_propose(
        actor=proposer(p), clue_id=clue.pk, version=clue.version, disposition=disposition, note=NOTE
    )
    clue.refresh_from_db()
    services.clue_approve(actor=p.cdi_clue, clue_id=clue.pk, version=clue.version)
    clue.refresh_from_db()
    assert (clue.state, clue.disposition, clue.disposition_note) == (
        ClueState.DISPOSED,
        disposition,
        NOTE,
    )
    ev = only_event("clues.clue.disposed")
    assert ev.after_data["disposition"] == disposition
    assert ev.after_data["note_sm3"]
    assert_no_content(ev.before, ev.after)
    assert Deadline.objects.get(**records.reference(clue), kind=DEADLINE_DISPOSITION).state == (
        DeadlineState.MET
    )
    assert recipients("clues.clue.disposed") == {"congress_clerk"}


def test_disposition_refusals(personas):
    p = personas
    received = make_clue(p, ClueState.RECEIVED)
    with pytest.raises(ValidationFailed) as exc:
        services.clue_propose(
            actor=p.cdi_clue, clue_id=received.pk, version=1, disposition="transfer_to_police"
        )
    assert "disposition" in exc.value.field_errors
    with pytest.raises(AccessDenied):
        services.clue_propose(
            actor=p.cdi_officer, clue_id=received.pk, version=1, disposition="hold"
        )
    sent = make_clue(p, ClueState.TRANSFERRED)
    with pytest.raises(TransitionNotAllowed):
        services.clue_propose(actor=p.cdi_clue, clue_id=sent.pk, version=1, disposition="hold")
    with pytest.raises(ConcurrentEdit):
        services.clue_propose(actor=p.cdi_clue, clue_id=received.pk, version=9, disposition="hold")
    # No one records a disposition alone: there is no one-person step any more.
    assert not hasattr(services, "clue_dispose")
    assert Clue.objects.get(pk=received.pk).state == ClueState.RECEIVED


def test_feedback_finishes_the_clue(personas):
    p = personas
    clue = make_clue(p, ClueState.DISPOSED)
    services.clue_give_feedback(actor=p.cdi_clue, clue_id=clue.pk, version=1, feedback=FEEDBACK)
    clue.refresh_from_db()
    assert (clue.state, clue.feedback) == (ClueState.FEEDBACK_GIVEN, FEEDBACK)
    ev = only_event("clues.clue.feedback_given")
    assert ev.before_data == {"state": "disposed"}
    assert_no_content(ev.before, ev.after)
    assert recipients("clues.clue.feedback_given") == {"congress_clerk"}


def test_feedback_refusals(personas):
    p = personas
    disposed = make_clue(p, ClueState.DISPOSED)
    with pytest.raises(ValidationFailed):
        services.clue_give_feedback(actor=p.cdi_clue, clue_id=disposed.pk, version=1, feedback=" ")
    with pytest.raises(AccessDenied):
        services.clue_give_feedback(
            actor=p.congress_clerk, clue_id=disposed.pk, version=1, feedback=FEEDBACK
        )
    done = make_clue(p, ClueState.FEEDBACK_GIVEN)
    with pytest.raises(TransitionNotAllowed):
        services.clue_give_feedback(actor=p.cdi_clue, clue_id=done.pk, version=1, feedback="x")


STEPS = {
    Step.TRANSFER: lambda p, c: services.clue_transfer(
        actor=p.congress_clerk, clue_id=c.pk, version=1
    ),
    Step.RECEIVE: lambda p, c: services.clue_receive(actor=p.cdi_clue, clue_id=c.pk, version=1),
    Step.FEEDBACK: lambda p, c: services.clue_give_feedback(
        actor=p.cdi_clue, clue_id=c.pk, version=1, feedback=FEEDBACK
    ),
    Step.PROPOSE: lambda p, c: services.clue_propose(
        actor=p.cdi_clue, clue_id=c.pk, version=1, disposition="hold"
    ),
    Step.APPROVE: lambda p, c: services.clue_approve(actor=p.cdi_clue, clue_id=c.pk, version=1),
    Step.RETURN: lambda p, c: services.clue_return(
        actor=p.cdi_clue, clue_id=c.pk, version=1, note="请补充依据"
    ),
    Step.REACTIVATE: lambda p, c: services.clue_reactivate(
        actor=p.cdi_clue, clue_id=c.pk, version=1
    ),
    Step.CONCLUDE: lambda p, c: services.clue_conclude(
        actor=p.cdi_clue, clue_id=c.pk, version=1, outcome="closed"
    ),
}
NOT_ALLOWED = [
    (state, step)
    for state in ClueState.values
    for step in Step.values
    if (state, step) not in TRANSITIONS
    # the CDI's steps on a draft are refused as "no access" (the draft is invisible to it)
    and not (state == ClueState.DRAFT and step != Step.TRANSFER)
]


@pytest.mark.parametrize(("state", "step"), NOT_ALLOWED)
def test_every_step_outside_the_transition_table_is_refused(personas, state, step):
    clue = make_clue(personas, state)
    with pytest.raises(TransitionNotAllowed) as exc:
        STEPS[step](personas, clue)
    assert Clue(state=state).get_state_display() in exc.value.message
    assert Clue.objects.get(pk=clue.pk).state == state


def test_a_whole_lifecycle_never_writes_content_to_audit_or_outbox(personas):
    p = personas
    clue = services.clue_draft(actor=p.congress_clerk, data=data(p), source=p.orgs["unit_a"])
    services.clue_transfer(actor=p.congress_clerk, clue_id=clue.pk, version=1)
    services.clue_open(actor=p.cdi_clue, clue_id=clue.pk)
    services.clue_receive(actor=p.cdi_clue, clue_id=clue.pk, version=2)
    services.clue_propose(
        actor=proposer(p), clue_id=clue.pk, version=3, disposition="talk_or_letter", note=NOTE
    )
    services.clue_approve(actor=p.cdi_clue, clue_id=clue.pk, version=4, note=APPROVAL)
    services.clue_give_feedback(actor=p.cdi_clue, clue_id=clue.pk, version=5, feedback=FEEDBACK)
    services.clue_conclude(
        actor=p.cdi_clue, clue_id=clue.pk, version=6, outcome="closed", note=OUTCOME_NOTE
    )
    services.clue_give_feedback(actor=p.cdi_clue, clue_id=clue.pk, version=7, feedback=FEEDBACK)
    services.clue_open_status(actor=p.congress_clerk, clue_id=clue.pk)
    for ev in AuditEvent.objects.all():
        assert_no_content(ev.before, ev.after, ev.target_label)
    for message in OutboxMessage.objects.all():
        assert_no_content(message.title, message.body, message.url)
    assert Clue.objects.get(pk=clue.pk).state == ClueState.FEEDBACK_GIVEN


# --- Routing to the CDI's clue officers (issue 11, item 3) ---------------------------------


def _cdi_with_office(p, code: str):
    """A CDI (the natural choice in the list) whose clue officer sits in its case-management
    office, as in a real CDI; and the officer."""
    root = OrganisationFactory(
        kind=OrgKind.CDI, code=code, name=f"{code} 纪律检查委员会 监察委员会"
    )
    office = OrganisationFactory(
        kind=OrgKind.CDI, code=f"{code}-AJ", name=f"{code} 案件监督管理室", parent=root
    )
    OrganisationFactory(kind=OrgKind.CDI, code=f"{code}-DJ", name=f"{code} 党风室", parent=root)
    officer = account(office, Role.CLUE_OFFICER, username=f"{code.lower()}-officer")
    return root, office, officer


def test_a_clue_sent_to_the_cdi_itself_reaches_the_case_management_office(personas):
    p = personas
    root, office, officer = _cdi_with_office(p, "JW2")
    clue = make_clue(p, ClueState.DRAFT, receiving_org=root)
    page = client_for(p.congress_clerk).get(reverse("clues:clue_detail", args=[clue.pk]))
    assert office.display_name in page.content.decode()  # the form says who receives it
    services.clue_transfer(actor=p.congress_clerk, clue_id=clue.pk, version=1)
    clue.refresh_from_db()
    assert clue.receiving_org == office
    assert access.can(officer, "clues.clue.view", clue)
    assert access.can(officer, "clues.clue.receive", clue)
    assert not access.can(p.cdi_clue, "clues.clue.view", clue)  # another CDI's officer
    assert recipients("clues.clue.transferred") == {officer.username}
    receipt = Deadline.objects.get(**records.reference(clue), kind=DEADLINE_RECEIPT)
    assert receipt.responsible_org == office
    ev = only_event("clues.clue.transferred")
    assert (ev.after_data["receiving_org"], ev.after_data["addressed_to"]) == (office.pk, root.pk)


def test_a_clue_sent_to_an_office_without_clue_officers_goes_to_the_one_with_them(personas):
    p = personas
    _root, office, officer = _cdi_with_office(p, "JW3")
    sibling = Organisation.objects.get(code="JW3-DJ")
    clue = make_clue(p, ClueState.DRAFT, receiving_org=sibling)
    services.clue_transfer(actor=p.congress_clerk, clue_id=clue.pk, version=1)
    clue.refresh_from_db()
    assert clue.receiving_org == office and access.can(officer, "clues.clue.view", clue)


def test_a_transfer_to_a_cdi_without_any_clue_officer_is_refused_with_what_to_do(personas):
    p = personas
    lonely = OrganisationFactory(kind=OrgKind.CDI, code="JW9", name="某区纪委监委")
    clue = make_clue(p, ClueState.DRAFT, receiving_org=lonely)
    page = client_for(p.congress_clerk).get(reverse("clues:clue_detail", args=[clue.pk]))
    assert "没有线索管理员" in page.content.decode()
    with pytest.raises(ValidationFailed, match=r"没有线索管理员.*安全管理员") as caught:
        services.clue_transfer(actor=p.congress_clerk, clue_id=clue.pk, version=1)
    assert "receiving_org" in caught.value.field_errors
    clue.refresh_from_db()
    assert clue.state == ClueState.DRAFT
    assert not Deadline.objects.filter(**records.reference(clue)).exists()
    assert not AuditEvent.objects.filter(action="clues.clue.transferred").exists()
