"""A deputy on a 390-pixel phone records three residents' opinions at a 选民接待日 (issue 17):
each in well under a minute — the form is at the top of the event's page, three fields and a
tick, and after each the page comes back empty for the next resident."""

from __future__ import annotations

import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.support import PHONE, sign_in
from tests.clues.helpers import use_test_keyring
from tests.stations import helpers as h
from wulian.stations.models import Opinion

pytestmark = pytest.mark.browser

RESIDENTS = (
    ("老旧小区加装电梯", "6栋老人多，希望加快加装电梯。", True, "刘桂兰", "13807230001"),
    ("文明养犬", "小区遛狗不牵绳，晚上犬吠扰民。", False, "", ""),
    ("停车难", "小区门口乱停车，堵住消防通道。", True, "", "13807230003"),
)


def test_a_deputy_records_three_opinions_on_a_phone(new_page, personas):
    use_test_keyring()
    event = h.event(personas, day=timezone.localdate())
    phone = new_page(PHONE)
    sign_in(phone, "deputy")
    phone.goto(f"/stations/events/{event.pk}/")
    for topic, content, consent, name, number in RESIDENTS:
        started = time.monotonic()
        form = phone.locator("#opinion")
        form.get_by_label("事项").fill(topic)
        form.get_by_label("意见内容").fill(content)
        if consent:
            form.get_by_label("群众同意联系").check()
            if name:
                form.get_by_label("群众姓名").fill(name)
            form.get_by_label("联系电话").fill(number)
        form.get_by_role("button", name="记录").click()
        expect(phone.get_by_text(f"已记录：{topic}")).to_be_visible()
        assert time.monotonic() - started < 60
        # the form is empty again, ready for the next resident
        expect(phone.locator("#opinion").get_by_label("事项")).to_have_value("")
        assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert Opinion.objects.filter(event=event).count() == 3
    assert Opinion.objects.get(topic="老旧小区加装电梯").resident_phone == "13807230001"
    assert Opinion.objects.get(topic="文明养犬").resident_phone == ""
    # the three are listed on the event's page
    for topic, *_rest in RESIDENTS:
        expect(phone.get_by_role("link", name=topic)).to_be_visible()
