"""A demo-like public world for the portal's tests: something published in every section, the
same kind of thing unpublished beside it, and a resident's name and phone number planted in
every text that is not public (a station opinion, a suggestion's original, an inquiry's
question) — and in the texts that are, where the redaction must catch them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from tests.inquiries import helpers as inquiry_helpers
from tests.livelihood.helpers import make_actual, make_cycle, make_project
from tests.personas import Personas
from tests.stations import helpers as station_helpers
from tests.suggestions.helpers import approve, make_suggestion
from wulian.core.choices import Sensitivity
from wulian.core.rectification.choices import RectificationState
from wulian.core.rectification.models import Finding, Rectification
from wulian.inquiries import services as inquiry_services
from wulian.inquiries.choices import AskerKind
from wulian.livelihood.choices import CycleState
from wulian.livelihood.models import Cycle
from wulian.suggestions.choices import SuggestionStatus as S
from wulian.suggestions.models import Suggestion

# What must never be shown: residents' names and phone numbers, the names of those who asked
# and answered at an inquiry, and the titles of what is not published.
RESIDENT = "李秀英"
RESIDENT_PHONE = "13912345678"
STATION_RESIDENT = "刘阿姨"  # tests/stations/helpers.opinion
STATION_PHONE = "13800001111"
PUBLIC_ASKER = "王小明"
OFFICIAL = "赵建国"
UNPUBLISHED_SUGGESTION = "关于菜市场改造的建议（未公开）"
UNHELD_INQUIRY = "农贸市场管理问题（未送达审议意见）"
SENSITIVE_FINDING = "某科长收受好处费问题"
VOTING_CYCLE_TITLE = "2027年市级民生实事项目（票决中）"
NEVER_SHOWN = (
    RESIDENT,
    RESIDENT_PHONE,
    STATION_RESIDENT,
    STATION_PHONE,
    PUBLIC_ASKER,
    OFFICIAL,
    UNPUBLISHED_SUGGESTION,
    UNHELD_INQUIRY,
    SENSITIVE_FINDING,
    VOTING_CYCLE_TITLE,
    "dispatched",  # no internal state code either
)

PUBLIC_SUGGESTION = "关于加装电梯补贴的建议"
PUBLIC_INQUIRY = "停车难停车乱问题"
COMMITMENT = "年内新增公共停车泊位2000个"
KEPT = "老旧小区停车改造完成验收"


@dataclass
class World:
    suggestion_id: int
    year: int
    inquiry_id: int


def published_suggestion(p: Personas, n: int = 1) -> None:
    for _i in range(n):
        s = make_suggestion(
            p,
            S.ANSWERED,
            content=f"我是{RESIDENT}，电话{RESIDENT_PHONE}。老旧小区没有电梯。",
        )
        approve(
            s,
            title=PUBLIC_SUGGESTION,
            content=f"老旧小区没有电梯，建议提高补贴。联系电话 {RESIDENT_PHONE}",
            reply="已纳入年度计划。",
        )


def opinion_sent_inquiry(p: Personas, title: str = PUBLIC_INQUIRY) -> int:
    """An inquiry held and its 审议意见 sent: a deputy's question and one collected from the
    public, answered, with a commitment kept, one under way and one graded sensitive."""
    i = inquiry_helpers.inquiry(p, title=title)
    first = inquiry_helpers.question(p, i)
    i.refresh_from_db()
    second = inquiry_services.question_add(
        actor=p.congress_clerk,
        inquiry_id=i.pk,
        version=i.version,
        asker_kind=AskerKind.PUBLIC,
        asker=PUBLIC_ASKER,
        text=f"我是{PUBLIC_ASKER}，电话{RESIDENT_PHONE}，小区门口天天堵车。",
        unit_id=p.orgs["unit_b"].pk,
        official=OFFICIAL,
    )
    i.refresh_from_db()
    inquiry_services.inquiry_hold(
        actor=p.congress_clerk,
        inquiry_id=i.pk,
        version=i.version,
        held_on=timezone.localdate(),
        place="常委会会议室",
    )
    for q, commitment in ((first, COMMITMENT), (second, KEPT), (second, SENSITIVE_FINDING)):
        q.refresh_from_db()
        q = inquiry_services.question_answer(
            actor=p.congress_clerk,
            question_id=q.pk,
            version=q.version,
            answer=f"{OFFICIAL}答：年内解决。",
        )
        finding = inquiry_services.commitment_add(
            actor=p.congress_clerk,
            question_id=q.pk,
            version=q.version,
            title=commitment,
            content=f"{commitment}（联系人{RESIDENT}）",
        )
        if commitment == KEPT:
            Rectification.objects.filter(finding=finding).update(
                state=RectificationState.CLOSED, closed_at=timezone.now()
            )
        if commitment == SENSITIVE_FINDING:
            Finding.objects.filter(pk=finding.pk).update(sensitivity=Sensitivity.SENSITIVE)
    i.refresh_from_db()
    inquiry_services.inquiry_send_opinion(
        actor=p.congress_clerk,
        inquiry_id=i.pk,
        version=i.version,
        text=(
            "一、加快停车设施建设。\n"
            f"二、群众{PUBLIC_ASKER}反映的问题（电话 {RESIDENT_PHONE}）须在三个月内答复。\n"
            f"三、{OFFICIAL}同志牵头落实。"
        ),
    )
    return i.pk


def unheld_inquiry(p: Personas) -> None:
    inquiry_helpers.question(p, inquiry_helpers.inquiry(p, title=UNHELD_INQUIRY))


def build(p: Personas, *, suggestions: int = 1, inquiries: int = 1) -> World:
    """The demo-like world (`suggestions`, `inquiries`: how many of each are public)."""
    published_suggestion(p, suggestions)
    make_suggestion(p, S.ANSWERED, title=UNPUBLISHED_SUGGESTION)
    cycle = make_cycle(p, year=2026, state=CycleState.IMPLEMENTING)
    make_actual(p, make_project(p, cycle=cycle))
    make_project(p, cycle=cycle)
    voting = make_cycle(p, year=2027, state=CycleState.VOTING)
    Cycle.objects.filter(pk=voting.pk).update(title=VOTING_CYCLE_TITLE)
    station_helpers.opinion(p)  # today's reception, with a resident's opinion
    station_helpers.event(p, day=timezone.localdate() + timedelta(days=3))
    station_helpers.monitor(p)
    inquiry_id = opinion_sent_inquiry(p)
    for n in range(1, inquiries):
        opinion_sent_inquiry(p, title=f"{PUBLIC_INQUIRY}（{n}）")
    unheld_inquiry(p)
    return World(
        suggestion_id=Suggestion.objects.filter(public=True).order_by("id").first().pk,
        year=2026,
        inquiry_id=inquiry_id,
    )
