"""The demo data set: every demo account signs in (second factor included) and lands on its
home page; every link in each person's navigation opens; the chain verifies on demo data."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from wulian.core import audit, demo
from wulian.core.choices import OrgKind
from wulian.core.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data():
    return demo.seed()


def sign_in(account: demo.DemoAccount) -> Client:
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": account.username, "password": demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    if account.totp:
        device = TOTPDevice.objects.get(user__username=account.username)
        code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
        response = client.post("/accounts/second-factor/", {"token": f"{code:06d}"})
        assert response.status_code == 302
    return client


def test_the_demo_models_the_article(demo_data):
    names = set(Organisation.objects.values_list("name", flat=True))
    for department in (
        "民政",
        "司法",
        "自然资源和规划",
        "卫生健康",
        "统计",
        "政务服务和大数据管理",
    ):
        assert any(department in n for n in names), department
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert set(OrgKind.values) - {"other"} <= kinds
    regions = set(
        Organisation.objects.filter(kind=OrgKind.LIAISON_STATION).values_list("region", flat=True)
    )
    assert {"黄石港区", "西塞山区", "下陆区", "铁山区", "大冶市", "阳新县"} <= regions


@pytest.mark.parametrize("account", demo.DEMO_ACCOUNTS, ids=lambda a: a.username)
def test_every_demo_account_lands_on_its_home_page_and_every_nav_link_opens(demo_data, account):
    client = sign_in(account)
    home = client.get("/")
    assert home.status_code == 200
    page = home.content.decode()
    assert "我的待办" in page
    nav = re.search(r'<nav id="mainnav".*?</nav>', page, re.S)
    assert nav is not None
    links = re.findall(r'href="([^"]+)"', nav.group(0))
    assert links
    for link in links:
        assert client.get(link).status_code == 200, f"{account.username}: {link}"


def test_the_audit_chain_verifies_on_the_demo_data(demo_data):
    sign_in(demo.DEMO_ACCOUNTS[0])
    result = audit.verify()
    assert result.ok and result.events >= 2


def test_demo_accounts_are_listed_on_the_sign_in_page_only_in_demo_mode(demo_data, settings):
    settings.DEMO_MODE = False
    assert "congress_clerk" not in Client().get("/accounts/login/").content.decode()
    settings.DEMO_MODE = True
    assert "congress_clerk" in Client().get("/accounts/login/").content.decode()


@pytest.mark.parametrize(
    "username,source",
    [
        ("expert", "司法监督"),  # an invitation of the drawn 2026 batch to accept or decline
        ("monitor", "征求意见"),  # a named invitee of the current opinion round
        ("sysadmin", "消息投递"),  # an e-mail to a mistyped address failed for good
        ("secadmin", "账号管理"),  # a leaver's account still open
        ("auditadmin", "审计日志"),  # the other administrators' operations of the week
    ],
)
def test_the_expert_and_the_administrators_have_work_in_the_full_demo(
    time_machine, username, source
):
    """Issue 13: every demo account finds something real in 我的待办 (the working accounts are
    checked on four days of the year in tests/suggestions/test_demo.py)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from wulian.core.access import actor_for
    from wulian.core.todos import todos_for

    time_machine.move_to(datetime(2026, 6, 15, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)
    call_command("demo_seed", verbosity=0)
    user = get_user_model().objects.get(username=username)
    items = todos_for(actor_for(user))
    assert any(str(i.source) == source for i in items), [(i.source, i.title) for i in items]
