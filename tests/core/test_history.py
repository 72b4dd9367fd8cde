"""A record's history in words (core.history, `{% record_history %}`): local time, people's
names and organisations, action labels, described fields with values in words; the raw events
only behind 技术详情 for those `core.audit.details` allows; names read in constant queries."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from tests.factories import OrganisationFactory, PersonFactory, account
from wulian.core import actions, audit, history
from wulian.core.access import actor_for
from wulian.core.choices import Role
from wulian.core.models import AuditEvent
from wulian.core.templatetags.ui import history_html

SRC = Path(__file__).resolve().parents[2] / "src" / "wulian"
T0 = dt.datetime(2026, 12, 6, 22, 7, tzinfo=ZoneInfo("Asia/Shanghai"))


def _recorded_codes() -> set[str]:
    """Every literal action code passed to audit.record(action=...) or, said in one line,
    audit.event(actor, "code", ...) in the sources."""
    codes = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name == "event" and getattr(node.func, "value", None) is not None:
                owner = getattr(node.func.value, "id", None)
                code = node.args[1] if len(node.args) > 1 else None
                if owner == "audit" and isinstance(code, ast.Constant):
                    codes.add(code.value)
                continue
            if name != "record":
                continue
            for kw in node.keywords:
                if kw.arg == "action" and isinstance(kw.value, ast.Constant):
                    codes.add(kw.value.value)
    return codes


def test_every_action_code_the_services_record_has_a_description():
    codes = _recorded_codes()
    assert len(codes) > 150, "the scan found too few audit.record calls"
    missing = sorted(c for c in codes if c not in actions.LABELS)
    assert not missing, f"audit action codes without a label in words: {missing}"


def test_every_described_choice_field_has_labels_and_a_chinese_label():
    for key, f in actions.FIELDS.items():
        assert str(f.label), key
        if f.kind == actions.CHOICE:
            assert f.choices, key


def test_a_field_is_looked_up_by_action_then_family_then_key():
    assert actions.field_for("suggestions.reply.sent", "category").choices["A"]
    assert actions.field_for("suggestions.suggestion.submitted", "category").choices["health"]
    assert actions.field_for("deadlines.deadline.met", "kind").kind == actions.DEADLINE_KIND
    assert actions.field_for("suggestions.contact.recorded", "agreed_sm3") is None


@pytest.fixture
def city(db):
    unit = OrganisationFactory(name="某市民政局", short_name="市民政局")
    user = account(unit, Role.STAFF, name="王芳")
    other = OrganisationFactory(name="某市司法局", short_name="市司法局")
    deputy = PersonFactory(name="李代表")
    return unit, other, user, deputy


def _event(user, unit, other, deputy, **extra):
    from wulian.core.access import actor_for

    with time_machine.travel(T0, tick=False):
        audit.record(
            action="suggestions.contact.recorded",
            actor=actor_for(user),
            target=unit,
            organisation_id=unit.pk,
            after={
                "contact": 12,
                "method": "phone",
                "deputy": deputy.pk,
                "first": True,
                "contacted_at": T0,
                "agreed_sm3": "ab" * 32,
                **extra,
            },
        )
    return AuditEvent.objects.order_by("-seq").first()


def test_an_event_in_words(city):
    unit, other, user, deputy = city
    ev = _event(user, unit, other, deputy)
    with time_machine.travel(T0, tick=False), translation.override("zh-hans"):
        (entry,) = history.entries([ev])
    assert (entry.when, entry.org, entry.who) == ("12月6日 22:07", "市民政局", "王芳")
    assert entry.action == "登记联系代表情况"
    details = dict(entry.details)
    assert details == {
        "联系方式": "电话",
        "联系代表": "李代表",
        "首次联系": "是",
        "联系时间": "12月6日 22:07",
    }


def test_the_time_in_english_and_another_year(city):
    unit, other, user, deputy = city
    ev = _event(user, unit, other, deputy)
    with time_machine.travel(T0, tick=False), translation.override("en"):
        (entry,) = history.entries([ev])
    assert entry.when == "6 Dec 22:07"
    assert entry.action == "Record a contact with the deputy"
    with time_machine.travel(T0 + dt.timedelta(days=60), tick=False):
        with translation.override("zh-hans"):
            assert history.when_text(T0) == "2026年12月6日 22:07"
        with translation.override("en"):
            assert history.when_text(T0) == "6 Dec 2026 22:07"


def test_the_names_are_read_in_two_queries_for_one_event_or_twenty(city, django_assert_num_queries):
    """The people with their seats and those seats' organisations, then the organisations no
    seat named (three queries before ADR 0018's third round)."""
    unit, other, user, deputy = city
    one = [_event(user, unit, other, deputy)]
    with django_assert_num_queries(1):  # the organisation named is the actor's seat
        history.entries(one)
    for i in range(19):
        colleague = account(other, Role.STAFF, name=f"同事{i}")
        _event(colleague, other, unit, deputy)
    twenty = list(AuditEvent.objects.order_by("-seq")[:20])
    with django_assert_num_queries(1):  # every organisation named is someone's seat
        rows = history.entries(twenty)
    assert {r.org for r in rows} == {"市民政局", "市司法局"}
    lone = OrganisationFactory(name="市财政局", short_name="")
    ev = _event(user, lone, other, deputy)
    with django_assert_num_queries(2):  # an organisation nobody named holds a seat in
        rows = history.entries([ev])
    assert rows[0].org == "市民政局"  # the actor's seat, not the event's organisation


def test_the_page_shows_words_and_the_raw_events_only_to_those_allowed(city, django_user_model):
    unit, other, user, deputy = city
    ev = _event(user, unit, other, deputy)
    tpl = Template('{% include "components/timeline.html" with events=events %}')
    with time_machine.travel(T0, tick=False), translation.override("zh-hans"):
        plain = tpl.render(Context({"events": [ev], "actor": actor_for(user)}))
        admin = account(unit, Role.AUDIT_ADMIN)
        full = tpl.render(Context({"events": [ev], "actor": actor_for(admin)}))
    for text in ("12月6日 22:07", "市民政局", "王芳", "登记联系代表情况", "联系方式：电话"):
        assert text in plain
    for raw in (ev.hash, "suggestions.contact.recorded", user.username, "phone", "技术详情"):
        assert raw not in plain
    assert "技术详情" in full
    assert ev.hash in full and "suggestions.contact.recorded" in full


def test_an_event_without_an_actor_is_the_system(db):
    with time_machine.travel(T0, tick=False):
        audit.record(action="deadlines.deadline.reminded", target=None, after={"kind": "x"})
    ev = AuditEvent.objects.order_by("-seq").first()
    with translation.override("zh-hans"):
        (entry,) = history.entries([ev])
    assert entry.who == "系统" and entry.org == ""


def test_markup_in_stored_values_is_escaped(city):
    unit, other, user, deputy = city
    deputy.name = "<b>李</b>"
    deputy.save()
    ev = _event(user, unit, other, deputy)
    html = history_html([ev])
    assert "<b>李</b>" not in html and "&lt;b&gt;李&lt;/b&gt;" in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_times_are_written_as_dateformat_writes_them(language):
    """history._when writes its four formats itself (ADR 0018, third round): the same text as
    Django's dateformat, for times and dates, this year and others, both languages."""
    from django.utils import dateformat

    tz = ZoneInfo("Asia/Shanghai")
    today = dt.date(2026, 12, 6)
    english = language == "en"
    with translation.override(language):
        for month in range(1, 13):
            for value in (
                dt.datetime(2026, month, 1, 0, 5, tzinfo=tz),
                dt.datetime(2025, month, 28, 23, 59, tzinfo=dt.UTC),
                dt.datetime(999, month, 9, 9, 0),
                dt.date(2026, month, 31 if month in (1, 3, 5) else 9),
                dt.date(2024, month, 2),
            ):
                with_time = isinstance(value, dt.datetime)
                local = value
                if with_time and value.tzinfo is not None:
                    from django.utils import timezone

                    local = timezone.localtime(value)
                fmt = {
                    (True, True): "j M",
                    (True, False): "j M Y",
                    (False, True): "n月j日",
                    (False, False): "Y年n月j日",
                }[(english, local.year == today.year)] + (" H:i" if with_time else "")
                assert history._when(value, today=today) == dateformat.format(local, fmt)
