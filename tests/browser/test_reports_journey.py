"""Issue 20's "Done when", as a person does it: on the demo data set the congress leader signs
in, finds the article's 2023 on 监督看板, opens 市卫生健康委's supervision profile across the
links, and downloads the annual 五联 report."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from docx import Document
from playwright.sync_api import expect

from tests.browser.support import path_is, sign_in
from wulian.core import demo
from wulian.core.models import Organisation

pytestmark = pytest.mark.browser

NOW = datetime(2026, 6, 15, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_the_congress_leader_reads_2023_across_the_links(new_page, time_machine):
    time_machine.move_to(NOW, tick=True)
    call_command("demo_seed", verbosity=0)
    page = new_page()
    sign_in(page, "congress_leader", demo.DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1, name="我的待办")).to_be_visible()

    # 五联 › 监督看板: the article's 187 suggestions of 2023, each a link to its records.
    page.locator("#mainnav summary", has_text="五联").click()
    page.locator("#mainnav").get_by_role("link", name="监督看板").click()
    expect(page.locator("main a", has_text="187").first).to_be_visible()

    # 单位 › 市卫生健康委 › 监督画像, year 2023: the links side by side.
    health = Organisation.objects.get(name__contains="卫生健康")
    page.goto(f"/orgs/{health.pk}/")
    page.get_by_role("link", name="监督画像").click()
    page.get_by_label("年度").select_option("2023")
    page.get_by_role("button", name="查看").click()
    expect(page).to_have_url(path_is(f"/reports/organisations/{health.pk}/"))
    expect(page.get_by_label("年度")).to_have_value("2023")
    for title in ("代表建议（联办）", "工作评议（联评）", "问题整改"):
        expect(page.get_by_role("heading", level=2, name=title)).to_be_visible()
    led = page.locator('tr[data-signal="suggestions.assigned"] a').first
    expect(led).to_have_text("9")  # the demo's nine 2023 suggestions led by the commission

    # 五联 › 年度报告, 2023: the page, then the GB/T 9704 document.
    page.locator("#mainnav summary", has_text="五联").click()
    page.locator("#mainnav").get_by_role("link", name="年度报告").click()
    page.get_by_label("年度").select_option("2023")
    page.get_by_role("button", name="查看").click()
    expect(page.locator("main")).to_contain_text("187件代表建议全部办结并答复代表")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载公文（.docx）").click()
    text = "\n".join(p.text for p in Document(download.value.path()).paragraphs)
    assert "关于2023年度人大监督与纪检监察监督“五联”工作情况的报告" in text
    assert "依托全市225个代表联络站" in text
