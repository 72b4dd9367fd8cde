"""联商's demo data, 2023–2024, built on what the primitives' demos already made (the 2023
fourth-quarter joint meeting, the 2023 supervision-plan round, the 2023 bulletin):

- three more quarterly joint meetings in 2024 (the first, second and third quarters; with the
  2023 fourth-quarter one, four quarterly joint meetings), minutes co-signed by both sides and
  issued, decisions with action items — among them 涉企清欠 and 保证金清理;
- the round on the congress's 2024 supervision plan, the CDI's two comments (清廉机关建设,
  整治群众身边腐败和作风问题) both adopted; the round on the CDI's plenary work report to the
  congress and a named deputy;
- the CDI's 2024 campaign 群众身边不正之风和腐败问题专项治理 with the congress actions taken in
  step:
  the report hearing on civil litigation and enforcement (审议意见 as its minutes, the court's
  follow-up report as the action item's report) and the law-enforcement inspection of the SME
  promotion law and its Hubei measures, whose findings go to rectification (清欠, 保证金);
- one joint analysis of the 2023 audit-rectification list (imported through the import
  service), with its analysts, a finding to rectification and the report;
- the register: both sides' matters with links, one CDI matter marked 本方内部 (invisible to
  congress staff).

Every step goes through the services (demo accounts as actors); the services stamp "now", so
dates are moved back afterwards where the figures count them."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from wulian.consultation import services
from wulian.consultation.models import Analysis, Matter
from wulian.core.access import actor_for
from wulian.core.activities import meeting_services as ms
from wulian.core.activities import services as activity_services
from wulian.core.activities.choices import ActivityKind
from wulian.core.activities.demo import _hold, _meeting, _sign
from wulian.core.activities.models import ActionItem, Activity, Meeting, MeetingConvener
from wulian.core.bulletins import services as bulletin_services
from wulian.core.bulletins.models import Bulletin, BulletinRecipient
from wulian.core.choices import Role, Sensitivity
from wulian.core.models import Membership, Organisation, Person
from wulian.core.opinions import services as opinion_services
from wulian.core.opinions.models import Comment, Invitee, OpinionRound
from wulian.core.rectification import services as rect_services

SH = ZoneInfo("Asia/Shanghai")
CAMPAIGN = "群众身边不正之风和腐败问题专项治理"
CAMPAIGN_SUMMARY = (
    "市纪委监委2024年专项治理；市人大常委会同步听取民事审判和执行工作报告、"
    "开展中小企业促进法执法检查，共同推动涉企清欠和保证金清理。"
)

PLAN_2024 = """一、总体要求
坚持党对人大工作的全面领导，依法履行监督职能，推动人大监督与纪检监察监督贯通协调。
二、听取和审议专项工作报告
听取和审议市中级人民法院关于民事审判和执行工作情况的报告。
三、开展执法检查
检查《中华人民共和国中小企业促进法》和《湖北省实施〈中华人民共和国中小企业促进法〉办法》实施情况。
四、开展工作评议
对市财政局、市住建局等部门开展工作评议。
五、加强监督贯通协调
与市纪委监委同步推进群众身边不正之风和腐败问题专项治理。"""

REPORT_2024 = """一、2023年工作回顾
坚持严的基调，一体推进不敢腐、不能腐、不想腐。
二、2024年主要任务
深入开展群众身边不正之风和腐败问题专项治理。
推动纪检监察监督与人大监督贯通协调，加强信息共享和联合研判。"""

MEETINGS = (
    # (quarter, kind, title, starts, minutes title, minutes, decision,
    #  [(action, owner, days, done)])
    (
        1,
        ActivityKind.JOINT_MEETING,
        "2024年第一季度人大监督与纪检监察监督贯通协调联席会议",
        datetime(2024, 3, 14, 9, 0, tzinfo=SH),
        "2024年第一季度联席会议纪要",
        "一、会议通报了双方2024年工作要点和监督工作计划。\n二、会议商定同步推进群众身边不正之风和腐败问题专项治理，建立涉企拖欠账款问题台账。",
        "建立涉企拖欠账款问题台账，按季度向联席会议报告。",
        [("梳理政府部门和国有企业拖欠民营企业账款台账", "ZF-CZ", 15, True)],
    ),
    (
        2,
        ActivityKind.JOINT_MEETING,
        "2024年第二季度人大监督与纪检监察监督贯通协调联席会议",
        datetime(2024, 6, 13, 9, 0, tzinfo=SH),
        "2024年第二季度联席会议纪要",
        "一、会议听取了专项治理推进情况和中小企业促进法执法检查准备情况。\n二、会议议定推进涉企清欠和保证金清理。",
        "推进涉企清欠和工程建设领域保证金清理，责任单位限期报送整改情况。",
        [
            ("涉企清欠：清偿拖欠民营企业账款", "ZF-CZ", 20, True),
            ("保证金清理：清退工程建设领域违规收取的保证金", "ZF-ZJ", 20, False),
        ],
    ),
    (
        3,
        ActivityKind.JOINT_REVIEW,
        "中小企业促进法执法检查发现问题会商会审会",
        datetime(2024, 9, 12, 14, 30, tzinfo=SH),
        "执法检查发现问题会商会审纪要",
        "一、会议对执法检查发现的涉企清欠、保证金清理问题进行会商会审。\n二、对问题背后的作风问题，由市纪委监委依规处置。",
        "执法检查发现的问题纳入整改清单，逐项销号。",
        [("公共法律服务涉企纠纷化解机制整改", "ZF-SF", 10, True)],
    ),
)

AUDIT_ROWS = (
    ("黄石市财政局", "ZF-CZ", "预算执行", "部分专项资金未及时拨付", "1250.5", "已整改"),
    ("黄石市住房和城乡建设局", "ZF-ZJ", "保证金管理", "违规收取工程质量保证金", "368.2", "整改中"),
    ("黄石市住房和城乡建设局", "ZF-ZJ", "保证金管理", "到期保证金未及时退还", "215", "已整改"),
    ("黄石市教育局", "ZF-JY", "政府采购", "部分项目未按规定公开招标", "96.8", "已整改"),
    ("黄石市卫生健康委员会", "ZF-WJ", "国有资产管理", "固定资产账实不符", "42.3", "已整改"),
    ("黄石市交通运输局", "ZF-JT", "预算执行", "项目结余资金未及时收回", "530", "未整改"),
    ("黄石市民政局", "ZF-MZ", "专项资金", "幸福食堂运营补贴发放不规范", "18.6", "已整改"),
    ("黄石市商务局", "ZF-SW", "涉企资金", "拖欠中小企业服务款", "76.4", "已整改"),
    ("黄石市城市管理执法委员会", "ZF-CG", "政府采购", "合同履约验收不严", "33", "整改中"),
    ("黄石市农业农村局", "ZF-NY", "专项资金", "项目资金闲置", "150", "已整改"),
)


def _person_user(username: str, name: str, org: Organisation, role: str, title: str):
    from wulian.core.demo import DEMO_PASSWORD

    user = get_user_model().objects.create_user(
        username=username, password=DEMO_PASSWORD, password_changed_at=timezone.now()
    )
    person = Person.objects.create(name=name, user=user, title=title)
    Membership.objects.create(person=person, organisation=org, role=role)
    return user


def _workbook(rows) -> bytes:
    from openpyxl import Workbook

    from wulian.consultation.services.imports import COLUMNS, SHEET

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([name for _k, name, _r in COLUMNS])
    for unit, code, category, problem, amount, status in rows:
        ws.append(
            [unit, code, category, problem, amount, "按审计决定整改到位", "2024-06-30", status]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _meetings(host, cdi_leader, congress_leader, owners, orgs) -> list[Activity]:
    made = []
    for _q, kind, title, starts, m_title, minutes, decision_text, actions in MEETINGS:
        activity = _meeting(
            host,
            kind=kind,
            title=title,
            starts_at=starts,
            place="市人大常委会第三会议室",
            organiser=orgs["RD-JSW"],
            other=orgs["JW-DJ"],
            participants=[orgs[code] for code in dict.fromkeys(a[1] for a in actions)],
        )
        _hold(host, activity, {})
        meeting = Meeting.objects.get(activity=activity)
        ms.minutes_save(
            actor=host,
            activity_id=activity.pk,
            version=meeting.version,
            title=m_title,
            body=minutes,
        )
        _sign(cdi_leader, activity)
        _sign(congress_leader, activity)
        meeting = ms.minutes_issue(
            actor=host,
            activity_id=activity.pk,
            version=Meeting.objects.get(activity=activity).version,
        )
        decision = ms.decision_add(actor=host, activity_id=activity.pk, text=decision_text)
        for a_title, code, days, done in actions:
            item = ms.action_add(
                actor=host,
                activity_id=activity.pk,
                decision_id=decision.pk,
                title=a_title,
                owner_org_id=orgs[code].pk,
                working_days=days,
            )
            due = starts + timedelta(days=days + 10)
            if done:
                item = ms.action_report(
                    actor=actor_for(owners[code]),
                    action_id=item.pk,
                    version=item.version,
                    report="已按议定事项完成，佐证材料已上传。",
                )
                item = ms.action_verify(actor=host, action_id=item.pk, version=item.version)
                ActionItem.objects.filter(pk=item.pk).update(
                    due_at=due.replace(hour=23, minute=59),
                    reported_at=due - timedelta(days=3),
                    verified_at=due - timedelta(days=1),
                )
        Meeting.objects.filter(pk=meeting.pk).update(
            minutes_year=starts.year, minutes_issued_at=starts + timedelta(days=3)
        )
        MeetingConvener.objects.filter(meeting=meeting).update(signed_at=starts + timedelta(days=2))
        made.append(activity)
    return made


def _rounds(users, orgs) -> tuple[OpinionRound, OpinionRound]:
    leader = actor_for(users["congress_leader"])
    cdi = actor_for(users["cdi_officer"])
    plan = opinion_services.round_create(
        actor=leader,
        data={
            "drafter_id": orgs["RD-JSW"].pk,
            "title": "黄石市人大常委会2024年监督工作计划（征求意见稿）",
            "text": PLAN_2024,
        },
    )
    opinion_services.invite(
        actor=leader, round_id=plan.pk, version=plan.version, organisation_ids=[orgs["JW-DJ"].pk]
    )
    plan.refresh_from_db()
    plan = opinion_services.round_open(actor=leader, round_id=plan.pk, version=plan.version)
    comments = [
        opinion_services.comment_add(
            actor=cdi,
            round_id=plan.pk,
            paragraph=8,
            text="建议在工作评议中增加“清廉机关建设”情况的内容。",
        ),
        opinion_services.comment_add(
            actor=cdi,
            round_id=plan.pk,
            paragraph=10,
            text="建议将“整治群众身边腐败和作风问题”作为监督贯通协调的重点，与专项治理同步推进。",
        ),
    ]
    for c in comments:
        opinion_services.comment_dispose(
            actor=leader, round_id=plan.pk, comment=c.pk, version=c.version, disposition="adopted"
        )
    plan.refresh_from_db()
    plan = opinion_services.round_close(actor=leader, round_id=plan.pk, version=plan.version)
    plan = opinion_services.round_conclude(actor=leader, round_id=plan.pk, version=plan.version)
    _backdate_round(
        plan, datetime(2024, 1, 8, 9, 0, tzinfo=SH), datetime(2024, 1, 19, 23, 59, tzinfo=SH)
    )

    cdi_lead = actor_for(users["cdi_leader"])
    report = opinion_services.round_create(
        actor=cdi_lead,
        data={
            "drafter_id": orgs["JW-DJ"].pk,
            "title": "中共黄石市纪委十四届四次全会工作报告（征求意见稿）",
            "text": REPORT_2024,
        },
    )
    deputy = Person.objects.get(user=users["deputy"])
    opinion_services.invite(
        actor=cdi_lead,
        round_id=report.pk,
        version=report.version,
        organisation_ids=[orgs["RD"].pk],
        person_ids=[deputy.pk],
    )
    report.refresh_from_db()
    report = opinion_services.round_open(actor=cdi_lead, round_id=report.pk, version=report.version)
    c1 = opinion_services.comment_add(
        actor=actor_for(users["congress_office"]),
        round_id=report.pk,
        paragraph=5,
        text="建议写明与人大常委会建立信息共享和联合研判机制的具体安排。",
    )
    c2 = opinion_services.comment_add(
        actor=actor_for(users["deputy"]),
        round_id=report.pk,
        text="建议增加专项治理中群众反映强烈问题的整改情况。",
    )
    opinion_services.comment_dispose(
        actor=cdi_lead, round_id=report.pk, comment=c1.pk, version=c1.version, disposition="adopted"
    )
    opinion_services.comment_dispose(
        actor=cdi_lead,
        round_id=report.pk,
        comment=c2.pk,
        version=c2.version,
        disposition="partly",
        reason="专项治理整改情况在报告第二部分概括表述，具体数据另行通报。",
    )
    report.refresh_from_db()
    report = opinion_services.round_close(
        actor=cdi_lead, round_id=report.pk, version=report.version
    )
    report = opinion_services.round_conclude(
        actor=cdi_lead, round_id=report.pk, version=report.version
    )
    _backdate_round(
        report, datetime(2024, 1, 2, 9, 0, tzinfo=SH), datetime(2024, 1, 12, 23, 59, tzinfo=SH)
    )
    return plan, report


def _backdate_round(round_: OpinionRound, opened: datetime, closes: datetime) -> None:
    OpinionRound.objects.filter(pk=round_.pk).update(
        year=opened.year,
        opened_at=opened,
        closes_at=closes,
        closed_at=closes,
        concluded_at=closes + timedelta(days=10),
    )
    round_.versions.update(created_at=opened - timedelta(days=2))
    Invitee.objects.filter(round=round_).update(due_at=closes)
    Comment.objects.filter(round=round_).update(
        created_at=closes - timedelta(days=3), disposed_at=closes + timedelta(days=7)
    )


def _campaign_actions(host, users, orgs, owners) -> tuple[Activity, Activity]:
    hearing = _meeting(
        host,
        kind=ActivityKind.REPORT_HEARING,
        title="听取和审议市中级人民法院关于民事审判和执行工作情况的报告",
        starts_at=datetime(2024, 4, 25, 9, 0, tzinfo=SH),
        place="市人大常委会会议室",
        organiser=orgs["RD-JSW"],
        other=orgs["JW-DJ"],
        participants=[orgs["FY"]],
    )
    _hold(host, hearing, {})
    meeting = Meeting.objects.get(activity=hearing)
    ms.minutes_save(
        actor=host,
        activity_id=hearing.pk,
        version=meeting.version,
        title="关于市中级人民法院民事审判和执行工作情况报告的审议意见",
        body="一、加大涉企案件执行力度，依法保障民营企业胜诉权益。\n二、规范财产保全和执行款管理，严防执行中的作风问题。",
    )
    _sign(users["cdi_leader"], hearing)
    _sign(users["congress_leader"], hearing)
    ms.minutes_issue(
        actor=host, activity_id=hearing.pk, version=Meeting.objects.get(activity=hearing).version
    )
    decision = ms.decision_add(
        actor=host,
        activity_id=hearing.pk,
        text="市中级人民法院研究处理审议意见，并书面报告研究处理情况。",
    )
    item = ms.action_add(
        actor=host,
        activity_id=hearing.pk,
        decision_id=decision.pk,
        title="报告审议意见研究处理情况",
        owner_org_id=orgs["FY"].pk,
        working_days=30,
    )
    item = ms.action_report(
        actor=actor_for(users["court_clerk"]),
        action_id=item.pk,
        version=item.version,
        report="已研究处理审议意见：开展涉企执行专项行动，执结涉企案件312件，执行到位金额2.1亿元。",
    )
    ms.action_verify(actor=host, action_id=item.pk, version=item.version)
    ActionItem.objects.filter(pk=item.pk).update(
        due_at=datetime(2024, 6, 28, 23, 59, tzinfo=SH),
        reported_at=datetime(2024, 6, 20, 10, 0, tzinfo=SH),
        verified_at=datetime(2024, 6, 24, 10, 0, tzinfo=SH),
    )
    Meeting.objects.filter(activity=hearing).update(
        minutes_year=2024, minutes_issued_at=datetime(2024, 5, 6, 10, 0, tzinfo=SH)
    )

    inspection = activity_services.activity_create(
        actor=host,
        data={
            "kind": ActivityKind.LAW_ENFORCEMENT_INSPECTION,
            "title": "《中小企业促进法》和湖北省实施办法执法检查",
            "starts_at": datetime(2024, 5, 20, 9, 0, tzinfo=SH),
            "ends_at": datetime(2024, 6, 7, 17, 0, tzinfo=SH),
            "place": "各县市区、市直有关部门",
            "sensitivity": Sensitivity.INTERNAL,
            "notes": "执法检查组实地检查（检查的法律、范围、检查组和发现的问题"
            "见重大事项登记簿中的执法检查）。",
            "organiser_id": orgs["RD-JSW"].pk,
        },
    )
    activity_services.activity_hold(
        actor=host, activity_id=inspection.pk, version=inspection.version
    )
    return hearing, inspection


INSPECTION = {
    "law": "《中华人民共和国中小企业促进法》《湖北省实施〈中华人民共和国中小企业促进法〉办法》",
    "scope": "市直有关部门和大冶市、阳新县；重点检查涉企账款清偿、保证金清理和惠企政策落实。",
    "plan": "听取汇报、实地检查、座谈、问卷调查。",
    "teams": "第一组：市人大常委会财经工委牵头，赴大冶市、阳新县。\n"
    "第二组：监察司法工委牵头，赴市直部门；市纪委监委党风政风监督室同步参加。",
    "report": "关于检查《中华人民共和国中小企业促进法》和湖北省实施办法实施情况的报告"
    "（已提请常委会会议审议）。",
    "opinions": "一、建立涉企账款清偿台账，按期清偿。\n二、全面清理工程建设领域保证金。",
}


def _inspection(host, owners, orgs, matter: Matter) -> None:
    """The SME law inspection's fields, its two findings handed on as rectifications (涉企清欠
    closed, 保证金清理 in hand), dated as in 2024."""
    from wulian.consultation.models import InspectionFinding
    from wulian.core.rectification.models import Finding, Rectification

    services.inspection_save(
        actor=host,
        matter_id=matter.pk,
        version=matter.version,
        data={**INSPECTION, "department_ids": [orgs["ZF-CZ"].pk, orgs["ZF-ZJ"].pk]},
    )
    for code, topic, text, amount in (
        ("ZF-CZ", "arrears", "部分政府部门和国有企业拖欠中小企业账款未按期清偿。", "3860.00"),
        ("ZF-ZJ", "deposits", "工程建设领域仍有违规收取、逾期未退还保证金的情况。", "1275.50"),
    ):
        row = services.inspection_finding_add(
            actor=host,
            matter_id=matter.pk,
            department_id=orgs[code].pk,
            topic=topic,
            problem=text,
            amount=amount,
        )
        row = services.inspection_finding_hand_on(
            actor=host, matter_id=matter.pk, row_id=row.pk, rectification_months=6
        )
        Finding.objects.filter(pk=row.finding_id).update(found_at=date(2024, 6, 7))
        Rectification.objects.filter(finding_id=row.finding_id).update(year=2024)
        if code == "ZF-CZ":
            rect = Rectification.objects.get(finding_id=row.finding_id)
            rect = rect_services.rectification_commit(
                actor=actor_for(owners[code]),
                rectification_id=rect.pk,
                version=rect.version,
                commitment="建立清欠台账，按月清偿，年底前全部清偿到位。",
                planned_completion=timezone.localdate() + timedelta(days=30),
            )
            rect = rect_services.rectification_submit(
                actor=actor_for(owners[code]),
                rectification_id=rect.pk,
                version=rect.version,
                summary="拖欠账款已全部清偿，清偿凭证已上传。",
            )
            rect_services.rectification_close(
                actor=host, rectification_id=rect.pk, version=rect.version
            )
    assert InspectionFinding.objects.filter(finding__isnull=False).count() >= 2


BUDGET_ROWS = (
    ("黄石市财政局", "ZF-CZ", "2010601", "行政运行", "1860", "", "1795.3"),
    ("黄石市住房和城乡建设局", "ZF-ZJ", "2120899", "城乡社区公共设施", "5200", "6100", "2380"),
    ("黄石市交通运输局", "ZF-JT", "2140106", "公路养护", "3400", "", "3912.6"),
    ("黄石市交通运输局", "ZF-JT", "2140101", "行政运行", "980", "", "902.4"),
)  # fmt: skip


def _budget_analysis(users, orgs) -> Analysis:
    """A 预决算 analysis of the first half's budget execution: one line spent slowly, one over."""
    from openpyxl import Workbook

    from wulian.consultation.services.imports import BUDGET_COLUMNS, BUDGET_SHEET

    leader = actor_for(users["congress_leader"])
    analysis = services.analysis_create(
        actor=leader,
        data={
            "title": "2024年上半年市级预算执行情况联合研判",
            "subject": "budget",
            "year": 2024,
            "lead_org_id": orgs["RD-JSW"].pk,
            "partner_org_id": orgs["JW-DJ"].pk,
        },
    )
    wb = Workbook()
    ws = wb.active
    ws.title = BUDGET_SHEET
    ws.append([name for _k, name, _r in BUDGET_COLUMNS])
    for row in BUDGET_ROWS:
        ws.append([*row, ""])
    out = io.BytesIO()
    wb.save(out)
    result = services.audit_items_import(
        actor=leader, analysis_id=analysis.pk, file=out.getvalue(), filename="预算执行情况.xlsx"
    )
    assert result.ok and result.counts["warnings"] == 2, result.errors
    return analysis


def _analysis(users, orgs) -> Analysis:
    leader = actor_for(users["congress_leader"])
    analysis = services.analysis_create(
        actor=leader,
        data={
            "title": "2023年度市级预算执行和其他财政收支审计查出问题整改情况联合研判",
            "subject": "audit",
            "year": 2024,
            "lead_org_id": orgs["RD-JSW"].pk,
            "partner_org_id": orgs["JW-DJ"].pk,
        },
    )
    for username in ("congress_leader", "cdi_leader"):
        services.analyst_add(
            actor=leader,
            analysis_id=analysis.pk,
            person_id=Person.objects.get(user=users[username]).pk,
        )
    result = services.audit_items_import(
        actor=leader,
        analysis_id=analysis.pk,
        file=_workbook(AUDIT_ROWS),
        filename="审计整改清单.xlsx",
    )
    assert result.ok, result.errors
    analysis.refresh_from_db()
    rect_services.finding_raise(
        actor=leader,
        record=analysis,
        data={
            "title": "项目结余资金未及时收回",
            "description": "审计整改清单第7行：市交通运输局项目结余资金530万元未整改。",
            "severity": "general",
            "found_at": date(2024, 9, 20),
            "sensitivity": Sensitivity.INTERNAL,
            "about_organisation_id": orgs["ZF-JT"].pk,
            "found_by_org_id": orgs["RD-JSW"].pk,
            "responsible_org_ids": [orgs["ZF-JT"].pk],
            "rectification_months": 3,
        },
    )
    return services.analysis_report(
        actor=leader,
        analysis_id=analysis.pk,
        version=analysis.version,
        report="一、审计查出的10个问题中已整改7个，整改率70%。\n二、保证金管理、结余资金收回问题整改较慢，建议纳入联席会议督办。\n三、未发现需移送问题线索的情形。",
    )


def _bulletin(users, orgs) -> Bulletin:
    office = actor_for(users["cdi_leader"])
    bulletin = bulletin_services.issue_bulletin(
        office,
        issuer_id=orgs["JW-DJ"].pk,
        title="关于群众身边不正之风和腐败问题专项治理推进情况的通报（2024年第二季度）",
        body="一、专项治理推进情况\n二、与人大监督协同开展的工作\n三、下一步工作安排",
        recipient_ids=[orgs["RD"].pk],
    )
    bulletin_services.bulletin_sign(
        actor=actor_for(users["congress_office"]),
        bulletin_id=bulletin.pk,
        organisation_id=orgs["RD"].pk,
    )
    issued = datetime(2024, 7, 5, 10, 0, tzinfo=SH)
    Bulletin.objects.filter(pk=bulletin.pk).update(year=2024, issued_at=issued)
    BulletinRecipient.objects.filter(bulletin=bulletin).update(
        signed_at=issued + timedelta(days=1), receipt_due_at=issued + timedelta(days=3)
    )
    return bulletin


def seed() -> dict[str, int]:
    codes = ["RD", "RD-JSW", "JW", "JW-DJ", "FY", "ZF-CZ", "ZF-ZJ", "ZF-SF", "ZF-JT"]
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=[
                "congress_leader",
                "cdi_leader",
                "cdi_officer",
                "deputy",
                "congress_office",
                "cdi_office",
                "unit_b",
                "court_clerk",
            ]
        )
    }
    owners = {
        "ZF-CZ": _person_user(
            "finance_liaison", "程晓燕", orgs["ZF-CZ"], Role.LIAISON, "市财政局 联络员"
        ),
        "ZF-SF": users["unit_b"],
    }
    host = actor_for(users["congress_leader"])
    cdi = actor_for(users["cdi_leader"])
    meetings = _meetings(host, users["cdi_leader"], users["congress_leader"], owners, orgs)
    plan, report = _rounds(users, orgs)
    hearing, inspection = _campaign_actions(host, users, orgs, owners)
    analysis = _analysis(users, orgs)
    budget = _budget_analysis(users, orgs)
    bulletin = _bulletin(users, orgs)

    # The register: both sides' matters, linked to the records about them.
    earlier = list(
        Activity.objects.filter(kind=ActivityKind.JOINT_MEETING, starts_at__year=2023).order_by(
            "starts_at"
        )
    )
    made: dict[str, Matter] = {}
    for key, side, kind, title, start, end, sensitivity, status, parent, linked in (
        ("joint", "RD", "other", "人大监督与纪检监察监督贯通协调联席会议（按季度召开）",
         date(2024, 1, 1), date(2024, 12, 31), "shared", "ongoing", None, [*earlier, *meetings]),
        ("points", "RD", "work_points", "市人大常委会2024年工作要点",
         date(2024, 1, 1), date(2024, 12, 31), "shared", "ongoing", None, []),
        ("plan", "RD", "supervision_plan", "市人大常委会2024年监督工作计划",
         date(2024, 1, 1), date(2024, 12, 31), "shared", "ongoing", None, [plan]),
        ("plenary", "JW", "work_report", "市纪委十四届四次全会工作报告",
         date(2024, 1, 2), date(2024, 1, 31), "shared", "done", None, [report]),
        ("campaign", "JW", "campaign", CAMPAIGN,
         date(2024, 3, 1), date(2024, 12, 31), "shared", "ongoing", None, [bulletin]),
        ("hearing", "RD", "report_hearing", hearing.title,
         date(2024, 4, 25), date(2024, 6, 28), "shared", "done", "campaign", [hearing]),
        ("inspection", "RD", "law_inspection", "《中小企业促进法》和湖北省实施办法执法检查",
         date(2024, 5, 20), date(2024, 9, 30), "shared", "done", "campaign",
         [inspection, meetings[2]]),
        ("analysis", "RD", "joint_analysis", "预决算、国有资产和审计监督信息互通与联合研判",
         date(2024, 9, 1), date(2024, 12, 31), "shared", "ongoing", None, [analysis, budget]),
        ("clues", "JW", "other", "2024年重点领域问题线索集中处置安排",
         date(2024, 3, 1), date(2024, 6, 30), "internal", "done", None, []),
        ("plan2023", "RD", "supervision_plan", "市人大常委会2023年监督工作计划",
         date(2023, 1, 1), date(2023, 12, 31), "shared", "done", None, []),
    ):  # fmt: skip
        actor, org = (host, orgs["RD-JSW"]) if side == "RD" else (cdi, orgs["JW-DJ"])
        made[key] = services.matter_create(
            actor=actor,
            data={
                "owner_org_id": org.pk,
                "kind": kind,
                "title": title,
                "summary": CAMPAIGN_SUMMARY if key == "campaign" else "",
                "year": start.year,
                "starts_on": start,
                "ends_on": end,
                "sensitivity": sensitivity,
                "status": status,
                "parent_id": made[parent].pk if parent else None,
            },
        )
        for record in linked:
            services.matter_link(actor=actor, matter_id=made[key].pk, record=record)
    _inspection(host, owners, orgs, made["inspection"])
    Analysis.objects.filter(pk__in=[analysis.pk, budget.pk]).update(matter=made["analysis"])
    return {"matters": Matter.objects.count(), "analyses": Analysis.objects.count()}
