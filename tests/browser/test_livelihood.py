"""A livelihood project's monthly report in a real browser: unit A's liaison, on a 390 px
phone, finds the project in 我的待办, reports March's cumulative kilometres with a site photo
(its time and place read from the file); the deputy of the project's supervision group finds
the report in 我的待办 and verifies it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import PHONE, signed_in
from tests.livelihood import helpers as h
from wulian.livelihood.models import Actual

pytestmark = pytest.mark.browser


def test_a_department_reports_with_a_photo_on_a_phone_and_the_group_verifies(new_page, personas):
    project = h.make_project(personas, cycle=h.make_cycle(personas, year=2023))
    liaison = signed_in(new_page, "unit_a", viewport=PHONE)
    liaison.get_by_role("link", name=f"报送民生实事项目进展：{project.title}").first.click()
    expect(liaison.get_by_role("heading", level=1)).to_contain_text(project.title)
    liaison.get_by_role("combobox", name="指标").select_option(label="农村公路提档升级")
    liaison.get_by_label("月份").fill("3")
    liaison.get_by_label("累计完成").fill("150")
    liaison.get_by_label("进展情况").fill("3月完成路基150公里。")
    liaison.get_by_label("现场照片").set_input_files(
        files=[{"name": "site.jpg", "mimeType": "image/jpeg", "buffer": h.photo().read()}]
    )
    liaison.get_by_role("button", name="报送").click()
    expect(liaison.get_by_role("status")).to_contain_text("进展已报送")
    width = liaison.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, "the project page scrolls sideways on a phone"
    actual = Actual.objects.get()
    assert actual.photos.get().readable

    deputy = signed_in(new_page, "deputy", viewport=PHONE)
    deputy.get_by_role("link", name="核实民生实事项目进展").first.click()
    expect(deputy.locator("#photos")).to_contain_text("2023-03-25")
    deputy.get_by_role("button", name="核实无误").click()
    expect(deputy.get_by_role("status")).to_contain_text("已核实")
    actual.refresh_from_db()
    assert actual.state == "verified"
