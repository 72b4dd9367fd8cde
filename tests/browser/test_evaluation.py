"""联评 in a real browser, one department from 立项 to 办结: the congress working body's clerk
creates the evaluation from a 主任会议 decision; the CDI provides its dossier; the clerk plans a
symposium and records it held with the stationed group present (refused without it); unit A
uploads its self-report; the stationed group witnesses the satisfaction vote (核验并确认计票
结果); the clerk records the result, sends the opinion, shares the results with the CDI; unit A
rectifies; the report is heard and the evaluation closed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.support import signed_in
from tests.browser.test_polls import TOTP_KEY, as_user
from tests.evaluation import helpers as h
from wulian.core.access import actor_for
from wulian.core.deadlines import seed, workcalendar
from wulian.core.deadlines.models import CalendarDay, CalendarYear
from wulian.core.rectification import services as rect_services
from wulian.core.rectification.models import Rectification
from wulian.evaluation.models import Evaluation

pytestmark = pytest.mark.browser


@pytest.fixture
def world(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    workcalendar.invalidate()
    seed.fill_table(CalendarYear, CalendarDay)
    yield personas
    workcalendar.invalidate()


def _step(page, name: str) -> None:
    page.locator(f'form[data-step="{name}"] button[type="submit"]').click()


def test_one_department_from_approval_to_closing(new_page, world, tmp_path):
    p = world
    decision = h.decision(p)
    clerk = signed_in(new_page, "congress_clerk")
    clerk.goto("/evaluation/")
    clerk.get_by_role("link", name="评议立项").click()
    clerk.get_by_label("主任会议决定（编号）").fill(str(decision.pk))
    clerk.get_by_label("被评议部门").select_option(str(p.orgs["unit_a"].pk))
    clerk.get_by_label("评议年度").fill(str(timezone.localdate().year))
    clerk.get_by_label("工作机构").select_option(str(p.orgs["congress_body"].pk))
    clerk.get_by_label("派驻纪检监察组").select_option(str(p.orgs["stationed_group"].pk))
    clerk.get_by_role("button", name="立项").click()
    expect(clerk.get_by_role("status")).to_contain_text("已立项")
    e = Evaluation.objects.get()

    def second_factor(who: str) -> TOTPDevice:  # the CDI's roles sign in with a second factor
        return TOTPDevice.objects.create(
            user=p.users[who], name="browser-test", key=TOTP_KEY, confirmed=True
        )

    cdi = as_user(new_page, "cdi_officer", second_factor("cdi_officer"))
    cdi.goto(e.get_absolute_url())
    form = cdi.locator('form[data-step="dossier_add"]')
    form.get_by_label("材料类型").select_option("inspection")
    form.get_by_label("标题").fill("巡察反馈问题")
    form.get_by_label("内容").fill("低保审核把关不严。")
    _step(cdi, "dossier_add")
    expect(cdi.get_by_role("status")).to_contain_text("参考材料已保存")
    _step(cdi, "dossier_deliver")
    expect(cdi.get_by_role("status")).to_contain_text("参考材料已提交")

    clerk.goto(e.get_absolute_url())
    _step(clerk, "advance")
    expect(clerk.get_by_role("status")).to_contain_text("下一阶段")
    form = clerk.locator('form[data-step="activity_add"]')
    form.get_by_label("活动类型").select_option("symposium")
    form.get_by_label("活动名称").fill("服务对象座谈会")
    when = timezone.localtime(timezone.now() - timedelta(hours=1))
    form.get_by_label("开始时间").fill(when.strftime("%Y-%m-%d %H:%M"))
    _step(clerk, "activity_add")
    expect(clerk.get_by_role("status")).to_contain_text("评议活动已安排")
    _step(clerk, "advance")
    activity = h.services.linked_activity_ids(e)[0]
    form = clerk.locator('form[data-step="activity_held"]')
    form.get_by_label("评议活动").fill(str(activity))
    form.get_by_label(p.orgs["unit_a"].name).check()
    _step(clerk, "activity_held")
    expect(clerk.locator(".form-errors, [role=alert]").first).to_contain_text("派驻纪检监察组")
    form = clerk.locator('form[data-step="activity_held"]')
    form.get_by_label("评议活动").fill(str(activity))
    form.get_by_label(p.orgs["stationed_group"].name).check()
    _step(clerk, "activity_held")
    expect(clerk.get_by_role("status")).to_contain_text("已举行")

    report = tmp_path / "自查报告.txt"
    report.write_text("市民政局2026年度工作自查报告", encoding="utf-8")
    unit = signed_in(new_page, "unit_a")
    unit.goto(e.get_absolute_url())
    expect(unit.get_by_role("link", name="评议参考材料（机密）")).to_have_count(0)
    unit.locator('form[data-step="self_report"]').get_by_label(
        "自查报告（或整改报告）文件"
    ).set_input_files(str(report))
    _step(unit, "self_report")
    expect(unit.get_by_role("status")).to_contain_text("报告已上传")

    clerk.goto(e.get_absolute_url())
    _step(clerk, "advance")
    expect(clerk.get_by_role("status")).to_contain_text("下一阶段")
    poll = h.certified_poll(p, [["satisfied"] * 5] * 3)

    stationed = as_user(new_page, "stationed", second_factor("stationed"))
    stationed.goto(poll.get_absolute_url())
    stationed.get_by_role("button", name="核验并确认计票结果").click()
    stationed.get_by_role("button", name="我已知晓不可撤销，确认").click()
    expect(stationed.get_by_role("status")).to_be_visible()

    clerk.goto(e.get_absolute_url())
    clerk.locator('form[data-step="vote"]').get_by_label("满意度测评（编号）").fill(str(poll.pk))
    _step(clerk, "vote")
    expect(clerk.get_by_role("status")).to_contain_text("测评结果已登记")
    clerk.locator('form[data-step="finding"]').locator('[name="title"]').fill("低保动态管理不到位")
    clerk.locator('form[data-step="finding"]').get_by_label("问题描述").fill("抽查发现问题")
    _step(clerk, "finding")
    expect(clerk.get_by_role("status")).to_contain_text("问题已交")
    clerk.locator('form[data-step="opinion"]').get_by_label("评议意见").fill(
        "总体满意。请加强低保动态管理，3个月内报告整改情况。"
    )
    _step(clerk, "opinion")
    expect(clerk.get_by_role("status")).to_contain_text("评议意见书已送达")
    _step(clerk, "share")
    expect(clerk.get_by_role("status")).to_contain_text("通报纪委监委")

    r = Rectification.objects.get()  # unit A rectifies, the clerk verifies (the rectification app)
    unit_actor = actor_for(p.unit_a)
    r = rect_services.rectification_commit(
        actor=unit_actor,
        rectification_id=r.pk,
        version=r.version,
        commitment="建立核查机制",
        planned_completion=timezone.localdate() + timedelta(days=30),
    )
    r = rect_services.rectification_submit(
        actor=unit_actor, rectification_id=r.pk, version=r.version, summary="已整改"
    )
    rect_services.rectification_close(
        actor=actor_for(p.congress_clerk), rectification_id=r.pk, version=r.version
    )

    clerk.goto(e.get_absolute_url())
    clerk.locator('form[data-step="report_heard"]').get_by_label("审议情况").fill(
        "常委会审议，表示满意"
    )
    _step(clerk, "report_heard")
    expect(clerk.get_by_role("status")).to_contain_text("审议整改报告")
    _step(clerk, "close")
    expect(clerk.get_by_role("status")).to_contain_text("评议已办结")
    assert Evaluation.objects.get().stage == "closed"
