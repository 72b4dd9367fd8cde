"""One deputy's suggestion in a real browser, from the deputy's phone to 满意: submitted on a
390-pixel-wide screen, accepted by the congress clerk, prepared for joint assignment and
countersigned by the government supervision office, received by the lead unit, the deputy
contacted, answered, and rated 满意 by the deputy on the phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.support import PHONE, RESULTS_DIR, sign_in
from tests.suggestions.helpers import NOW, make_session, walk
from wulian.core import records
from wulian.core.deadlines import seed, workcalendar
from wulian.core.deadlines.models import CalendarDay, CalendarYear, Deadline
from wulian.suggestions import services
from wulian.suggestions.choices import DEADLINE_OPINION, AssignmentRole
from wulian.suggestions.models import Assignment, AssignmentBatch, Suggestion

pytestmark = pytest.mark.browser

TITLE = "关于增设社区公交站点的建议"


@pytest.fixture
def calendar(flushable_db):
    """The holiday calendar (emptied by the previous live-server test's flush)."""
    workcalendar.invalidate()
    seed.fill_table(CalendarYear, CalendarDay)
    yield
    workcalendar.invalidate()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_suggestion_from_the_deputys_phone_to_satisfied(new_page, personas, calendar):
    make_session(personas)

    # 1. The deputy, on a phone.
    phone = new_page(PHONE)
    sign_in(phone, "deputy")
    phone.goto("/suggestions/new/")
    expect(phone.get_by_role("heading", level=1, name="提出代表建议")).to_be_visible()
    assert fits_the_screen(phone)
    phone.get_by_label("标题").fill(TITLE)
    phone.get_by_label("类别").select_option(label="交通运输")
    phone.get_by_label("内容").fill(
        "新建小区附近五百米内没有公交站点，老人出行不便，建议增设站点。"
    )
    phone.get_by_role("button", name="提交建议").click()
    expect(phone.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(phone.get_by_text("待审查").first).to_be_visible()
    assert fits_the_screen(phone)
    s = Suggestion.objects.get()
    url = f"/suggestions/{s.pk}/"
    assert s.number == 1

    # 2. The congress clerk accepts it and prepares the joint assignment.
    clerk = new_page()
    sign_in(clerk, "congress_clerk")
    clerk.goto(url)
    clerk.get_by_role("button", name="立案", exact=True).click()
    expect(clerk.get_by_text("已立案。下一步：人大代表工委和政府督查室联合交办")).to_be_visible()
    clerk.get_by_label("主办单位").select_option(label="市民政局")
    clerk.get_by_role("button", name="提交另一方会签").click()
    expect(clerk.get_by_text("已拟定交办，等待另一方会签。")).to_be_visible()

    # 3. The government supervision office countersigns it.
    office = new_page()
    sign_in(office, "gov_supervisor")
    office.goto(AssignmentBatch.objects.get().get_absolute_url())
    office.get_by_role("button", name="会签并联合交办").click()
    # Irreversible: a confirmation page says what cannot be undone (no JavaScript needed).
    expect(office.get_by_role("alert")).to_contain_text("会签后即联合交办，不能撤回")
    office.get_by_role("button", name="我已知晓不可撤销，确认").click()
    expect(office.get_by_text("已会签，建议已联合交办")).to_be_visible()

    # 4. The lead unit receives it, contacts the deputy and replies.
    unit = new_page()
    sign_in(unit, "unit_a")
    unit.goto(url)
    unit.get_by_role("button", name="签收", exact=True).click()
    # The message says what comes next, to whom and by when; the step bar moves on.
    expect(unit.get_by_text("已签收。请在48小时内联系领衔代表")).to_be_visible()
    expect(unit.locator(".step-bar .step-current .step-name")).to_have_text("联系")
    unit.get_by_label("联系方式").select_option(label="电话")
    unit.get_by_label("沟通情况和办理意见").fill("电话联系代表，介绍了站点选址方案，代表同意。")
    unit.get_by_role("button", name="登记", exact=True).click()
    expect(unit.get_by_text("联系代表情况已登记。")).to_be_visible()
    unit.get_by_text("答复代表（答复函）").click()
    unit.locator('input[name="category"][value="A"]').check()
    unit.get_by_label("签发人").fill("张局长")
    unit.get_by_label("答复内容").fill("经研究，已在该小区东门增设公交站点，下月起通车。")
    unit.get_by_label("公开文本").fill("已在该小区东门增设公交站点。")
    unit.get_by_role("button", name="发出答复").click()
    expect(unit.get_by_text("答复已发出")).to_be_visible()

    # 5. The deputy reads the reply on the phone and rates it 满意.
    phone.goto(url)
    expect(phone.get_by_text("已在该小区东门增设公交站点，下月起通车。")).to_be_visible()
    phone.locator('input[name="on_attitude"][value="satisfied"]').check()
    phone.locator('input[name="on_result"][value="satisfied"]').check()
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_text("感谢您的评价。")).to_be_visible()
    expect(phone.get_by_text("已办结").first).to_be_visible()
    assert fits_the_screen(phone)
    RESULTS_DIR.mkdir(exist_ok=True)
    phone.screenshot(path=RESULTS_DIR / "suggestion-satisfied-phone.png", full_page=True)

    s.refresh_from_db()
    assert s.status == "closed" and s.verdict == "satisfied" and s.reply_category == "A"


def test_a_lead_unit_replies_with_a_co_unit_silent_past_its_deadline(
    new_page, personas, calendar, time_machine
):
    """Unit B co-handles and never gives its opinion; once its month has passed (the clock
    set past its opinion deadline) the lead unit replies, and the reply says which opinion
    is missing."""
    p = personas
    time_machine.move_to(NOW, tick=True)
    s = walk(p, "assigned")
    lead = Assignment.objects.get(suggestion=s, role=AssignmentRole.LEAD)
    services.assignment_receive(actor=p.unit_a, assignment_id=lead.pk, version=lead.version)
    services.contact_record(
        actor=p.unit_a,
        suggestion_id=s.pk,
        method="phone",
        contacted_at=timezone.now(),
        agreed="电话联系代表，介绍办理思路。",
    )
    co = Assignment.objects.get(suggestion=s, role=AssignmentRole.CO)
    due = Deadline.objects.get(**records.reference(co), kind=DEADLINE_OPINION).due_at
    url = s.get_absolute_url()

    # Within the month: the reply waits for unit B's opinion.
    unit = new_page()
    sign_in(unit, "unit_a")
    unit.goto(url)
    awaited = unit.locator("#opinions-awaited")
    expect(awaited).to_contain_text("市司法局")
    expect(awaited).not_to_contain_text("期限已过")

    # The clock past unit B's deadline: the lead unit may reply without it.
    time_machine.move_to(due + timedelta(hours=2), tick=True)
    sign_in(unit, "unit_a")  # a month later: signed in again
    unit.goto(url)
    expect(awaited).to_contain_text("期限已过，可以答复")
    unit.get_by_text("答复代表（答复函）").click()
    unit.locator('input[name="category"][value="B"]').check()
    unit.get_by_label("签发人").fill("张局长")
    unit.get_by_label("答复内容").fill("经研究，已列入明年计划逐步解决。")
    unit.get_by_role("button", name="发出答复").click()
    expect(unit.get_by_text("答复已发出")).to_be_visible()
    expect(unit.locator(".missing-opinions")).to_have_text(
        "答复时未收到会办意见（会办期限已过）：市司法局"
    )
    expect(unit.locator(".step-bar .step-current .step-name")).to_have_text("评价")
    RESULTS_DIR.mkdir(exist_ok=True)
    unit.screenshot(path=RESULTS_DIR / "suggestion-reply-missing-opinion.png", full_page=True)
    s.refresh_from_db()
    assert s.status == "answered"
    assert [m["name"] for m in s.replies.get().opinions_missing] == ["市司法局"]
