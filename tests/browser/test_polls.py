"""A secret ballot in a real browser: a deputy in the room, on a 390 px phone and without
signing in, votes with the code printed on a slip and sees the receipt once; the clerk closes
and seals the count (confirming on the confirmation page); the stationed group's witness
co-signs the tally (certify) on the poll page; the receipt is found on the public check page."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.support import PHONE, SECOND_FACTOR, path_is, sign_in
from tests.polls.helpers import open_with_deputy
from wulian.core.polls.choices import PollState
from wulian.core.polls.models import Ballot, Poll

pytestmark = pytest.mark.browser


TOTP_KEY = "3132333435363738393031323334353637383930"


def as_user(new_page: Any, username: str, device: TOTPDevice | None = None) -> Any:
    page = new_page()
    sign_in(page, username)
    if device is not None:  # the stationed group's role signs in with a second factor
        expect(page).to_have_url(path_is(SECOND_FACTOR))
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        page.get_by_label("验证码").fill(f"{totp.token():06d}")
        page.get_by_role("button", name="验证").click()
    expect(page.get_by_role("heading", level=1, name="我的待办")).to_be_visible()
    return page


def test_a_deputy_votes_with_a_slip_on_a_phone_and_the_witness_certifies(new_page, personas):
    poll = open_with_deputy(personas)
    code = poll.slip_codes[0]

    phone = new_page(viewport=PHONE)
    phone.goto(f"/polls/{poll.pk}/slip/#code={code}")
    expect(phone.get_by_label("投票码")).to_have_value(code)  # filled from the QR's fragment
    phone.get_by_role("button", name="下一步：填写选票").click()
    for item in poll.items.all():
        phone.get_by_role("group", name=item.label).get_by_label("满意", exact=True).check()
    phone.get_by_role("button", name="提交选票").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("投票成功")
    receipt = phone.locator("[data-receipt]").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", receipt)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, "the receipt page scrolls sideways on a phone"
    # The same code again: a clear refusal, no second ballot.
    phone.goto(f"/polls/{poll.pk}/slip/")
    phone.get_by_label("投票码").fill(code)
    phone.get_by_role("button", name="下一步：填写选票").click()
    expect(phone.locator(".errorlist, .form-errors, [role=alert]").first).to_contain_text(
        "此投票码已经投过票"
    )

    clerk = as_user(new_page, "congress_clerk")
    clerk.goto(poll.get_absolute_url())
    clerk.get_by_role("button", name="截止投票").click()
    clerk.get_by_role("button", name="我已知晓不可撤销，确认").click()
    expect(clerk.get_by_role("status")).to_contain_text("已截止投票")
    clerk.get_by_role("button", name="计票封存").click()
    clerk.get_by_role("button", name="我已知晓不可撤销，确认").click()
    expect(clerk.get_by_role("status")).to_contain_text("已计票封存")

    device = TOTPDevice.objects.create(
        user=personas.users["stationed"], name="browser-test", key=TOTP_KEY, confirmed=True
    )
    witness = as_user(new_page, "stationed", device)
    witness.get_by_role("link", name=f"见证确认计票结果：{poll.title}").first.click()
    witness.get_by_role("button", name="核验并确认计票结果").click()
    witness.get_by_role("button", name="我已知晓不可撤销，确认").click()
    expect(witness.get_by_role("status")).to_contain_text("已核验并确认计票结果")
    assert Poll.objects.get(pk=poll.pk).state == PollState.CERTIFIED
    assert Ballot.objects.filter(poll=poll).count() == 1

    phone.goto(f"/polls/{poll.pk}/check/")
    phone.get_by_label("回执码").fill(receipt)
    phone.get_by_role("button", name="核对").click()
    expect(phone.get_by_text("已计入")).to_be_visible()
