"""整改台账's rows and the state badge drawn in Python (`rectification_tags`, ADR 0018) are
the templates they replace, byte for byte: every state, severity and sensitivity, markup in a
title, a unit's short name, rows without a deadline, with a live one and with one past."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import engines
from django.utils import translation

from tests.rectification.helpers import make_finding
from wulian.core.choices import Sensitivity
from wulian.core.rectification import selectors, services
from wulian.core.rectification.choices import RectificationState, Severity
from wulian.core.rectification.templatetags.rectification_tags import (
    rect_state_badge,
    rectification_rows,
)

TZ = ZoneInfo("Asia/Shanghai")
OLD_BADGE = (
    '{% load ui %}{% if rect.state == "closed" %}{% badge rect.get_state_display "ok" %}'
    '{% elif rect.state == "submitted_for_verification" %}'
    '{% badge rect.get_state_display "warning" %}{% elif rect.state == "reopened" %}'
    '{% badge rect.get_state_display "danger" %}{% else %}{% badge rect.get_state_display "info" %}'
    "{% endif %}\n"
)
# The ledger's loop as it was (its include inlined).
OLD_ROWS = (
    "{% load i18n ui %}{% translate '问题概述' as l_1 %}{% translate '整改责任单位' as l_2 %}"
    "{% translate '提出单位' as l_3 %}{% translate '发现日期' as l_4 %}"
    "{% translate '状态' as l_5 %}{% translate '期限' as l_6 %}{% for r in rows %}"
    '<tr class="{% if r.is_overdue %}overdue{% endif %}">\n'
    '    <td data-label="{{ l_1 }}">'
    "<a href=\"{% url 'rectification:rectification_detail' r.pk %}\">"
    '{{ r.finding.title }}</a>{% if r.finding.severity == "major" %} '
    '{% badge r.finding.get_severity_display "danger" %}{% endif %}'
    '{% if r.finding.sensitivity == "sensitive" or r.finding.sensitivity == "confidential" %} '
    '{% badge r.finding.get_sensitivity_display "warning" %}{% endif %}</td>\n'
    '    <td data-label="{{ l_2 }}">{{ r.responsible_org.display_name }}</td>\n'
    '    <td data-label="{{ l_3 }}">{{ r.raising_org.display_name }}</td>\n'
    '    <td data-label="{{ l_4 }}">{{ r.finding.found_at|date:"Y-m-d" }}</td>\n'
    '    <td data-label="{{ l_5 }}">{% with rect=r %}' + OLD_BADGE + "{% endwith %}</td>\n"
    '    <td data-label="{{ l_6 }}">{% if r.due_at %}<time datetime="{{ r.due_at|date:\'c\' }}">'
    '{{ r.due_at|date:"Y-m-d" }}</time>{% if r.is_overdue %} {% badge _("已逾期") "danger" %}'
    "{% endif %}{% else %}—{% endif %}</td>\n"
    "  </tr>{% endfor %}"
)


def _raise(p, months: int, title: str):
    return services.finding_raise(
        actor=p.congress_clerk,
        record=p.orgs["unit_a"],
        data={
            "title": title,
            "description": "描述",
            "found_at": date(2026, 6, 1),
            "about_organisation_id": p.orgs["unit_a"].pk,
            "found_by_org_id": p.orgs["congress_body"].pk,
            "responsible_org_ids": [p.orgs["unit_a"].pk, p.orgs["unit_b"].pk],
            "rectification_months": months,
        },
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_ledger_rows_are_the_template_they_replace(personas, language):
    p = personas
    p.orgs["unit_b"].short_name = "乙<单位>"
    p.orgs["unit_b"].save(update_fields=["short_name"])
    with time_machine.travel(datetime(2026, 6, 2, 9, 30, tzinfo=TZ), tick=False):
        _raise(p, 1, "一个月 <b>标记</b> & 引号\"'")
        _raise(p, 6, "六个月")
        for i, state in enumerate(RectificationState.values):
            make_finding(
                p,
                units=("unit_a", "unit_b"),
                state=state,
                title=f"问题{i}",
                severity=Severity.values[i % 3],
                sensitivity=Sensitivity.values[i % len(Sensitivity.values)],
                found_at=date(2026, 1 + i, 9 + i),
            )
    old_template = engines["django"].from_string(OLD_ROWS)
    for when in (datetime(2026, 6, 10, tzinfo=TZ), datetime(2026, 8, 1, tzinfo=TZ)):
        with time_machine.travel(when, tick=False), translation.override(language):
            qs = selectors.rectification_ledger(actor=p.congress_clerk, filters={})
            old = old_template.render({"rows": list(qs.all())})
            new = rectification_rows(list(selectors.ledger_rows(qs.all())))
        assert new == old
        assert ("overdue" in new) == (when.month == 8)
        assert "&lt;b&gt;标记&lt;/b&gt;" in new and "乙&lt;单位&gt;" in new


def test_state_badge_is_the_template_it_replaces(personas):
    p = personas
    badge = engines["django"].from_string(OLD_BADGE)
    twin = Path(selectors.__file__).parent / "templates/rectification/state_badge.html"
    for state in RectificationState.values:
        rect = make_finding(p, state=state).rectifications.get()
        assert rect_state_badge(rect) + "\n" == badge.render({"rect": rect})
        assert engines["django"].from_string(twin.read_text()).render({"rect": rect}) == (
            badge.render({"rect": rect})
        )
