"""Secret ballot services: each success path and each refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import account
from tests.polls.helpers import CLOSES, DURING, OPENS, ids, make_poll, open_poll, voters
from wulian.core.access import actor_for
from wulian.core.choices import Role
from wulian.core.errors import AccessDenied, TransitionNotAllowed, ValidationFailed
from wulian.core.models import AuditEvent
from wulian.core.polls import results, services
from wulian.core.polls.choices import PollKind, PollState, TallyRule
from wulian.core.polls.models import Ballot, Poll, UrnEntry
from wulian.core.polls.tally import BASIC, FOR, SATISFIED, UNSATISFIED

pytestmark = pytest.mark.django_db


def a(user):
    return actor_for(user)


# --- Drafting ------------------------------------------------------------------------------


def test_the_organiser_drafts_a_poll_with_items_and_groups(personas):
    poll = make_poll(personas)
    assert poll.state == PollState.DRAFT
    assert [i.label for i in poll.items.all()] == ["市民政局", "市司法局", "市统计局"]
    assert [(g.name, g.weight) for g in poll.groups.all()] == [
        ("常委会组成人员", 50),
        ("人大代表", 30),
        ("社会各界代表", 20),
    ]
    assert AuditEvent.objects.filter(action="polls.poll.created").count() == 1


def test_only_the_organisers_staff_draft_a_poll(personas):
    with pytest.raises(AccessDenied):
        make_poll(personas, organiser_id=personas.orgs["unit_a"].pk)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"items": []}, "items"),
        ({"items": ["市民政局", "市民政局"]}, "items"),
        ({"closes_at": OPENS - timedelta(hours=1)}, "closes_at"),
        ({"groups": []}, "groups"),
        ({"groups": [("代表", 0)]}, "groups"),
        ({"rule": TallyRule.TOP_N}, "rule"),  # not a rule of satisfaction polls
        ({"kind": PollKind.APPROVAL, "rule": TallyRule.TOP_N}, "places"),
        ({"points": {SATISFIED: 120, BASIC: 70, UNSATISFIED: 30}}, "points"),
    ],
)
def test_a_bad_draft_is_refused_naming_the_field(personas, changes, field):
    with pytest.raises(ValidationFailed) as caught:
        make_poll(personas, **changes)
    assert field in caught.value.field_errors
    assert not Poll.objects.exists()


def test_the_witness_is_another_organisation(personas):
    with pytest.raises(ValidationFailed, match="见证单位"):
        make_poll(personas, witness_id=personas.orgs["congress_body"].pk)


def test_a_person_votes_in_one_group_only(personas):
    poll = make_poll(personas)
    [v] = voters(personas, 1)
    groups = list(poll.groups.all())
    clerk = a(personas.congress_clerk)
    services.roster_add(clerk, poll_id=poll.pk, group_id=groups[0].pk, person_ids=[v.person.pk])
    with pytest.raises(ValidationFailed, match="代表0"):
        services.roster_add(clerk, poll_id=poll.pk, group_id=groups[1].pk, person_ids=[v.person.pk])


# --- Opening -------------------------------------------------------------------------------


def test_a_poll_without_voters_cannot_be_opened(personas):
    poll = make_poll(personas)
    with pytest.raises(ValidationFailed, match="投票人员"):
        services.open_request(a(personas.congress_clerk), poll_id=poll.pk)


def test_the_witness_and_only_the_witness_co_signs_the_opening(personas):
    poll = make_poll(personas)
    services.slips_issue(
        a(personas.congress_clerk), poll_id=poll.pk, group_id=poll.groups.first().pk, count=3
    )
    services.open_request(a(personas.congress_clerk), poll_id=poll.pk)
    with pytest.raises(AccessDenied):
        services.open_cosign(a(personas.congress_clerk), poll_id=poll.pk)
    poll = services.open_cosign(a(personas.stationed), poll_id=poll.pk)
    assert poll.state == PollState.OPEN and poll.urn_key.startswith("sm4g:")
    with pytest.raises(TransitionNotAllowed):
        services.open_cosign(a(personas.stationed), poll_id=poll.pk)


# --- Casting -------------------------------------------------------------------------------


@time_machine.travel(DURING, tick=False)
def test_a_roster_member_votes_once_and_gets_a_receipt(personas):
    poll = make_poll(personas)
    [v] = voters(personas, 1)
    open_poll(personas, poll, voters_by_group={1: [v]})
    first, second, _third = ids(poll)
    receipt = services.ballot_cast(a(v), poll_id=poll.pk, choices={first: SATISFIED, second: BASIC})
    assert len(receipt.receipt) == 14 and receipt.receipt.count("-") == 2
    assert UrnEntry.objects.count() == 1 and not Ballot.objects.exists()
    with pytest.raises(TransitionNotAllowed, match="已经投过票"):
        services.ballot_cast(a(v), poll_id=poll.pk, choices={first: UNSATISFIED})
    assert UrnEntry.objects.count() == 1
    [cast] = AuditEvent.objects.filter(action="polls.ballot.cast")
    assert cast.actor_id == v.pk and cast.after in ("", "null", "{}")


@time_machine.travel(DURING, tick=False)
def test_someone_not_on_the_roster_cannot_vote_without_a_slip(personas):
    poll = make_poll(personas)
    open_poll(personas, poll, voters_by_group={0: voters(personas, 1)})
    with pytest.raises(AccessDenied, match="不在本次投票人员名单"):
        services.ballot_cast(a(personas.deputy), poll_id=poll.pk, choices={ids(poll)[0]: SATISFIED})


@time_machine.travel(DURING, tick=False)
def test_a_slip_votes_once_whoever_holds_it(personas):
    poll = make_poll(personas)
    codes = open_poll(personas, poll, slips_by_group={2: 2})
    item = ids(poll)[0]
    services.ballot_cast(None, poll_id=poll.pk, choices={item: SATISFIED}, slip=codes[2][0])
    with pytest.raises(TransitionNotAllowed, match="此投票码已经投过票"):
        services.ballot_cast(None, poll_id=poll.pk, choices={item: BASIC}, slip=codes[2][0])
    # Typed loosely: lower case, spaces, O for 0 — the same slip.
    loose = codes[2][1].lower().replace("-", " ").replace("0", "o")
    services.ballot_cast(None, poll_id=poll.pk, choices={item: BASIC}, slip=loose)
    with pytest.raises(ValidationFailed, match="投票码不正确"):
        services.ballot_cast(None, poll_id=poll.pk, choices={item: BASIC}, slip="ABCD-EFGH-JK")
    assert UrnEntry.objects.count() == 2


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({}, "还没有选择"),
        ({"999999": SATISFIED}, "不属于本次"),
        ("first:for", "选项无效"),
    ],
)
@time_machine.travel(DURING, tick=False)
def test_a_bad_ballot_is_refused_and_the_vote_is_not_used(personas, choices, message):
    poll = make_poll(personas)
    [v] = voters(personas, 1)
    open_poll(personas, poll, voters_by_group={0: [v]})
    if choices == "first:for":
        choices = {ids(poll)[0]: FOR}
    with pytest.raises(ValidationFailed, match=message):
        services.ballot_cast(a(v), poll_id=poll.pk, choices=choices)
    services.ballot_cast(a(v), poll_id=poll.pk, choices={ids(poll)[0]: SATISFIED})


def test_no_vote_before_the_opening_time_or_after_the_closing(personas):
    poll = make_poll(personas)
    [v] = voters(personas, 1)
    with time_machine.travel(DURING, tick=False):
        open_poll(personas, poll, voters_by_group={0: [v]})
    early = time_machine.travel(OPENS - timedelta(minutes=5), tick=False)
    with early, pytest.raises(TransitionNotAllowed, match="尚未开始"):
        services.ballot_cast(a(v), poll_id=poll.pk, choices={ids(poll)[0]: SATISFIED})
    late = time_machine.travel(CLOSES, tick=False)
    with late, pytest.raises(TransitionNotAllowed, match="已经结束"):
        services.ballot_cast(a(v), poll_id=poll.pk, choices={ids(poll)[0]: SATISFIED})


# --- Paper, sealing, certification ---------------------------------------------------------


def _cast_many(poll, users, choice_of):
    for index, user in enumerate(users):
        services.ballot_cast(a(user), poll_id=poll.pk, choices=choice_of(index))


@time_machine.travel(DURING, tick=False)
def test_the_whole_poll_electronic_and_paper_sealed_certified_and_verified(personas, capsys):
    poll = make_poll(personas)
    committee, deputies = voters(personas, 6, prefix="c"), voters(personas, 5, prefix="d")
    open_poll(personas, poll, voters_by_group={0: committee, 1: deputies})
    m, s, t = ids(poll)
    _cast_many(poll, committee, lambda i: {m: SATISFIED, s: BASIC if i < 4 else UNSATISFIED})
    _cast_many(poll, deputies, lambda i: {m: SATISFIED if i < 2 else BASIC, t: UNSATISFIED})
    clerk, second = (
        a(personas.congress_clerk),
        a(account(personas.orgs["congress_body"], Role.STAFF)),
    )
    services.poll_close(clerk, poll_id=poll.pk)
    society = poll.groups.get(name="社会各界代表")
    paper = {str(m): {SATISFIED: 1, BASIC: 2, UNSATISFIED: 1}, str(s): {UNSATISFIED: 4}}
    services.paper_enter(clerk, poll_id=poll.pk, group_id=society.pk, ballots=4, counts=paper)
    with pytest.raises(ValidationFailed, match="两名工作人员"):
        services.paper_enter(clerk, poll_id=poll.pk, group_id=society.pk, ballots=4, counts=paper)
    with pytest.raises(ValidationFailed, match="只录入了一次"):
        services.poll_seal(clerk, poll_id=poll.pk)
    services.paper_enter(second, poll_id=poll.pk, group_id=society.pk, ballots=4, counts=paper)
    poll = services.poll_seal(clerk, poll_id=poll.pk)
    assert poll.state == PollState.SEALED and poll.urn_key == ""
    assert not UrnEntry.objects.exists() and Ballot.objects.filter(poll=poll).count() == 11
    result = poll.result
    assert result["ballots"] == {"electronic": 11, "paper": 4, "total": 15}
    by_label = {row["label"]: row for row in result["items"]}
    # 民政局: 满意 6 + 2 + 1 = 9 of 15 valid: more than half → 满意.
    assert by_label["市民政局"]["counts"] == {SATISFIED: 9, BASIC: 5, UNSATISFIED: 1}
    assert by_label["市民政局"]["grade"] == SATISFIED
    # 司法局: 基本满意 4; 不满意 2 + 4 = 6; the deputies left it blank (5).
    assert by_label["市司法局"]["counts"] == {SATISFIED: 0, BASIC: 4, UNSATISFIED: 6}
    assert by_label["市司法局"]["blank"] == 5 and by_label["市司法局"]["grade"] == UNSATISFIED
    # Weighted: committee (4×70 + 2×30)/6 = 56.67, weight 50; society 30, weight 20; the
    # deputies gave no valid vote, so their 30 is left out: (2833.33 + 600) / 70 = 49.05.
    assert by_label["市司法局"]["score"] == "49.05"
    # The society group has 4 ballots: too few to be shown apart.
    assert {g["name"]: g["shown"] for g in result["groups"]} == {
        "常委会组成人员": True,
        "人大代表": True,
        "社会各界代表": False,
    }
    with pytest.raises(AccessDenied):
        services.poll_certify(clerk, poll_id=poll.pk)
    poll = services.poll_certify(a(personas.stationed), poll_id=poll.pk)
    assert poll.state == PollState.CERTIFIED
    call_command("poll", "verify", str(poll.pk))
    assert "15 ballots recounted" in capsys.readouterr().out


@time_machine.travel(DURING, tick=False)
def test_two_paper_entries_that_differ_stop_the_sealing(personas):
    poll = make_poll(personas)
    open_poll(personas, poll, slips_by_group={0: 1})
    clerk, second = (
        a(personas.congress_clerk),
        a(account(personas.orgs["congress_body"], Role.STAFF)),
    )
    services.poll_close(clerk, poll_id=poll.pk)
    group = poll.groups.first()
    m = str(ids(poll)[0])
    services.paper_enter(
        clerk, poll_id=poll.pk, group_id=group.pk, ballots=3, counts={m: {SATISFIED: 3}}
    )
    services.paper_enter(
        second, poll_id=poll.pk, group_id=group.pk, ballots=3, counts={m: {SATISFIED: 2}}
    )
    with pytest.raises(ValidationFailed, match="两次录入不一致"):
        services.poll_seal(clerk, poll_id=poll.pk)
    with pytest.raises(ValidationFailed, match="超过了纸质票张数"):
        services.paper_enter(
            clerk,
            poll_id=poll.pk,
            group_id=poll.groups.last().pk,
            ballots=1,
            counts={m: {SATISFIED: 2}},
        )


@time_machine.travel(DURING, tick=False)
def test_the_seal_needs_a_closed_poll_and_a_changed_ballot_fails_verification(personas):
    poll = make_poll(personas)
    users = voters(personas, 3)
    open_poll(personas, poll, voters_by_group={0: users})
    _cast_many(poll, users, lambda i: {ids(poll)[0]: SATISFIED})
    clerk = a(personas.congress_clerk)
    with pytest.raises(TransitionNotAllowed, match="投票中"):
        services.poll_seal(clerk, poll_id=poll.pk)
    services.poll_close(clerk, poll_id=poll.pk)
    poll = services.poll_seal(clerk, poll_id=poll.pk)
    assert results.verify(poll) == []
    ballot = Ballot.objects.filter(poll=poll).first()
    ballot.choices = {str(ids(poll)[0]): UNSATISFIED}
    ballot.save()
    problems = results.verify(poll)
    assert any("重新计票" in p for p in problems) and any("封存摘要" in p for p in problems)
    with pytest.raises(ValidationFailed, match="核验未通过"):
        services.poll_certify(a(personas.stationed), poll_id=poll.pk)
    with pytest.raises(CommandError):
        call_command("poll", "verify", str(poll.pk))


@time_machine.travel(DURING, tick=False)
def test_a_vote_of_projects_elects_the_places_by_majority_of_all_members(personas):
    poll = make_poll(
        personas,
        title="2024年民生实事项目票决",
        kind=PollKind.APPROVAL,
        rule=TallyRule.TOP_N,
        places=2,
        items=["老旧小区改造", "社区食堂", "城区停车"],
        groups=[("人大代表", 1)],
    )
    users = voters(personas, 5)
    open_poll(personas, poll, voters_by_group={0: users})
    old, canteen, parking = ids(poll)
    _cast_many(
        poll,
        users,
        lambda i: {old: FOR, canteen: FOR if i < 3 else "against", parking: FOR if i < 2 else ""},
    )
    clerk = a(personas.congress_clerk)
    services.poll_close(clerk, poll_id=poll.pk)
    poll = services.poll_seal(clerk, poll_id=poll.pk)
    assert poll.result["election"] == {
        "elected": [old, canteen],
        "runoff": [],
        "short_of_majority": [parking],
        "places_left": 0,
    }


@time_machine.travel(DURING, tick=False)
def test_an_unsatisfied_result_calls_the_owning_link_when_certified(personas):
    called = []
    services.on_result("test.evaluation", lambda actor, poll: called.append(poll.pk))
    poll = make_poll(personas, subject=("test.evaluation", "7"), items=["市统计局"])
    users = voters(personas, 3)
    open_poll(personas, poll, voters_by_group={0: users})
    _cast_many(poll, users, lambda i: {ids(poll)[0]: UNSATISFIED})
    clerk = a(personas.congress_clerk)
    services.poll_close(clerk, poll_id=poll.pk)
    services.poll_seal(clerk, poll_id=poll.pk)
    services.poll_certify(a(personas.stationed), poll_id=poll.pk)
    assert called == [poll.pk]


@time_machine.travel(DURING, tick=False)
def test_a_poll_short_of_its_quorum_has_no_valid_result_and_calls_nobody(personas):
    called = []
    services.on_result("test.quorum", lambda actor, poll: called.append(poll.pk))
    poll = make_poll(personas, subject=("test.quorum", "1"), quorum=10)
    users = voters(personas, 2)
    open_poll(personas, poll, voters_by_group={0: users})
    _cast_many(poll, users, lambda i: {ids(poll)[0]: UNSATISFIED})
    clerk = a(personas.congress_clerk)
    services.poll_close(clerk, poll_id=poll.pk)
    poll = services.poll_seal(clerk, poll_id=poll.pk)
    assert poll.result["quorate"] is False
    services.poll_certify(a(personas.stationed), poll_id=poll.pk)
    assert called == []
