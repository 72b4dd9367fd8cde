"""The 联评 demo data (issue 18), through the services with the demo accounts as actors: the six
government work areas the 市人大常委会 evaluated in 2023 (the article: 民政、司法、自然资源和规划、
卫生健康、统计、政务服务和大数据管理), chosen by one 主任会议 decision, run by the 监察和司法工委
with the stationed group on every team. Each has the CDI's dossier (巡察 findings and daily
supervision), three activities the stationed group attended, the result taken from the polls
demo's certified **2023年度政府工作评议满意度测评** (not a second poll), the 评议意见书 and its
rectification items; 卫生健康 yields a clue for 整治医疗领域不正之风 and 统计 one for
统计造假问题整改.
市民政局's evaluation is closed (办结); the others are in 整改中.

Called by `EvaluationConfig.demo_seed()` after the polls demo."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wulian.core.access import actor_for
from wulian.core.activities import meeting_services
from wulian.core.activities import services as activity_services
from wulian.core.activities.choices import ActivityKind
from wulian.core.clues import services as clue_services
from wulian.core.clues.choices import ViolationType
from wulian.core.models import Organisation
from wulian.core.polls.choices import PollState
from wulian.core.polls.models import Poll
from wulian.core.rectification import services as rect_services
from wulian.core.rectification.models import Rectification
from wulian.evaluation import services
from wulian.evaluation.choices import DossierKind, DossierUse, StepKind

POLL_TITLE = "2023年度政府工作评议满意度测评"
# (department code, an inspection finding, a daily-supervision note, the problem to rectify,
#  the 行风政风评议 grade, the team's dimension scores)
AREAS = [
    (
        "ZF-MZ",
        "低保、特困供养对象动态管理不到位",
        "养老服务补贴发放审核不严的信访件3件",
        "养老机构消防安全隐患整改不彻底",
        "良好",
        (88, 86, 90, 87, 85),
    ),
    (
        "ZF-SF",
        "行政复议案件办理超期",
        "基层法律服务所收费不规范的问题反映",
        "行政执法监督覆盖面不足",
        "优秀",
        (90, 88, 86, 89, 87),
    ),
    (
        "ZF-ZRZY",
        "土地出让金收缴不及时",
        "不动产登记窗口办事效率的投诉",
        "违法用地查处不到位",
        "良好",
        (84, 85, 83, 86, 82),
    ),
    (
        "ZF-WJ",
        "医疗机构集中采购中存在回扣风险",
        "医保基金使用日常监督发现的异常",
        "医疗领域不正之风治理不到位",
        "一般",
        (80, 82, 78, 81, 79),
    ),
    (
        "ZF-TJ",
        "部分统计数据失真，存在人为干预",
        "统计执法检查中发现的虚报问题",
        "统计造假问题整改不彻底",
        "一般",
        (76, 78, 75, 80, 77),
    ),
    (
        "ZF-ZWSJ",
        "数据共享平台建设滞后",
        "“一网通办”事项办理时限超标的反映",
        "政务数据共享不充分",
        "良好",
        (86, 87, 85, 88, 86),
    ),
]
CLUES = {
    "ZF-WJ": (
        "整治医疗领域不正之风",
        "某市属医院副院长",
        "市属医院副院长",
        ViolationType.INTEGRITY,
        "评议中发现其在药品耗材集中采购中收受回扣的反映。",
    ),
    "ZF-TJ": (
        "统计造假问题整改",
        "某县统计局原局长",
        "县统计局原局长",
        ViolationType.WORK,
        "评议中发现其授意篡改规模以上工业统计数据的反映。",
    ),
}


def seed() -> dict[str, int]:
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["congress_leader", "cdi_officer", "stationed", "unit_a"]
        )
    }
    poll = Poll.objects.filter(title=POLL_TITLE, state=PollState.CERTIFIED).first()
    body = Organisation.objects.filter(code="RD-JSW").first()
    group = Organisation.objects.filter(code="JW-PZ-RD").first()
    office = Organisation.objects.filter(code="JW-DJ").first()  # 党风政风监督室
    if len(users) < 4 or poll is None or body is None or group is None or office is None:
        return {"evaluations": 0}
    leader = actor_for(users["congress_leader"])
    cdi = actor_for(users["cdi_officer"])
    now = timezone.now()
    meeting = activity_services.activity_create(
        actor=leader,
        data={
            "organiser_id": body.pk,
            "kind": ActivityKind.DIRECTORS_MEETING,
            "title": "市人大常委会2023年第三次主任会议",
            "starts_at": now - timedelta(days=30),
        },
    )
    meeting = activity_services.activity_hold(
        actor=leader, activity_id=meeting.pk, version=meeting.version
    )
    decision = meeting_services.decision_add(
        actor=leader,
        activity_id=meeting.pk,
        text="确定2023年对市民政局、市司法局、市自然资源和规划局、市卫健委、市统计局、"
        "市政务服务和大数据管理局开展工作评议，纪委监委派驻纪检监察组全程参与。",
    )
    departments = {o.code: o for o in Organisation.objects.filter(code__in=[a[0] for a in AREAS])}
    made = clues = 0
    for code, inspection, daily, problem, conduct, scores in AREAS:
        dept = departments[code]
        e = services.evaluation_create(
            actor=leader,
            decision_id=decision.pk,
            department_id=dept.pk,
            year=2023,
            working_body_id=body.pk,
            stationed_group_id=group.pk,
            cdi_id=office.pk,
            lead_id=users["congress_leader"].person.pk,
            title=f"2023年度{dept.short_name or dept.name}工作评议",
        )
        first = services.dossier_add(
            actor=cdi,
            evaluation_id=e.pk,
            kind=DossierKind.INSPECTION,
            title="巡察反馈问题",
            body=inspection,
        )
        services.dossier_add(
            actor=cdi,
            evaluation_id=e.pk,
            kind=DossierKind.DAILY,
            title="日常监督信息",
            body=daily,
        )
        e.refresh_from_db()
        e = services.dossier_deliver(actor=cdi, evaluation_id=e.pk, version=e.version)
        services.dossier_use(
            actor=leader,
            evaluation_id=e.pk,
            item_id=first.pk,
            use=DossierUse.HEARING,
            note="列入听取汇报时的询问重点",
        )
        e = services.evaluation_advance(actor=leader, evaluation_id=e.pk, version=e.version)
        activities = [
            services.activity_add(
                actor=leader,
                evaluation_id=e.pk,
                kind=kind,
                title=f"{dept.short_name}{label}",
                starts_at=now - timedelta(days=20 - i),
            )
            for i, (kind, label) in enumerate(
                (
                    (StepKind.RESEARCH_VISIT, "工作评议调研"),
                    (StepKind.SYMPOSIUM, "服务对象座谈会"),
                    (StepKind.REPORT_HEARING, "听取工作情况汇报"),
                )
            )
        ]
        e.refresh_from_db()
        e = services.evaluation_advance(actor=leader, evaluation_id=e.pk, version=e.version)
        for a in activities:
            services.activity_held(
                actor=leader,
                evaluation_id=e.pk,
                activity_id=a.pk,
                attended_ids=[group.pk, dept.pk, body.pk],
            )
        services.self_report_upload(
            actor=leader,
            evaluation_id=e.pk,
            upload=SimpleUploadedFile(
                f"{dept.short_name}自查报告.txt",
                f"{dept.name}2023年度工作自查报告（纸质报送，评议组录入）。".encode(),
                "text/plain",
            ),
            description="自查报告",
        )
        services.finding_add(
            actor=leader,
            evaluation_id=e.pk,
            title=problem,
            description=f"评议发现：{problem}。请制定整改措施，限期整改。",
        )
        e.refresh_from_db()
        e = services.scores_record(
            actor=leader,
            evaluation_id=e.pk,
            version=e.version,
            scores=dict(zip(e.dimensions, scores, strict=True)),
        )
        e = services.evaluation_advance(actor=leader, evaluation_id=e.pk, version=e.version)
        e = services.vote_record(
            actor=leader, evaluation_id=e.pk, version=e.version, poll_id=poll.pk
        )
        e = services.conduct_record(
            actor=cdi,
            evaluation_id=e.pk,
            version=e.version,
            grade=conduct,
            source="2023年度市直部门行风政风评议",
        )
        if code in CLUES:
            campaign, name, post, kind, content = CLUES[code]
            link = services.clue_refer(
                actor=leader,
                evaluation_id=e.pk,
                campaign=campaign,
                subject_name=name,
                subject_post=post,
                violation_type=kind,
                content=content,
            )
            # Checked and transferred (移送) in the clues app: the CDI's clue officers see it.
            clue_services.clue_transfer(
                actor=leader, clue_id=link.clue_id, version=link.clue.version
            )
            clues += 1
        e.refresh_from_db()
        e = services.opinion_send(
            actor=leader,
            evaluation_id=e.pk,
            version=e.version,
            opinion=f"{dept.name}2023年度工作总体较好。针对{problem}等问题，请认真研究处理，"
            "于3个月内将整改情况书面报告常委会。",
        )
        e = services.results_share(actor=leader, evaluation_id=e.pk, version=e.version)
        if code == "ZF-MZ":
            _close(leader, actor_for(users["unit_a"]), e)
        made += 1
    return {"evaluations": made, "evaluation_clues": clues}


def _close(leader, unit, e) -> None:
    """市民政局: the rectification done and verified, the report heard, the evaluation closed."""
    for rect in Rectification.objects.filter(finding__object_id=e.pk).order_by("id"):
        if rect.finding.content_type.model != "evaluation":
            continue
        rect = rect_services.rectification_commit(
            actor=unit,
            rectification_id=rect.pk,
            version=rect.version,
            commitment="建立养老机构消防安全隐患清单，逐一销号。",
            planned_completion=timezone.localdate() + timedelta(days=30),
        )
        rect = rect_services.rectification_submit(
            actor=unit,
            rectification_id=rect.pk,
            version=rect.version,
            summary="隐患已全部整改到位。",
        )
        rect_services.rectification_close(
            actor=leader, rectification_id=rect.pk, version=rect.version
        )
    e.refresh_from_db()
    e = services.report_hear(
        actor=leader,
        evaluation_id=e.pk,
        version=e.version,
        note="常委会第十五次会议听取和审议了市民政局整改情况报告，表示满意。",
    )
    services.evaluation_close(actor=leader, evaluation_id=e.pk, version=e.version)
