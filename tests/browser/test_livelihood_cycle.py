"""A whole 民生实事 cycle in a real browser, each step taken by the role that takes it:

the congress clerk opens the year and registers two candidates (征集); the government's
supervision office screens them with budget, department and indicators (论证筛选); the clerk
sends them to the deputies' secret ballot (代表票决, 差额: 2 candidates for 1 place); the
deputies vote with their printed slips on phones; the clerk closes and seals the count, the
stationed group's witness certifies it, and the clerk makes the 决定; the department reports
June's kilometres with a site photo, far behind the planned curve, and the deviation warning
shows red; the clerk holds a 集中检查 linked to the project and records a finding on it; at the
next session the deputies grade the project 不满意, and the clerk records the results (the
project gets its mandatory rectification and a proposed 专题询问 topic).

The ballots' preparation — printing the slips, the witness co-signing the opening — is done
through the polls services (its pages are driven in test_polls.py); everything else is a page.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.support import PHONE, signed_in
from tests.browser.test_polls import TOTP_KEY, as_user
from tests.livelihood import helpers as h
from wulian.core.access import actor_for
from wulian.core.polls import services as polls
from wulian.core.polls.models import Poll
from wulian.core.rectification.models import Finding
from wulian.livelihood.choices import CycleState, Satisfaction
from wulian.livelihood.models import Actual, Cycle, Project, Warning

pytestmark = pytest.mark.browser

DEPUTIES = 3
CONFIRM = "我已知晓不可撤销，确认"


def _open_slips(personas: Any, poll: Poll) -> list[str]:
    """Print a slip for every deputy and open the ballot with the witness (the poll's own
    preparation)."""
    clerk = actor_for(personas.congress_clerk)
    codes = polls.slips_issue(clerk, poll_id=poll.pk, group_id=poll.groups.get().pk, count=DEPUTIES)
    polls.open_request(clerk, poll_id=poll.pk)
    polls.open_cosign(actor_for(personas.stationed), poll_id=poll.pk)
    return codes


def _vote(new_page: Any, poll: Poll, code: str, choice: dict[str, str]) -> None:
    """A deputy in the room votes on a phone with the code printed on a slip."""
    phone = new_page(viewport=PHONE)
    phone.goto(f"/polls/{poll.pk}/slip/#code={code}")
    phone.get_by_role("button", name="下一步：填写选票").click()
    for label, grade in choice.items():
        phone.get_by_role("group", name=label).get_by_label(grade, exact=True).check()
    phone.get_by_role("button", name="提交选票").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("投票成功")
    phone.context.close()


def _count(clerk: Any, witness: Any, poll: Poll) -> None:
    """The clerk closes and seals the count; the witness certifies it."""
    clerk.goto(poll.get_absolute_url())
    clerk.get_by_role("button", name="截止投票").click()
    clerk.get_by_role("button", name=CONFIRM).click()
    expect(clerk.get_by_role("status")).to_contain_text("已截止投票")
    clerk.get_by_role("button", name="计票封存").click()
    clerk.get_by_role("button", name=CONFIRM).click()
    expect(clerk.get_by_role("status")).to_contain_text("已计票封存")
    witness.goto(poll.get_absolute_url())
    witness.get_by_role("button", name="核验并确认计票结果").click()
    witness.get_by_role("button", name=CONFIRM).click()
    expect(witness.get_by_role("status")).to_contain_text("已核验并确认计票结果")


def _session(page: Any, step: str) -> None:
    """Fill a session form (the witness and the voting window around now) and submit it."""
    now = timezone.localtime()
    form = page.locator("form", has=page.get_by_role("button", name=step))
    form.get_by_label("见证单位").select_option(label="驻人大纪检监察组")
    form.get_by_label("投票开始").fill((now - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"))
    form.get_by_label("投票截止").fill((now + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"))
    form.get_by_role("button", name=step).click()


def test_a_cycle_from_candidates_to_the_satisfaction_vote(new_page, personas):
    today = timezone.localdate()
    year = today.year
    month = min(today.month, 6)

    # 征集: the clerk opens the year and registers two candidates with their source.
    clerk = signed_in(new_page, "congress_clerk")
    clerk.goto("/livelihood/new/")
    clerk.get_by_label("年度").fill(str(year))
    clerk.get_by_label("名称").fill(f"{year}年市级民生实事项目")
    clerk.get_by_label("组织单位").select_option(label="代表工委")
    clerk.get_by_label("应选项目数").fill("1")
    clerk.get_by_label("全体代表人数").fill(str(DEPUTIES))
    clerk.get_by_role("button", name="建立").click()
    expect(clerk.get_by_role("status")).to_contain_text("民生实事年度已建立")
    cycle_url = clerk.url
    for title, source in (("四好农村路建设", "人大代表提出"), ("幸福食堂建设", "群众征集")):
        clerk.locator("summary", has_text="登记候选项目").click()
        clerk.get_by_label("项目名称").fill(title)
        clerk.get_by_label("来源").select_option(label=source)
        clerk.get_by_role("button", name="登记", exact=True).click()
        expect(clerk.get_by_role("status")).to_contain_text("候选项目已登记")
    cycle = Cycle.objects.get(year=year)

    # 论证筛选: the government's supervision office lists both with budget and indicators.
    office = signed_in(new_page, "gov_supervisor")
    office.goto(cycle_url)
    for candidate, indicator in zip(
        cycle.candidates.order_by("id"),
        ("农村公路提档升级|600|公里|长度|0", "幸福食堂|50|个|建成并投用|0"),
        strict=True,
    ):
        row = office.locator(f"#candidate-{candidate.pk}")
        row.locator("summary", has_text="论证筛选").click()
        row.get_by_label("论证结论").select_option(label="列为候选项目")
        row.get_by_label("预算（万元）").fill("12000")
        row.get_by_label("责任单位").select_option(label="市民政局")
        row.get_by_label("绩效指标").fill(indicator)
        row.get_by_role("button", name="论证筛选").click()
        expect(office.get_by_role("status")).to_contain_text("论证意见已保存")
    expect(office.locator("#candidates")).not_to_contain_text("待论证")

    # 代表票决: the shortlist goes to the deputies' secret ballot; three deputies vote.
    clerk.goto(cycle_url)
    _session(clerk, "提交代表票决")
    expect(clerk.get_by_role("status")).to_contain_text("已生成代表票决")
    cycle.refresh_from_db()
    poll = cycle.vote_poll
    for code in _open_slips(personas, poll):
        _vote(new_page, poll, code, {"四好农村路建设": "赞成", "幸福食堂建设": "反对"})
    TOTPDevice.objects.create(
        user=personas.users["stationed"], name="browser-test", key=TOTP_KEY, confirmed=True
    )
    witness = as_user(new_page, "stationed", TOTPDevice.objects.get(user=personas.stationed))
    _count(clerk, witness, poll)

    # The 决定: the elected candidate becomes the year's project with its indicator.
    clerk.goto(cycle_url)
    clerk.get_by_label("决定文号").fill(f"人常〔{year}〕1号")
    clerk.get_by_role("button", name="作出决定").click()
    if clerk.get_by_role("button", name=CONFIRM).count():
        clerk.get_by_role("button", name=CONFIRM).click()
    expect(clerk.get_by_role("status")).to_contain_text("决定已作出")
    expect(clerk.locator("#candidates")).to_contain_text("赞成 3，反对 0，弃权 0")
    project = Project.objects.get(cycle=cycle)
    assert project.title == "四好农村路建设"

    # 组织实施: the department reports the month's cumulative kilometres with a site photo,
    # far behind the planned curve (600 km straight to December): the warning fires, red.
    liaison = signed_in(new_page, "unit_a", viewport=PHONE)
    liaison.goto(project.get_absolute_url())
    liaison.get_by_role("combobox", name="指标").select_option(label="农村公路提档升级")
    liaison.get_by_label("月份").fill(str(month))
    liaison.get_by_label("累计完成").fill("10")
    liaison.get_by_label("进展情况").fill("路基施工因雨延误。")
    liaison.get_by_label("现场照片").set_input_files(
        files=[{"name": "site.jpg", "mimeType": "image/jpeg", "buffer": h.photo().read()}]
    )
    liaison.get_by_role("button", name="报送").click()
    expect(liaison.get_by_role("status")).to_contain_text("进展已报送")
    warning = liaison.locator("#indicators li.danger")
    expect(warning).to_contain_text("农村公路提档升级")
    expect(warning).to_contain_text(f"{month}月计划累计")
    assert Warning.objects.filter(indicator__project=project).count() == 1
    assert Actual.objects.get().photos.get().readable

    # 联合监督: the clerk holds a 集中检查 of the project and records what it found.
    clerk.goto("/activities/new/")
    clerk.get_by_label("活动类型").select_option(label="集中检查")
    clerk.get_by_label("活动名称").fill("四好农村路建设集中检查")
    clerk.get_by_label("组织单位").select_option(label="代表工委")
    clerk.get_by_label("开始时间").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    clerk.get_by_role("button", name="保存").click()
    expect(clerk.get_by_role("heading", level=1)).to_contain_text("四好农村路建设集中检查")
    clerk.locator("summary", has_text="关联记录").click()
    clerk.get_by_label("记录类型").select_option(label="民生实事项目")
    clerk.get_by_label("记录编号").fill(str(project.pk))
    clerk.get_by_role("button", name="关联", exact=True).click()
    expect(clerk.get_by_role("link", name="四好农村路建设", exact=True)).to_be_visible()
    clerk.get_by_role("link", name="提出问题并交付整改").click()
    clerk.get_by_label("问题概述").fill("部分路段路基压实度不足")
    clerk.get_by_label("问题描述").fill("抽检三处，两处压实度低于设计要求。")
    clerk.get_by_label("被监督单位").select_option(label="市民政局")
    clerk.get_by_label("发现单位").select_option(label="代表工委")
    clerk.get_by_label("整改责任单位").fill("市民政局")
    clerk.get_by_role("button", name="提出").click()
    expect(clerk.get_by_role("status")).to_contain_text("问题已提出")
    finding = Finding.objects.get()
    assert finding.title == "部分路段路基压实度不足"
    clerk.goto(project.get_absolute_url())
    expect(clerk.locator("#supervision")).to_contain_text("四好农村路建设集中检查")

    # 评估: at the next session the deputies grade the project; the clerk records the result.
    clerk.goto(cycle_url)
    _session(clerk, "开展满意度测评")
    expect(clerk.get_by_role("status")).to_contain_text("已生成满意度测评")
    cycle.refresh_from_db()
    poll = cycle.satisfaction_poll
    for code in _open_slips(personas, poll):
        _vote(new_page, poll, code, {"四好农村路建设": "不满意"})
    _count(clerk, witness, poll)
    clerk.goto(cycle_url)
    clerk.get_by_role("button", name="登记结果").click()
    if clerk.get_by_role("button", name=CONFIRM).count():
        clerk.get_by_role("button", name=CONFIRM).click()
    expect(clerk.get_by_role("status")).to_contain_text("测评结果已登记")
    expect(clerk.locator("#projects")).to_contain_text("不满意")
    project.refresh_from_db()
    cycle.refresh_from_db()
    assert project.satisfaction == Satisfaction.UNSATISFIED and project.inquiry_topic
    assert cycle.state == CycleState.CLOSED
    assert Finding.objects.count() == 2  # the inspection's, and the mandatory rectification
