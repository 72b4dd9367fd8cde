"""Clues for tests, built directly (the services are tested on their own), and the keys they
are encrypted with. Used by the clue tests and by the route and policy matrices."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tests.factories import OrganisationFactory, account
from tests.personas import Personas
from wulian.accounts.models import User
from wulian.core import crypto
from wulian.core.choices import OrgKind, Role
from wulian.core.clues.choices import ClueState, Disposition, Outcome, ViolationType
from wulian.core.clues.models import Clue

TEST_KEYRING = crypto.FieldKeyring(current="test-1", keys={"test-1": bytes(range(16))})

SUBJECT = "王某某"
POST = "市民政局副局长"
SECRET = "涉嫌在养老服务补贴发放中收受好处费三十万元"
EVIDENCE = "举报人提供的转账记录截图两张"
NOTE = "经研究，拟由第二监督检查室谈话函询"
FEEDBACK = "已按程序处置，谈话函询已完成"
APPROVAL = "同意拟办意见，请第二监督检查室抓紧办理"
OUTCOME_NOTE = "经谈话函询，本人如实说明情况，反映问题不实，予以了结澄清"
ORDER = [
    ClueState.DRAFT,
    ClueState.TRANSFERRED,
    ClueState.RECEIVED,
    ClueState.PROPOSED,
    ClueState.DISPOSED,
    ClueState.FEEDBACK_GIVEN,
    ClueState.CONCLUDED,
]


def proposer(p: Personas) -> User:
    """A second clue officer of the CDI's case-management work, who proposes dispositions that
    `cdi_clue` (as the responsible leader) approves: two different people (ADR 0019)."""
    found = User.objects.filter(username="cdi_proposer").first()
    return found or account(p.orgs["cdi"], Role.CLUE_OFFICER, username="cdi_proposer")


def use_test_keyring() -> None:
    """Encrypt with a fixed in-memory key (no key file needed)."""
    crypto.reset_field_keyring(TEST_KEYRING)


def make_clue(p: Personas, state: str = ClueState.TRANSFERRED, **fields: Any) -> Clue:
    """A clue of the congress working body to the CDI, already in `state`."""
    use_test_keyring()
    now = timezone.now()
    clerk, officer = p.users["congress_clerk"], p.users["cdi_clue"]
    values: dict[str, Any] = {
        "sending_org": p.orgs["congress_body"],
        "receiving_org": p.orgs["cdi"],
        "drafted_by": clerk,
        "subject_name": SUBJECT,
        "subject_post": POST,
        "subject_organisation": p.orgs["unit_a"],
        "violation_type": ViolationType.INTEGRITY,
        "content": SECRET,
        "evidence": EVIDENCE,
        "state": state,
    }
    step = ORDER.index(state)
    if step >= 1:
        values.update(transferred_at=now, transferred_by=clerk)
    if step >= 2:
        values.update(received_at=now, received_by=officer)
    if step >= 3:
        values.update(
            proposed_disposition=fields.get("disposition", Disposition.TALK_OR_LETTER),
            proposal_note=NOTE,
            proposed_at=now,
            proposed_by=proposer(p),
        )
    if step >= 4:
        values.update(
            disposition=Disposition.TALK_OR_LETTER,
            disposition_note=NOTE,
            approval_note=APPROVAL,
            disposed_at=now,
            disposed_by=officer,
        )
    if step >= 5:
        values.update(feedback=FEEDBACK, feedback_at=now, feedback_by=officer)
    if step >= 6:
        values.update(
            outcome=Outcome.CLOSED,
            outcome_note=OUTCOME_NOTE,
            concluded_at=now,
            concluded_by=officer,
        )
    values.update(fields)
    return Clue.objects.create(**values)


def another_cdi(p: Personas):
    return OrganisationFactory(kind=OrgKind.CDI, code="JW-QX", name="某区纪委监委")


# --- Route-matrix rows -------------------------------------------------------------------


def transferred_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_clue(p, ClueState.TRANSFERRED).pk}


def draft_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_clue(p, ClueState.DRAFT).pk}


def received_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_clue(p, ClueState.RECEIVED).pk}


def disposed_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_clue(p, ClueState.DISPOSED).pk}


def proposed_kwargs(p: Personas) -> dict[str, Any]:
    """Proposed by another clue officer, so that `cdi_clue` may approve or return it."""
    return {"pk": make_clue(p, ClueState.PROPOSED).pk}


def held_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_clue(p, ClueState.DISPOSED, disposition=Disposition.HOLD).pk}


# --- Policy-matrix records: one clue per situation, built once per test world -------------


def clue_case(state: str, *, sender: str = "congress_body", receiver: str = "cdi"):
    """A record function for tests/core/test_policy_matrix.py: (world, persona) -> clue."""

    def build(world: Any, who: str) -> Clue:
        cache = world.__dict__.setdefault("_clues", {})
        key = (state, sender, receiver)
        if key not in cache:
            p = world.p
            orgs = dict(p.orgs)
            if receiver == "other_cdi":
                orgs["other_cdi"] = world.__dict__.get("_other_cdi") or another_cdi(p)
                world.__dict__["_other_cdi"] = orgs["other_cdi"]
            cache[key] = make_clue(p, state, sending_org=orgs[sender], receiving_org=orgs[receiver])
        return cache[key]

    return build
