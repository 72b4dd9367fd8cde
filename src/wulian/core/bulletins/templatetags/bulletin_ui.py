"""Repeated parts of the bulletin pages as Python components (ADR 0018): the recipients'
receipt table of a bulletin page and the figures' rate tables (each count a link to the
receipts it counts)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from wulian.core.bulletins.choices import FeedbackState, ReceiptState
from wulian.core.templatetags.ui import badge_html

register = template.Library()

TONES = {
    ReceiptState.ON_TIME: "success",
    ReceiptState.LATE: "warning",
    ReceiptState.MISSING: "danger",
    ReceiptState.PENDING: "neutral",
}
FEEDBACK_TONES = {
    FeedbackState.ON_TIME: "success",
    FeedbackState.LATE: "warning",
    FeedbackState.MISSING: "neutral",
    FeedbackState.PENDING: "neutral",
}


def _at(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def _who(user: Any) -> str:
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return getattr(person, "name", "") or user.get_username()


@register.simple_tag
def recipient_table(rows: list[dict[str, Any]]) -> SafeString:
    if not rows:
        return format_html('<p class="help">{}</p>', _("尚未选择接收单位。"))
    labels = [_("接收单位"), _("签收截止"), _("签收"), _("反馈截止"), _("反馈意见")]
    body = format_html_join(
        "",
        '<tr id="recipient-{}"><td data-label="{}">{}</td><td data-label="{}">{}</td>'
        '<td data-label="{}">{}{}</td><td data-label="{}">{}</td>'
        '<td data-label="{}">{}{}</td></tr>',
        (
            (
                row["rec"].pk,
                labels[0],
                row["rec"].organisation.name,
                labels[1],
                _at(row["rec"].receipt_due_at),
                labels[2],
                badge_html(row["receipt"].label, TONES[row["receipt"]]),
                format_html(" {} {}", _at(row["rec"].signed_at), _who(row["rec"].signed_by))
                if row["rec"].signed_at
                else "",
                labels[3],
                _at(row["rec"].feedback_due_at),
                labels[4],
                badge_html(row["feedback"].label, FEEDBACK_TONES[row["feedback"]]),
                format_html('<div class="notes">{}</div>', row["rec"].feedback)
                if row["rec"].feedback
                else "",
            )
            for row in rows
        ),
    )
    head = format_html_join("", "<th>{}</th>", ((label,) for label in labels))
    return format_html(
        '<table class="data"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>', head, body
    )


RECEIPT_COLUMNS = [
    ("receipt", ReceiptState.ON_TIME),
    ("receipt", ReceiptState.LATE),
    ("receipt", ReceiptState.MISSING),
    ("receipt", ReceiptState.PENDING),
    ("feedback", FeedbackState.ON_TIME),
    ("feedback", FeedbackState.LATE),
    ("feedback", FeedbackState.MISSING),
]


@register.simple_tag
def rate_table(rows: list[Any], group: str, year: int | None) -> SafeString:
    """One group's rates: a row per organisation, series or year; each count links to the
    receipts list filtered to it."""
    if not rows:
        return format_html('<p class="help">{}</p>', _("暂无已印发的通报。"))
    url = reverse("bulletins:receipts")
    headers = [
        _("单位") if group == "organisation" else _("定期通报") if group == "series" else _("年度"),
        _("应签收"),
        *(
            (ReceiptState(s).label if k == "receipt" else FeedbackState(s).label)
            for k, s in RECEIPT_COLUMNS
        ),
        _("签收率"),
        _("按时签收率"),
        _("反馈率"),
    ]

    def link(row: Any, key: str, state: str) -> SafeString:
        params: dict[str, Any] = {}
        if year:
            params["year"] = year
        if row.key is not None:
            params[group] = row.key
        params[key] = state
        count = row.counts[f"{key}_{state}"]
        return format_html('<a href="{}?{}">{}</a>', url, urlencode(params), count)

    def label(row: Any) -> str:
        if group == "series" and row.key is None:
            return _("不定期（工作通报）")
        return row.label

    cells = []
    for row in rows:
        tds = [label(row), str(row.total)]
        tds += [link(row, k, s) for k, s in RECEIPT_COLUMNS]
        tds += [row.receipt_rate, row.receipt_on_time_rate, row.feedback_rate]
        cells.append(
            format_html(
                "<tr>{}</tr>",
                format_html_join(
                    "",
                    '<td data-label="{}">{}</td>',
                    zip(headers, tds, strict=True),
                ),
            )
        )
    head = format_html_join("", "<th>{}</th>", ((h,) for h in headers))
    return format_html(
        '<table class="data"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
        head,
        format_html_join("", "{}", ((c,) for c in cells)),
    )
