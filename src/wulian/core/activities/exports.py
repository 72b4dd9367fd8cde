"""What a meeting exports (ADR 0023): its minutes as a .docx in the GB/T 9704 layout, meetings
as iCalendar (RFC 5545, written here: the project has no iCalendar library and needs little of
one), and the action items as an .xlsx 台账."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import xlsx
from wulian.core.activities.choices import ActivityState, Attendance, MinutesState
from wulian.core.choices import Sensitivity
from wulian.core.documents import OfficialDocument

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


# --- Minutes (.docx) -------------------------------------------------------------------------


def minutes_docx(meeting: Any) -> tuple[str, bytes]:
    """(file name, .docx) of the minutes of a meeting read with its conveners and
    participants prefetched. Before issue: marked 草稿, no number."""
    activity = meeting.activity
    issued = meeting.minutes_state == MinutesState.ISSUED
    conveners = list(meeting.conveners.all())
    names = [c.organisation.name for c in conveners]
    mark = (
        _("%(orgs)s联席会议纪要") % {"orgs": "".join(names)}
        if len(names) > 1
        else _("%(org)s会议纪要") % {"org": activity.organiser.name}
    )
    number = meeting.number_label if issued else ""
    doc = OfficialDocument(
        issuer="、".join(names) or activity.organiser.name,
        mark=mark,
        title=meeting.minutes_title or activity.title,
        number=number,
        secrecy=_("内部资料 注意保密") if activity.sensitivity != Sensitivity.INTERNAL else "",
        draft=not issued,
    )
    start = timezone.localtime(activity.starts_at)
    doc.paragraph(
        _("%(when)s，%(orgs)s在%(place)s召开%(title)s。")
        % {
            "when": f"{start.year}年{start.month}月{start.day}日",
            "orgs": "、".join(names),
            "place": activity.place or _("会议室"),
            "title": activity.title,
        }
    )
    doc.body(meeting.minutes_body)
    participants = list(activity.participants.all())
    present = [_who(p) for p in participants if p.attendance == Attendance.PRESENT]
    excused = [
        f"{_who(p)}（{p.excuse_reason}）"
        for p in participants
        if p.attendance == Attendance.EXCUSED
    ]
    if present:
        doc.paragraph(_("出席：%(names)s") % {"names": "、".join(present)})
    if excused:
        doc.paragraph(_("请假：%(names)s") % {"names": "、".join(excused)})
    signed = [
        f"{c.organisation.name} {c.signed_name}"
        for c in conveners
        if c.signed_at is not None and c.signed_version == meeting.version
    ]
    if signed:
        doc.paragraph(_("会签：%(names)s") % {"names": "；".join(signed)})
    when = timezone.localtime(meeting.minutes_issued_at).date() if issued else timezone.localdate()
    doc.signature(org="　".join(names) or activity.organiser.name, date=when)
    doc.record(
        printer=activity.organiser.name,
        date=when,
        copies_to="、".join(
            p.organisation.name
            for p in participants
            if p.organisation_id not in {c.organisation_id for c in conveners}
        ),
    )
    name = f"{mark}{number}" if number else f"{doc.title}（{_('草稿')}）"
    return f"{name}.docx", doc.to_bytes()


def _who(p: Any) -> str:
    return f"{p.organisation.name}{p.person.name}" if p.person_id else p.organisation.name


# --- iCalendar (RFC 5545) ------------------------------------------------------------------


def ics_escape(text: str) -> str:
    """TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def ics_fold(line: str) -> str:
    """A content line folded at 75 octets (§3.1), never inside a UTF-8 character: each
    continuation begins with one space."""
    parts: list[str] = []
    current, size, limit = "", 0, 75
    for ch in line:
        n = len(ch.encode())
        if size + n > limit:
            parts.append(current)
            current, size, limit = " ", 1, 75
        current += ch
        size += n
    parts.append(current)
    return "\r\n".join(parts)


def ics_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(activity: Any, domain: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:activity-{activity.pk}@{domain}",
        f"DTSTAMP:{ics_time(activity.updated_at)}",
        f"DTSTART:{ics_time(activity.starts_at)}",
    ]
    if activity.ends_at:
        lines.append(f"DTEND:{ics_time(activity.ends_at)}")
    lines += [
        f"SEQUENCE:{activity.version}",
        f"SUMMARY:{ics_escape(activity.title)}",
        f"DESCRIPTION:{ics_escape(_event_description(activity))}",
        "STATUS:" + ("CANCELLED" if activity.state == ActivityState.CANCELLED else "CONFIRMED"),
        "CLASS:CONFIDENTIAL",
    ]
    if activity.place:
        lines.append(f"LOCATION:{ics_escape(activity.place)}")
    lines.append("END:VEVENT")
    return lines


def _event_description(activity: Any) -> str:
    parts = [f"{activity.get_kind_display()} · {activity.organiser.name}"]
    meeting = getattr(activity, "meeting", None)
    if meeting is not None:
        agenda = [f"{a.position}. {a.title}" for a in meeting.agenda.all()]
        if agenda:
            parts.append(_("议题：") + "\n" + "\n".join(agenda))
    return "\n".join(parts)


def ics(activities: Iterable[Any], *, domain: str, name: str) -> bytes:
    """A VCALENDAR of the activities: UTC times, stable UIDs (one per activity, so that a
    calendar that imports it twice updates the event), SEQUENCE the activity's version."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Wulian//Meetings//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(name)}",
    ]
    for activity in activities:
        lines += _event(activity, domain)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(ics_fold(line) for line in lines) + "\r\n").encode()


# --- Action items (.xlsx 台账) ----------------------------------------------------------------


def actions_xlsx(actions: Iterable[Any]) -> bytes:
    book = xlsx.ledger(
        _("会议落实事项台账"),
        [
            (_("会议"), 30),
            (_("会议时间"), 18),
            (_("议定事项"), 40),
            (_("落实事项"), 36),
            (_("责任单位"), 20),
            (_("责任人"), 12),
            (_("完成时限"), 18),
            (_("状态"), 10),
            (_("完成情况"), 40),
            (_("核验时间"), 18),
        ],
    )
    now = timezone.now()
    late = _("已逾期")
    for a in actions:
        activity = a.decision.meeting.activity
        state = late if a.state == "open" and a.due_at < now else a.get_state_display()
        book.append(
            [
                activity.title,
                _local(activity.starts_at),
                a.decision.text,
                a.title,
                a.owner_org.name,
                a.owner_person.name if a.owner_person_id else "",
                _local(a.due_at),
                state,
                a.report,
                _local(a.verified_at) if a.verified_at else "",
            ]
        )
    return book.getvalue()


def _local(at: datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
