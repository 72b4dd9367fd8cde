"""The opinion rounds' demo data.

- 2023: the 市人大常委会监察和司法工委 sought the CDI's and the stationed group's opinions on the
  draft 2023年监督工作计划; their three comments (among them 清廉机关建设 and
  整治群众身边腐败和作风问题, the article's examples) were all adopted, the round concluded and
  the 说明 issued.
- Now: a round on a draft 实施意见 is out — the CDI has commented (dispositions to make for
  congress_leader), unit A (unit_a), the named deputy 张卫东 (deputy) and the integrity monitor
  黄秀兰 (monitor) still have to answer.

Every step goes through the services (demo accounts as actors), so the audit chain and the
deadlines are real; the 2023 round's dates are then moved back (the services stamp "now")."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from wulian.core.access import actor_for
from wulian.core.models import Organisation, Person
from wulian.core.opinions import services
from wulian.core.opinions.models import Comment, Invitee, OpinionRound

SH = ZoneInfo("Asia/Shanghai")

PLAN_2023 = """一、指导思想
坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，依法履行监督职能。
二、听取和审议专项工作报告
听取和审议市人民政府关于2023年政府“十件实事”推进情况的报告。
听取和审议市中级人民法院、市人民检察院关于涉企审判执行和法律监督工作情况的报告。
三、开展工作评议
对市民政局、市司法局等6个政府组成部门开展工作评议，评议结果向市纪委监委通报。
四、开展专题询问
围绕企业水电热气供给、停车难停车乱、小区物业管理、农村人居环境整治开展专题询问。
五、加强监督贯通协调
与市纪委监委建立联席会议、定期通报和线索移送机制，推动人大监督与纪检监察监督贯通协调。"""

DRAFT_NOW = """一、总体要求
以人大监督与纪检监察监督贯通协调为抓手，推动监督成果共享、监督力量互补。
二、工作机制
（一）联席会议每半年召开一次，由市人大常委会和市纪委监委共同召集。
（二）定期通报每季度一次，接收单位在3个工作日内签收。
（三）问题线索移送按照线索移送机制办理，移送后15个工作日内反馈处置情况。
三、保障措施
各单位明确一名联络员，负责日常联络和信息报送。"""


def seed() -> dict[str, int]:
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=[
                "congress_leader",
                "cdi_officer",
                "stationed",
                "unit_a",
                "deputy",
                "monitor",
            ]
        )
    }
    orgs = {
        o.code: o
        for o in Organisation.objects.filter(code__in=["RD-JSW", "JW-DJ", "JW-PZ-RD", "ZF-MZ"])
    }
    leader = actor_for(users["congress_leader"])
    cdi = actor_for(users["cdi_officer"])
    group = actor_for(users["stationed"])

    # --- 2023: the supervision plan, all adopted, concluded -------------------------------
    plan = services.round_create(
        actor=leader,
        data={
            "drafter_id": orgs["RD-JSW"].pk,
            "title": "黄石市人大常委会2023年监督工作计划（征求意见稿）",
            "text": PLAN_2023,
        },
    )
    services.invite(
        actor=leader,
        round_id=plan.pk,
        version=plan.version,
        organisation_ids=[orgs["JW-DJ"].pk, orgs["JW-PZ-RD"].pk],
    )
    plan.refresh_from_db()
    plan = services.round_open(actor=leader, round_id=plan.pk, version=plan.version)
    c1 = services.comment_add(
        actor=cdi,
        round_id=plan.pk,
        paragraph=6,
        text="建议在工作评议中增加“清廉机关建设”情况的内容，评议结果同时作为纪检监察机关日常监督的参考。",
    )
    c2 = services.comment_add(
        actor=cdi,
        round_id=plan.pk,
        paragraph=9,
        text="建议将“整治群众身边腐败和作风问题”纳入监督贯通协调的重点，与市纪委监委专项治理同步推进。",
    )
    c3 = services.comment_add(
        actor=group,
        round_id=plan.pk,
        text="建议明确驻人大常委会机关纪检监察组参与工作评议各环节，满意度测评计票由纪检监察组监督。",
    )
    for c in (c1, c2, c3):
        services.comment_dispose(
            actor=leader,
            round_id=plan.pk,
            comment=c.pk,
            version=c.version,
            disposition="adopted",
        )
    plan.refresh_from_db()
    plan = services.round_close(actor=leader, round_id=plan.pk, version=plan.version)
    plan = services.round_conclude(actor=leader, round_id=plan.pk, version=plan.version)
    opened = datetime(2023, 1, 9, 9, 0, tzinfo=SH)
    closes = datetime(2023, 1, 20, 23, 59, 59, tzinfo=SH)
    OpinionRound.objects.filter(pk=plan.pk).update(
        year=2023,
        opened_at=opened,
        closes_at=closes,
        closed_at=closes,
        concluded_at=datetime(2023, 2, 3, 16, 0, tzinfo=SH),
    )
    plan.versions.update(created_at=datetime(2023, 1, 6, 10, 0, tzinfo=SH))
    Invitee.objects.filter(round=plan).update(due_at=closes)
    Comment.objects.filter(round=plan).update(
        created_at=datetime(2023, 1, 16, 15, 0, tzinfo=SH),
        disposed_at=datetime(2023, 2, 1, 10, 0, tzinfo=SH),
    )

    # --- Now: a draft out for opinions, comments to give and to dispose of -------------------
    current = services.round_create(
        actor=leader,
        data={
            "drafter_id": orgs["RD-JSW"].pk,
            "title": "关于加强人大监督与纪检监察监督贯通协调的实施意见（征求意见稿）",
            "text": DRAFT_NOW,
        },
    )
    # Named people: the deputy, and the integrity monitor (清廉监督员), whose view from the
    # liaison station the draft asks for.
    named = Person.objects.filter(user__in=[users[u] for u in ("deputy", "monitor") if u in users])
    services.invite(
        actor=leader,
        round_id=current.pk,
        version=current.version,
        organisation_ids=[orgs["JW-DJ"].pk, orgs["ZF-MZ"].pk],
        person_ids=sorted(p.pk for p in named),
    )
    current.refresh_from_db()
    services.round_open(actor=leader, round_id=current.pk, version=current.version)
    services.comment_add(
        actor=cdi,
        round_id=current.pk,
        paragraph=5,
        text="建议将签收期限与反馈期限分开规定：签收3个工作日，反馈意见10个工作日。",
    )
    services.comment_add(
        actor=cdi,
        round_id=current.pk,
        paragraph=6,
        text="线索移送后的反馈期限建议以纪检监察机关受理之日起计算。",
    )
    return {"opinion_rounds": OpinionRound.objects.count()}
