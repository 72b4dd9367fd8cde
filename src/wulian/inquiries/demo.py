"""The four special inquiries of 2023 (the article): 企业水电热气供给, 停车难停车乱, 小区物业管理,
农村人居环境整治 — each with its questions, the answers, and the commitments that address 供电闪停
暂降, 停车泊位供给不足, 物业收费定价不规范 and 农村垃圾清运不及时 (rectifications in the ledger);
a research visit before the parking inquiry, one 暗访 and one 工作通报 (a bulletin linked to the
inquiry, left as a draft for the clerk), and the 回头看 findings of all four. And this year's
inquiry in preparation (居家和社区养老服务), with its question to 市民政局."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from wulian.core.models import Organisation
from wulian.inquiries import services
from wulian.inquiries.choices import AskerKind, TopicSource
from wulian.inquiries.models import Inquiry, Question

TZ = ZoneInfo("Asia/Shanghai")

# (topic, held on, [(asker kind, asker, question, unit code, official, answer,
#                    commitment title or "", commitment)])
INQUIRIES = (
    (
        "企业水电热气供给",
        date(2023, 6, 27),
        [
            (
                AskerKind.MEMBER,
                "常委会委员 陈立新",
                "部分工业园区企业反映供电闪停、电压暂降频繁，造成生产线停机，有何解决措施？",
                "ZF-FG",
                "市发展和改革委员会主任",
                "已会同供电公司排查园区线路，正在实施配电网改造。",
                "供电闪停暂降",
                "年内完成三个工业园区配电线路改造，建立闪停暂降监测和通报机制。",
            ),
            (
                AskerKind.DEPUTY,
                "市人大代表 张卫东",
                "企业用水用气报装环节多、时间长，如何压缩？",
                "ZF-ZJ",
                "市住房和城乡建设局局长",
                "推行水电气联合报装，办理时限压缩至5个工作日。",
                "",
                "",
            ),
        ],
    ),
    (
        "停车难停车乱",
        date(2023, 8, 29),
        [
            (
                AskerKind.PUBLIC,
                "社会公众征集",
                "老城区和老旧小区停车泊位严重不足，新增泊位有何计划？",
                "ZF-ZJ",
                "市住房和城乡建设局局长",
                "编制停车设施专项规划，利用边角地建设停车场。",
                "停车泊位供给不足",
                "年内新增公共停车泊位2000个，推动机关单位停车场错时共享。",
            ),
            (
                AskerKind.MEMBER,
                "常委会委员 刘明",
                "违停占道、占用消防通道如何治理？",
                "ZF-GA",
                "市公安局副局长",
                "开展违停专项整治，对占用消防通道零容忍。",
                "",
                "",
            ),
        ],
    ),
    (
        "小区物业管理",
        date(2023, 10, 26),
        [
            (
                AskerKind.DEPUTY,
                "市人大代表 王丽",
                "部分小区物业收费定价不透明、擅自涨价，如何规范？",
                "ZF-SJ",
                "市市场监督管理局局长",
                "将开展物业收费专项检查，推行收费公示。",
                "物业收费定价不规范",
                "三个月内完成全市住宅小区物业收费检查，督促全部公示收费项目和标准。",
            ),
        ],
    ),
    (
        "农村人居环境整治",
        date(2023, 12, 21),
        [
            (
                AskerKind.DEPUTY,
                "市人大代表 李建国",
                "部分村组垃圾收集点满溢、清运不及时，如何保障？",
                "ZF-NY",
                "市农业农村局局长",
                "正在完善村收集、镇转运、县处理体系。",
                "农村垃圾清运不及时",
                "增配垃圾转运车辆，实行村组垃圾日产日清并纳入乡镇考核。",
            ),
        ],
    ),
)


def seed() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    clerk = get_user_model().objects.get(username="congress_clerk")
    orgs = {o.code: o for o in Organisation.objects.all()}
    parking = None
    held = []
    for title, held_on, questions in INQUIRIES:
        inquiry = services.inquiry_create(
            actor=clerk, data={"title": title, "year": 2023, "source": TopicSource.PLAN}
        )
        for kind, asker, text, unit, official, *_rest in questions:
            inquiry.refresh_from_db()
            services.question_add(
                actor=clerk,
                inquiry_id=inquiry.pk,
                version=inquiry.version,
                asker_kind=kind,
                asker=asker,
                text=text,
                unit_id=orgs[unit].pk,
                official=official,
            )
        if title == "停车难停车乱":
            inquiry.refresh_from_db()
            services.research_add(
                actor=clerk,
                inquiry_id=inquiry.pk,
                version=inquiry.version,
                title="赴黄石港区、西塞山区老旧小区调研停车泊位供给",
                starts_at=datetime(2023, 8, 22, 9, 0, tzinfo=TZ),
                place="黄石港区",
            )
        inquiry.refresh_from_db()
        services.inquiry_hold(
            actor=clerk,
            inquiry_id=inquiry.pk,
            version=inquiry.version,
            held_on=held_on,
            place="市人大常委会机关会议室",
        )
        for q, (*_head, answer, c_title, c_text) in zip(
            Question.objects.filter(inquiry=inquiry).order_by("position"), questions, strict=True
        ):
            q = services.question_answer(
                actor=clerk, question_id=q.pk, version=q.version, answer=answer
            )
            if c_title:
                services.commitment_add(
                    actor=clerk, question_id=q.pk, version=q.version, title=c_title, content=c_text
                )
        inquiry.refresh_from_db()
        services.inquiry_send_opinion(
            actor=clerk,
            inquiry_id=inquiry.pk,
            version=inquiry.version,
            text=f"关于{title}专题询问的审议意见：请应询单位认真研究询问中提出的问题，"
            "落实承诺事项，三个月内书面报告整改情况。",
        )
        if title == "停车难停车乱":
            parking = inquiry
        else:
            held.append(inquiry)
    assert parking is not None
    parking.refresh_from_db()
    services.undercover_add(
        actor=clerk,
        inquiry_id=parking.pk,
        version=parking.version,
        title="会同市纪委监委和媒体暗访老城区停车秩序（暗访专题片）",
        starts_at=datetime(2023, 9, 20, 19, 0, tzinfo=TZ),
    )
    parking.refresh_from_db()
    services.bulletin_draft(
        actor=clerk,
        inquiry_id=parking.pk,
        version=parking.version,
        issuer_id=orgs["RD-DBGW"].pk,
        title="关于停车难停车乱问题整改情况的工作通报",
        body="专题询问后，市人大常委会会同市纪委监委和新闻媒体开展暗访，"
        "现将停车泊位供给不足等问题的整改情况通报如下……",
        sensitivity="ordinary",
        recipient_ids=[orgs["ZF-ZJ"].pk, orgs["ZF-GA"].pk],
    )
    parking.refresh_from_db()
    services.look_back_record(
        actor=clerk,
        inquiry_id=parking.pk,
        version=parking.version,
        findings="回头看：老城区新增公共停车泊位2100个，12个老旧小区实行错时共享停车，"
        "占道停车投诉同比下降三成；部分学校周边接送停车仍较集中，已列入下一年度监督计划。",
    )
    # The other three were looked back on in 2024 too (nothing of 2023 is left waiting).
    for inquiry in held:
        inquiry.refresh_from_db()
        services.look_back_record(
            actor=clerk,
            inquiry_id=inquiry.pk,
            version=inquiry.version,
            findings=f"回头看：{inquiry.title}专题询问的承诺事项已按计划推进，"
            "整改情况已书面报告常委会。",
        )
    _this_years_inquiry(clerk, orgs)
    return {"inquiries": Inquiry.objects.count(), "inquiry_questions": Question.objects.count()}


def _this_years_inquiry(clerk: Any, orgs: dict[str, Organisation]) -> None:
    """This year's inquiry in preparation: the clerk has it to prepare, and 市民政局 (the demo's
    unit A) the question put to it."""
    from django.utils import timezone

    inquiry = services.inquiry_create(
        actor=clerk,
        data={
            "title": "居家和社区养老服务",
            "year": timezone.localdate().year,
            "source": TopicSource.PLAN,
        },
    )
    services.question_add(
        actor=clerk,
        inquiry_id=inquiry.pk,
        version=inquiry.version,
        asker_kind=AskerKind.DEPUTY,
        asker="市人大代表 张卫东",
        text="社区养老服务站点覆盖不均、助餐服务持续性不足，有何举措？",
        unit_id=orgs["ZF-MZ"].pk,
        official="市民政局局长",
    )
