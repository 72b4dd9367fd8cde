"""The judicial link's demo data, modelled on the article's 2023 figures: a pool of 54 experts
(deputies, lawyers, university professors), a 2023 case-quality review of enterprise-related
trial, enforcement and supervision cases drawn under the stationed group's eye, 12 suggestions
to the court and the procuratorate — all adopted — of which the rectification brought 2 cases
corrected and 2 mechanisms built (终本案件层报审批, 执行案款专人专管), and a few petitions.
Plus a 2026 batch in preparation, for trying the draw.

Everything that changes state goes through the services (with the demo accounts as actors),
so the audit chain, the draw's hashes and the rectification deadlines are real. Only the
reviewers' scores and the answers of experts who have no account are written directly
(in practice the organiser records a telephone answer; the scores stand for paper forms).

Called by `wulian.core.demo.seed()` on an empty database."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from wulian.core.choices import ExpertCategory, Role
from wulian.core.models import ExpertProfile, Membership, Organisation, Person
from wulian.judicial import services
from wulian.judicial.choices import CaseKind
from wulian.judicial.models import Case, Expert, Invitation, PanelSeat, Score

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "明华强军平辉杰涛斌勇敏静丽艳芳娟霞燕玲红梅兰英秀文博宇浩然志刚建国"
FIRMS = (
    "湖北众邦律师事务所",
    "湖北磁湖律师事务所",
    "湖北山力律师事务所",
    "湖北楚天律师事务所",
    "湖北黄石正大律师事务所",
    "湖北东楚律师事务所",
)
UNIVERSITIES = ("湖北师范大学", "湖北理工学院", "武汉大学法学院", "中南财经政法大学")
JUDGES = ("陈卫东", "刘晓明", "王丽娟", "张建华", "李志强", "周红梅", "吴国平", "郑秀英")
# The 2026 batch's judges: none of the 2023 cases' (an expert who reviewed a judge's case in
# the last year is not drawn for that judge's cases again — and the demo's expert, drawn or
# not in 2023 as the draw's random secret falls, must be drawable in 2026).
LATER_JUDGES = ("孙志远", "黄雅琴")
COMPANIES = (
    "黄石华新机械制造有限公司",
    "黄石东贝电器股份有限公司",
    "大冶市鑫达矿业有限公司",
    "阳新县富源建材有限公司",
    "黄石经济技术开发区宏远物流有限公司",
    "黄石市楚天纺织有限公司",
    "湖北美尔雅服饰有限公司",
    "黄石长江建设工程有限公司",
)
MECHANISMS = ("终本案件层报审批制度", "执行案款专人专管制度")


def _name(i: int) -> str:
    return (
        SURNAMES[i % len(SURNAMES)]
        + GIVEN[(i * 7 + i // len(SURNAMES)) % len(GIVEN)]
        + (GIVEN[(i * 3) % len(GIVEN)] if i % 3 else "")
    )


def _pool(organiser: Organisation, actor: Any) -> None:
    """The existing demo experts into the pool, and new ones up to 54: 20 lawyers, 16
    professors, 18 deputies."""
    for profile in ExpertProfile.objects.select_related("person").order_by("id"):
        Expert.objects.get_or_create(profile=profile, defaults={"joined_on": date(2023, 3, 1)})
    have = {
        c: Expert.objects.filter(profile__category=c).count()
        for c in (ExpertCategory.LAWYER, ExpertCategory.PROFESSOR, ExpertCategory.DEPUTY)
    }
    want = {ExpertCategory.LAWYER: 20, ExpertCategory.PROFESSOR: 16, ExpertCategory.DEPUTY: 18}
    i = 200
    for category, target in want.items():
        for _ in range(target - have[category]):
            i += 1
            data: dict[str, Any] = {
                "name": _name(i),
                "category": category,
                "joined_on": date(2023, 3, 1),
            }
            if category == ExpertCategory.LAWYER:
                firm = FIRMS[i % len(FIRMS)]
                data.update(
                    employer=firm, law_firm=firm, specialties=["民事", "商事", "执行"][: 1 + i % 3]
                )
                data["title"] = "律师"
            elif category == ExpertCategory.PROFESSOR:
                data.update(
                    employer=UNIVERSITIES[i % len(UNIVERSITIES)], specialties=["民事", "行政"]
                )
                data["title"] = "教授"
            else:
                data.update(employer=COMPANIES[i % len(COMPANIES)], specialties=["商事"])
                data["title"] = "市人大代表"
            expert = services.expert_add(actor=actor, data=data)
            Membership.objects.create(
                person=expert.profile.person, organisation=organiser, role=Role.EXPERT
            )


def _cases(actor: Any, court: Organisation, procuratorate: Organisation) -> list[Case]:
    cases = []
    specs: list[tuple[str, Organisation, str, str]] = []
    for n in range(12):
        specs.append(
            (f"（2023）鄂02民初{101 + n * 7}号", court, CaseKind.ENTERPRISE_TRIAL, "买卖合同纠纷")
        )
    for n in range(8):
        specs.append((f"（2022）鄂02执{210 + n * 11}号", court, CaseKind.ENFORCEMENT, "申请执行"))
    for n in range(4):
        specs.append(
            (f"黄检民监〔2023〕{12 + n}号", procuratorate, CaseKind.SUPERVISION, "民事诉讼监督")
        )
    for i, (number, body, kind, cause) in enumerate(specs):
        company = COMPANIES[i % len(COMPANIES)]
        person = _name(500 + i)
        role_company = "申请人" if kind == CaseKind.ENFORCEMENT else "被告"
        role_person = "被申请人" if kind == CaseKind.ENFORCEMENT else "原告"
        firm = FIRMS[(i + 2) % len(FIRMS)]
        cases.append(
            services.case_file(
                actor=actor,
                data={
                    "number": number,
                    "court_id": body.pk,
                    "kind": kind,
                    "cause": cause,
                    "parties": f"{company}（{role_company}，企业）\n{person}（{role_person}）",
                    "judges": JUDGES[i % len(JUDGES)],
                    "lawyers": f"{_name(700 + i)}（{firm}，代理{company}）",
                },
            )
        )
    return cases


def _witness_number_drawing(draw: Any, expert: Expert, second: str) -> str:
    """A witness number with which the draw invites the demo's expert, so that his 我的待办 has
    an invitation to answer. Only the demo can do this: it reads the server's secret, which a
    real witness never sees before entering his number (that is the commitment's point)."""
    from wulian.judicial import draw as engine
    from wulian.judicial.services.draws import manifest_of

    manifest = manifest_of(draw)
    secret = bytes.fromhex(draw.secret)
    for n in range(1, 10_000):
        value = f"{(n * 7919) % 10**12:012d}"
        seed = engine.seed(
            manifest_hash=draw.manifest_hash, secret=secret, witness_inputs=[value, second]
        )
        result = engine.run(manifest, seed)
        if any(expert.ref in panel.members for panel in result.panels):
            return value
    return "605129384716"  # (never reached with a pool of 54: any number then)


def _drawn_batch(
    organiser_user: Any, witness_user: Any, organiser: Any, witness: Any, court: Any, year: int
) -> None:
    """A 2026 batch whose draw has run: the drawn experts are invited and answer — the demo's
    expert (杨明哲) among them, his invitation waiting in 我的待办."""
    cases = [
        services.case_file(
            actor=witness_user,
            data={
                "number": f"（{year}）鄂02执{51 + n}号",
                "court_id": court.pk,
                "kind": CaseKind.ENFORCEMENT,
                "cause": "金融借款合同纠纷执行",
                "parties": f"{COMPANIES[(n + 2) % len(COMPANIES)]}（被执行人，企业）\n"
                f"{_name(950 + n)}（申请执行人）",
                "judges": LATER_JUDGES[n % len(LATER_JUDGES)],
            },
        )
        for n in range(2)
    ]
    batch = services.batch_create(
        actor=organiser_user,
        data={
            "title": f"{year}年执行案件质量评查",
            "year": year,
            "organiser_org_id": organiser.pk,
            "witness_org_id": witness.pk,
            "reviewers_per_case": 3,
            "minimums": {"lawyer": 1},
            "case_ids": [c.pk for c in cases],
        },
    )
    d = services.draw_freeze(actor=organiser_user, batch_id=batch.pk, version=batch.version)
    d = services.draw_commit(actor=organiser_user, draw_id=d.pk, version=d.version)
    second = "418305927361"
    demo_expert = Expert.objects.filter(profile__person__user__username="expert").first()
    witness_number = (
        _witness_number_drawing(d, demo_expert, second) if demo_expert else "530618274905"
    )
    services.draw_enter_input(actor=witness_user, draw_id=d.pk, value=witness_number)
    services.draw_enter_input(actor=organiser_user, draw_id=d.pk, value=second)
    d.refresh_from_db()
    services.draw_run(actor=organiser_user, draw_id=d.pk, version=d.version)


def seed() -> dict[str, int]:
    """Create the judicial demo data (after the core demo data)."""
    from django.contrib.auth import get_user_model

    from wulian.core.demo import DEMO_PASSWORD
    from wulian.core.rectification import services as rect_services
    from wulian.core.rectification.models import Rectification

    User = get_user_model()
    users = {u.username: u for u in User.objects.all()}
    organiser_user, witness_user = users["congress_leader"], users["stationed"]
    court_user = users["court_clerk"]
    orgs = {o.code: o for o in Organisation.objects.all()}
    organiser, witness = orgs["RD-JSW"], orgs["JW-PZ-RD"]
    court, procuratorate = orgs["FY"], orgs["JCY"]
    # The procuratorate's liaison (the core demo has an account for the court only).
    procurator = User.objects.create_user(
        username="procuratorate_clerk", password=DEMO_PASSWORD, password_changed_at=timezone.now()
    )
    person = Person.objects.create(name="刘检联", user=procurator, title="市检察院 联络员")
    Membership.objects.create(person=person, organisation=procuratorate, role=Role.LIAISON)

    _pool(organiser, organiser_user)
    cases = _cases(witness_user, court, procuratorate)

    batch = services.batch_create(
        actor=organiser_user,
        data={
            "title": "2023年涉企审判执行及监督案件质量评查",
            "year": 2023,
            "organiser_org_id": organiser.pk,
            "witness_org_id": witness.pk,
            "reviewers_per_case": 3,
            "minimums": {"lawyer": 1, "professor": 1},
            "reserves_per_category": 2,
            "case_ids": [c.pk for c in cases],
        },
    )
    d = services.draw_freeze(actor=organiser_user, batch_id=batch.pk, version=batch.version)
    d = services.draw_commit(actor=organiser_user, draw_id=d.pk, version=d.version)
    services.draw_enter_input(actor=witness_user, draw_id=d.pk, value="605129384716")
    services.draw_enter_input(actor=organiser_user, draw_id=d.pk, value="271935046182")
    d = services.draw_run(actor=organiser_user, draw_id=d.pk, version=d.version)
    for inv in Invitation.objects.filter(draw=d).select_related("expert__profile__person"):
        user = inv.expert.profile.person.user
        services.invitation_accept(
            actor=user or organiser_user, invitation_id=inv.pk, version=inv.version
        )
    batch.refresh_from_db()
    batch = services.batch_open_review(
        actor=organiser_user, batch_id=batch.pk, version=batch.version
    )

    # The reviewers' scores (paper forms entered by the organiser's staff).
    codes = [c["code"] for c in batch.rubric]
    profiles = {
        0: (38, 27, 14, 14),  # excellent
        1: (33, 25, 12, 12),  # qualified
        2: (27, 21, 9, 9),  # flawed
        3: (22, 17, 8, 7),  # unqualified
    }
    now = timezone.now()
    for i, case in enumerate(batch.cases.order_by("id")):
        band = (0, 1, 1, 2, 1, 2, 3, 1)[i % 8]
        for j, seat in enumerate(PanelSeat.objects.filter(case=case).order_by("position")):
            base = profiles[band]
            values = {code: max(0, v - (j % 2)) for code, v in zip(codes, base, strict=True)}
            Score.objects.create(
                seat=seat, values=values, total=sum(values.values()), submitted_at=now
            )
    problems = []
    grades = {0: "excellent", 1: "qualified", 2: "flawed", 3: "unqualified"}
    for i, case in enumerate(batch.cases.order_by("id")):
        band = (0, 1, 1, 2, 1, 2, 3, 1)[i % 8]
        case = services.case_grade(
            actor=organiser_user,
            case_id=case.pk,
            version=case.version,
            grade=grades[band],
            summary="经合议，认定案件等次如上。" if band else "事实清楚，程序合法，文书规范。",
        )
        if band >= 1 and len(problems) < 12:
            text = (
                "终结本次执行程序前未穷尽财产调查措施，未层报审批。"
                if case.kind == CaseKind.ENFORCEMENT
                else "判决书对企业经营损失的认定说理不充分。"
            )
            problems.append(
                services.problem_record(
                    actor=organiser_user,
                    case_id=case.pk,
                    data={
                        "criterion": "enforcement"
                        if case.kind == CaseKind.ENFORCEMENT
                        else "documents",
                        "description": text,
                    },
                )
            )
    services.batch_close(actor=organiser_user, batch_id=batch.pk, version=batch.version)

    # 12 suggestions to the two courts' bodies, all adopted; four rectifications verified and
    # closed, two of them with a case corrected, two with a mechanism built.
    titles = (
        "关于规范终结本次执行程序的建议",
        "关于执行案款专人专管的建议",
        "关于加强涉企案件裁判文书说理的建议",
        "关于依法保护企业经营权益的建议",
        "关于规范财产保全措施的建议",
        "关于提高涉企案件审理效率的建议",
        "关于加强执行和解监督的建议",
        "关于规范送达程序的建议",
        "关于完善涉企案件回访机制的建议",
        "关于加强民事诉讼监督线索管理的建议",
        "关于规范检察建议跟踪落实的建议",
        "关于加强诉讼监督与企业沟通的建议",
    )
    suggestions = []
    for i, title in enumerate(titles):
        addressee = procuratorate if i >= 9 else court
        cited = [p.pk for p in problems if p.case.court_id == addressee.pk][i % 3 : i % 3 + 1]
        s = services.suggestion_draft(
            actor=organiser_user,
            batch_id=batch.pk,
            data={
                "addressee_id": addressee.pk,
                "title": title,
                "content": f"针对评查中发现的问题，{title[2:-3]}，请研究落实并反馈整改情况。",
                "problem_ids": cited,
            },
        )
        s = services.suggestion_send(actor=organiser_user, suggestion_id=s.pk, version=s.version)
        answerer = procurator if addressee == procuratorate else court_user
        s = services.suggestion_answer(
            actor=answerer,
            suggestion_id=s.pk,
            version=s.version,
            adopted=True,
            answer="照单全收，已逐项整改完善。",
        )
        suggestions.append(s)
    corrected = [
        c
        for c in batch.cases.filter(court=court).order_by("id")
        if c.grade in ("flawed", "unqualified")
    ][:2]
    for i, s in enumerate(suggestions[:4]):
        rect = Rectification.objects.get(finding_id=s.finding_id)
        answerer = court_user
        rect = rect_services.rectification_commit(
            actor=answerer,
            rectification_id=rect.pk,
            version=rect.version,
            commitment="逐项整改，建立长效机制。",
            planned_completion=timezone.localdate(),
        )
        rect = rect_services.rectification_submit(
            actor=answerer, rectification_id=rect.pk, version=rect.version, summary="已整改完毕。"
        )
        rect_services.rectification_close(
            actor=organiser_user, rectification_id=rect.pk, version=rect.version, note="核验通过。"
        )
        s.refresh_from_db()
        if i < 2:
            services.suggestion_record_results(
                actor=organiser_user,
                suggestion_id=s.pk,
                version=s.version,
                corrected_case_ids=[corrected[i].pk],
                mechanisms=[MECHANISMS[i]],
                corrected_note="法院依法纠正。",
            )

    # Petitions about litigation.
    p1 = services.petition_register(
        actor=organiser_user,
        data={
            "received_on": date(2023, 6, 12),
            "petitioner": "黄某某",
            "petitioner_phone": "13907140001",
            "summary": "反映其申请执行的买卖合同案件长期未执行到位，企业资金周转困难。",
            "case_number": cases[12].number,
            "case_ids": [cases[12].pk],
        },
    )
    p1 = services.petition_route(
        actor=organiser_user, petition_id=p1.pk, version=p1.version, organisation_id=court.pk
    )
    services.petition_answer(
        actor=court_user,
        petition_id=p1.pk,
        version=p1.version,
        outcome="resolved",
        note="已恢复执行，执行款已发放。",
    )
    p2 = services.petition_register(
        actor=organiser_user,
        data={
            "received_on": date(2023, 9, 4),
            "petitioner": "某建材公司",
            "summary": "对民事诉讼监督案件的处理结果有异议。",
            "case_number": cases[20].number,
            "case_ids": [cases[20].pk],
        },
    )
    services.petition_route(
        actor=organiser_user,
        petition_id=p2.pk,
        version=p2.version,
        organisation_id=procuratorate.pk,
    )

    # A 2026 batch in preparation, to try the draw.
    now_year = timezone.localdate().year
    fresh = [
        services.case_file(
            actor=witness_user,
            data={
                "number": f"（{now_year}）鄂02民初{31 + n}号",
                "court_id": court.pk,
                "kind": CaseKind.ENTERPRISE_TRIAL,
                "cause": "借款合同纠纷",
                "parties": f"{COMPANIES[n]}（被告，企业）\n{_name(900 + n)}（原告）",
                "judges": JUDGES[(n + 3) % len(JUDGES)],
            },
        )
        for n in range(3)
    ]
    current = services.batch_create(
        actor=organiser_user,
        data={
            "title": f"{now_year}年涉企案件质量评查（筹备）",
            "year": now_year,
            "organiser_org_id": organiser.pk,
            "witness_org_id": witness.pk,
            "reviewers_per_case": 3,
            "minimums": {"lawyer": 1, "professor": 1},
            "case_ids": [c.pk for c in fresh],
        },
    )
    # Its draw frozen and committed: the organiser and the witness each enter a number.
    d = services.draw_freeze(actor=organiser_user, batch_id=current.pk, version=current.version)
    services.draw_commit(actor=organiser_user, draw_id=d.pk, version=d.version)
    _drawn_batch(organiser_user, witness_user, organiser, witness, court, now_year)
    return {
        "experts": Expert.objects.count(),
        "judicial_cases": Case.objects.count(),
        "judicial_suggestions": len(suggestions),
    }
