"""A session as Huangshi's 2023 one (the article: 187 deputies' suggestions, all handled and
answered), enacted through the services step by step — so that every date, deadline, audit
event and notification is the real one. Reused by the scenario test and the figures tests.

    scenario = enact(personas, count=187, year=2023)

What happens, deterministically (suggestion i = 0 … count-1):
- 30 deputies (the deputy persona and 29 more) submit in turn; every fifth is submitted by
  congress staff on the deputy's behalf; every seventh has a co-signer; one in three is raised
  between sessions, the rest during the session;
- the clerk accepts all; one joint assignment of them all is prepared by the clerk and
  confirmed by the government supervision office (after a pre-consultation with the units);
- eight handling units (units A and B and six more) lead in turn; every fourth has the next
  unit as co-unit;
- each unit receives, the lead unit contacts the deputy within the 48 hours, co-units give
  their opinions, the lead unit replies: A for two in three, then B, then C;
- the deputies rate: 满意, every sixth 基本满意, every eleventh 不满意 — those are reopened,
  answered again and then rated 满意.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from tests.factories import OrganisationFactory, account
from tests.personas import Personas
from tests.suggestions.helpers import reassign
from wulian.core.choices import OrgKind, Role
from wulian.core.models import Organisation
from wulian.suggestions import services
from wulian.suggestions.choices import (
    AssignmentRole,
    Category,
    ContactMethod,
    RaisedDuring,
    ReplyCategory,
    Satisfaction,
)
from wulian.suggestions.models import Assignment, CongressSession, Suggestion

CATEGORIES = list(Category.values)
TOPICS = [
    ("老旧小区加装电梯", "老旧小区老年人上下楼困难，建议简化加装电梯审批、提高补贴。"),
    ("背街小巷路灯", "背街小巷路灯损坏多年未修，夜间出行不安全。"),
    ("农村饮水安全", "部分村组自来水管网老化，夏季经常停水。"),
    ("城市书房建设", "建议在社区增设城市书房，延长开放时间。"),
    ("口袋公园", "中心城区缺少休闲空间，建议利用边角地建设口袋公园。"),
    ("惠企政策落地", "中小企业反映惠企政策申报繁琐，建议一网通办。"),
    ("黄石三中改扩建", "学校班额过大，建议加快改扩建项目。"),
    ("工伤认定一网通办", "工伤认定和残疾办证需多次跑腿，建议网上办理。"),
    ("房产契税分配", "建议重新制定房产契税分配比例，支持城区建设。"),
    ("公交线路优化", "新建小区周边缺少公交站点，建议优化线路。"),
]


@dataclass
class Scenario:
    session: CongressSession
    units: list[Organisation]
    unit_users: dict[int, Any]  # organisation id → a liaison of that unit
    deputies: list[Any]  # users holding a deputy's seat
    suggestions: list[Suggestion] = field(default_factory=list)
    reopened: list[int] = field(default_factory=list)

    def refreshed(self) -> list[Suggestion]:
        return list(Suggestion.objects.filter(session=self.session).order_by("number"))


def _v(pk: int) -> int:
    return Suggestion.objects.values_list("version", flat=True).get(pk=pk)


def _people(p: Personas) -> tuple[list[Organisation], dict[int, Any], list[Any]]:
    units = [p.orgs["unit_a"], p.orgs["unit_b"]]
    users = {p.orgs["unit_a"].pk: p.users["unit_a"], p.orgs["unit_b"].pk: p.users["unit_b"]}
    for n, name in enumerate(
        ["市住建局", "市城管局", "市水务局", "市教育局", "市人社局", "市财政局"]
    ):
        org = OrganisationFactory(
            kind=OrgKind.HANDLING_UNIT,
            code=f"ZF-S{n}",
            name=name,
            parent=p.orgs["government"],
        )
        units.append(org)
        users[org.pk] = account(org, Role.LIAISON, username=f"scenario_unit_{n}")
    deputies = [p.users["deputy"]] + [
        account(p.orgs["station"], Role.DEPUTY, username=f"scenario_deputy_{n}", name=f"代表{n}")
        for n in range(29)
    ]
    return units, users, deputies


def enact(p: Personas, *, count: int = 187, year: int = 2023) -> Scenario:
    """Build the session and take `count` suggestions from submission to the deputies'
    verdicts. Call it with the clock inside `year` (the deadlines count on the calendar)."""
    clerk, office = p.users["congress_clerk"], p.users["gov_supervisor"]
    session = services.session_create(
        actor=clerk,
        data={
            "name": f"市十五届人大{year - 2021}次会议（{year}）",
            "opens_on": date(year, 1, 10),
            "closes_on": date(year, 1, 14),
            "office_id": p.orgs["congress_body"].pk,
            "is_current": True,
        },
    )
    units, unit_users, deputies = _people(p)
    sc = Scenario(session=session, units=units, unit_users=unit_users, deputies=deputies)

    # 1. Submission and review.
    for i in range(count):
        topic, text = TOPICS[i % len(TOPICS)]
        lead = deputies[i % len(deputies)]
        data: dict[str, Any] = {
            "session_id": session.pk,
            "title": f"关于{topic}的建议（{i + 1}）",
            "content": text,
            "category": CATEGORIES[i % len(CATEGORIES)],
            "raised_during": RaisedDuring.RECESS if i % 3 == 0 else RaisedDuring.SESSION,
        }
        if i % 7 == 0:
            data["co_signer_ids"] = [deputies[(i + 1) % len(deputies)].person.pk]
        if i % 5 == 0:
            s = services.suggestion_submit(
                actor=clerk, data={**data, "lead_deputy_id": lead.person.pk}
            )
        else:
            s = services.suggestion_submit(actor=lead, data=data)
        services.suggestion_accept(actor=clerk, suggestion_id=s.pk, version=s.version)
        sc.suggestions.append(s)

    # 2. Joint assignment: pre-consultation, one batch prepared by the clerk, confirmed by the
    # supervision office.
    consultation = services.consultation_record(
        actor=clerk,
        data={"organiser_id": p.orgs["congress_body"].pk, "unit_ids": [u.pk for u in units]},
    )
    items = []
    for i, s in enumerate(sc.suggestions):
        lead_unit = units[i % len(units)]
        co = [units[(i + 1) % len(units)].pk] if i % 4 == 0 else []
        items.append(
            {
                "suggestion_id": s.pk,
                "version": _v(s.pk),
                "lead_unit_id": lead_unit.pk,
                "co_unit_ids": co,
            }
        )
    batch = services.batch_propose(actor=clerk, items=items, consultation_id=consultation.pk)
    services.batch_confirm(actor=office, batch_id=batch.pk, version=batch.version)

    # 3. Receipt, contact, co-units' opinions.
    for a in Assignment.objects.filter(suggestion__session=session).order_by("-role", "id"):
        services.assignment_receive(
            actor=unit_users[a.unit_id], assignment_id=a.pk, version=a.version
        )
    for s in sc.suggestions:
        lead = Assignment.objects.get(suggestion=s, role=AssignmentRole.LEAD)
        services.contact_record(
            actor=unit_users[lead.unit_id],
            suggestion_id=s.pk,
            method=ContactMethod.PHONE if s.pk % 2 else ContactMethod.FACE_TO_FACE,
            contacted_at=timezone.now(),
            agreed="与领衔代表沟通办理思路，代表同意。",
        )
    _opinions(sc)

    # 4. Replies and verdicts (不满意 → reopened → answered again → 满意).
    for i, s in enumerate(sc.suggestions):
        _reply(sc, s, round_=1, category=_category(i))
        if i % 11 == 10:
            rating = Satisfaction.UNSATISFIED
        elif i % 6 == 5:
            rating = Satisfaction.BASICALLY
        else:
            rating = Satisfaction.SATISFIED
        _rate(sc, s, rating)
        if rating == Satisfaction.UNSATISFIED:
            sc.reopened.append(s.pk)
    _opinions(sc, only=sc.reopened)
    for pk in sc.reopened:
        s = Suggestion.objects.get(pk=pk)
        _reply(sc, s, round_=2, category=ReplyCategory.A)
        _rate(sc, s, Satisfaction.SATISFIED)
    return sc


def _category(i: int) -> str:
    return [ReplyCategory.A, ReplyCategory.A, ReplyCategory.B, ReplyCategory.A, ReplyCategory.C][
        i % 5
    ]


def _opinions(sc: Scenario, only: list[int] | None = None) -> None:
    co = Assignment.objects.filter(suggestion__session=sc.session, role=AssignmentRole.CO)
    if only is not None:
        co = co.filter(suggestion_id__in=only)
    for a in co.order_by("id"):
        services.opinion_give(
            actor=sc.unit_users[a.unit_id],
            suggestion_id=a.suggestion_id,
            text="同意主办单位的办理方案。",
        )


def _reply(sc: Scenario, s: Suggestion, *, round_: int, category: str) -> None:
    lead = Suggestion.objects.values_list("lead_unit_id", flat=True).get(pk=s.pk)
    services.reply_send(
        actor=sc.unit_users[lead],
        suggestion_id=s.pk,
        version=_v(s.pk),
        category=category,
        signer="局长",
        text=f"第 {round_} 次答复：已研究落实。",
        public_text="已研究落实。",
    )


def _rate(sc: Scenario, s: Suggestion, rating: str) -> None:
    lead_deputy = Suggestion.objects.values_list("lead_deputy_id", flat=True).get(pk=s.pk)
    user = next(d for d in sc.deputies if d.person.pk == lead_deputy)
    services.verdict_give(
        actor=user,
        suggestion_id=s.pk,
        version=_v(s.pk),
        on_attitude=Satisfaction.SATISFIED,
        on_result=rating,
        comment="问题没有解决" if rating == Satisfaction.UNSATISFIED else "",
    )
    if rating == Satisfaction.UNSATISFIED:
        reassign(s)
