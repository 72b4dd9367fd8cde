"""联动 in a real browser: one review batch from filing through the witnessed draw, acceptance,
blind review and the 评查报告 to a suggestion to the court and its rectification.

People: the congress working body's clerk organises; the stationed group's member witnesses
(with his second factor); three experts — the `expert` persona (a lawyer), a professor and a
deputy — are the pool, so the draw seats all three; the court's liaison answers and
rectifies. Everything is done through the pages, as people would.
"""

from __future__ import annotations

import io
import re
import time
from typing import Any

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from docx import Document
from playwright.sync_api import expect

from tests.browser.support import SECOND_FACTOR, path_is, sign_in
from tests.clues.helpers import use_test_keyring
from tests.factories import account
from tests.judicial import helpers as h
from wulian.core import crypto
from wulian.core.choices import ExpertCategory, Role
from wulian.core.deadlines import seed, workcalendar
from wulian.core.deadlines.models import CalendarDay, CalendarYear
from wulian.judicial.models import Case, CourtSuggestion, Draw, ReviewBatch

pytestmark = pytest.mark.browser

TOTP_KEY = "3132333435363738393031323334353637383930"


@pytest.fixture
def world(personas):
    use_test_keyring()
    workcalendar.invalidate()
    seed.fill_table(CalendarYear, CalendarDay)
    body = personas.orgs["congress_body"]
    h.make_expert(person=personas.users["expert"].person, category=ExpertCategory.LAWYER)
    professor = account(body, Role.EXPERT, username="professor", name="李教授")
    deputy = account(body, Role.EXPERT, username="deputy_expert", name="王代表")
    h.make_expert(
        person=professor.person, category=ExpertCategory.PROFESSOR, employer="湖北师范大学"
    )
    h.make_expert(person=deputy.person, category=ExpertCategory.DEPUTY, employer="黄石某公司")
    device = TOTPDevice.objects.create(
        user=personas.users["stationed"], name="browser-test", key=TOTP_KEY, confirmed=True
    )
    yield personas, device
    crypto.reset_field_keyring(None)
    workcalendar.invalidate()


def as_user(new_page: Any, username: str, device: TOTPDevice | None = None) -> Any:
    page = new_page()
    sign_in(page, username)
    if device is not None:
        expect(page).to_have_url(path_is(SECOND_FACTOR))
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        page.get_by_label("验证码").fill(f"{totp.token():06d}")
        page.get_by_role("button", name="验证").click()
    expect(page.get_by_role("heading", level=1, name="我的待办")).to_be_visible()
    return page


def score(page: Any, values: tuple[int, int, int, int]) -> None:
    page.goto("/judicial/mine/")
    page.get_by_role("link", name="评分", exact=True).click()
    for label, value in zip(("实体", "程序", "文书", "执行"), values, strict=True):
        page.get_by_label(re.compile(f"^{label}")).fill(str(value))
    page.get_by_label("评查意见").fill("独立评分意见。")
    page.get_by_role("button", name="提交评分").click()
    expect(page.get_by_role("status")).to_contain_text("评分已提交")


def test_a_batch_from_filing_to_the_rectification_of_a_suggestion(new_page, world):
    _personas, device = world
    clerk = as_user(new_page, "congress_clerk")

    # 1. Filing (备案): a malformed number is refused on its field, then the right one.
    clerk.goto("/judicial/cases/new/")
    clerk.get_by_label("案号").fill("2023鄂02民初123号")
    clerk.get_by_label("承办法院或检察院").select_option(label="市中院")
    clerk.get_by_label("评查类别").select_option(label="涉企审判案件")
    clerk.get_by_label("当事人").fill("黄石某某机械有限公司（被告，企业）\n张三（原告）")
    clerk.get_by_label("承办法官或检察官").fill("赵法官")
    clerk.get_by_role("button", name="备案").click()
    expect(clerk.locator(".field-error")).to_contain_text("年份")
    clerk.get_by_label("案号").fill("（2023）鄂02民初123号")
    clerk.get_by_role("button", name="备案").click()
    expect(clerk.get_by_role("heading", level=1)).to_have_text("（2023）鄂02民初123号")

    # 2. The batch with its rules, and the frozen list.
    clerk.goto("/judicial/batches/new/")
    clerk.get_by_label("批次名称").fill("2023年涉企案件质量评查")
    clerk.get_by_label("（2023）鄂02民初123号").check()
    clerk.get_by_role("button", name="保存").click()
    expect(clerk.get_by_role("heading", level=1)).to_have_text("2023年涉企案件质量评查")
    clerk.get_by_role("button", name="冻结抽取清单").click()
    expect(clerk.get_by_role("status")).to_contain_text("抽取清单已冻结")
    draw_url = clerk.url

    # 3. The witness cannot enter his dice before the server's commitment …
    witness = as_user(new_page, "stationed", device)
    witness.goto(draw_url)
    witness.get_by_label("随机数（12 位数字）").fill("314159265358")
    witness.get_by_role("button", name="录入随机数").click()
    expect(witness.get_by_role("alert")).to_contain_text("尚未承诺")
    # … the organiser commits, and both enter their numbers.
    clerk.goto(draw_url)
    clerk.get_by_role("button", name="承诺服务器随机数").click()
    commitment = Draw.objects.get().commitment
    expect(clerk.locator('[data-hash="commitment"]')).to_have_text(commitment)
    clerk.get_by_label("随机数（12 位数字）").fill("271828182845")
    clerk.get_by_role("button", name="录入随机数").click()
    witness.goto(draw_url)
    witness.get_by_label("随机数（12 位数字）").fill("3141 5926 5358")
    witness.get_by_role("button", name="录入随机数").click()
    expect(witness.get_by_role("status")).to_contain_text("您的随机数已录入")

    # 4. The draw, sealed: names only for the organiser and the witness.
    clerk.goto(draw_url)
    clerk.get_by_role("button", name="抽取并密封结果").click()
    # Irreversible: the confirmation page says what cannot be undone; going back changes nothing.
    expect(clerk.get_by_role("alert")).to_contain_text("抽取不能重做")
    clerk.get_by_role("link", name="返回，不操作").click()
    assert not Draw.objects.get().seed
    clerk.get_by_role("button", name="抽取并密封结果").click()
    clerk.get_by_role("button", name="我已知晓不可撤销，确认").click()
    expect(clerk.get_by_role("status")).to_contain_text("结果已密封")
    witness.goto(draw_url)
    witness.get_by_role("link", name="查看抽取结果").click()
    expect(witness.locator("td[data-member]")).to_have_count(3)
    expect(witness.get_by_text("李教授")).to_be_visible()
    witness.goto(draw_url)
    witness.get_by_role("link", name="复核抽取").click()
    expect(witness.locator('[data-verify="ok"]')).to_be_visible()

    # 5. Acceptance: the lawyer in the app, the two others by telephone (recorded).
    expert = as_user(new_page, "expert")
    expert.goto("/judicial/mine/")
    expect(expert.get_by_text("鄂02民初")).to_have_count(0)  # no case details yet
    expert.get_by_role("button", name="接受").click()
    expect(expert.get_by_role("status")).to_contain_text("您已接受邀请")
    clerk.goto(draw_url + "result/")
    for _ in range(2):
        clerk.get_by_role("button", name="登记电话确认：接受").first.click()
        expect(clerk.get_by_role("status")).to_contain_text("已登记该专家接受邀请（电话答复）")
    batch = ReviewBatch.objects.get()
    clerk.goto(f"/judicial/batches/{batch.pk}/")
    clerk.get_by_role("button", name="开始评查").click()
    expect(clerk.get_by_role("status")).to_contain_text("评查已开始")

    # 6. Blind review: each scores alone and sees only his own scores.
    score(expert, (35, 25, 12, 12))
    professor = as_user(new_page, "professor")
    score(professor, (30, 22, 10, 10))
    case = Case.objects.get()
    professor.goto(f"/judicial/cases/{case.pk}/")
    expect(professor.get_by_text("84 / 100")).to_have_count(0)
    # The deputy was confirmed by telephone and scores on paper: the organiser enters his
    # signed sheet on his behalf, the witness co-signs it (issue 13, item 2).
    clerk.goto(f"/judicial/cases/{case.pk}/")
    clerk.get_by_role("link", name="代录纸质评分表").click()
    clerk.get_by_label("评查专家").select_option(label="王代表（人大代表）")
    for label, value in zip(("实体", "程序", "文书", "执行"), (33, 24, 11, 11), strict=True):
        clerk.get_by_label(re.compile(f"^{label}")).fill(str(value))
    clerk.get_by_label("纸质评分表说明").fill("纸质评分表第 1 号，专家签字，6 月 15 日电话确认")
    clerk.get_by_role("button", name="录入纸质评分表").click()
    expect(clerk.get_by_role("status")).to_contain_text("纸质评分表已录入")
    expect(clerk.get_by_text("纸质录入，待见证人会签")).to_be_visible()
    witness.goto(f"/judicial/cases/{case.pk}/")
    witness.get_by_role("button", name="会签纸质评分表").click()
    expect(witness.get_by_role("status")).to_contain_text("您已会签这份纸质评分表")
    expect(witness.get_by_text("纸质录入，已会签")).to_be_visible()

    # 7. The organiser sees every score, grades the case, records a problem.
    clerk.goto(f"/judicial/cases/{case.pk}/")
    expect(clerk.get_by_text("84 / 100")).to_be_visible()
    expect(clerk.get_by_text("纸质录入，已会签")).to_be_visible()
    clerk.get_by_label("评查意见").fill("程序合法，文书说理不够充分。")
    clerk.get_by_role("button", name="评定等次").click()
    expect(clerk.get_by_role("status")).to_contain_text("已评定等次")
    clerk.get_by_label("所属评查项目").select_option(label="文书")
    clerk.get_by_label("问题描述").fill("判决书对企业经营损失的认定说理不充分。")
    clerk.get_by_role("button", name="记录问题").click()
    expect(clerk.get_by_role("status")).to_contain_text("问题已记录")

    # 8. The report (评查报告) as .docx: a draft (草稿, no number) while the review is open.
    clerk.goto(f"/judicial/batches/{batch.pk}/")
    with clerk.expect_download() as download:
        clerk.get_by_role("link", name="下载评查报告草稿（.docx）").click()
    doc = Document(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    assert any("判决书对企业经营损失" in par.text for par in doc.paragraphs)
    assert any("纸质录入" in par.text and "1份" in par.text for par in doc.paragraphs)
    assert doc.paragraphs[0].text == "草稿"

    # 9. A suggestion to the court, sent: the court's rectification starts.
    clerk.get_by_role("link", name="起草意见建议").click()
    clerk.get_by_label("送达单位").select_option(label="市中院")
    clerk.get_by_label("标题").fill("关于加强涉企案件裁判文书说理的建议")
    clerk.get_by_label("意见建议内容").fill("建议建立裁判文书说理审核机制。")
    clerk.get_by_label(re.compile("判决书对企业经营损失")).check()
    clerk.get_by_role("button", name="保存草稿").click()
    clerk.get_by_role("button", name="送达").click()
    expect(clerk.get_by_role("status")).to_contain_text("意见建议已送达")
    suggestion = CourtSuggestion.objects.get()

    court = as_user(new_page, "court_clerk")
    court.goto(f"/judicial/suggestions/{suggestion.pk}/")
    court.get_by_label("采纳", exact=True).check()
    court.get_by_label("答复意见").fill("采纳，已建立文书说理审核机制。")
    court.get_by_role("button", name="提交答复").click()
    expect(court.get_by_role("status")).to_contain_text("答复已提交")
    court.get_by_role("link", name="市中院").click()
    court.get_by_role("textbox", name="整改措施和承诺").fill("建立裁判文书说理审核机制，逐案复查。")
    court.get_by_label("计划完成日期").fill("2026-12-31")
    court.get_by_role("button", name="保存整改措施").click()
    court.get_by_text("整改完成，提交核验").click()
    court.get_by_role("textbox", name="整改完成情况").fill("已建立制度并复查完毕。")
    court.get_by_role("button", name="提交核验").click()

    # 10. The organiser closes the rectification (销号) and records what it brought.
    clerk.goto(f"/judicial/suggestions/{suggestion.pk}/")
    clerk.get_by_role("link", name="市中院").click()
    clerk.get_by_text("核验通过，销号").click()
    clerk.get_by_role("button", name="销号").click()
    clerk.goto(f"/judicial/suggestions/{suggestion.pk}/")
    clerk.get_by_label(re.compile("（2023）鄂02民初123号")).check()
    clerk.get_by_label("建立健全的制度机制").fill("裁判文书说理审核制度")
    clerk.get_by_role("button", name="登记整改成效").click()
    expect(clerk.get_by_role("status")).to_contain_text("整改成效已登记")

    clerk.goto("/judicial/figures/")
    expect(clerk.locator('[data-figure="corrected"]')).to_have_text("1")
    expect(clerk.locator('[data-figure="mechanisms"]')).to_have_text("1")
    expect(clerk.locator('[data-figure="adopted"]')).to_have_text("1")
