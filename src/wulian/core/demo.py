"""The demo data set, modelled on the article: Huangshi's congress and its working bodies, the
CDI and its group stationed in the congress, the government, its supervision office and the
departments evaluated in 2023, the two courts, liaison stations across the districts and
counties, deputies, experts, integrity monitors, and one demo account per role.

Only loaded into an empty database (`wulian demo_seed --if-empty`, run by `make run`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wulian.core import audit
from wulian.core.choices import DeputyLevel, ExpertCategory, Gender, OrgKind, Role
from wulian.core.models import (
    DeputyProfile,
    ExpertProfile,
    IntegrityMonitorProfile,
    Membership,
    Organisation,
    Person,
)

# The demo data set only; printed by `make run` and on the sign-in page in demo mode.
DEMO_PASSWORD = "Wulian@demo2026"  # noqa: S105


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    org_code: str
    role: str
    description: str
    totp: bool = False


DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount("congress_clerk", "周晓梅", "RD-DBGW", Role.STAFF, "人大常委会代表工委 工作人员"),
    DemoAccount(
        "congress_leader", "陈立新", "RD-JSW", Role.LEADER, "人大常委会监察和司法工委 负责人"
    ),
    DemoAccount(
        "cdi_officer", "刘建华", "JW-DJ", Role.STAFF, "市纪委监委 党风政风监督室 工作人员", True
    ),
    DemoAccount(
        "cdi_clue",
        "孙国强",
        "JW-AJ",
        Role.CLUE_OFFICER,
        "市纪委监委 案件监督管理室 线索管理员",
        True,
    ),
    DemoAccount(
        "stationed", "何志远", "JW-PZ-RD", Role.STAFF, "驻市人大常委会机关纪检监察组 工作人员", True
    ),
    DemoAccount(
        "gov_supervisor", "吴丽娟", "ZF-DCS", Role.STAFF, "市政府办公室政务督查室 工作人员"
    ),
    DemoAccount("unit_a", "郑海燕", "ZF-MZ", Role.LIAISON, "市民政局 联络员（承办单位 A）"),
    DemoAccount("unit_b", "王振宇", "ZF-SF", Role.LIAISON, "市司法局 联络员（承办单位 B）"),
    DemoAccount("court_clerk", "李思源", "FY", Role.LIAISON, "市中级人民法院 联络员"),
    DemoAccount("deputy", "张卫东", "DB-HSG-01", Role.DEPUTY, "市人大代表（黄石港区代表团）"),
    DemoAccount("expert", "杨明哲", "RD-JSW", Role.EXPERT, "评查专家（律师）"),
    DemoAccount("monitor", "黄秀兰", "JW", Role.INTEGRITY_MONITOR, "清廉监督员"),
    DemoAccount("sysadmin", "赵磊", "RD-BGS", Role.SYSTEM_ADMIN, "系统管理员", True),
    DemoAccount("secadmin", "钱敏", "RD-BGS", Role.SECURITY_ADMIN, "安全管理员", True),
    DemoAccount("auditadmin", "冯涛", "RD-BGS", Role.AUDIT_ADMIN, "审计管理员", True),
]

# (code, name, short name, kind, parent code, region)
ORGANISATIONS: list[tuple[str, str, str, str, str | None, str]] = [
    ("RD", "黄石市人民代表大会常务委员会", "市人大常委会", OrgKind.CONGRESS, None, ""),
    ("RD-BGS", "黄石市人大常委会办公室", "人大办公室", OrgKind.CONGRESS_BODY, "RD", ""),
    ("RD-DBGW", "黄石市人大常委会代表工作委员会", "代表工委", OrgKind.CONGRESS_BODY, "RD", ""),
    (
        "RD-JSW",
        "黄石市人大常委会监察和司法工作委员会",
        "监察司法工委",
        OrgKind.CONGRESS_BODY,
        "RD",
        "",
    ),
    ("RD-CJW", "黄石市人大常委会财政经济工作委员会", "财经工委", OrgKind.CONGRESS_BODY, "RD", ""),
    ("RD-FGW", "黄石市人大常委会法制工作委员会", "法工委", OrgKind.CONGRESS_BODY, "RD", ""),
    (
        "RD-JKW",
        "黄石市人大常委会教育科学文化卫生工作委员会",
        "教科文卫工委",
        OrgKind.CONGRESS_BODY,
        "RD",
        "",
    ),
    (
        "RD-CHW",
        "黄石市人大常委会城乡建设环境保护工作委员会",
        "城环工委",
        OrgKind.CONGRESS_BODY,
        "RD",
        "",
    ),
    (
        "RD-SJW",
        "黄石市人大常委会社会建设工作委员会",
        "社会建设工委",
        OrgKind.CONGRESS_BODY,
        "RD",
        "",
    ),
    ("JW", "中共黄石市纪律检查委员会 黄石市监察委员会", "市纪委监委", OrgKind.CDI, None, ""),
    ("JW-DJ", "市纪委监委党风政风监督室", "党风政风监督室", OrgKind.CDI, "JW", ""),
    ("JW-AJ", "市纪委监委案件监督管理室", "案管室", OrgKind.CDI, "JW", ""),
    (
        "JW-PZ-RD",
        "市纪委监委驻市人大常委会机关纪检监察组",
        "驻人大纪检监察组",
        OrgKind.STATIONED_GROUP,
        "JW",
        "",
    ),
    ("ZF", "黄石市人民政府", "市政府", OrgKind.GOVERNMENT, None, ""),
    ("ZF-BGS", "黄石市人民政府办公室", "市政府办", OrgKind.GOVERNMENT, "ZF", ""),
    (
        "ZF-DCS",
        "黄石市人民政府办公室政务督查室",
        "政务督查室",
        OrgKind.GOV_SUPERVISION_OFFICE,
        "ZF-BGS",
        "",
    ),
    ("ZF-MZ", "黄石市民政局", "市民政局", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-SF", "黄石市司法局", "市司法局", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-ZRZY", "黄石市自然资源和规划局", "市自然资源和规划局", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-WJ", "黄石市卫生健康委员会", "市卫健委", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-TJ", "黄石市统计局", "市统计局", OrgKind.HANDLING_UNIT, "ZF", ""),
    (
        "ZF-ZWSJ",
        "黄石市政务服务和大数据管理局",
        "市政务服务和大数据局",
        OrgKind.HANDLING_UNIT,
        "ZF",
        "",
    ),
    ("ZF-FG", "黄石市发展和改革委员会", "市发改委", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-JY", "黄石市教育局", "市教育局", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-GA", "黄石市公安局", "市公安局", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-CZ", "黄石市财政局", "市财政局", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-RS", "黄石市人力资源和社会保障局", "市人社局", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-SthJ", "黄石市生态环境局", "市生态环境局", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-ZJ", "黄石市住房和城乡建设局", "市住建局", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-JT", "黄石市交通运输局", "市交通运输局", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-SL", "黄石市水利和湖泊局", "市水利和湖泊局", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-NY", "黄石市农业农村局", "市农业农村局", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-SW", "黄石市商务局", "市商务局", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-WL", "黄石市文化和旅游局", "市文旅局", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-YJ", "黄石市应急管理局", "市应急管理局", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-SJ", "黄石市市场监督管理局", "市市场监管局", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-CG", "黄石市城市管理执法委员会", "市城管执法委", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-YB", "黄石市医疗保障局", "市医保局", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-TY", "黄石市退役军人事务局", "市退役军人事务局", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("ZF-SJJ", "黄石市审计局", "市审计局", OrgKind.HANDLING_UNIT, "ZF", ""),
    ("FY", "黄石市中级人民法院", "市中院", OrgKind.COURT, None, ""),
    ("JCY", "黄石市人民检察院", "市检察院", OrgKind.PROCURATORATE, None, ""),
]

# Liaison stations across Huangshi's districts and counties (a sample of the 225).
LIAISON_STATIONS: list[tuple[str, str, str]] = [
    ("DB-HSG-01", "黄石港区胜阳港街道人大代表联络站", "黄石港区"),
    ("DB-HSG-02", "黄石港区花湖街道人大代表联络站", "黄石港区"),
    ("DB-XSS-01", "西塞山区八泉街道人大代表联络站", "西塞山区"),
    ("DB-XSS-02", "西塞山区河口镇人大代表联络站", "西塞山区"),
    ("DB-XL-01", "下陆区团城山街道人大代表联络站", "下陆区"),
    ("DB-XL-02", "下陆区东方山街道人大代表联络站", "下陆区"),
    ("DB-TS-01", "铁山区鹿獐山街道人大代表联络站", "铁山区"),
    ("DB-KFQ-01", "黄石经济技术开发区汪仁镇人大代表联络站", "黄石经济技术开发区"),
    ("DB-DY-01", "大冶市东岳路街道人大代表联络站", "大冶市"),
    ("DB-DY-02", "大冶市还地桥镇人大代表联络站", "大冶市"),
    ("DB-DY-03", "大冶市陈贵镇人大代表联络站", "大冶市"),
    ("DB-YX-01", "阳新县兴国镇人大代表联络站", "阳新县"),
    ("DB-YX-02", "阳新县富池镇人大代表联络站", "阳新县"),
    ("DB-YX-03", "阳新县浮屠镇人大代表联络站", "阳新县"),
]

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
_GIVEN = [
    "建国",
    "海涛",
    "丽华",
    "志强",
    "秀英",
    "文静",
    "国平",
    "晓燕",
    "德明",
    "春兰",
    "卫国",
    "红梅",
    "永生",
    "桂芳",
    "俊杰",
    "玉兰",
    "立军",
    "慧敏",
    "家豪",
    "雪梅",
]
_EXPERTS = [
    (ExpertCategory.LAWYER, ["民事", "商事"], "湖北众邦律师事务所"),
    (ExpertCategory.LAWYER, ["执行", "民事"], "湖北磁湖律师事务所"),
    (ExpertCategory.LAWYER, ["行政", "刑事"], "湖北山力律师事务所"),
    (ExpertCategory.PROFESSOR, ["民事", "商事"], ""),
    (ExpertCategory.PROFESSOR, ["行政"], ""),
    (ExpertCategory.PROFESSOR, ["刑事", "执行"], ""),
    (ExpertCategory.DEPUTY, ["商事"], ""),
    (ExpertCategory.DEPUTY, ["执行"], ""),
]


def demo_totp_key(username: str) -> str:
    """A fixed TOTP key per demo account, so that the demo can show the current code."""
    return audit.sm3_hex(f"wulian-demo-totp:{username}".encode())[:40]


def demo_current_code(user: object) -> str | None:
    """The current code of a demo account's authenticator — demo mode only."""
    if not settings.DEMO_MODE:
        return None
    username = getattr(user, "username", "")
    if username not in {a.username for a in DEMO_ACCOUNTS if a.totp}:
        return None
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or device.key != demo_totp_key(username):
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _name(i: int) -> str:
    return _SURNAMES[i % len(_SURNAMES)] + _GIVEN[(i * 7) % len(_GIVEN)]


@transaction.atomic
def seed() -> dict[str, int]:
    """Create the demo data set. Call only on an empty database."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from wulian.accounts.models import User

    orgs: dict[str, Organisation] = {}
    for order, (code, name, short, kind, parent, region) in enumerate(ORGANISATIONS):
        orgs[code] = Organisation.objects.create(
            code=code,
            name=name,
            short_name=short,
            kind=kind,
            parent=orgs[parent] if parent else None,
            region=region,
            sort_order=order * 10,
        )
    for order, (code, name, region) in enumerate(LIAISON_STATIONS):
        orgs[code] = Organisation.objects.create(
            code=code,
            name=name,
            short_name=name.replace("人大代表联络站", "联络站"),
            kind=OrgKind.LIAISON_STATION,
            parent=orgs["RD-DBGW"],
            region=region,
            sort_order=1000 + order,
        )

    now = timezone.now()
    for account in DEMO_ACCOUNTS:
        user = User.objects.create_user(
            username=account.username, password=DEMO_PASSWORD, password_changed_at=now
        )
        person = Person.objects.create(name=account.name, user=user, title=account.description)
        Membership.objects.create(
            person=person, organisation=orgs[account.org_code], role=account.role
        )
        if account.totp:
            TOTPDevice.objects.create(
                user=user, name="demo", key=demo_totp_key(account.username), confirmed=True
            )
        if account.role == Role.DEPUTY:
            DeputyProfile.objects.create(
                person=person,
                certificate_no="HS15-0001",
                level=DeputyLevel.MUNICIPAL,
                delegation="黄石港区代表团",
                liaison_station=orgs["DB-HSG-01"],
                term="第十五届",
            )
        if account.role == Role.EXPERT:
            ExpertProfile.objects.create(
                person=person,
                category=ExpertCategory.LAWYER,
                specialties=["民事", "执行"],
                employer="湖北楚天律师事务所",
                law_firm="湖北楚天律师事务所",
            )
        if account.role == Role.INTEGRITY_MONITOR:
            IntegrityMonitorProfile.objects.create(
                person=person, appointed_by=orgs["JW"], appointed_on=now.date(), area="营商环境"
            )

    stations = [code for code, _n, _r in LIAISON_STATIONS]
    for i in range(40):
        station = orgs[stations[i % len(stations)]]
        person = Person.objects.create(
            name=_name(i + 3),
            gender=Gender.MALE if i % 3 else Gender.FEMALE,
            title="市人大代表",
        )
        Membership.objects.create(person=person, organisation=station, role=Role.DEPUTY)
        DeputyProfile.objects.create(
            person=person,
            certificate_no=f"HS15-{i + 2:04d}",
            level=DeputyLevel.MUNICIPAL,
            delegation=f"{station.region}代表团",
            liaison_station=station,
            term="第十五届",
        )
    for i, (category, specialties, firm) in enumerate(_EXPERTS):
        person = Person.objects.create(name=_name(i + 60), title="评查专家")
        Membership.objects.create(person=person, organisation=orgs["RD-JSW"], role=Role.EXPERT)
        ExpertProfile.objects.create(
            person=person,
            category=category,
            specialties=specialties,
            employer=firm
            or ("湖北师范大学" if category == ExpertCategory.PROFESSOR else "市人大代表"),
            law_firm=firm,
        )
    for i in range(6):
        person = Person.objects.create(name=_name(i + 90), title="清廉监督员")
        Membership.objects.create(
            person=person, organisation=orgs["JW"], role=Role.INTEGRITY_MONITOR
        )
        IntegrityMonitorProfile.objects.create(
            person=person, appointed_by=orgs["JW"], appointed_on=now.date(), area="民生实事"
        )
    for code in ("ZF-MZ", "ZF-SF", "ZF-ZRZY", "ZF-WJ", "ZF-TJ", "ZF-ZWSJ"):
        for j, role in enumerate((Role.LEADER, Role.STAFF)):
            person = Person.objects.create(
                name=_name(len(code) * 11 + j + ord(code[-1])),
                title="分管负责人" if role == Role.LEADER else "办公室科员",
            )
            Membership.objects.create(person=person, organisation=orgs[code], role=role)

    counts = {
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
        "accounts": User.objects.count(),
    }
    audit.record(action="core.reference.seeded", target=("core.demo", "", "demo"), after=counts)
    _administrators_work(orgs)
    return counts


def _administrators_work(orgs: dict[str, Organisation]) -> None:
    """Work for the three administrators (三员) in 我的待办, through the services: the civil
    affairs bureau's former liaison has moved on — the system administrator ends his seat, so
    his account, still active, waits on the security administrator to be switched off, and the
    administrators' operations of the week wait on the audit administrator's review; an e-mail
    to a deputy's mistyped address has failed for good and waits on the system administrator
    (消息投递)."""
    from datetime import timedelta

    from wulian.accounts.models import User
    from wulian.core import services
    from wulian.core.access import actor_for
    from wulian.core.notifications.models import OutboxMessage, OutboxStatus

    former = User.objects.create_user(
        username="former_liaison", password=DEMO_PASSWORD, password_changed_at=timezone.now()
    )
    person = Person.objects.create(name="刘建明", title="市民政局 原联络员", user=former)
    seat = Membership.objects.create(
        person=person, organisation=orgs["ZF-MZ"], role=Role.LIAISON, post="原联络员"
    )
    sysadmin = User.objects.get(username="sysadmin")
    services.membership_end(actor=actor_for(sysadmin), membership_id=seat.pk)

    deputy = User.objects.get(username="deputy")
    now = timezone.now()
    OutboxMessage.objects.create(
        key="demo:mistyped-address",
        channel="email",
        recipient=deputy,
        address="zhangweidong@hs-rd.gov",
        kind="suggestions.suggestion.accepted",
        title="您的建议已立案，将交有关单位办理",
        status=OutboxStatus.DEAD,
        attempts=6,
        next_attempt_at=now - timedelta(hours=1),
        last_error="SMTP 550: mailbox unavailable (zhangweidong@hs-rd.gov)",
    )
