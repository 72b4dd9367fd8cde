"""The badge, the record panel and its actions, the deadline page, and 我的待办."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from tests.deadlines.conftest import local
from wulian.core.access import actor_for
from wulian.core.deadlines import services
from wulian.core.deadlines.choices import DeadlineState, Decision
from wulian.core.deadlines.models import Deadline, ExtensionRequest
from wulian.core.deadlines.rules import Rule
from wulian.core.deadlines.templatetags.deadlines import badge_state
from wulian.core.todos import todos_for

pytestmark = pytest.mark.django_db


def render_badge(deadline) -> str:
    return Template("{% load deadlines %}{% deadline_badge d %}").render(Context({"d": deadline}))


def test_badge_tones_through_a_deadlines_life(personas, open_deadline):
    with time_machine.travel(local(2025, 1, 24, 10, 0), tick=False):
        d = open_deadline()
        assert badge_state(d) == ("剩余 14 天 13 小时", "neutral")
    with time_machine.travel(local(2025, 2, 5, 9, 0), tick=False):  # 50 % passed
        label, tone = badge_state(d)
        assert tone == "warning" and label.startswith("剩余 2 天")
        html = render_badge(d)
        assert "badge-warning" in html and "截止 2025-02-07 23:59" in html
    with time_machine.travel(local(2025, 2, 8, 1, 0), tick=False):
        assert badge_state(d) == ("已逾期 1 小时", "danger")
    with time_machine.travel(local(2025, 2, 7, 20, 0), tick=False):
        d = services.deadline_pause(actor=personas.congress_clerk, deadline_id=d.pk)
        assert badge_state(d) == ("已暂停（剩余 3 小时 59 分钟）", "info")
        d = services.deadline_meet(actor=personas.unit_a, deadline_id=d.pk)
        assert badge_state(d) == ("按期办结", "ok")


def _panel(user, record) -> str:
    request = RequestFactory().get("/somewhere/")
    request.user = user
    return Template("{% load deadlines %}{% deadline_panel record %}").render(
        Context({"request": request, "record": record, "csrf_token": "x"})
    )


def test_the_panel_shows_each_person_the_buttons_they_may_use(personas, open_deadline):
    d = open_deadline()
    record = personas.orgs["unit_a"]
    clerk = _panel(personas.congress_clerk, record)
    assert reverse("deadlines:pause", args=[d.pk]) in clerk
    assert reverse("deadlines:extension_request", args=[d.pk]) not in clerk
    unit = _panel(personas.unit_a, record)
    assert reverse("deadlines:extension_request", args=[d.pk]) in unit
    assert reverse("deadlines:pause", args=[d.pk]) not in unit
    req = services.extension_request(
        actor=personas.unit_a, deadline_id=d.pk, new_due=d.due_at + timedelta(days=5), reason="x"
    )
    assert reverse("deadlines:extension_decide", args=[req.pk]) in _panel(
        personas.congress_clerk, record
    )
    unit = _panel(personas.unit_a, record)
    assert "延期待审批" in unit and reverse("deadlines:extension_request", args=[d.pk]) not in unit
    services.deadline_pause(actor=personas.congress_clerk, deadline_id=d.pk)
    assert reverse("deadlines:resume", args=[d.pk]) in _panel(personas.congress_clerk, record)


def test_the_panel_reads_in_a_constant_number_of_queries(
    personas, open_deadline, django_assert_num_queries
):
    record = personas.orgs["unit_a"]
    open_deadline()
    user = personas.unit_a
    _panel(user, record)  # warm the actor and content-type caches
    with django_assert_num_queries(2):
        _panel(user, record)
    for kind in ("b", "c", "d"):
        d = open_deadline(kind=kind)
        services.extension_request(
            actor=personas.unit_a,
            deadline_id=d.pk,
            new_due=d.due_at + timedelta(days=5),
            reason="x",
        )
    with django_assert_num_queries(2):
        _panel(user, record)


def test_panel_actions_through_the_web(personas, open_deadline, client_of):
    d = open_deadline()
    clerk, unit = client_of(personas.congress_clerk), client_of(personas.unit_a)
    back = f"/orgs/{personas.orgs['unit_a'].pk}/"
    response = clerk.post(
        reverse("deadlines:pause", args=[d.pk]),
        {"version": d.version, "reason": "等待鉴定", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    d.refresh_from_db()
    assert d.state == DeadlineState.PAUSED
    # A stale version is refused with a message, nothing changes.
    response = clerk.post(reverse("deadlines:resume", args=[d.pk]), {"version": d.version - 1})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.state == DeadlineState.PAUSED
    clerk.post(reverse("deadlines:resume", args=[d.pk]), {"version": d.version})
    d.refresh_from_db()
    assert d.state == DeadlineState.OPEN
    # The handler asks for more time; the assigner refuses without a reason, then approves.
    new_due = (d.due_at + timedelta(days=10)).date().isoformat()
    unit.post(
        reverse("deadlines:extension_request", args=[d.pk]),
        {"version": d.version, "new_due": new_due, "reason": "需补充材料"},
    )
    req = ExtensionRequest.objects.get()
    response = clerk.post(
        reverse("deadlines:extension_decide", args=[req.pk]), {"decision": "refuse"}
    )
    follow = clerk.get(response["Location"])
    assert "请填写不同意延期的理由" in follow.content.decode()
    clerk.post(
        reverse("deadlines:extension_decide", args=[req.pk]),
        {"decision": "approve", "note": "同意"},
    )
    req.refresh_from_db()
    assert req.decision == Decision.APPROVED
    # Someone else's buttons are refused.
    assert unit.post(reverse("deadlines:pause", args=[d.pk])).status_code == 403
    assert (
        client_of(personas.unit_b)
        .post(
            reverse("deadlines:extension_request", args=[d.pk]), {"new_due": new_due, "reason": "x"}
        )
        .status_code
        == 403
    )


def test_an_unsafe_next_is_ignored(personas, open_deadline, client_of):
    d = open_deadline()
    response = client_of(personas.congress_clerk).post(
        reverse("deadlines:pause", args=[d.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("deadlines:detail", args=[d.pk])


def test_the_deadline_page(personas, open_deadline, client_of):
    d = open_deadline(escalate_to=[personas.orgs["stationed_group"]])
    page = client_of(personas.unit_a).get(reverse("deadlines:detail", args=[d.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert d.title in text and "驻人大纪检监察组" in text and "申请延期" in text


# --- 我的待办 --------------------------------------------------------------------------------


def test_todos_list_the_units_deadlines_and_the_assigners_pending_extensions(
    personas, open_deadline
):
    with time_machine.travel(local(2025, 1, 24, 10, 0), tick=False):
        d = open_deadline()
        open_deadline(kind="contact", title="联系领衔代表", rule=Rule.hours(48))
        other = open_deadline(kind="x", responsible_org=personas.orgs["unit_b"])
        services.deadline_meet(actor=personas.unit_b, deadline_id=other.pk)
        unit_items = [i for i in todos_for(actor_for(personas.unit_a)) if i.source == "办理期限"]
        assert [i.title for i in unit_items] == ["联系领衔代表", "答复代表建议"]
        assert not [i for i in todos_for(actor_for(personas.unit_b)) if i.source == "办理期限"]
        services.extension_request(
            actor=personas.unit_a,
            deadline_id=d.pk,
            new_due=d.due_at + timedelta(days=3),
            reason="x",
        )
        clerk_items = [
            i for i in todos_for(actor_for(personas.congress_clerk)) if i.source == "办理期限"
        ]
        assert [i.title for i in clerk_items] == ["审批延期申请：答复代表建议"]
    with time_machine.travel(local(2025, 2, 8, 1, 0), tick=False):
        (late,) = [i for i in todos_for(actor_for(personas.unit_a)) if i.title == "答复代表建议"]
        assert late.tone == "danger" and late.overdue


def test_todos_cost_the_same_number_of_queries_for_1_and_20_deadlines(
    personas, open_deadline, django_assert_num_queries
):
    from wulian.core.deadlines.todos import deadline_todos

    actor = actor_for(personas.unit_a)
    clerk = actor_for(personas.congress_clerk)
    open_deadline(kind="k0")
    with django_assert_num_queries(2):
        assert len(deadline_todos(actor)) == 1
    with django_assert_num_queries(2):
        deadline_todos(clerk)
    for i in range(1, 20):
        d = open_deadline(kind=f"k{i}")
        services.extension_request(
            actor=personas.unit_a,
            deadline_id=d.pk,
            new_due=d.due_at + timedelta(days=3),
            reason="x",
        )
    with django_assert_num_queries(2):
        assert len(deadline_todos(actor)) == 20
    with django_assert_num_queries(2):
        assert len(deadline_todos(clerk)) == 19


def test_the_home_page_shows_the_deadline(personas, open_deadline, client_of):
    open_deadline()
    page = client_of(personas.unit_a).get(reverse("core:home"))
    assert "答复代表建议" in page.content.decode()
    assert Deadline.objects.count() == 1


def test_the_badge_speaks_english_too(personas, open_deadline):
    from django.utils import translation

    with time_machine.travel(local(2025, 1, 24, 10, 0), tick=False):
        d = open_deadline()
        with translation.override("en"):
            assert badge_state(d) == ("14 d 13 h left", "neutral")
