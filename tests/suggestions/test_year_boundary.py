"""The suggestion's working-day clocks across New Year with next year's calendar missing
(issue 10): the unit replies on 20 December; the deputy's verdict clock reaching into January
is provisional (暂定) on the page, in 我的待办 and in the API; completing the year moves it and
tells the deputy. The assignment's receipt date and a supervision order's report date follow
the same rule. Years come from the installed calendar package, so the tests hold on any day."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone
from time_machine import travel

from tests.suggestions.helpers import walk
from wulian.accounts.models import User
from wulian.core import todos
from wulian.core.access import actor_for
from wulian.core.deadlines import rules, seed, statutory
from wulian.core.deadlines import services as deadline_services
from wulian.core.deadlines.choices import DayKind
from wulian.core.deadlines.models import Deadline
from wulian.core.notifications.models import OutboxMessage
from wulian.suggestions import services
from wulian.suggestions.choices import (
    DEADLINE_RECEIPT,
    DEADLINE_VERDICT,
    SuggestionStatus,
    SupervisionKind,
)
from wulian.suggestions.models import Assignment, SupervisionOrder

LAST = seed.package_years()[-1]
NEXT = LAST + 1

pytestmark = pytest.mark.django_db


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour), timezone.get_default_timezone())


def _complete_next_year(p, *bridge: date) -> None:
    for day, name in statutory.holidays(NEXT).items():
        deadline_services.calendar_day_add(
            actor=p.users["sysadmin"], day=day, kind=DayKind.HOLIDAY, name=name
        )
    for day in bridge:
        deadline_services.calendar_day_add(
            actor=p.users["sysadmin"], day=day, kind=DayKind.HOLIDAY, name="调休"
        )
    deadline_services.calendar_year_complete(actor=p.users["sysadmin"], year=NEXT)


def test_a_unit_replies_on_20_december_and_the_verdict_clock_is_provisional(personas, client_of):
    with travel(at(LAST, 12, 1), tick=False):
        s = walk(personas, SuggestionStatus.HANDLING)
    with travel(at(LAST, 12, 20), tick=False):
        services.reply_send(
            actor=personas.users["unit_a"],
            suggestion_id=s.pk,
            version=s.version,
            category="A",
            signer="张局长",
            text="经研究，已纳入年度计划。",
            public_text="已纳入年度计划。",
        )
        clock = Deadline.objects.get(object_id=s.pk, kind=DEADLINE_VERDICT)
        assert clock.provisional and rules.local_date(clock.due_at).year == NEXT
        # The accounts were made at the suite's fixed NOW; their passwords are fresh here.
        User.objects.update(password_changed_at=timezone.now())
        page = client_of(personas.users["deputy"]).get(s.get_absolute_url())
        assert page.status_code == 200, page
        assert "暂定" in page.content.decode()
        (item,) = [
            i
            for i in todos.todos_for(actor_for(personas.users["deputy"]))
            if "评价建议的答复" in i.title
        ]
        assert item.provisional and item.due == clock.due_at
        # Completing next year with a bridge day inside the clock moves it and tells the deputy.
        bridge = next(
            d
            for d in (date(NEXT, 1, n) for n in range(2, 20))
            if d.weekday() < 5 and d not in statutory.holidays(NEXT)
        )
        OutboxMessage.objects.all().delete()
        _complete_next_year(personas, bridge)
    clock.refresh_from_db()
    assert not clock.provisional
    told = OutboxMessage.objects.get(kind="deadlines.deadline.recalculated")
    assert told.recipient_id == personas.users["deputy"].pk
    assert timezone.localtime(clock.due_at).strftime("%Y-%m-%d") in told.body


def test_an_assignment_on_29_december_has_a_provisional_receipt_date_that_follows(personas):
    with travel(at(LAST, 12, 29), tick=False):  # at most two working days left in the year
        s = walk(personas, SuggestionStatus.ASSIGNED)
        a = Assignment.objects.filter(suggestion=s).order_by("id").first()
        receipt = Deadline.objects.get(object_id=a.pk, kind=DEADLINE_RECEIPT)
        assert a.respond_by_provisional and receipt.provisional
        assert a.respond_by == receipt.due_at
        bridge = next(
            d
            for d in (date(NEXT, 1, n) for n in range(2, 12))
            if d.weekday() < 5 and d not in statutory.holidays(NEXT)
        )
        assert bridge <= rules.local_date(receipt.due_at)
        _complete_next_year(personas, bridge)
    a.refresh_from_db()
    receipt.refresh_from_db()
    assert a.respond_by == receipt.due_at and not a.respond_by_provisional


def test_a_supervision_order_issued_in_late_december_is_provisional_then_recounted(
    personas, client_of
):
    with travel(at(LAST, 12, 1), tick=False):
        s = walk(personas, SuggestionStatus.HANDLING)
    with travel(at(LAST, 12, 28), tick=False):
        order = services.supervision_issue(
            actor=personas.users["congress_clerk"],
            suggestion_id=s.pk,
            kind=SupervisionKind.KEY,
            requirements="请于规定时间内报告办理进展。",
        )
        assert order.due_provisional
        User.objects.update(password_changed_at=timezone.now())
        page = client_of(personas.users["unit_a"]).get(s.get_absolute_url())
        assert page.status_code == 200
        assert "暂定" in page.content.decode()
        _complete_next_year(personas)
    order = SupervisionOrder.objects.get(pk=order.pk)
    assert not order.due_provisional
