"""The livelihood demo: the 2023 cycle of the article, through the services with the demo
accounts (and one liaison per responsible department) as actors.

Fifteen candidates (public, deputies, stations, departments) → screened → 代表票决 by slips in
the session (45 deputies, 10 places) → the 决定 → ten projects, four of which the article
names and whose figures it reproduces exactly: 20/20 建制村 rural environment projects, 600 km
of 四好农村路 (612.5 km done: 超额完成), 25 保障性租赁住房 projects / 6,256 units, 50 幸福食堂
built and in use. Monthly actuals (photos with their EXIF time and place; one photo without),
one deviation warning, two joint activities and one 暗访 with its bulletin, and the
satisfaction test at the 2024 session (one project 不满意 → rectification, 专题询问 topic)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from wulian.core.access import actor_for
from wulian.core.choices import Role
from wulian.core.models import Membership, Organisation, Person
from wulian.core.polls import services as polls
from wulian.core.polls import tally
from wulian.livelihood import exif, services
from wulian.livelihood.choices import CandidateSource, GroupRole
from wulian.livelihood.models import Actual, Project
from wulian.livelihood.services.cycle import group_set

SH = ZoneInfo("Asia/Shanghai")
YEAR = 2023
DEPUTIES = 45
HUANGSHI = (Decimal("30.199650"), Decimal("115.038520"))

# title, source, proposer, responsible code, budget (万元), indicators, elected, co-departments
CANDIDATES = [
    (
        "农村人居环境整治",
        CandidateSource.DEPUTY,
        "市人大代表 张卫东",
        "ZF-NY",
        3200,
        "建制村人居环境整治|20|个|完工|0",
        True,
        ["ZF-SthJ"],
    ),
    (
        "四好农村路建设",
        CandidateSource.STATION,
        "大冶市代表联络站",
        "ZF-JT",
        48000,
        "农村公路提档升级|600|公里|长度|0",
        True,
        [],
    ),
    (
        "保障性租赁住房建设",
        CandidateSource.GOVERNMENT,
        "市住建局",
        "ZF-ZJ",
        156000,
        "保障性租赁住房项目|25|个|完工|0\n保障性租赁住房房源|6256|套（间）|数量|0",
        True,
        ["ZF-FG"],
    ),
    (
        "幸福食堂建设",
        CandidateSource.PUBLIC,
        "群众来信（黄石港区）",
        "ZF-MZ",
        2500,
        "幸福食堂|50|个|建成并投用|0",
        True,
        ["ZF-SJ"],
    ),
    (
        "城区智慧停车泊位建设",
        CandidateSource.DEPUTY,
        "市人大代表 陈立新",
        "ZF-CG",
        4200,
        "新增公共停车泊位|3000|个|数量|0",
        True,
        ["ZF-GA"],
    ),
    (
        "中小学校园食堂“明厨亮灶”",
        CandidateSource.PUBLIC,
        "家长委员会来信",
        "ZF-JY",
        900,
        "学校食堂“明厨亮灶”改造|120|所|完工|0",
        True,
        ["ZF-SJ"],
    ),
    (
        "老旧小区改造",
        CandidateSource.STATION,
        "下陆区代表联络站",
        "ZF-ZJ",
        36000,
        "老旧小区改造|30|个|完工|0",
        True,
        [],
    ),
    (
        "社区嵌入式托育点",
        CandidateSource.DEPUTY,
        "市人大代表 刘敏",
        "ZF-WJ",
        1800,
        "普惠托育点|15|个|建成并投用|0",
        True,
        [],
    ),
    (
        "城乡供水一体化",
        CandidateSource.GOVERNMENT,
        "市水利和湖泊局",
        "ZF-SL",
        22000,
        "新增农村集中供水人口|5|万人|数量|0",
        True,
        [],
    ),
    (
        "困难群众就业援助",
        CandidateSource.STATION,
        "铁山区代表联络站",
        "ZF-RS",
        1200,
        "援助就业困难人员就业|3000|人|数量|0",
        True,
        [],
    ),
    (
        "黄荆山步道提升",
        CandidateSource.PUBLIC,
        "网络征集",
        "ZF-WL",
        2600,
        "步道提升|25|公里|长度|0",
        False,
        [],
    ),
    (
        "城区公厕改造",
        CandidateSource.PUBLIC,
        "网络征集",
        "ZF-CG",
        1500,
        "公厕改造|80|座|完工|0",
        False,
        [],
    ),
    (
        "基层医疗机构能力提升",
        CandidateSource.DEPUTY,
        "市人大代表 周红",
        "ZF-WJ",
        5000,
        "村卫生室标准化建设|100|个|完工|0",
        False,
        [],
    ),
    (
        "农贸市场升级改造",
        CandidateSource.STATION,
        "西塞山区代表联络站",
        "ZF-SW",
        3000,
        "农贸市场改造|12|个|完工|0",
        False,
        [],
    ),
    (
        "应急避难场所建设",
        CandidateSource.GOVERNMENT,
        "市应急管理局",
        "ZF-YJ",
        4000,
        "应急避难场所|10|处|完工|0",
        False,
        [],
    ),
]
# 赞成 votes (of 45): the ten elected above half of all deputies; the others below.
FOR_VOTES = [44, 43, 42, 44, 33, 38, 36, 31, 29, 27, 21, 18, 20, 15, 12]
# The cumulative share of the target reached at each month's end (12 values).
CURVE = [0.05, 0.12, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.96, 1.0]
# The parking project lags in summer (the deviation warning) and catches up by December.
LAGGING = [0.04, 0.1, 0.18, 0.25, 0.28, 0.33, 0.45, 0.66, 0.8, 0.9, 0.96, 1.0]
FINAL = {"农村公路提档升级": Decimal("612.5")}
# Satisfaction at the 2024 session: (满意, 基本满意, 不满意) shares per project number.
SATISFACTION = {n: (0.8, 0.17) for n in range(1, 11)} | {5: (0.2, 0.25), 8: (0.55, 0.35)}


def _liaison(code: str) -> object:
    """The department's liaison (a demo person without a sign-in), who reports its actuals."""
    org = Organisation.objects.get(code=code)
    existing = (
        Membership.objects.filter(organisation=org, role=Role.LIAISON, is_active=True)
        .select_related("person__user")
        .first()
    )
    if existing is not None and existing.person.user_id:
        return actor_for(existing.person.user)
    user = get_user_model().objects.create(username=f"lv_{code.lower()}", is_active=True)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    person = Person.objects.create(name=f"{org.short_name or org.name}联络员", user=user)
    Membership.objects.create(person=person, organisation=org, role=Role.LIAISON)
    return actor_for(user)


def _photo(name: str, when: datetime | None, where: tuple[Decimal, Decimal] | None):
    data = exif.jpeg_with_exif(when, *(where or (None, None)))
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def seed() -> dict[str, int]:
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["congress_clerk", "stationed", "deputy", "cdi_officer", "gov_supervisor"]
        )
    }
    if len(users) < 5:
        return {"livelihood": 0}
    clerk = actor_for(users["congress_clerk"])
    witness = actor_for(users["stationed"])
    deputy = actor_for(users["deputy"])
    screener = actor_for(users["gov_supervisor"])
    organiser = Membership.objects.filter(
        person__user=users["congress_clerk"], role=Role.STAFF
    ).values_list("organisation_id", flat=True)[0]
    group_org = Membership.objects.filter(person__user=users["stationed"]).values_list(
        "organisation_id", flat=True
    )[0]
    orgs = dict(Organisation.objects.values_list("code", "pk"))
    rng = random.Random(YEAR)  # noqa: S311 - the demo's made-up votes, repeatable

    cycle = services.cycle_create(
        clerk,
        year=YEAR,
        title="2023年市级民生实事项目",
        organiser_id=organiser,
        places=10,
        deputies=DEPUTIES,
    )
    for title, source, proposer, code, budget, lines, _e, _co in CANDIDATES:
        c = services.candidate_add(
            clerk, cycle_id=cycle.pk, title=title, source=source, proposer=proposer
        )
        services.candidate_screen(
            screener,
            candidate_id=c.pk,
            shortlist=True,
            budget=Decimal(budget),
            responsible_id=orgs[code],
            indicators=lines,
            note="经市政府常务会议研究，列为候选项目。",
        )
    opens = datetime(2023, 1, 12, 9, 0, tzinfo=SH)
    cycle = services.vote_open(
        clerk,
        cycle_id=cycle.pk,
        witness_id=group_org,
        opens_at=opens,
        closes_at=opens + timedelta(hours=2),
    )
    poll = cycle.vote_poll
    group = poll.groups.get()
    codes = polls.slips_issue(clerk, poll_id=poll.pk, group_id=group.pk, count=DEPUTIES)
    polls.open_request(clerk, poll_id=poll.pk)
    polls.open_cosign(witness, poll_id=poll.pk)
    items = list(poll.items.all())
    votes = dict(zip([c[0] for c in CANDIDATES], FOR_VOTES, strict=True))
    # Deputy k votes 赞成 for a candidate when k < its 赞成 count; otherwise 反对 or 弃权.
    for k, code in enumerate(codes):
        choices = {
            item.pk: tally.FOR
            if k < votes[item.label]
            else (tally.AGAINST if rng.random() < 0.7 else tally.ABSTAIN)
            for item in items
        }
        polls.ballot_cast(
            None, poll_id=poll.pk, choices=choices, slip=code, now=opens + timedelta(minutes=30)
        )
    polls.poll_close(clerk, poll_id=poll.pk)
    polls.poll_seal(clerk, poll_id=poll.pk)
    polls.poll_certify(witness, poll_id=poll.pk)
    cycle = services.cycle_decide(clerk, cycle_id=cycle.pk, decision_number="黄人常〔2023〕3号")

    # The supervision groups, co-departments and milestones.
    people = {
        "head": users["congress_clerk"].person,
        "deputy": users["deputy"].person,
        "cdi": users["cdi_officer"].person,
    }
    monitor, _ = Person.objects.get_or_create(
        name="清廉监督员 黄丽", defaults={"title": "清廉监督员"}
    )
    projects = list(Project.objects.filter(cycle=cycle).order_by("number"))
    co = {c[0]: c[7] for c in CANDIDATES}
    responsible = {c[0]: c[3] for c in CANDIDATES}
    for p in projects:
        group_set(
            clerk,
            project_id=p.pk,
            members=[
                (people["head"].pk, GroupRole.HEAD),
                (people["deputy"].pk, GroupRole.DEPUTY),
                (monitor.pk, GroupRole.MONITOR),
                (people["cdi"].pk, GroupRole.CDI_CONTACT),
            ],
        )
        if co[p.title]:
            p.co_departments.set([orgs[c] for c in co[p.title]])
        p.milestones.create(
            title="开工", due_on=datetime(2023, 3, 31).date(), done_on=datetime(2023, 3, 28).date()
        )
        p.milestones.create(
            title="完工",
            due_on=datetime(2023, 12, 31).date(),
            done_on=datetime(2023, 12, 20).date(),
        )

    # Monthly actuals, verified by the group's deputy; photos at midyear and year end.
    reports = 0
    for p in projects:
        reporter = _liaison(responsible[p.title])
        curve = LAGGING if p.title == "城区智慧停车泊位建设" else CURVE
        for indicator in p.indicators.order_by("position"):
            final = FINAL.get(indicator.name, indicator.target)
            for month in range(1, 13):
                value = (final * Decimal(str(curve[month - 1]))).quantize(Decimal("0.01"))
                if month == 12:
                    value = final
                if indicator.unit in ("个", "套（间）", "所", "人", "处", "座"):
                    value = value.quantize(Decimal("1"))
                photos = []
                if month in (6, 12) and indicator.position == 0:
                    taken = datetime(YEAR, month, 25, 10, 30, tzinfo=SH)
                    photos.append(_photo(f"{p.number}-{month}.jpg", taken, HUANGSHI))
                    if p.number == 3 and month == 6:
                        photos.append(_photo(f"{p.number}-{month}-b.jpg", None, None))
                actual = services.actual_report(
                    reporter,
                    project_id=p.pk,
                    indicator_id=indicator.pk,
                    month=month,
                    value=value,
                    value_in_use=value if indicator.kind == "in_use" else None,
                    narrative=f"{month}月累计完成{value}{indicator.unit}。",
                    photos=photos,
                )
                reports += 1
                if not (p.number == 1 and month == 12):  # one left for the deputy to verify
                    services.actual_verify(deputy, actual_id=actual.pk, note="已现场核实。")
                    if photos and month == 12:
                        services.photos_publish(
                            clerk,
                            actual_id=actual.pk,
                            photo_ids=[
                                ph.pk
                                for ph in Actual.objects.get(pk=actual.pk).photos.filter(
                                    readable=True
                                )
                            ],
                        )

    _activities(clerk, users, projects, orgs, organiser)

    # The satisfaction test at the 2024 session, by slips.
    at = datetime(2024, 1, 10, 15, 0, tzinfo=SH)
    cycle = services.satisfaction_open(
        clerk,
        cycle_id=cycle.pk,
        witness_id=group_org,
        opens_at=at,
        closes_at=at + timedelta(hours=1),
    )
    spoll = cycle.satisfaction_poll
    sgroup = spoll.groups.get()
    slips = polls.slips_issue(clerk, poll_id=spoll.pk, group_id=sgroup.pk, count=40)
    polls.open_request(clerk, poll_id=spoll.pk)
    polls.open_cosign(witness, poll_id=spoll.pk)
    sitems = list(spoll.items.all())
    numbers = {p.title: p.number for p in projects}
    for code in slips:
        choices = {}
        for item in sitems:
            s, b = SATISFACTION[numbers[item.label]]
            x = rng.random()
            choices[item.pk] = (
                tally.SATISFIED if x < s else (tally.BASIC if x < s + b else tally.UNSATISFIED)
            )
        polls.ballot_cast(
            None, poll_id=spoll.pk, choices=choices, slip=code, now=at + timedelta(minutes=10)
        )
    polls.poll_close(clerk, poll_id=spoll.pk)
    polls.poll_seal(clerk, poll_id=spoll.pk)
    polls.poll_certify(witness, poll_id=spoll.pk)
    services.satisfaction_record(clerk, cycle_id=cycle.pk)
    return {"livelihood_projects": len(projects), "livelihood_reports": reports}


def _activities(clerk, users, projects, orgs, organiser) -> None:
    """Two joint activities (a concentrated inspection and on-site supervision, with the CDI)
    and one 暗访 reported by its bulletin."""
    from wulian.core.activities import services as activities
    from wulian.core.activities.choices import ActivityKind, ParticipantRole
    from wulian.core.bulletins.services import issue_bulletin

    by_title = {p.title: p for p in projects}
    cdi = Membership.objects.filter(person__user=users["cdi_officer"]).values_list(
        "organisation_id", flat=True
    )[0]
    plan = [
        (
            ActivityKind.CONCENTRATED_INSPECTION,
            "四好农村路建设集中视察",
            "四好农村路建设",
            datetime(2023, 6, 15, 9, 0, tzinfo=SH),
        ),
        (
            ActivityKind.ONSITE_SUPERVISION,
            "幸福食堂建设现场督办",
            "幸福食堂建设",
            datetime(2023, 9, 20, 9, 0, tzinfo=SH),
        ),
        (
            ActivityKind.UNDERCOVER_VISIT,
            "城区停车泊位建设暗访",
            "城区智慧停车泊位建设",
            datetime(2023, 7, 5, 14, 0, tzinfo=SH),
        ),
    ]
    for kind, title, project, when in plan:
        a = activities.activity_create(
            actor=clerk,
            data={
                "organiser_id": organiser,
                "kind": kind,
                "title": title,
                "starts_at": when,
                "ends_at": when + timedelta(hours=3),
                "place": "黄石市",
                "notes": "人大常委会与市纪委监委联合开展。",
            },
        )
        if kind != ActivityKind.UNDERCOVER_VISIT:
            activities.activity_participant_add(
                actor=clerk, activity_id=a.pk, organisation_id=cdi, role=ParticipantRole.PARTICIPANT
            )
            activities.activity_participant_add(
                actor=clerk,
                activity_id=a.pk,
                organisation_id=by_title[project].responsible_id,
                role=ParticipantRole.PARTICIPANT,
            )
        activities.activity_record_link(actor=clerk, activity_id=a.pk, record=by_title[project])
        a.refresh_from_db()
        activities.activity_hold(actor=clerk, activity_id=a.pk, version=a.version)
        if kind == ActivityKind.UNDERCOVER_VISIT:
            a.refresh_from_db()
            issue_bulletin(
                clerk,
                issuer_id=organiser,
                title="关于城区停车泊位建设暗访情况的通报",
                body="一、基本情况\n7月5日，联合暗访发现部分新建泊位未按期投用。\n二、工作要求\n责任单位限期整改。",
                recipient_ids=[cdi, by_title[project].responsible_id],
                linked_record=a,
            )
