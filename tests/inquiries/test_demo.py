"""The inquiries' demo: the article's four 2023 inquiries, their commitments in the ledger
addressing the four problems, one 暗访 and one 通报."""

from __future__ import annotations

import pytest

from wulian.core import demo as core_demo
from wulian.core.activities.choices import ActivityKind
from wulian.core.activities.models import Activity
from wulian.core.bulletins.models import Bulletin
from wulian.core.rectification.models import Finding
from wulian.inquiries import demo
from wulian.inquiries.models import Inquiry

pytestmark = pytest.mark.django_db


def test_the_four_2023_inquiries_and_their_commitments(seeded, stations_env):
    core_demo.seed()
    demo.seed()
    assert sorted(Inquiry.objects.filter(year=2023).values_list("title", flat=True)) == sorted(
        ["企业水电热气供给", "停车难停车乱", "小区物业管理", "农村人居环境整治"]
    )
    titles = set(Finding.objects.values_list("title", flat=True))
    problems = {"供电闪停暂降", "停车泊位供给不足", "物业收费定价不规范", "农村垃圾清运不及时"}
    assert problems <= titles
    assert Activity.objects.filter(kind=ActivityKind.LOOK_BACK).count() == 4
    assert Activity.objects.filter(kind=ActivityKind.UNDERCOVER_VISIT).count() == 1
    assert Bulletin.objects.filter(title__contains="停车难停车乱").count() == 1
    parking = Inquiry.objects.get(title="停车难停车乱")
    assert Bulletin.objects.get(linked_id=parking.pk).linked_record == parking
    assert Activity.objects.filter(kind=ActivityKind.RESEARCH_VISIT).count() == 1
    assert parking.state == "looked_back" and "2100" in parking.look_back_findings
    # Nothing of 2023 is left waiting; this year's inquiry is being prepared.
    assert set(Inquiry.objects.filter(year=2023).values_list("state", flat=True)) == {"looked_back"}
    current = Inquiry.objects.exclude(year=2023).get()
    assert current.state == "preparing" and current.questions.get().unit.code == "ZF-MZ"
