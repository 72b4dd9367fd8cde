"""The livelihood services: each success and each refusal, nothing half-saved."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from tests.livelihood import helpers as h
from wulian.core.access import actor_for
from wulian.core.errors import AccessDenied, ConcurrentEdit, TransitionNotAllowed, ValidationFailed
from wulian.core.models import AuditEvent
from wulian.core.notifications.models import OutboxMessage
from wulian.core.polls import services as polls
from wulian.core.polls import tally
from wulian.livelihood import services
from wulian.livelihood.choices import (
    ActualState,
    CandidateState,
    CycleState,
    IndicatorKind,
    Satisfaction,
)
from wulian.livelihood.models import Actual, Candidate, Cycle, Indicator, Photo, Project, Warning

pytestmark = pytest.mark.django_db
NOW = datetime(2023, 12, 15, 10, 0, tzinfo=h.SH)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def a(user):
    return actor_for(user)


# --- The cycle ------------------------------------------------------------------------------


def test_the_clerk_opens_a_cycle_and_nobody_else_may(personas):
    cycle = services.cycle_create(
        a(personas.congress_clerk),
        year=2024,
        title="2024年民生实事",
        organiser_id=personas.orgs["congress_body"].pk,
        places=10,
        deputies=300,
    )
    assert cycle.state == CycleState.COLLECTING
    assert AuditEvent.objects.filter(action="livelihood.cycle.created").count() == 1
    with pytest.raises(AccessDenied):
        services.cycle_create(
            a(personas.unit_a),
            year=2025,
            title="x",
            organiser_id=personas.orgs["congress_body"].pk,
            places=1,
            deputies=1,
        )
    with pytest.raises(ValidationFailed) as exc:
        services.cycle_create(
            a(personas.congress_clerk),
            year=2024,
            title="again",
            organiser_id=personas.orgs["congress_body"].pk,
            places=1,
            deputies=1,
        )
    assert "已建立" in exc.value.message
    with pytest.raises(ValidationFailed, match="全体代表人数"):
        services.cycle_create(
            a(personas.congress_clerk),
            year=2026,
            title="x",
            organiser_id=personas.orgs["congress_body"].pk,
            places=1,
            deputies=0,
        )


def test_a_candidate_keeps_its_source_and_is_screened_with_budget_and_indicators(personas):
    cycle = h.make_cycle(personas, state=CycleState.COLLECTING)
    c = services.candidate_add(
        a(personas.congress_clerk),
        cycle_id=cycle.pk,
        title="幸福食堂建设",
        source="public",
        proposer="群众来信",
    )
    screener = a(personas.gov_supervisor)
    with pytest.raises(ValidationFailed, match="预算"):
        services.candidate_screen(screener, candidate_id=c.pk, shortlist=True, indicators="x")
    with pytest.raises(ValidationFailed, match="名称\\|目标值"):
        services.candidate_screen(
            screener,
            candidate_id=c.pk,
            shortlist=True,
            budget=Decimal(100),
            responsible_id=personas.orgs["unit_a"].pk,
            indicators="幸福食堂|50",
        )
    c = services.candidate_screen(
        screener,
        candidate_id=c.pk,
        shortlist=True,
        budget=Decimal(2500),
        responsible_id=personas.orgs["unit_a"].pk,
        indicators="幸福食堂|50|个|建成并投用|0",
        version=c.version,
    )
    assert c.state == CandidateState.SHORTLISTED
    assert c.indicators[0]["kind"] == IndicatorKind.IN_USE
    assert Cycle.objects.get(pk=cycle.pk).state == CycleState.SCREENING
    with pytest.raises(ConcurrentEdit):
        services.candidate_screen(screener, candidate_id=c.pk, shortlist=False, note="x", version=1)
    with pytest.raises(ValidationFailed, match="理由"):
        services.candidate_screen(screener, candidate_id=c.pk, shortlist=False)
    with pytest.raises(AccessDenied):
        services.candidate_screen(a(personas.unit_a), candidate_id=c.pk, shortlist=False, note="x")


# --- The vote -------------------------------------------------------------------------------


def _vote(personas, cycle: Cycle, approvals: dict[str, int], *, certify: bool = True) -> Cycle:
    """Open the cycle's vote and cast `cycle.deputies` slips: approvals[title] 赞成 each."""
    clerk, witness = a(personas.congress_clerk), a(personas.stationed)
    opens = NOW - timedelta(hours=2)
    cycle = services.vote_open(
        clerk,
        cycle_id=cycle.pk,
        witness_id=personas.orgs["stationed_group"].pk,
        opens_at=opens,
        closes_at=NOW - timedelta(hours=1),
    )
    poll = cycle.vote_poll
    codes = polls.slips_issue(
        clerk, poll_id=poll.pk, group_id=poll.groups.get().pk, count=cycle.deputies
    )
    polls.open_request(clerk, poll_id=poll.pk)
    polls.open_cosign(witness, poll_id=poll.pk)
    items = list(poll.items.all())
    for k, code in enumerate(codes):
        polls.ballot_cast(
            None,
            poll_id=poll.pk,
            choices={i.pk: tally.FOR if k < approvals[i.label] else tally.AGAINST for i in items},
            slip=code,
            now=opens + timedelta(minutes=5),
        )
    polls.poll_close(clerk, poll_id=poll.pk)
    polls.poll_seal(clerk, poll_id=poll.pk)
    if certify:
        polls.poll_certify(witness, poll_id=poll.pk)
    return Cycle.objects.get(pk=cycle.pk)


def test_the_vote_needs_more_candidates_than_places(personas):
    cycle = h.make_cycle(personas, state=CycleState.SCREENING)
    h.make_candidates(cycle, 2)  # places = 2
    with pytest.raises(ValidationFailed, match="差额"):
        services.vote_open(
            a(personas.congress_clerk),
            cycle_id=cycle.pk,
            witness_id=personas.orgs["stationed_group"].pk,
            opens_at=NOW,
            closes_at=NOW + timedelta(hours=1),
        )
    assert Cycle.objects.get(pk=cycle.pk).vote_poll is None


def test_elected_needs_more_than_half_of_all_deputies_and_the_decision_makes_projects(personas):
    cycle = h.make_cycle(personas, state=CycleState.SCREENING)  # 10 deputies, 2 places
    h.make_candidates(cycle, 3)
    # 6 of 10: elected; exactly 5 (half): not; 9: elected.
    cycle = _vote(personas, cycle, {"候选项目1": 6, "候选项目2": 5, "候选项目3": 9})
    cycle = services.cycle_decide(
        a(personas.congress_clerk), cycle_id=cycle.pk, decision_number="黄人常〔2023〕3号"
    )
    assert cycle.state == CycleState.IMPLEMENTING
    assert list(cycle.projects.values_list("title", flat=True)) == ["候选项目3", "候选项目1"]
    c2 = Candidate.objects.get(cycle=cycle, title="候选项目2")
    assert c2.state == CandidateState.NOT_ELECTED and c2.votes["for"] == 5
    project = cycle.projects.get(title="候选项目3")
    indicator = project.indicators.get()
    assert indicator.target == 10 and indicator.plan["12"] == "10.00"


def test_the_decision_waits_for_the_witness_and_refuses_a_tie_across_the_last_place(personas):
    cycle = h.make_cycle(personas, state=CycleState.SCREENING)
    h.make_candidates(cycle, 3)
    cycle = _vote(personas, cycle, {"候选项目1": 9, "候选项目2": 7, "候选项目3": 7}, certify=False)
    clerk = a(personas.congress_clerk)
    with pytest.raises(TransitionNotAllowed, match="见证"):
        services.cycle_decide(clerk, cycle_id=cycle.pk, decision_number="x")
    polls.poll_certify(a(personas.stationed), poll_id=cycle.vote_poll_id)
    with pytest.raises(ValidationFailed, match="再次投票"):
        services.cycle_decide(clerk, cycle_id=cycle.pk, decision_number="x")
    assert not Project.objects.filter(cycle=cycle).exists()


def test_a_ballot_outside_the_session_window_is_refused(personas):
    cycle = h.make_cycle(personas, state=CycleState.SCREENING)
    h.make_candidates(cycle, 3)
    clerk = a(personas.congress_clerk)
    cycle = services.vote_open(
        clerk,
        cycle_id=cycle.pk,
        witness_id=personas.orgs["stationed_group"].pk,
        opens_at=NOW,
        closes_at=NOW + timedelta(hours=1),
    )
    poll = cycle.vote_poll
    code = polls.slips_issue(clerk, poll_id=poll.pk, group_id=poll.groups.get().pk, count=1)[0]
    polls.open_request(clerk, poll_id=poll.pk)
    polls.open_cosign(a(personas.stationed), poll_id=poll.pk)
    with pytest.raises(TransitionNotAllowed, match="已经结束"):
        polls.ballot_cast(
            None,
            poll_id=poll.pk,
            choices={i.pk: tally.FOR for i in poll.items.all()},
            slip=code,
            now=NOW + timedelta(hours=2),
        )


# --- Actuals, evidence, warnings --------------------------------------------------------------


def _report(personas, project, **kw):
    args = {
        "project_id": project.pk,
        "indicator_id": project.indicators.get().pk,
        "month": 3,
        "value": Decimal(150),
    }
    return services.actual_report(a(personas.unit_a), **{**args, **kw})


def test_a_report_with_photos_reads_their_time_and_place_and_marks_an_unreadable_one(personas):
    project = h.make_project(personas)
    actual = _report(personas, project, photos=[h.photo("a.jpg"), h.photo("b.jpg", readable=False)])
    photos = list(Photo.objects.filter(actual=actual).order_by("id"))
    assert photos[0].readable and photos[0].taken_at.month == 3
    assert photos[0].latitude == Decimal("30.200000")
    assert not photos[1].readable and photos[1].taken_at is None
    assert actual.state == ActualState.REPORTED
    assert Indicator.objects.get(pk=actual.indicator_id).actual == 150
    events = AuditEvent.objects.filter(action="livelihood.actual.reported")
    assert events.count() == 1 and events.get().after_data["unreadable_photos"] == 1
    # The group is told.
    assert OutboxMessage.objects.filter(kind="livelihood.actual.reported").exists()


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"value": Decimal(1201)}, "合理上限"),
        ({"month": 13}, "月份"),
        ({"value": Decimal(-1)}, "负数"),
    ],
)
def test_implausible_reports_are_refused_and_nothing_is_saved(personas, kw, message):
    project = h.make_project(personas)
    with pytest.raises(ValidationFailed, match=message):
        _report(personas, project, photos=[h.photo()], **kw)
    assert not Actual.objects.exists() and not Photo.objects.exists()


def test_a_future_month_and_a_falling_cumulative_value_are_refused(personas):
    project = h.make_project(personas, cycle=h.make_cycle(personas, year=2023))
    _report(personas, project, month=3, value=Decimal(150))
    with pytest.raises(ValidationFailed, match="上月"):
        _report(personas, project, month=4, value=Decimal(100))
    april = time_machine.travel(datetime(2023, 4, 15, 10, 0, tzinfo=h.SH), tick=False)
    with april, pytest.raises(ValidationFailed, match="尚未到来"):
        _report(personas, project, month=5, value=Decimal(250))


def test_an_in_use_indicator_needs_both_stages(personas):
    project = h.make_project(personas, kind=IndicatorKind.IN_USE)
    with pytest.raises(ValidationFailed, match="投用"):
        _report(personas, project, value=Decimal(10))
    with pytest.raises(ValidationFailed, match="不能多于"):
        _report(personas, project, value=Decimal(10), value_in_use=Decimal(11))
    actual = _report(personas, project, value=Decimal(10), value_in_use=Decimal(8))
    assert actual.value_in_use == 8


def test_only_the_departments_report(personas):
    project = h.make_project(personas)
    with pytest.raises(AccessDenied):
        services.actual_report(
            a(personas.unit_b),
            project_id=project.pk,
            indicator_id=project.indicators.get().pk,
            month=3,
            value=Decimal(1),
        )
    project.co_departments.add(personas.orgs["unit_b"])
    services.actual_report(
        a(personas.unit_b),
        project_id=project.pk,
        indicator_id=project.indicators.get().pk,
        month=3,
        value=Decimal(150),
    )


def test_the_group_verifies_or_questions_and_a_questioned_month_is_reported_again(personas):
    project = h.make_project(personas)
    actual = _report(personas, project)
    deputy = a(personas.deputy)
    with pytest.raises(ValidationFailed, match="疑问"):
        services.actual_question(deputy, actual_id=actual.pk, note="")
    with pytest.raises(AccessDenied):
        services.actual_verify(a(personas.unit_b), actual_id=actual.pk)
    actual = services.actual_question(
        deputy, actual_id=actual.pk, note="照片与地点不符", version=actual.version
    )
    assert actual.state == ActualState.QUESTIONED
    assert OutboxMessage.objects.filter(kind="livelihood.actual.questioned").exists()
    actual = _report(personas, project, value=Decimal(160))
    assert actual.state == ActualState.REPORTED and actual.value == 160
    actual = services.actual_verify(deputy, actual_id=actual.pk, version=actual.version)
    assert actual.state == ActualState.VERIFIED
    with pytest.raises(ValidationFailed, match="已报送"):
        _report(personas, project, value=Decimal(170))
    with pytest.raises(ConcurrentEdit):
        services.actual_question(deputy, actual_id=actual.pk, note="x", version=1)


def test_the_deviation_warning_fires_once_and_again_only_when_it_worsens(personas):
    project = h.make_project(personas)  # plan: 50 km a month
    # March: plan 150; 100 → 33 % behind: warns.
    _report(personas, project, month=3, value=Decimal(100))
    # April: plan 200; 140 → 30 %: no new warning.
    _report(personas, project, month=4, value=Decimal(140))
    # May: plan 250; 150 → 40 %: worse, warns again.
    _report(personas, project, month=5, value=Decimal(150))
    # June: plan 300; 290 → back within 20 %: cleared; July: plan 350; 200 → warns again.
    _report(personas, project, month=6, value=Decimal(290))
    _report(personas, project, month=7, value=Decimal(200) + Decimal(90))
    assert list(Warning.objects.order_by("id").values_list("month", flat=True)) == [3, 5]
    indicator = Indicator.objects.get(project=project)
    assert indicator.warned_gap is None
    warned = OutboxMessage.objects.filter(kind="livelihood.indicator.warned")
    recipients = set(warned.values_list("recipient__username", flat=True))
    assert {"unit_a", "deputy"} <= recipients


def test_an_indicator_changes_after_the_vote_only_on_a_recorded_decision(personas):
    project = h.make_project(personas)
    indicator = project.indicators.get()
    clerk = a(personas.congress_clerk)
    with pytest.raises(ValidationFailed, match="决定文号"):
        services.indicator_change(
            clerk, indicator_id=indicator.pk, decision="", reason="x", target=Decimal(500)
        )
    assert Indicator.objects.get(pk=indicator.pk).target == 600
    with pytest.raises(AccessDenied):
        services.indicator_change(
            a(personas.unit_a),
            indicator_id=indicator.pk,
            decision="d",
            reason="r",
            target=Decimal(1),
        )
    indicator = services.indicator_change(
        clerk,
        indicator_id=indicator.pk,
        decision="黄人常〔2023〕9号",
        reason="受汛期影响调整",
        target=Decimal(580),
        plan="6:200, 12:580",
        version=indicator.version,
    )
    assert indicator.target == 580 and indicator.plan == {"6": "200", "12": "580"}
    change = indicator.changes.get()
    assert change.before["target"] == "600.00" and change.decision == "黄人常〔2023〕9号"


def test_photos_of_a_verified_report_are_chosen_for_the_public_page(personas):
    project = h.make_project(personas)
    actual = _report(personas, project, photos=[h.photo()])
    clerk = a(personas.congress_clerk)
    photo = actual.photos.get()
    with pytest.raises(TransitionNotAllowed):
        services.photos_publish(clerk, actual_id=actual.pk, photo_ids=[photo.pk])
    actual = services.actual_verify(a(personas.deputy), actual_id=actual.pk)
    services.photos_publish(clerk, actual_id=actual.pk, photo_ids=[photo.pk])
    assert Photo.objects.get(pk=photo.pk).public


# --- Satisfaction -----------------------------------------------------------------------------


def test_an_unsatisfied_project_gets_a_rectification_and_a_proposed_inquiry_topic(personas):
    from wulian.core.rectification.models import Finding

    cycle = h.make_cycle(personas)
    good, bad = h.make_project(personas, cycle=cycle), h.make_project(personas, cycle=cycle)
    clerk, witness = a(personas.congress_clerk), a(personas.stationed)
    cycle = services.satisfaction_open(
        clerk,
        cycle_id=cycle.pk,
        witness_id=personas.orgs["stationed_group"].pk,
        opens_at=NOW - timedelta(hours=2),
        closes_at=NOW - timedelta(hours=1),
    )
    poll = cycle.satisfaction_poll
    codes = polls.slips_issue(clerk, poll_id=poll.pk, group_id=poll.groups.get().pk, count=5)
    polls.open_request(clerk, poll_id=poll.pk)
    polls.open_cosign(witness, poll_id=poll.pk)
    items = {i.label: i.pk for i in poll.items.all()}
    for k, code in enumerate(codes):
        polls.ballot_cast(
            None,
            poll_id=poll.pk,
            choices={
                items[good.title]: tally.SATISFIED,
                items[bad.title]: tally.UNSATISFIED if k < 3 else tally.BASIC,
            },
            slip=code,
            now=NOW - timedelta(minutes=90),
        )
    with pytest.raises(TransitionNotAllowed):
        services.satisfaction_record(clerk, cycle_id=cycle.pk)
    polls.poll_close(clerk, poll_id=poll.pk)
    polls.poll_seal(clerk, poll_id=poll.pk)
    polls.poll_certify(witness, poll_id=poll.pk)
    cycle = services.satisfaction_record(clerk, cycle_id=cycle.pk)
    assert cycle.state == CycleState.CLOSED
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.satisfaction == Satisfaction.SATISFIED and not good.inquiry_topic
    assert bad.satisfaction == Satisfaction.UNSATISFIED
    assert bad.inquiry_topic.startswith(bad.title)
    assert Finding.objects.filter(object_id=bad.pk).count() == 1
    told = OutboxMessage.objects.filter(kind="livelihood.cycle.satisfaction_recorded")
    assert told.filter(recipient=personas.congress_clerk).exists()


# --- The supervision group and milestones ---------------------------------------------------


def test_the_group_is_set_as_a_whole_with_one_head_and_a_stale_form_is_refused(personas):
    from wulian.livelihood.choices import GroupRole

    project = h.make_project(personas)
    clerk = a(personas.congress_clerk)
    head, deputy = personas.congress_clerk.person, personas.deputy.person
    cdi = personas.cdi_officer.person
    with pytest.raises(ValidationFailed, match="组长"):
        services.group_set(clerk, project_id=project.pk, members=[(deputy.pk, GroupRole.DEPUTY)])
    with pytest.raises(ValidationFailed, match="只能担任一个职务"):
        services.group_set(
            clerk,
            project_id=project.pk,
            members=[(head.pk, GroupRole.HEAD), (head.pk, GroupRole.DEPUTY)],
        )
    assert list(project.group.values_list("person_id", flat=True)) == [deputy.pk]  # unchanged
    services.group_set(
        clerk,
        project_id=project.pk,
        members=[(head.pk, GroupRole.HEAD), (deputy.pk, GroupRole.DEPUTY), (cdi.pk, "cdi_contact")],
        version=project.version,
    )
    assert project.group.count() == 3
    with pytest.raises(ConcurrentEdit):
        services.group_set(
            clerk, project_id=project.pk, members=[(head.pk, GroupRole.HEAD)], version=1
        )
    with pytest.raises(AccessDenied):
        services.group_set(a(personas.unit_a), project_id=project.pk, members=[])
    assert AuditEvent.objects.filter(action="livelihood.project.group_set").count() == 1


def test_milestones_are_read_one_a_line_and_bad_lines_save_nothing(personas):
    project = h.make_project(personas)
    clerk = a(personas.congress_clerk)
    project = services.milestones_set(
        clerk,
        project_id=project.pk,
        milestones="开工|2023-03-31|2023-03-28\n完工|2023-12-31",
        version=project.version,
    )
    assert [(m.title, m.done_on is not None) for m in project.milestones.all()] == [
        ("开工", True),
        ("完工", False),
    ]
    with pytest.raises(ValidationFailed, match="第 2 行的日期"):
        services.milestones_set(
            clerk, project_id=project.pk, milestones="开工|2023-03-31\n完工|年底"
        )
    with pytest.raises(ValidationFailed, match="晚于今天"):
        services.milestones_set(
            clerk, project_id=project.pk, milestones="完工|2023-12-31|2024-01-05"
        )
    with pytest.raises(ConcurrentEdit):
        services.milestones_set(clerk, project_id=project.pk, milestones="", version=1)
    assert project.milestones.count() == 2


# --- Supervision orders (督办) and their escalation to the CDI ------------------------------


def test_an_order_needs_a_lagging_project_and_goes_to_the_department(personas):
    from wulian.livelihood.models import Order

    project = h.make_project(personas)
    clerk = a(personas.congress_clerk)
    due = NOW.date() + timedelta(days=10)
    with pytest.raises(ValidationFailed, match="没有进度预警"):
        services.order_issue(clerk, project_id=project.pk, requirements="加快", due_on=due)
    project.indicators.update(warned_gap=Decimal("0.5"))
    with pytest.raises(ValidationFailed, match="晚于今天"):
        services.order_issue(clerk, project_id=project.pk, requirements="加快", due_on=NOW.date())
    with pytest.raises(ValidationFailed, match="督办要求"):
        services.order_issue(clerk, project_id=project.pk, requirements=" ", due_on=due)
    with pytest.raises(AccessDenied):
        services.order_issue(
            a(personas.unit_a), project_id=project.pk, requirements="加快", due_on=due
        )
    with pytest.raises(ConcurrentEdit):
        services.order_issue(
            clerk, project_id=project.pk, requirements="加快", due_on=due, version=99
        )
    assert not Order.objects.exists()
    order = services.order_issue(
        clerk, project_id=project.pk, requirements="请加快路基施工。", due_on=due
    )
    assert order.to_unit == personas.orgs["unit_a"] and order.state == "issued"
    assert OutboxMessage.objects.filter(kind="livelihood.order.issued").exists()
    with pytest.raises(ValidationFailed, match="待答复的督办"):
        services.order_issue(clerk, project_id=project.pk, requirements="再催", due_on=due)

    # Not yet due and unanswered: it cannot go to the CDI.
    with pytest.raises(TransitionNotAllowed, match="答复期限"):
        services.order_escalate(clerk, order_id=order.pk, note="逾期")
    with pytest.raises(AccessDenied):
        services.order_answer(a(personas.unit_b), order_id=order.pk, answer="x")
    with pytest.raises(ValidationFailed, match="办理情况"):
        services.order_answer(a(personas.unit_a), order_id=order.pk, answer="")
    order = services.order_answer(
        a(personas.unit_a), order_id=order.pk, answer="已增加施工队伍。", version=order.version
    )
    assert order.state == "answered"
    order = services.order_close(clerk, order_id=order.pk, version=order.version)
    assert order.state == "closed"
    with pytest.raises(TransitionNotAllowed):
        services.order_escalate(clerk, order_id=order.pk, note="x")


def test_an_overdue_order_is_escalated_to_the_cdi_and_its_contact_is_told(personas):
    from wulian.livelihood.choices import GroupRole
    from wulian.livelihood.models import GroupMember

    order = h.make_order(personas, due_on=NOW.date() - timedelta(days=1))
    GroupMember.objects.create(
        project=order.project, person=personas.cdi_officer.person, role=GroupRole.CDI_CONTACT
    )
    clerk = a(personas.congress_clerk)
    with pytest.raises(ValidationFailed, match="理由"):
        services.order_escalate(clerk, order_id=order.pk, note="")
    order = services.order_escalate(
        clerk, order_id=order.pk, note="逾期未答复，进度严重滞后。", version=order.version
    )
    assert order.state == "escalated" and order.escalated_at is not None
    told = OutboxMessage.objects.filter(kind="livelihood.order.escalated")
    assert personas.cdi_officer.pk in set(told.values_list("recipient_id", flat=True))
    assert AuditEvent.objects.filter(action="livelihood.order.escalated").count() == 1
    with pytest.raises(TransitionNotAllowed):
        services.order_answer(a(personas.unit_a), order_id=order.pk, answer="补报")
