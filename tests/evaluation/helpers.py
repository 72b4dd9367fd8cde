"""Helpers of the 联评 tests: a 主任会议 decision, an evaluation of unit A (市民政局) by the
congress working body with the stationed group, and a certified satisfaction poll."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wulian.core.access import actor_for
from wulian.core.activities import meeting_services
from wulian.core.activities import services as activity_services
from wulian.core.activities.choices import ActivityKind
from wulian.core.polls import services as poll_services
from wulian.core.polls.choices import PollKind, TallyRule
from wulian.evaluation import services
from wulian.evaluation.choices import DossierKind, StepKind

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)  # a Monday


def decision(personas, kind=ActivityKind.DIRECTORS_MEETING):
    clerk = actor_for(personas.congress_clerk)
    meeting = activity_services.activity_create(
        actor=clerk,
        data={
            "organiser_id": personas.orgs["congress_body"].pk,
            "kind": kind,
            "title": "第十二次主任会议",
            "starts_at": timezone.now() - timedelta(hours=2),
        },
    )
    meeting = activity_services.activity_hold(
        actor=clerk, activity_id=meeting.pk, version=meeting.version
    )
    return meeting_services.decision_add(
        actor=clerk, activity_id=meeting.pk, text="确定对市民政局开展工作评议"
    )


def create(personas, *, year=2026, department="unit_a", **kw):
    args = dict(
        decision_id=decision(personas).pk,
        department_id=personas.orgs[department].pk,
        year=year,
        working_body_id=personas.orgs["congress_body"].pk,
        stationed_group_id=personas.orgs["stationed_group"].pk,
    )
    args.update(kw)
    return services.evaluation_create(actor=actor_for(personas.congress_clerk), **args)


def with_dossier(personas, e):
    cdi = actor_for(personas.cdi_officer)
    services.dossier_add(
        actor=cdi,
        evaluation_id=e.pk,
        kind=DossierKind.INSPECTION,
        title="巡察反馈问题",
        body="低保审核把关不严，存在优亲厚友问题。",
    )
    e.refresh_from_db()
    return services.dossier_deliver(actor=cdi, evaluation_id=e.pk, version=e.version)


def advance(personas, e):
    return services.evaluation_advance(
        actor=actor_for(personas.congress_clerk), evaluation_id=e.pk, version=e.version
    )


def activity(personas, e, kind=StepKind.SYMPOSIUM):
    return services.activity_add(
        actor=actor_for(personas.congress_clerk),
        evaluation_id=e.pk,
        kind=kind,
        title="座谈会",
        starts_at=timezone.now() - timedelta(hours=1),
    )


def self_report(personas, e):
    return services.self_report_upload(
        actor=actor_for(personas.unit_a),
        evaluation_id=e.pk,
        upload=SimpleUploadedFile("自查报告.txt", "自查报告正文".encode(), "text/plain"),
    )


def to_voting(personas):
    """An evaluation in 测评: dossier delivered, one activity held with the stationed group,
    the self-report uploaded."""
    e = with_dossier(personas, create(personas))
    e = advance(personas, e)
    a = activity(personas, e)
    e = advance(personas, e)
    services.activity_held(
        actor=actor_for(personas.congress_clerk),
        evaluation_id=e.pk,
        activity_id=a.pk,
        attended_ids=[personas.orgs["stationed_group"].pk, personas.orgs["unit_a"].pk],
    )
    self_report(personas, e)
    e.refresh_from_db()
    return advance(personas, e)


def certified_poll(personas, shares, *, witness="stationed_group", label="市民政局"):
    """A certified satisfaction poll: `shares` = per group a list of choices for `label`
    (satisfied/basic/unsatisfied), five or more ballots per group to be reported."""
    clerk = actor_for(personas.congress_clerk)
    now = timezone.now()
    poll = poll_services.poll_create(
        clerk,
        title="满意度测评",
        kind=PollKind.SATISFACTION,
        rule=TallyRule.WEIGHTED,
        organiser_id=personas.orgs["congress_body"].pk,
        witness_id=personas.orgs[witness].pk,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=1),
        items=[label, "其他部门"],
        groups=[("常委会组成人员", 50), ("人大代表", 30), ("社会各界代表", 20)][: len(shares)],
    )
    groups = list(poll.groups.all())
    codes = [
        poll_services.slips_issue(clerk, poll_id=poll.pk, group_id=g.pk, count=len(choices))
        for g, choices in zip(groups, shares, strict=True)
    ]
    poll_services.open_request(clerk, poll_id=poll.pk)
    poll_services.open_cosign(actor_for(personas.stationed), poll_id=poll.pk)
    items = list(poll.items.all())
    for slips, choices in zip(codes, shares, strict=True):
        for code, choice in zip(slips, choices, strict=True):
            poll_services.ballot_cast(
                None,
                poll_id=poll.pk,
                choices={items[0].pk: choice, items[1].pk: "satisfied"},
                slip=code,
            )
    poll_services.poll_close(clerk, poll_id=poll.pk)
    poll_services.poll_seal(clerk, poll_id=poll.pk)
    return poll


def certify(personas, poll):
    return poll_services.poll_certify(actor_for(personas.stationed), poll_id=poll.pk)


def evaluation_case(variant: str = "unit_a"):
    """A record maker for the policy matrix: unit A's evaluation by the congress working body
    ("unit_a"), the same with the deputy on its team ("deputy_on_team"), or one run by another
    congress working body — the clerk is congress staff outside its team ("other_body")."""

    def record(w, who):
        cache = w.__dict__.setdefault("_evaluations", {})
        if variant not in cache:
            from tests.factories import OrganisationFactory, account
            from wulian.core.choices import OrgKind, Role

            kw: dict = {}
            if variant == "deputy_on_team":
                kw = {"year": 2025, "deputy_ids": [w.p.deputy.person.pk]}
            if variant == "other_body":
                body = OrganisationFactory(
                    kind=OrgKind.CONGRESS_BODY,
                    code="RD-JJGW",
                    name="财经工委",
                    parent=w.p.orgs["congress"],
                )
                other = account(body, Role.STAFF, username="other_body_clerk")
                e = services.evaluation_create(
                    actor=actor_for(other),
                    decision_id=decision(w.p).pk,
                    department_id=w.p.orgs["unit_a"].pk,
                    year=2024,
                    working_body_id=body.pk,
                    stationed_group_id=w.p.orgs["stationed_group"].pk,
                )
                cache[variant] = e
                return e
            cache[variant] = create(w.p, **kw)
        return cache[variant]

    return record


def dossier_item_case(variant: str = "unit_a"):
    """A record maker for the policy matrix: an item of the CDI's dossier on the evaluation
    `evaluation_case(variant)` makes (its files follow the item's rules)."""
    evaluation = evaluation_case(variant)

    def record(w, who):
        cache = w.__dict__.setdefault("_dossier_items", {})
        if variant not in cache:
            e = evaluation(w, who)
            cache[variant] = services.dossier_add(
                actor=actor_for(w.p.cdi_officer),
                evaluation_id=e.pk,
                kind=DossierKind.INSPECTION,
                title="巡察反馈问题",
                body="低保审核把关不严。",
            )
        return cache[variant]

    return record
