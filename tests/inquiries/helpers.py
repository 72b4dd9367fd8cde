"""An inquiry about parking with one question to unit A, held on the fixed "now"."""

from __future__ import annotations

from typing import Any

from tests.personas import Personas
from tests.stations.helpers import NOW
from wulian.inquiries import services
from wulian.inquiries.choices import AskerKind, TopicSource
from wulian.inquiries.models import Inquiry, Question


def inquiry(p: Personas, **kw: Any) -> Inquiry:
    return services.inquiry_create(
        actor=p.congress_clerk,
        data={"title": "停车难停车乱问题", "year": 2026, "source": TopicSource.PLAN, **kw},
    )


def question(p: Personas, i: Inquiry | None = None) -> Question:
    i = i or inquiry(p)
    return services.question_add(
        actor=p.congress_clerk,
        inquiry_id=i.pk,
        version=i.version,
        asker_kind=AskerKind.DEPUTY,
        asker="张卫东",
        text="老旧小区停车泊位供给不足，有何举措？",
        unit_id=p.orgs["unit_a"].pk,
        official="市民政局局长",
    )


def held(p: Personas) -> Question:
    q = question(p)
    i = q.inquiry
    i.refresh_from_db()
    services.inquiry_hold(
        actor=p.congress_clerk,
        inquiry_id=i.pk,
        version=i.version,
        held_on=NOW.date(),
        place="常委会会议室",
    )
    q.refresh_from_db()
    return q


def answered(p: Personas) -> Question:
    q = held(p)
    return services.question_answer(
        actor=p.congress_clerk, question_id=q.pk, version=q.version, answer="年内新增泊位2000个。"
    )
