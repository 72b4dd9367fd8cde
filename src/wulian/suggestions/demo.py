"""The demo data of deputies' suggestions (联办), modelled on the article:

- **2023, the year's ledger**: 市十五届人大二次会议 with its 187 deputies' suggestions, all
  assigned jointly, answered and rated (the year's figures page shows them), and the 三进三促
  campaign with its 668 opinions, 594 of them completed. This is history: the rows are
  written in bulk with their 2023 dates, as an archive of a past year is loaded, and the audit
  chain records the load itself (one `suggestions.history.loaded` event each, with the counts
  and the files' worth of rows) — through the services the dates would be today's.
- **This year's session, in progress**, through the services with the demo accounts as actors
  (so that deadlines, notifications, the audit chain and every rule of the lifecycle are the
  real ones): a suggestion to review, one to assign, a joint assignment waiting for the
  government supervision office, suggestions to receive, to contact the deputy about, to give a
  co-unit's opinion on, a reply for the deputy to rate, a 不满意 reopened under a supervision
  order and reported to the CDI, campaign opinions to complete and a clue to receive — so
  that each working demo account's 我的待办 has something to do.

Called by `wulian demo_seed` (the app config's `demo_seed`) after the core demo data.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from wulian.core import audit
from wulian.core.choices import OrgKind, Role
from wulian.core.models import Membership, Organisation
from wulian.suggestions import search, services
from wulian.suggestions.choices import (
    AssignmentRole,
    AssignmentStatus,
    BatchState,
    CampaignState,
    Category,
    ContactMethod,
    OpinionState,
    RaisedDuring,
    Satisfaction,
    SuggestionStatus,
    SupervisionKind,
)
from wulian.suggestions.models import (
    Assignment,
    AssignmentBatch,
    Campaign,
    CampaignOpinion,
    Contact,
    CoUnitOpinion,
    Reply,
    Suggestion,
    Verdict,
)

TZ = ZoneInfo("Asia/Shanghai")
HISTORY_YEAR = 2023
HISTORY_COUNT = 187  # the article: 187 deputies' suggestions, all answered
CAMPAIGN = "三进三促"
CAMPAIGN_COLLECTED = 668  # the article: 668 opinions collected, 594 completed
CAMPAIGN_COMPLETED = 594
NUMERALS = "零一二三四五六七八九十"

# (topic, what the deputies wrote, lead unit's code, category): the article names the first
# three among those effectively carried out.
TOPICS: list[tuple[str, str, str, str]] = [
    (
        "重新制定房产契税分配比例",
        "建议重新制定市区房产契税分配比例，支持城区基础设施建设。",
        "ZF-CZ",
        Category.ECONOMY,
    ),
    (
        "推进黄石三中改扩建项目",
        "黄石三中班额过大、校舍陈旧，建议加快改扩建项目。",
        "ZF-JY",
        Category.EDUCATION,
    ),
    (
        "工伤认定和残疾办证一网通办",
        "工伤认定和残疾办证需多次跑腿，建议网上一网通办。",
        "ZF-RS",
        Category.SOCIAL,
    ),
    (
        "惠企政策落地见效",
        "中小企业反映惠企政策申报繁琐，建议简化流程、免申即享。",
        "ZF-FG",
        Category.ECONOMY,
    ),
    (
        "农村居民饮水安全",
        "部分村组自来水管网老化，夏季经常停水，建议改造管网。",
        "ZF-SL",
        Category.AGRICULTURE,
    ),
    ("城市书房建设", "建议在社区增设城市书房，延长开放时间。", "ZF-WL", Category.CULTURE),
    (
        "口袋公园建设",
        "中心城区缺少休闲空间，建议利用边角地建设口袋公园。",
        "ZF-ZJ",
        Category.URBAN_RURAL,
    ),
    (
        "老旧小区加装电梯",
        "老旧小区老年人上下楼困难，建议简化加装电梯审批、提高补贴。",
        "ZF-ZJ",
        Category.URBAN_RURAL,
    ),
    (
        "背街小巷路灯维修",
        "背街小巷路灯损坏多年未修，夜间出行不安全。",
        "ZF-CG",
        Category.URBAN_RURAL,
    ),
    (
        "养老服务设施建设",
        "社区养老服务设施不足，建议建设嵌入式养老服务站点。",
        "ZF-MZ",
        Category.SOCIAL,
    ),
    (
        "公共法律服务进社区",
        "建议在社区设立公共法律服务工作室，方便群众咨询。",
        "ZF-SF",
        Category.SOCIAL,
    ),
    ("公交线路优化", "新建小区周边缺少公交站点，建议优化线路。", "ZF-JT", Category.URBAN_RURAL),
    ("基层医疗服务能力", "乡镇卫生院设备老化、人才流失，建议加大投入。", "ZF-WJ", Category.HEALTH),
    ("长江岸线生态修复", "建议加快长江岸线废弃矿山生态修复。", "ZF-SthJ", Category.ENVIRONMENT),
    ("幸福食堂运营补贴", "建议完善幸福食堂运营补贴，保障可持续运营。", "ZF-MZ", Category.SOCIAL),
    ("停车难停车乱治理", "建议增加停车泊位供给，规范占道停车。", "ZF-GA", Category.URBAN_RURAL),
    ("农村垃圾清运", "部分农村垃圾清运不及时，建议完善收运体系。", "ZF-NY", Category.AGRICULTURE),
]


def _at(d: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=TZ)


def _session_name(year: int) -> str:
    n = year - 2021  # 市十五届人大一次会议 met in 2022
    return f"市十五届人大{NUMERALS[n] if 0 < n <= 10 else n}次会议"


def seed() -> dict[str, int]:
    User = get_user_model()
    users = {u.username: u for u in User.objects.all()}
    orgs = {o.code: o for o in Organisation.objects.all()}
    deputies = list(
        Membership.objects.filter(role=Role.DEPUTY, person__deputy__isnull=False)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()
    )
    counts = _history(users, orgs, deputies)
    counts.update(_campaign_history(users, orgs, deputies))
    counts.update(_current(users, orgs, deputies))
    return counts


# --- 2023: the year's ledger, in bulk ---------------------------------------------------------


def _units(orgs: dict[str, Organisation]) -> list[Organisation]:
    return [o for o in orgs.values() if o.kind == OrgKind.HANDLING_UNIT]


@transaction.atomic
def _history(
    users: dict[str, Any], orgs: dict[str, Organisation], deputies: list[int]
) -> dict[str, int]:
    clerk, office_user = users["congress_clerk"], users["gov_supervisor"]
    office, gov_office = orgs["RD-DBGW"], orgs["ZF-DCS"]
    year = HISTORY_YEAR
    session = services.session_create(
        actor=clerk,
        data={
            "name": _session_name(year),
            "opens_on": date(year, 1, 10),
            "closes_on": date(year, 1, 13),
            "office_id": office.pk,
            "is_current": False,
        },
    )
    assigned_on = date(year, 2, 10)
    batch = AssignmentBatch.objects.create(
        state=BatchState.ISSUED,
        proposed_org=office,
        proposed_by=clerk,
        proposed_at=_at(date(year, 2, 6)),
        confirmed_org=gov_office,
        confirmed_by=office_user,
        confirmed_at=_at(assigned_on),
        note="承办大户提前会商后联合交办。",
        items=[],
    )
    units = _units(orgs)
    by_code = {u.code: u for u in units}
    rows: list[Suggestion] = []
    plan: list[dict[str, Any]] = []
    for i in range(HISTORY_COUNT):
        topic, text, code, category = TOPICS[i % len(TOPICS)]
        # The named topics go to their unit; the rest spread over every handling unit.
        unit = by_code.get(code) if i < len(TOPICS) * 3 else units[i % len(units)]
        unit = unit or units[i % len(units)]
        co = units[(i * 7 + 3) % len(units)] if i % 5 == 0 else None
        if co is not None and co.pk == unit.pk:
            co = None
        late = i % 17 == 9  # a few answered after the deadline
        verdict = (
            Satisfaction.UNSATISFIED
            if i % 23 == 11
            else Satisfaction.BASICALLY
            if i % 6 == 5
            else Satisfaction.SATISFIED
        )
        reply_on = assigned_on + timedelta(days=(96 if late else 40 + (i * 3) % 45))
        title = f"关于{topic}的建议" if i < len(TOPICS) else f"关于{topic}的建议（{i + 1}）"
        submitted = _at(date(year, 1, 10 + i % 4), 9 + i % 8)
        plan.append({"unit": unit, "co": co, "late": late, "verdict": verdict, "reply": reply_on})
        rows.append(
            Suggestion(
                session=session,
                number=i + 1,
                title=title,
                content=text,
                category=category,
                raised_during=RaisedDuring.RECESS if i % 9 == 4 else RaisedDuring.SESSION,
                lead_deputy_id=deputies[i % len(deputies)],
                office=office,
                submitted_by=clerk,
                submitted_at=submitted,
                status=SuggestionStatus.CLOSED,
                reviewed_at=_at(date(year, 1, 20)),
                reviewed_by=clerk,
                assigned_at=_at(assigned_on),
                lead_unit=unit,
                received_at=_at(assigned_on + timedelta(days=1)),
                contact_due_at=_at(assigned_on + timedelta(days=3)),
                first_contact_at=_at(assigned_on + timedelta(days=2), 10),
                reply_due_at=_at(date(year, 5, 10), 23, 59),
                replied_at=_at(reply_on, 15),
                reply_round=2 if verdict == Satisfaction.UNSATISFIED else 1,
                reply_category=_category(i),
                first_reply_on_time=not late,
                verdict=Satisfaction.SATISFIED if verdict == Satisfaction.UNSATISFIED else verdict,
                verdict_at=_at(reply_on + timedelta(days=12)),
                closed_at=_at(reply_on + timedelta(days=12)),
                search_tokens=search.tokens_for(title, text),
            )
        )
    rows = Suggestion.objects.bulk_create(rows)
    if rows[0].pk is None:  # a database that does not return ids on bulk insert
        rows = list(Suggestion.objects.filter(session=session).order_by("number"))
    assignments, contacts, replies = [], [], []
    for s, p in zip(rows, plan, strict=True):
        for unit, role in ((p["unit"], AssignmentRole.LEAD), (p["co"], AssignmentRole.CO)):
            if unit is None:
                continue
            assignments.append(
                Assignment(
                    suggestion=s,
                    unit=unit,
                    role=role,
                    batch=batch,
                    status=AssignmentStatus.RECEIVED,
                    assigned_at=s.assigned_at,
                    assigned_by=office_user,
                    respond_by=_at(assigned_on + timedelta(days=7)),
                    received_at=s.received_at,
                )
            )
    assignments = Assignment.objects.bulk_create(assignments)
    if assignments[0].pk is None:
        assignments = list(Assignment.objects.filter(batch=batch).order_by("id"))
    leads = {a.suggestion_id: a for a in assignments if a.role == AssignmentRole.LEAD}
    opinions = [
        CoUnitOpinion(
            suggestion_id=a.suggestion_id,
            assignment=a,
            round=1,
            text="同意主办单位的办理方案。",
            submitted_by=clerk,
            submitted_at=_at(assigned_on + timedelta(days=20)),
        )
        for a in assignments
        if a.role == AssignmentRole.CO
    ]
    for s, p in zip(rows, plan, strict=True):
        contacts.append(
            Contact(
                suggestion=s,
                assignment=leads[s.pk],
                method=ContactMethod.PHONE if s.number % 3 else ContactMethod.FACE_TO_FACE,
                contacted_at=s.first_contact_at,
                deputy_id=s.lead_deputy_id,
                agreed="与领衔代表沟通办理思路，代表同意。",
                recorded_by=clerk,
                recorded_at=s.first_contact_at,
            )
        )
        rounds = [(1, s.reply_category, _at(p["reply"], 15), not p["late"])]
        if p["verdict"] == Satisfaction.UNSATISFIED:
            rounds.append((2, _category(0), _at(p["reply"] + timedelta(days=40), 15), True))
        for round_, category, sent, on_time in rounds:
            replies.append(
                Reply(
                    suggestion=s,
                    round=round_,
                    unit=p["unit"],
                    category=category,
                    signer="局长",
                    text="经研究，已将代表建议纳入年度工作计划并组织实施，办理情况如下。",
                    public_text="已研究落实。",
                    sent_at=sent,
                    sent_by=clerk,
                    on_time=on_time,
                )
            )
    Contact.objects.bulk_create(contacts)
    CoUnitOpinion.objects.bulk_create(opinions)
    replies = Reply.objects.bulk_create(replies)
    if replies[0].pk is None:
        replies = list(Reply.objects.filter(suggestion__session=session).order_by("id"))
    verdicts = []
    by_pk = {s.pk: (s, p) for s, p in zip(rows, plan, strict=True)}
    for r in replies:
        s, p = by_pk[r.suggestion_id]
        given = p["verdict"] if r.round == 1 else Satisfaction.SATISFIED
        verdicts.append(
            Verdict(
                suggestion=s,
                reply=r,
                deputy_id=s.lead_deputy_id,
                on_attitude=Satisfaction.SATISFIED,
                on_result=given,
                overall=given,
                comment="" if given != Satisfaction.UNSATISFIED else "办理结果未达预期。",
                given_at=r.sent_at + timedelta(days=12),
                recorded_by=clerk,
            )
        )
    Verdict.objects.bulk_create(verdicts)
    counts = {
        "suggestions": len(rows),
        "assignments": len(assignments),
        "replies": len(replies),
        "verdicts": len(verdicts),
    }
    audit.event(
        clerk, "suggestions.history.loaded", session, office.pk, after={"year": year, **counts}
    )
    return {f"{year}_suggestions": len(rows)}


def _category(i: int) -> str:
    from wulian.suggestions import reply_classes

    values = reply_classes.codes()  # the classes the site configured (A–D by default)
    pattern = [0, 0, 1, 0, 2, 0, 1]  # mostly A (solved), then B, then C
    return values[min(pattern[i % len(pattern)], len(values) - 1)]


@transaction.atomic
def _campaign_history(
    users: dict[str, Any], orgs: dict[str, Organisation], deputies: list[int]
) -> dict[str, int]:
    clerk = users["congress_clerk"]
    year = HISTORY_YEAR
    campaign = services.campaign_create(
        actor=clerk,
        data={
            "name": CAMPAIGN,
            "year": year,
            "organiser_id": orgs["RD-DBGW"].pk,
            "starts_on": date(year, 3, 1),
            "ends_on": date(year, 11, 30),
            "description": "“三进三促”代表行动：进企业、进社区、进村组，促发展、促民生、促和谐。",
        },
    )
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.CLOSED)
    units = _units(orgs)
    themes = ("惠企政策落地", "农村居民饮水安全", "城市书房建设", "口袋公园建设", "社区养老服务")
    opinions = []
    for i in range(CAMPAIGN_COLLECTED):
        collected = date(year, 3, 1) + timedelta(days=(i * 5) % 260)
        unit = units[i % len(units)]
        done = i < CAMPAIGN_COMPLETED
        opinions.append(
            CampaignOpinion(
                campaign=campaign,
                number=i + 1,
                content=f"群众反映{themes[i % len(themes)]}方面的问题，希望尽快解决（{i + 1}）。",
                collected_by_id=deputies[i % len(deputies)],
                collected_on=collected,
                place="代表联络站",
                registered_by=clerk,
                registered_at=_at(collected, 17),
                state=OpinionState.COMPLETED if done else OpinionState.ASSIGNED,
                unit=unit,
                assigned_at=_at(collected + timedelta(days=3)),
                assigned_by=clerk,
                result="已办结并向代表反馈。" if done else "",
                completed_at=_at(collected + timedelta(days=30)) if done else None,
                completed_by=clerk if done else None,
            )
        )
    CampaignOpinion.objects.bulk_create(opinions)
    audit.event(
        clerk,
        "suggestions.history.loaded",
        campaign,
        campaign.organiser_id,
        after={"year": year, "opinions": len(opinions), "completed": CAMPAIGN_COMPLETED},
    )
    return {f"{year}_campaign_opinions": len(opinions)}


# --- This year's session, in progress, through the services ---------------------------------


def _current(
    users: dict[str, Any], orgs: dict[str, Organisation], deputies: list[int]
) -> dict[str, int]:
    clerk, office_user = users["congress_clerk"], users["gov_supervisor"]
    deputy, unit_a, unit_b = users["deputy"], users["unit_a"], users["unit_b"]
    a, b = orgs["ZF-MZ"], orgs["ZF-SF"]
    today = timezone.localdate()
    year = today.year if today >= date(today.year, 1, 20) else today.year - 1
    session = services.session_create(
        actor=clerk,
        data={
            "name": _session_name(year),
            "opens_on": date(year, 1, 10),
            "closes_on": date(year, 1, 13),
            "office_id": orgs["RD-DBGW"].pk,
            "is_current": True,
        },
    )
    own = [
        ("社区嵌入式养老服务站建设", "社区老年人多，建议建设嵌入式养老服务站，提供助餐助浴。"),
        ("城区公共法律服务工作室", "建议在每个社区设立公共法律服务工作室，方便群众咨询。"),
        ("老旧小区加装电梯补贴", "建议提高老旧小区加装电梯补贴标准，简化审批。"),
        ("困难群众临时救助", "临时救助审批时间长，建议下放审批权限、缩短时限。"),
        ("人民调解员队伍建设", "基层人民调解员待遇低、流失多，建议完善补贴。"),
        ("婚姻登记预约服务", "建议开通婚姻登记网上预约，节假日延时服务。"),
        ("社区矫正信息化", "建议建设社区矫正信息化平台，提升监管效率。"),
        ("殡葬服务收费规范", "建议规范殡葬服务收费，公开收费标准。"),
        ("行政复议便民服务", "建议在县区设立行政复议受理点，方便群众申请。"),
    ]
    made = []
    for topic, text in own:
        made.append(
            services.suggestion_submit(
                actor=deputy,
                data={
                    "session_id": session.pk,
                    "title": f"关于{topic}的建议",
                    "content": text,
                    "category": Category.SOCIAL,
                    "raised_during": RaisedDuring.SESSION,
                },
            )
        )

    def v(pk: int) -> int:
        return Suggestion.objects.values_list("version", flat=True).get(pk=pk)

    # 0: waits for review (the clerk); the rest accepted.
    for s in made[1:]:
        services.suggestion_accept(actor=clerk, suggestion_id=s.pk, version=v(s.pk))
    # 1: accepted, waits to be assigned (the clerk). 2–3: a joint assignment the clerk
    # prepared, waiting for the government supervision office's countersignature.
    services.batch_propose(
        actor=clerk,
        items=[
            {"suggestion_id": made[2].pk, "version": v(made[2].pk), "lead_unit_id": a.pk},
            {"suggestion_id": made[3].pk, "version": v(made[3].pk), "lead_unit_id": b.pk},
        ],
        note="请政务督查室会签。",
    )
    # 4–8: assigned jointly.
    plan = [
        (made[4], a, [b]),  # unit A leads, unit B co-handles: both received, B owes its opinion
        (made[5], a, []),  # waits for unit A's receipt
        (made[6], b, []),  # unit B answered: the deputy rates it
        (made[7], a, []),  # unit A answered, the deputy 不满意: reopened, supervision order
        (made[8], b, []),  # answered and rated 满意: closed
    ]
    batch = services.batch_propose(
        actor=clerk,
        items=[
            {
                "suggestion_id": s.pk,
                "version": v(s.pk),
                "lead_unit_id": lead.pk,
                "co_unit_ids": [c.pk for c in co],
            }
            for s, lead, co in plan
        ],
        note="承办大户提前会商后联合交办。",
    )
    services.batch_confirm(actor=office_user, batch_id=batch.pk, version=batch.version)
    liaison = {a.pk: unit_a, b.pk: unit_b}
    for s, _lead, _co in plan:
        if s.pk == made[5].pk:
            continue
        for asg in Assignment.objects.filter(suggestion=s).order_by("-role", "id"):
            services.assignment_receive(
                actor=liaison[asg.unit_id], assignment_id=asg.pk, version=asg.version
            )
    for s, lead, _co in plan[2:]:
        services.contact_record(
            actor=liaison[lead.pk],
            suggestion_id=s.pk,
            method=ContactMethod.PHONE,
            contacted_at=timezone.now(),
            agreed="电话联系领衔代表，沟通办理思路，代表同意。",
        )
        services.reply_send(
            actor=liaison[lead.pk],
            suggestion_id=s.pk,
            version=v(s.pk),
            category=_category(0) if lead.pk == b.pk else _category(2),
            signer="局长",
            text="经研究，已将代表建议纳入年度工作计划，具体办理情况如下。",
            public_text="已纳入年度工作计划。",
        )
    services.verdict_give(
        actor=deputy,
        suggestion_id=made[7].pk,
        version=v(made[7].pk),
        on_attitude=Satisfaction.BASICALLY,
        on_result=Satisfaction.UNSATISFIED,
        comment="答复只列入计划，没有具体时间表。",
    )
    order = services.supervision_issue(
        actor=clerk,
        suggestion_id=made[7].pk,
        kind=SupervisionKind.UNSATISFACTORY,
        requirements="请与代表当面沟通，明确实施时间表，并报告办理情况。",
    )
    services.supervision_escalate(
        actor=clerk,
        order_id=order.pk,
        version=order.version,
        note="代表反映集中、答复敷衍，通报市纪委监委关注。",
    )
    services.verdict_give(
        actor=deputy,
        suggestion_id=made[8].pk,
        version=v(made[8].pk),
        on_attitude=Satisfaction.SATISFIED,
        on_result=Satisfaction.SATISFIED,
    )

    # This year's 三进三促: opinions to complete by units A and B.
    campaign = services.campaign_create(
        actor=clerk,
        data={
            "name": CAMPAIGN,
            "year": year,
            "organiser_id": orgs["RD-DBGW"].pk,
            "starts_on": today - timedelta(days=10),
        },
    )
    for n, (unit, text) in enumerate(
        ((a, "社区助餐点价格偏高，希望给予补贴。"), (b, "希望法律援助申请能在网上办理。"))
    ):
        o = services.opinion_register(
            actor=clerk,
            campaign_id=campaign.pk,
            data={
                "content": text,
                "collected_on": today - timedelta(days=3 + n),
                "collected_by_id": deputy.person.pk,
                "place": "黄石港区胜阳港街道人大代表联络站",
            },
        )
        services.opinion_assign(actor=clerk, opinion_id=o.pk, version=o.version, unit_id=unit.pk)

    _clue(users, orgs)
    return {"current_suggestions": len(made)}


def _clue(users: dict[str, Any], orgs: dict[str, Organisation]) -> None:
    """A clue the congress side transferred to the CDI, waiting to be received."""
    from wulian.core.clues import services as clue_services

    leader = users["congress_leader"]
    clue = clue_services.clue_draft(
        actor=leader,
        data={
            "subject_name": "某某",
            "subject_post": "某局执法人员",
            "violation_type": "integrity",
            "content": "案件质量评查中发现执行案款发放迟延，当事人反映有关人员收受好处。",
            "sending_org_id": orgs["RD-JSW"].pk,
            "receiving_org_id": orgs["JW"].pk,
        },
    )
    clue_services.clue_transfer(actor=leader, clue_id=clue.pk, version=clue.version)
