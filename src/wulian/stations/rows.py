"""The stations' list rows as Python (ADR 0018: no template include inside a loop)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from wulian.stations.models import Event, Opinion


def event_rows(events: Iterable[Event]) -> SafeString:
    date, station, kind, place, state, attendance = (
        _("日期"),
        _("联络站"),
        _("活动类型"),
        _("地点"),
        _("状态"),
        _("参加群众人数"),
    )
    return format_html_join(
        "",
        '<tr><td data-label="{}"><a href="{}">{}</a></td><td data-label="{}">{}</td>'
        '<td data-label="{}">{}</td><td data-label="{}">{}</td><td data-label="{}">{}</td>'
        '<td data-label="{}">{}</td></tr>',
        (
            (
                date,
                e.get_absolute_url(),
                e.date.isoformat(),
                station,
                e.station.organisation.name,
                kind,
                e.get_kind_display(),
                place,
                e.place,
                state,
                e.get_state_display(),
                attendance,
                e.attendance if e.state == "held" else "—",
            )
            for e in events
        ),
    )


def opinion_rows(opinions: Iterable[Opinion]) -> SafeString:
    topic, station, date, disposition, dept = (
        _("事项"),
        _("联络站"),
        _("日期"),
        _("处理方式"),
        _("转交部门"),
    )
    return format_html_join(
        "",
        '<tr><td data-label="{}"><a href="{}">{}</a></td><td data-label="{}">{}</td>'
        '<td data-label="{}">{}</td><td data-label="{}">{}</td><td data-label="{}">{}</td></tr>',
        (
            (
                topic,
                o.get_absolute_url(),
                o.topic,
                station,
                o.station.organisation.name,
                date,
                o.event.date.isoformat(),
                disposition,
                o.get_disposition_display(),
                dept,
                o.department.name if o.department_id else "—",
            )
            for o in opinions
        ),
    )
