"""The access rules of the core and accounts, stated persona by persona.

For every action code registered under `core.` or `accounts.` the table below says which
personas may act, with the record varied where the rule looks at it: a person of unit A or of
unit B, oneself, a person whose organisation is inactive, a former member, an inactive
organisation. Each row is checked with `access.can()`; for actions on lists, `access.scope()`
must return exactly the allowed rows — and agree with `can()` on every row of the table.

A new action code without a row here fails `test_every_action_has_a_row`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.activities.meeting_helpers import meeting_case
from tests.bulletins.helpers import bulletin_case
from tests.clues.helpers import clue_case
from tests.consultation.policy_rows import rows as consultation_rows
from tests.evaluation.helpers import evaluation_case
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory
from tests.livelihood.helpers import livelihood_case
from tests.opinions.helpers import round_case
from tests.personas import PERSONA_NAMES, Personas
from tests.rectification.helpers import rect_case
from wulian.accounts.models import ApiToken, User
from wulian.core import access
from wulian.core.choices import Role
from wulian.core.models import Organisation, Person, RoleGrant
from wulian.core.policies import Grant

ALL = frozenset(PERSONA_NAMES)
SUPERVISORS = frozenset(
    {"congress_clerk", "cdi_officer", "cdi_clue", "stationed", "gov_supervisor"}
)
# The two administrators whose work needs the whole directory of people.
PEOPLE_ADMINS = frozenset({"sysadmin", "secadmin"})
SYSADMIN = frozenset({"sysadmin"})
SECADMIN = frozenset({"secadmin"})
AUDITADMIN = frozenset({"auditadmin"})
# Desk seats (staff, leader, clue officer, liaison); staff and leaders of supervising bodies;
# the congress working body's clerk; the CDI clue officer.
OFFICES = SUPERVISORS | {"unit_a", "unit_b", "court_clerk"}
RAISERS = frozenset({"congress_clerk", "cdi_officer", "stationed", "gov_supervisor"})
CLERK = frozenset({"congress_clerk"})
CLUE_OFFICER = frozenset({"cdi_clue"})
CLUE_FOLLOWERS = CLERK | CLUE_OFFICER
NOBODY: frozenset[str] = frozenset()
# Everyone with a seat other than the three administrators'; an opinion round's invitees.
PARTICIPANTS = ALL - {"sysadmin", "secadmin", "auditadmin"}
INVITED = frozenset({"cdi_officer", "cdi_clue", "unit_a", "deputy"})
PREFIXES = (
    "core.",
    "accounts.",
    "rectification.",
    "clues.",
    "polls.",
    "bulletins.",
    "opinions.",
    "reports.",
    "activities.meeting.",
    "activities.actionitem.",
    "activities.agendaitem.",
    "consultation.",
    "livelihood.",
    "evaluation.",
)
SCREENERS = frozenset({"congress_clerk", "gov_supervisor"})
# Everyone but the three administrators uses the activity ledger.
LEDGER = PARTICIPANTS


@dataclass
class World:
    """The personas' city plus the records the rules are asked about."""

    p: Personas
    inactive_org: Organisation
    colleague_a: Person  # staff of unit A (not a persona)
    colleague_b: Person  # staff of unit B
    inactive_member: Person  # staff of an inactive organisation only
    former_a: Person  # once staff of unit A; the membership has ended


Record = Callable[[World, str], Any]  # (world, persona name) -> the record asked about


@dataclass(frozen=True)
class Row:
    allowed: frozenset[str]
    record: Record | None = None  # None: the action is asked without a record


def _clerks_task(w: World) -> Any:
    from wulian.core.models import BackgroundTask

    task, _created = BackgroundTask.objects.get_or_create(
        kind="suggestions.ledger",
        requested_by=w.p.congress_clerk,
        defaults={"title": "导出代表建议台账", "filename": "台账.xlsx"},
    )
    return task


def _org(key: str) -> Record:
    return lambda w, who: w.p.orgs[key]


def _attr(name: str) -> Record:
    return lambda w, who: getattr(w, name)


def _oneself(w: World, who: str) -> Person:
    return w.p.users[who].person


def _grant(person: str | None, role: str, org: str) -> Record:
    """A grant of `role` in one of the personas' organisations to a person of the world
    (None: to the persona asking)."""

    def record(w: World, who: str) -> Grant:
        target = w.p.users[who].person if person is None else getattr(w, person)
        return Grant(person_id=target.pk, role=role, org_kind=w.p.orgs[org].kind)

    return record


def _pending(person: str | None) -> Record:
    """A clue-officer grant the security administrator proposed, still pending."""

    def record(w: World, who: str) -> RoleGrant:
        target = w.p.users[who].person if person is None else getattr(w, person)
        return RoleGrant(
            person=target,
            organisation=w.p.orgs["cdi"],
            role=Role.CLUE_OFFICER,
            requested_by=w.p.secadmin,
        )

    return record


def _token_of(user: User) -> ApiToken:
    return ApiToken(user=user, name="对接", prefix="wl_x", digest="x", expires_at=None)


NO_RECORD = "without a record"
# Who may organise a poll: staff and leaders of the congress side, the CDI side and the
# government supervision office.
POLL_ORGANISERS = frozenset({"congress_clerk", "cdi_officer", "stationed", "gov_supervisor"})


def _poll(*, roster: str | None = None, state: str = "draft", voted: bool = False) -> Record:
    """A poll of the congress working body witnessed by the stationed group (roster: the
    persona on its roster, who has `voted` or not), in `state`."""

    def record(w: World, who: str) -> Any:
        from datetime import UTC, datetime

        from wulian.core.polls.models import Poll, RaterGroup, RosterEntry

        poll = Poll.objects.create(
            title="测评",
            kind="satisfaction",
            rule="majority_valid",
            organiser=w.p.orgs["congress_body"],
            witness=w.p.orgs["stationed_group"],
            opens_at=datetime(2026, 3, 1, tzinfo=UTC),
            closes_at=datetime(2026, 3, 2, tzinfo=UTC),
            state=state,
        )
        if roster:
            group = RaterGroup.objects.create(poll=poll, name="人大代表")
            RosterEntry.objects.create(
                group=group, person=w.p.users[roster].person, has_voted=voted
            )
        return poll

    return record


# 联评 (issue 18): unit A's evaluation by the congress working body; the same with the deputy on
# its team; one run by another working body (the clerk: congress staff outside the team).
EVAL_A = "unit A's evaluation"
EVAL_DEPUTY = "unit A's evaluation, the deputy on its team"
EVAL_OTHER = "an evaluation another working body runs"
EVAL_WATCHERS = SUPERVISORS
DOSSIER_CDI = frozenset({"cdi_officer", "cdi_clue", "stationed"})
EVALUATION_ROWS: dict[str, dict[str, Row]] = {
    "evaluation.evaluation.view": {
        NO_RECORD: Row(SUPERVISORS | {"unit_a", "unit_b", "court_clerk", "deputy"}),
        EVAL_A: Row(EVAL_WATCHERS | {"unit_a"}, evaluation_case("unit_a")),
        EVAL_DEPUTY: Row(EVAL_WATCHERS | {"unit_a", "deputy"}, evaluation_case("deputy_on_team")),
        EVAL_OTHER: Row(EVAL_WATCHERS | {"unit_a"}, evaluation_case("other_body")),
    },
    "evaluation.evaluation.create": {NO_RECORD: Row(CLERK)},
    "evaluation.evaluation.manage": {
        NO_RECORD: Row(CLERK),
        EVAL_A: Row(CLERK, evaluation_case("unit_a")),
        EVAL_OTHER: Row(NOBODY, evaluation_case("other_body")),
    },
    "evaluation.evaluation.attach": {
        NO_RECORD: Row(SUPERVISORS | {"unit_a", "unit_b", "court_clerk"}),
        EVAL_A: Row(CLERK | {"unit_a"}, evaluation_case("unit_a")),
    },
    "evaluation.evaluation.conduct": {
        NO_RECORD: Row(frozenset({"congress_clerk", "cdi_officer", "stationed", "gov_supervisor"})),
        EVAL_A: Row(
            frozenset({"congress_clerk", "cdi_officer", "stationed", "gov_supervisor"}),
            evaluation_case("unit_a"),
        ),
    },
    # The CDI's dossier: the team and the CDI only — never the department, the other
    # supervisors, or congress staff outside the team.
    "evaluation.dossier.view": {
        NO_RECORD: Row(CLERK | DOSSIER_CDI),
        EVAL_A: Row(CLERK | DOSSIER_CDI, evaluation_case("unit_a")),
        EVAL_DEPUTY: Row(CLERK | DOSSIER_CDI | {"deputy"}, evaluation_case("deputy_on_team")),
        EVAL_OTHER: Row(DOSSIER_CDI, evaluation_case("other_body")),
    },
    "evaluation.dossier.add": {
        NO_RECORD: Row(DOSSIER_CDI),
        EVAL_A: Row(DOSSIER_CDI, evaluation_case("unit_a")),
    },
}


MATRIX: dict[str, dict[str, Row]] = {
    **EVALUATION_ROWS,
    "core.home.view": {NO_RECORD: Row(ALL)},
    # A background export: the person who asked for it only (issue 13).
    "core.task.view": {
        NO_RECORD: Row(ALL),
        "the congress clerk's export": Row(CLERK, lambda w, who: _clerks_task(w)),
    },
    "accounts.self.manage": {NO_RECORD: Row(ALL)},
    "accounts.api_token.own": {
        NO_RECORD: Row(ALL),
        "one's own token": Row(ALL, lambda w, who: _token_of(w.p.users[who])),
        "unit A's token": Row(frozenset({"unit_a"}), lambda w, who: _token_of(w.p.users["unit_a"])),
    },
    "core.organisation.view": {
        NO_RECORD: Row(ALL),  # everyone with a seat in an active organisation
        "unit A": Row(ALL, _org("unit_a")),
        "unit B": Row(ALL, _org("unit_b")),
        "the CDI": Row(ALL, _org("cdi")),
        "an inactive organisation": Row(SYSADMIN, _attr("inactive_org")),
    },
    # A department's supervision profile: whoever sees the organisation; each link's section
    # counts that link's own scope (tests/reports).
    "reports.profile.view": {
        NO_RECORD: Row(ALL),
        "unit A": Row(ALL, _org("unit_a")),
        "the CDI": Row(ALL, _org("cdi")),
        "an inactive organisation": Row(SYSADMIN, _attr("inactive_org")),
    },
    # The annual 五联 report: a document of the two bodies, for their desks; a department, a
    # deputy, an expert and the administrators do not open it.
    "reports.annual.view": {
        NO_RECORD: Row(frozenset({"congress_clerk", "cdi_officer", "cdi_clue", "stationed"})),
    },
    # The dashboards per role (ADR 0031): a desk seat on the congress side, the CDI side, in
    # the government's supervision office or a department; each opens its own dashboards only.
    "reports.dashboard.view": {
        NO_RECORD: Row(SUPERVISORS | {"unit_a", "unit_b"}),
        "the congress dashboard": Row(CLERK, lambda w, who: "congress"),
        "the CDI dashboard": Row(
            frozenset({"cdi_officer", "cdi_clue", "stationed"}), lambda w, who: "cdi"
        ),
        "the government dashboard": Row(frozenset({"gov_supervisor"}), lambda w, who: "government"),
        "a department's dashboard": Row(
            frozenset({"unit_a", "unit_b"}), lambda w, who: "department"
        ),
    },
    "core.organisation.manage": {
        NO_RECORD: Row(SYSADMIN),
        "unit A": Row(SYSADMIN, _org("unit_a")),
    },
    "core.person.view": {
        NO_RECORD: Row(ALL),
        "a person of unit A": Row(SUPERVISORS | PEOPLE_ADMINS | {"unit_a"}, _attr("colleague_a")),
        "a person of unit B": Row(SUPERVISORS | PEOPLE_ADMINS | {"unit_b"}, _attr("colleague_b")),
        "oneself": Row(ALL, _oneself),
        "a person of an inactive organisation": Row(
            SUPERVISORS | PEOPLE_ADMINS, _attr("inactive_member")
        ),
        "a former member of unit A": Row(SUPERVISORS | PEOPLE_ADMINS, _attr("former_a")),
    },
    "core.person.manage": {
        NO_RECORD: Row(SYSADMIN),
        "a person of unit A": Row(SYSADMIN, _attr("colleague_a")),
    },
    "core.reference.import": {NO_RECORD: Row(SYSADMIN)},
    "accounts.account.manage": {NO_RECORD: Row(SECADMIN)},
    "accounts.admin_role.assign": {NO_RECORD: Row(SECADMIN)},
    # Role grants (docs/adr/0014): one rule for every role. The record is the grant proposed.
    "core.membership.grant": {
        NO_RECORD: Row(PEOPLE_ADMINS),
        "staff of unit A for a colleague": Row(SYSADMIN, _grant("colleague_a", "staff", "unit_a")),
        "an administrator role for a colleague": Row(
            SECADMIN, _grant("colleague_a", "audit_admin", "congress")
        ),
        "a clue officer for a colleague": Row(
            SECADMIN, _grant("colleague_a", "clue_officer", "cdi")
        ),
        "CDI staff for a colleague": Row(SECADMIN, _grant("colleague_a", "staff", "cdi")),
        "stationed-group staff for a colleague": Row(
            SECADMIN, _grant("colleague_a", "staff", "stationed_group")
        ),
        "a clue officer for oneself": Row(NOBODY, _grant(None, "clue_officer", "cdi")),
        "staff of unit A for oneself": Row(NOBODY, _grant(None, "staff", "unit_a")),
        "an administrator role for oneself": Row(NOBODY, _grant(None, "audit_admin", "congress")),
    },
    "core.membership.end": {
        NO_RECORD: Row(PEOPLE_ADMINS),
        "staff of unit A": Row(SYSADMIN, lambda w, who: w.colleague_a.memberships.get()),
        "the clue officer's seat": Row(
            SECADMIN, lambda w, who: w.p.cdi_clue.person.memberships.get()
        ),
    },
    "core.membership.review": {NO_RECORD: Row(SECADMIN | CLUE_OFFICER)},
    "core.membership.confirm": {
        NO_RECORD: Row(CLUE_OFFICER),
        "a grant the security administrator proposed": Row(CLUE_OFFICER, _pending("colleague_a")),
        "a grant to the confirmer himself": Row(NOBODY, _pending(None)),
    },
    "core.membership.refuse": {
        NO_RECORD: Row(SECADMIN | CLUE_OFFICER),
        "a grant the security administrator proposed": Row(
            SECADMIN | CLUE_OFFICER, _pending("colleague_a")
        ),
    },
    # Bulletins (docs/adr/0021): the congress working body's clerk issues to the CDI and unit A;
    # 敏感 drops liaisons and clue officers, 涉及问题线索 keeps only the CDI's clue officer.
    "bulletins.bulletin.view": {
        NO_RECORD: Row(OFFICES),
        "a draft": Row(CLERK, bulletin_case("draft")),
        "an ordinary bulletin": Row(
            CLERK | {"cdi_officer", "cdi_clue", "unit_a"}, bulletin_case("ordinary")
        ),
        "a sensitive bulletin": Row(CLERK | {"cdi_officer"}, bulletin_case("sensitive")),
        "a clue-grade bulletin": Row(CLERK | CLUE_OFFICER, bulletin_case("clue")),
    },
    "bulletins.bulletin.create": {NO_RECORD: Row(RAISERS)},
    "bulletins.bulletin.edit": {
        NO_RECORD: Row(RAISERS),
        "a draft of the working body": Row(CLERK, bulletin_case("draft")),
    },
    "bulletins.bulletin.issue": {
        NO_RECORD: Row(RAISERS),
        "a draft of the working body": Row(CLERK, bulletin_case("draft")),
    },
    "bulletins.bulletin.sign": {
        NO_RECORD: Row(OFFICES),
        "a draft": Row(NOBODY, bulletin_case("draft")),
        "an ordinary bulletin": Row(
            frozenset({"cdi_officer", "cdi_clue", "unit_a"}), bulletin_case("ordinary")
        ),
        "a sensitive bulletin": Row(frozenset({"cdi_officer"}), bulletin_case("sensitive")),
        "a clue-grade bulletin": Row(CLUE_OFFICER, bulletin_case("clue")),
    },
    "bulletins.bulletin.feedback": {
        NO_RECORD: Row(OFFICES),
        "an ordinary bulletin": Row(
            frozenset({"cdi_officer", "cdi_clue", "unit_a"}), bulletin_case("ordinary")
        ),
        "a clue-grade bulletin": Row(CLUE_OFFICER, bulletin_case("clue")),
    },
    "bulletins.bulletinrecipient.view": {
        NO_RECORD: Row(OFFICES),
        "unit A's receipt of an ordinary one": Row(
            CLERK | {"cdi_officer", "cdi_clue", "unit_a"},
            bulletin_case("ordinary", recipient="unit_a"),
        ),
    },
    "bulletins.bulletinrecipient.manage": {
        NO_RECORD: Row(RAISERS),
        "unit A's receipt": Row(CLERK, bulletin_case("ordinary", recipient="unit_a")),
    },
    "bulletins.series.create": {NO_RECORD: Row(RAISERS)},
    # Meetings (docs/adr/0023): a joint meeting of the congress working body and the CDI, unit
    # A, the CDI and the stationed group taking part; an action item of unit A. No persona is
    # a leader, so none co-signs (leaders: tests/activities/test_meetings.py).
    "activities.meeting.sign": {
        NO_RECORD: Row(NOBODY),
        "the joint meeting": Row(NOBODY, meeting_case("activity")),
    },
    "activities.meeting.view": {
        NO_RECORD: Row(LEDGER),
        "the joint meeting": Row(SUPERVISORS | {"unit_a"}, meeting_case("meeting")),
    },
    "activities.agendaitem.view": {
        NO_RECORD: Row(LEDGER),
        "an agenda item": Row(SUPERVISORS | {"unit_a"}, meeting_case("agenda")),
    },
    "activities.agendaitem.attach": {
        NO_RECORD: Row(OFFICES),
        "an agenda item": Row(
            CLERK | {"unit_a", "stationed", "cdi_officer", "cdi_clue"}, meeting_case("agenda")
        ),
    },
    "activities.actionitem.view": {
        NO_RECORD: Row(LEDGER),
        "unit A's action item": Row(SUPERVISORS | {"unit_a"}, meeting_case("action")),
        "unit B's action item": Row(SUPERVISORS | {"unit_a", "unit_b"}, meeting_case("action_b")),
    },
    "activities.actionitem.report": {
        NO_RECORD: Row(OFFICES),
        "unit A's action item": Row(frozenset({"unit_a"}), meeting_case("action")),
    },
    "activities.actionitem.verify": {
        NO_RECORD: Row(RAISERS),
        "unit A's action item": Row(CLERK | {"cdi_officer"}, meeting_case("action")),
    },
    "activities.actionitem.manage": {
        NO_RECORD: Row(RAISERS),
        "unit A's action item": Row(CLERK | {"cdi_officer"}, meeting_case("action")),
    },
    "activities.actionitem.attach": {
        NO_RECORD: Row(OFFICES),
        "unit A's action item": Row(CLERK | {"cdi_officer", "unit_a"}, meeting_case("action")),
    },
    "bulletins.figures.view": {NO_RECORD: Row(OFFICES)},
    # Opinion rounds (docs/adr/0024): the congress working body's clerk drafts and invites the
    # CDI, unit A and the deputy by name; a round in preparation is the drafter's alone.
    "opinions.round.view": {
        NO_RECORD: Row(PARTICIPANTS),
        "a round in preparation": Row(CLERK, round_case("draft")),
        "an open round": Row(CLERK | INVITED, round_case("open")),
        "a concluded round": Row(CLERK | INVITED, round_case("concluded")),
    },
    "opinions.round.create": {NO_RECORD: Row(RAISERS)},
    "opinions.round.manage": {
        NO_RECORD: Row(RAISERS),
        "a round in preparation": Row(CLERK, round_case("draft")),
        "an open round": Row(CLERK, round_case("open")),
    },
    "opinions.round.comment": {
        NO_RECORD: Row(PARTICIPANTS),
        "a round in preparation": Row(NOBODY, round_case("draft")),
        "an open round": Row(INVITED, round_case("open")),
        "a concluded round": Row(NOBODY, round_case("concluded")),
    },
    "opinions.invitee.view": {
        NO_RECORD: Row(PARTICIPANTS),
        "unit A's invitation": Row(CLERK | INVITED, round_case("invitee:unit_a")),
    },
    "opinions.invitee.manage": {
        NO_RECORD: Row(RAISERS),
        "unit A's invitation": Row(CLERK, round_case("invitee:unit_a")),
        "the deputy's invitation": Row(CLERK | {"deputy"}, round_case("invitee:deputy")),
    },
    "opinions.figures.view": {NO_RECORD: Row(PARTICIPANTS)},
    "core.audit.view": {NO_RECORD: Row(AUDITADMIN)},
    "core.audit.details": {NO_RECORD: Row(AUDITADMIN | SYSADMIN)},
    # Findings and rectification: findings of the congress working body about unit A (one also
    # for unit B, one 机密); the desk seats use the ledger; supervisors see all but 机密.
    "rectification.finding.view": {
        NO_RECORD: Row(OFFICES),
        "a finding for unit A": Row(SUPERVISORS | {"unit_a"}, rect_case("finding")),
        "a finding for units A and B": Row(
            SUPERVISORS | {"unit_a", "unit_b"}, rect_case("finding_ab")
        ),
        "a confidential finding": Row(CLERK | {"unit_a"}, rect_case("confidential")),
    },
    "rectification.finding.raise": {
        NO_RECORD: Row(RAISERS),
        "on unit A's organisation record": Row(RAISERS, _org("unit_a")),
    },
    "rectification.finding.edit": {
        NO_RECORD: Row(RAISERS),
        "a finding of the working body": Row(CLERK, rect_case("finding")),
    },
    "rectification.rectification.view": {
        NO_RECORD: Row(OFFICES),
        "unit A's rectification": Row(SUPERVISORS | {"unit_a"}, rect_case("rect_a")),
        "unit B's rectification of the same finding": Row(
            SUPERVISORS | {"unit_b"}, rect_case("rect_b")
        ),
        "a confidential one": Row(CLERK | {"unit_a"}, rect_case("rect_confidential")),
    },
    "rectification.rectification.respond": {
        NO_RECORD: Row(OFFICES),
        "unit A's rectification": Row(frozenset({"unit_a"}), rect_case("rect_a")),
        "unit B's rectification": Row(frozenset({"unit_b"}), rect_case("rect_b")),
    },
    "rectification.rectification.verify": {
        NO_RECORD: Row(RAISERS),
        "unit A's rectification": Row(CLERK, rect_case("rect_a")),
    },
    "rectification.rectification.manage": {
        NO_RECORD: Row(RAISERS),
        "unit A's rectification": Row(CLERK, rect_case("rect_a")),
    },
    "rectification.progressreport.view": {
        NO_RECORD: Row(OFFICES),
        "unit A's report": Row(SUPERVISORS | {"unit_a"}, rect_case("report_open")),
    },
    "rectification.progressreport.attach": {
        NO_RECORD: Row(OFFICES),
        "a report while in progress": Row(frozenset({"unit_a"}), rect_case("report_open")),
        "a report once submitted": Row(NOBODY, rect_case("report_submitted")),
    },
    # Clues (docs/adr/0007): clues of the congress working body (the clerk's office) to the
    # CDI (the clue officer's). Nobody else — not other CDI staff, not the stationed group, not
    # the administrators — may do or see anything, with or without a record.
    "clues.clue.create": {NO_RECORD: Row(CLERK)},
    "clues.clue.view": {
        NO_RECORD: Row(CLUE_FOLLOWERS),
        "a draft of the working body": Row(CLERK, clue_case("draft")),
        "a transferred clue": Row(CLUE_OFFICER, clue_case("transferred")),
        "a clue with feedback": Row(CLUE_OFFICER, clue_case("feedback_given")),
        "a draft of another congress office": Row(NOBODY, clue_case("draft", sender="congress")),
        "a clue sent to another CDI": Row(NOBODY, clue_case("transferred", receiver="other_cdi")),
    },
    "clues.clue.view_status": {
        NO_RECORD: Row(CLUE_FOLLOWERS),
        "a draft of the working body": Row(CLERK, clue_case("draft")),
        "a transferred clue": Row(CLUE_FOLLOWERS, clue_case("transferred")),
        "a clue with feedback": Row(CLUE_FOLLOWERS, clue_case("feedback_given")),
        "a draft of another congress office": Row(NOBODY, clue_case("draft", sender="congress")),
        "a clue sent to another CDI": Row(CLERK, clue_case("transferred", receiver="other_cdi")),
    },
    # Who edits and transfers; that only a draft can be is the transition table's refusal.
    "clues.clue.edit": {
        NO_RECORD: Row(CLERK),
        "a draft of the working body": Row(CLERK, clue_case("draft")),
        "a transferred clue": Row(CLERK, clue_case("transferred")),
        "a draft of another congress office": Row(NOBODY, clue_case("draft", sender="congress")),
    },
    "clues.clue.transfer": {
        NO_RECORD: Row(CLERK),
        "a draft of the working body": Row(CLERK, clue_case("draft")),
        "a draft of another congress office": Row(NOBODY, clue_case("draft", sender="congress")),
    },
    "clues.clue.receive": {
        NO_RECORD: Row(CLUE_OFFICER),
        "a draft (invisible to the CDI)": Row(NOBODY, clue_case("draft")),
        "a transferred clue": Row(CLUE_OFFICER, clue_case("transferred")),
        "a clue sent to another CDI": Row(NOBODY, clue_case("transferred", receiver="other_cdi")),
    },
    "clues.clue.feedback": {
        NO_RECORD: Row(CLUE_OFFICER),
        "a draft (invisible to the CDI)": Row(NOBODY, clue_case("draft")),
        "a disposed clue": Row(CLUE_OFFICER, clue_case("disposed")),
    },
    # The triage, outcomes and reactivation (docs/adr/0019): the receiving CDI's clue officers;
    # that the proposer cannot approve their own proposal is the service's refusal.
    "clues.clue.propose": {
        NO_RECORD: Row(CLUE_OFFICER),
        "a draft (invisible to the CDI)": Row(NOBODY, clue_case("draft")),
        "a received clue": Row(CLUE_OFFICER, clue_case("received")),
        "a clue sent to another CDI": Row(NOBODY, clue_case("received", receiver="other_cdi")),
    },
    "clues.clue.approve": {
        NO_RECORD: Row(CLUE_OFFICER),
        "a draft (invisible to the CDI)": Row(NOBODY, clue_case("draft")),
        "a proposed clue": Row(CLUE_OFFICER, clue_case("proposed")),
        "a clue sent to another CDI": Row(NOBODY, clue_case("proposed", receiver="other_cdi")),
    },
    "clues.clue.reactivate": {
        NO_RECORD: Row(CLUE_OFFICER),
        "a draft (invisible to the CDI)": Row(NOBODY, clue_case("draft")),
        "a disposed clue": Row(CLUE_OFFICER, clue_case("disposed")),
    },
    "clues.clue.conclude": {
        NO_RECORD: Row(CLUE_OFFICER),
        "a draft (invisible to the CDI)": Row(NOBODY, clue_case("draft")),
        "a disposed clue": Row(CLUE_OFFICER, clue_case("disposed")),
        "a concluded clue": Row(CLUE_OFFICER, clue_case("concluded")),
    },
    "polls.poll.manage": {
        # Without a record (the API's gate): staff and leaders of a supervising organisation.
        NO_RECORD: Row(POLL_ORGANISERS),
        "a poll of the congress working body": Row(CLERK, _poll()),
    },
    "polls.poll.witness": {
        NO_RECORD: Row(frozenset({"congress_clerk", "cdi_officer", "stationed", "gov_supervisor"})),
        "a poll witnessed by the stationed group": Row(frozenset({"stationed"}), _poll()),
    },
    "polls.poll.create": {NO_RECORD: Row(POLL_ORGANISERS)},
    # The navigation's entry: the supervising bodies (a voter reaches a poll from 我的待办).
    "polls.poll.list": {
        NO_RECORD: Row(
            frozenset({"congress_clerk", "cdi_officer", "cdi_clue", "stationed", "gov_supervisor"})
        )
    },
    "polls.poll.vote": {
        "an open poll with the deputy on its roster": Row(
            frozenset({"deputy"}), _poll(roster="deputy", state="open")
        ),
        "the deputy has voted": Row(NOBODY, _poll(roster="deputy", state="open", voted=True)),
        "a closed poll": Row(NOBODY, _poll(roster="deputy", state="closed")),
    },
    "polls.poll.results": {
        "an open poll": Row(NOBODY, _poll(roster="deputy", state="open")),
        # Sealed: the organiser and the witness check it before the witness certifies.
        "a sealed poll": Row(
            frozenset({"congress_clerk", "stationed"}), _poll(roster="deputy", state="sealed")
        ),
        "a certified poll": Row(
            frozenset({"congress_clerk", "cdi_officer", "cdi_clue", "stationed", "deputy"}),
            _poll(roster="deputy", state="certified"),
        ),
    },
    "polls.poll.see": {
        # Without a record (the API's gate before the poll is read): every person, who may be
        # on some poll's roster; the poll decides (the rows below; 404 outside).
        NO_RECORD: Row(ALL),
        # Supervising bodies see polls; so does whoever is on its roster (a deputy here); the
        # government supervision office, the units rated and the administrators do not.
        "a poll with a deputy on its roster": Row(
            frozenset({"congress_clerk", "cdi_officer", "cdi_clue", "stationed", "deputy"}),
            _poll(roster="deputy"),
        ),
        "a poll without a roster": Row(
            frozenset({"congress_clerk", "cdi_officer", "cdi_clue", "stationed"}), _poll()
        ),
    },
    # 联督 (livelihood): every seat sees the projects; the congress side manages the cycle; the
    # responsible and co-departments report; the project's supervision group verifies.
    **{
        f"livelihood.{what}.view": {
            NO_RECORD: Row(PARTICIPANTS),
            f"a {what}": Row(PARTICIPANTS, livelihood_case(what)),
            f"another {what}": Row(PARTICIPANTS, livelihood_case(what, other=True)),
        }
        for what in ("cycle", "project", "actual", "candidate")
    },
    "livelihood.figures.view": {
        NO_RECORD: Row(PARTICIPANTS),
        "a project": Row(PARTICIPANTS, livelihood_case("project")),
        "another project": Row(PARTICIPANTS, livelihood_case("project", other=True)),
    },
    "livelihood.cycle.manage": {
        NO_RECORD: Row(CLERK),
        "a cycle": Row(CLERK, livelihood_case("cycle")),
    },
    "livelihood.project.manage": {
        NO_RECORD: Row(CLERK),
        "a project": Row(CLERK, livelihood_case("project")),
    },
    "livelihood.candidate.screen": {
        NO_RECORD: Row(SCREENERS),
        "a candidate": Row(SCREENERS, livelihood_case("candidate")),
    },
    "livelihood.project.report": {
        NO_RECORD: Row(OFFICES),
        "a project of unit A": Row(frozenset({"unit_a"}), livelihood_case("project")),
        "unit B as co-department": Row(
            frozenset({"unit_a", "unit_b"}), livelihood_case("project", co_unit_b=True)
        ),
    },
    "livelihood.actual.attach": {
        NO_RECORD: Row(OFFICES),
        "a report of unit A": Row(frozenset({"unit_a"}), livelihood_case("actual")),
    },
    "livelihood.project.verify": {
        NO_RECORD: Row(PARTICIPANTS),
        "the deputy in the group": Row(
            frozenset({"congress_clerk", "deputy"}), livelihood_case("actual")
        ),
    },
    "clues.clue.manage_deadlines": {
        NO_RECORD: Row(CLERK),
        "a draft of the working body": Row(CLERK, clue_case("draft")),
        "a transferred clue": Row(NOBODY, clue_case("transferred")),
        "a clue the CDI takes in (no limit yet)": Row(
            CLUE_OFFICER, clue_case("received", sender="cdi")
        ),
    },
    "clues.clue.intake": {NO_RECORD: Row(CLUE_OFFICER)},
}


MATRIX.update(consultation_rows(Row))


def missing_rows(registered: dict[str, Any], matrix: dict[str, Any]) -> list[str]:
    return sorted(c for c in registered if c.startswith(PREFIXES) and c not in matrix)


def test_every_action_has_a_row():
    registered = access.registered_actions()
    assert not missing_rows(registered, MATRIX), "add these action codes to MATRIX"
    stale = sorted(set(MATRIX) - set(registered))
    assert not stale, f"MATRIX names action codes that are no longer registered: {stale}"


def test_a_new_action_without_a_row_is_reported():
    """A test of the test."""
    registered = {**access.registered_actions(), "core.thing.new": object()}
    assert missing_rows(registered, MATRIX) == ["core.thing.new"]
    assert missing_rows({"deadlines.x.y": object()}, MATRIX) == []


@pytest.fixture
def world(personas) -> World:
    inactive_org = OrganisationFactory(code="OLD-01", name="已撤销单位", is_active=False)
    inactive_member = PersonFactory(name="撤销单位人员")
    MembershipFactory(person=inactive_member, organisation=inactive_org, role=Role.STAFF)
    colleague_a = PersonFactory(name="民政局同事")
    MembershipFactory(person=colleague_a, organisation=personas.orgs["unit_a"], role=Role.STAFF)
    colleague_b = PersonFactory(name="司法局同事")
    MembershipFactory(person=colleague_b, organisation=personas.orgs["unit_b"], role=Role.STAFF)
    former_a = PersonFactory(name="民政局原工作人员")
    MembershipFactory(
        person=former_a, organisation=personas.orgs["unit_a"], role=Role.STAFF, is_active=False
    )
    return World(personas, inactive_org, colleague_a, colleague_b, inactive_member, former_a)


def _fresh(world: World, who: str) -> User:
    return User.objects.get(pk=world.p.users[who].pk)  # no actor cached from another test


CASES = [(action, case) for action, rows in MATRIX.items() for case in rows]


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "case"), CASES, ids=[f"{a} / {c}" for a, c in CASES])
def test_can(world, action, case):
    row = MATRIX[action][case]
    wrong = []
    for who in PERSONA_NAMES:
        record = row.record(world, who) if row.record else None
        if access.can(_fresh(world, who), action, record) != (who in row.allowed):
            wrong.append(f"{who} (allowed={who in row.allowed})")
    assert not wrong, f"{action} / {case}: {wrong}"
    assert not access.can(None, action, row.record(world, "unit_a") if row.record else None)


# Actions on lists: those registered with a scope. (Rules register when Django starts,
# before collection.)
SCOPED = sorted(
    action
    for action, rule in access.registered_actions().items()
    if action in MATRIX and rule.scope is not None
)


def test_every_scoped_action_has_rows_with_records():
    assert SCOPED, "the scoped rules did not register"
    for action in SCOPED:
        assert sum(1 for r in MATRIX[action].values() if r.record) >= 2, action


@pytest.mark.django_db
@pytest.mark.parametrize("action", SCOPED)
def test_scope_returns_exactly_the_allowed_rows(world, action):
    rows = [row for row in MATRIX[action].values() if row.record]
    wrong = []
    for who in PERSONA_NAMES:
        user = _fresh(world, who)
        expected: dict[int, bool] = {}
        model = None
        for row in rows:
            record = row.record(world, who)
            model = type(record)
            allowed = who in row.allowed
            assert expected.setdefault(record.pk, allowed) == allowed, (action, who, record)
        assert model is not None
        asked = model.objects.filter(pk__in=expected)
        got = set(access.scope(user, action, asked).values_list("pk", flat=True))
        want = {pk for pk, allowed in expected.items() if allowed}
        if got != want:
            wrong.append(f"{who}: got {sorted(got)}, want {sorted(want)}")
        # On the whole table, the list filter and the record check agree.
        everything = model.objects.all()
        listed = set(access.scope(user, action, everything).values_list("pk", flat=True))
        checked = {obj.pk for obj in everything if access.can(user, action, obj)}
        if listed != checked:
            wrong.append(f"{who}: scope {sorted(listed)} != can {sorted(checked)}")
    assert not wrong, f"{action}: {wrong}"
    assert not access.scope(None, action, model.objects.all()).exists()


@pytest.mark.django_db
def test_a_person_whose_organisation_is_deactivated_loses_its_seat(world):
    Organisation.objects.filter(pk=world.p.orgs["unit_b"].pk).update(is_active=False)
    unit_b = _fresh(world, "unit_b")
    assert access.can(unit_b, "core.home.view")
    assert not access.can(unit_b, "core.organisation.view")
    assert not access.can(unit_b, "core.organisation.view", world.p.orgs["unit_a"])
    assert not access.scope(unit_b, "core.organisation.view", Organisation.objects.all()).exists()
    assert not access.can(unit_b, "core.person.view", world.colleague_b)
    assert access.can(unit_b, "core.person.view", unit_b.person)  # their own record only
    assert list(
        access.scope(unit_b, "core.person.view", Person.objects.all()).values_list("pk", flat=True)
    ) == [unit_b.person.pk]
