"""The bulletins' demo data: the 2023 四季度 bulletin of the 市人大常委会 on the joint
supervision of the 十件实事, to the 市纪委监委 and the government's offices (the 市政府办公室
and its 政务督查室), in the quarterly series 人大监督与纪检监察监督贯通协调工作通报 — signed for by
every recipient, with the CDI's feedback.

Every step goes through the services (with demo accounts as actors), so the audit chain and
the receipt deadlines are real; afterwards the dates are moved back to December 2023 (the
services stamp "now"). Called by `BulletinsConfig.demo_seed()` after the core demo data."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from wulian.core.access import actor_for
from wulian.core.bulletins import services
from wulian.core.bulletins.models import Bulletin, BulletinRecipient
from wulian.core.choices import Role
from wulian.core.models import Membership, Organisation, Person

SH = ZoneInfo("Asia/Shanghai")
BODY = """一、基本情况
2023年，市人大常委会与市纪委监委聚焦政府“十件实事”开展联合监督，通过听取汇报、联合调研、集中视察、现场督办等方式推动项目落实。
二、主要成效
20个建制村农村环境综合整治项目全部完工，600公里“四好农村路”建设超额完成，25个保障性租赁住房项目6256套（间）全部完成，50家幸福食堂全部完工并投入使用。
三、下一步工作
（一）持续跟踪幸福食堂运营情况，确保建得好、用得好。
（二）对专题询问中发现的问题，联合市纪委监委跟踪督办整改。"""


def _account(username: str, name: str, org: Organisation, title: str):
    from wulian.core.demo import DEMO_PASSWORD

    User = get_user_model()
    user = User.objects.create_user(
        username=username, password=DEMO_PASSWORD, password_changed_at=timezone.now()
    )
    person = Person.objects.create(name=name, user=user, title=title)
    Membership.objects.create(person=person, organisation=org, role=Role.STAFF)
    return user


def seed() -> dict[str, int]:
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=["RD", "JW", "ZF-BGS"])}
    users = {u.username: u for u in get_user_model().objects.filter(username="gov_supervisor")}
    clerk = _account("congress_office", "秦文静", orgs["RD"], "市人大常委会 秘书科 工作人员")
    cdi = _account("cdi_office", "韩志诚", orgs["JW"], "市纪委监委 办公室 工作人员")
    gov = _account("gov_office", "邓雅琴", orgs["ZF-BGS"], "市政府办公室 秘书科 工作人员")
    supervisor = users["gov_supervisor"]
    office = actor_for(clerk)
    series = services.series_create(
        actor=office,
        issuer_id=orgs["RD"].pk,
        name="人大监督与纪检监察监督贯通协调工作通报",
        cadence="quarterly",
    )
    dcs = Membership.objects.filter(person__user=supervisor).values_list(
        "organisation_id", flat=True
    )[0]
    bulletin = services.issue_bulletin(
        office,
        issuer_id=orgs["RD"].pk,
        series_id=series.pk,
        title="关于2023年政府“十件实事”联合监督情况的通报",
        body=BODY,
        recipient_ids=[orgs["JW"].pk, orgs["ZF-BGS"].pk, dcs],
    )
    for user, org_id in ((cdi, orgs["JW"].pk), (gov, orgs["ZF-BGS"].pk), (supervisor, dcs)):
        services.bulletin_sign(
            actor=actor_for(user), bulletin_id=bulletin.pk, organisation_id=org_id
        )
    services.bulletin_feedback(
        actor=actor_for(cdi),
        bulletin_id=bulletin.pk,
        organisation_id=orgs["JW"].pk,
        text="已收悉。市纪委监委将对专题询问中发现的问题同步跟踪督办，督办情况按季度通报。",
    )
    issued = datetime(2023, 12, 18, 9, 30, tzinfo=SH)
    Bulletin.objects.filter(pk=bulletin.pk).update(year=2023, issued_at=issued)
    BulletinRecipient.objects.filter(bulletin=bulletin).update(
        receipt_due_at=datetime(2023, 12, 21, 23, 59, 59, tzinfo=SH),
        feedback_due_at=datetime(2024, 1, 2, 23, 59, 59, tzinfo=SH),
        signed_at=datetime(2023, 12, 19, 10, 0, tzinfo=SH),
    )
    BulletinRecipient.objects.filter(bulletin=bulletin, organisation=orgs["JW"]).update(
        feedback_at=datetime(2023, 12, 27, 15, 0, tzinfo=SH)
    )
    return {"bulletins": Bulletin.objects.count()}
