"""Rows of the meeting parts of the activity page and of the action-item list, as Python
(ADR 0018: no include or inclusion tag inside a loop; each label translated once)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from wulian.core.activities.choices import ActionState, Attendance
from wulian.core.templatetags.ui import badge_html, local_date_text

_STATE_TONE = {ActionState.OPEN: "info", ActionState.REPORTED: "warning", ActionState.DONE: "ok"}


def action_state_badge(action: Any, now: Any) -> SafeString:
    if action.state == ActionState.OPEN and action.due_at < now:
        return badge_html(_("已逾期"), "danger")
    return badge_html(action.get_state_display(), _STATE_TONE.get(action.state, "neutral"))


def convener_rows(conveners: Iterable[Any], version: int) -> SafeString:
    signed, waiting, stale = _("已会签"), _("待会签"), _("（会签后纪要已修改）")
    rows = []
    for c in conveners:
        if c.signed_at is not None and c.signed_version == version:
            state = format_html(
                "{} {} {}",
                badge_html(signed, "ok"),
                c.signed_name,
                local_date_text(c.signed_at),
            )
        else:
            state = badge_html(waiting, "warning")
            if c.signed_at is not None:
                state = format_html("{}{}", state, stale)
        rows.append((c.organisation.name, state))
    return format_html_join("", "<li>{}：{}</li>", rows)


def agenda_rows(
    request: Any, agenda: Iterable[Any], documents: dict[int, list[Any]], can_attach: bool
) -> SafeString:
    l_title, l_presenter, l_docs = _("议题"), _("汇报"), _("材料")
    upload, none = _("上传材料"), _("暂无")
    token = get_token(request) if can_attach else ""
    back = reverse("activities:activity_detail", args=[0]).replace("/0/", "/{}/")
    rows = []
    for item in agenda:
        docs = (
            format_html_join(
                "、",
                '<a href="{}">{}</a>',
                (
                    (reverse("attachments:download", args=[d.pk]), d.original_name)
                    for d in documents.get(item.pk, [])
                ),
            )
            or none
        )
        presenter = (
            "、".join(
                x
                for x in (item.presenter_org.name if item.presenter_org_id else "", item.presenter)
                if x
            )
            or "—"
        )
        form = ""
        if can_attach:
            form = format_html(
                '<form method="post" enctype="multipart/form-data" action="{}" class="inline">'
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                '<input type="hidden" name="next" value="{}#agenda">'
                '<input type="file" name="file" aria-label="{}"> '
                '<button type="submit" class="link">{}</button></form>',
                reverse("attachments:upload", args=["activities.agendaitem", item.pk]),
                token,
                back.format(item.meeting.activity_id),
                upload,
                upload,
            )
        rows.append(
            format_html(
                '<tr><td data-label="{}">{}. {}</td><td data-label="{}">{}</td>'
                '<td data-label="{}">{} {}</td></tr>',
                l_title,
                item.position,
                item.title,
                l_presenter,
                presenter,
                l_docs,
                docs,
                form,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - each row is format_html output


def attendance_rows(participants: Iterable[Any]) -> SafeString:
    l_org, l_person, l_att, l_reason = _("单位"), _("人员"), _("出席情况"), _("请假事由")
    tones = {Attendance.PRESENT: "ok", Attendance.EXCUSED: "warning", Attendance.ABSENT: "danger"}
    rows = []
    for p in participants:
        rows.append(
            format_html(
                '<tr><td data-label="{}">{}</td><td data-label="{}">{}</td>'
                '<td data-label="{}">{}</td><td data-label="{}">{}</td></tr>',
                l_org,
                p.organisation.name,
                l_person,
                p.person.name if p.person_id else "—",
                l_att,
                badge_html(p.get_attendance_display(), tones.get(p.attendance, "muted")),
                l_reason,
                p.excuse_reason or "—",
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - each row is format_html output


def decision_rows(decisions: Iterable[Any], now: Any) -> SafeString:
    l_owner, l_due, none = _("责任单位"), _("完成时限"), _("暂未分解落实事项")
    out = []
    for d in decisions:
        actions = list(d.actions.all())
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a> — {}：{}{} · {}：{} {}</li>',
            (
                (
                    a.get_absolute_url(),
                    a.title,
                    l_owner,
                    a.owner_org.name,
                    f"（{a.owner_person.name}）" if a.owner_person_id else "",
                    l_due,
                    local_date_text(a.due_at),
                    action_state_badge(a, now),
                )
                for a in actions
            ),
        )
        out.append(
            format_html(
                "<li><p>{}. {}</p>{}</li>",
                d.position,
                d.text,
                format_html('<ul class="plain">{}</ul>', items)
                if actions
                else format_html('<p class="help">{}</p>', none),
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - each row is format_html output


def action_rows(actions: Iterable[Any]) -> SafeString:
    """The rows of the cross-platform action-item list."""
    l_title, l_meeting, l_owner, l_due, l_state = (
        _("落实事项"),
        _("会议"),
        _("责任单位"),
        _("完成时限"),
        _("状态"),
    )
    now = timezone.now()
    rows = []
    for a in actions:
        activity = a.decision.meeting.activity
        rows.append(
            format_html(
                '<tr><td data-label="{}"><a href="{}">{}</a></td>'
                '<td data-label="{}"><a href="{}">{}</a></td>'
                '<td data-label="{}">{}{}</td><td data-label="{}">{}</td>'
                '<td data-label="{}">{}</td></tr>',
                l_title,
                a.get_absolute_url(),
                a.title,
                l_meeting,
                activity.get_absolute_url(),
                activity.title,
                l_owner,
                a.owner_org.name,
                f"（{a.owner_person.name}）" if a.owner_person_id else "",
                l_due,
                local_date_text(a.due_at),
                l_state,
                action_state_badge(a, now),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - each row is format_html output
