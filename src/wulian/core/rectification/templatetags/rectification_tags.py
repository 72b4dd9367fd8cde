"""`{% include "rectification/findings_panel.html" with record=x %}` — the findings raised on a
record (发现的问题) with the state of each rectification, and the link to raise one. Any record
page embeds it; it shows only what the signed-in person may see (two queries).

The state badge and the ledger's rows are drawn in Python (ADR 0018): one definition each, the
HTML of the templates they replace byte for byte (tests/rectification/test_rows.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from wulian.core import access, records
from wulian.core.choices import Sensitivity
from wulian.core.escaping import html_format, once_a_page
from wulian.core.rectification import selectors
from wulian.core.rectification.choices import RectificationState, Severity
from wulian.core.rectification.models import Finding, Rectification
from wulian.core.templatetags.ui import badge_html, choice_value_label

register = template.Library()


@register.inclusion_tag("rectification/findings_panel_body.html", takes_context=True)
def findings_panel(context: template.Context, record: Any) -> dict[str, Any]:
    request = context.get("request")
    actor = access.actor_for(getattr(request, "user", None))
    if record is None or not access.can(actor, "rectification.finding.view"):
        return {"visible": False}
    findings = selectors.findings_for_record(actor=actor, record=record)
    can_raise = access.can(actor, "rectification.finding.raise", record)
    raise_url = ""
    if can_raise:
        here = request.get_full_path() if request is not None else ""
        raise_url = reverse(
            "rectification:finding_raise", args=[records.record_label(record), record.pk]
        ) + ("?" + urlencode({"next": here}) if here else "")
    return {
        "visible": bool(findings) or can_raise,
        "findings": findings,
        "can_raise": can_raise,
        "raise_url": raise_url,
    }


def _(message: str) -> SafeString:
    """A translation as the engine gives `{% translate "…" %}`/`_("…")` of a literal."""
    return mark_safe(gettext(message))  # noqa: S308


STATE_TONES = {
    RectificationState.CLOSED: "ok",
    RectificationState.SUBMITTED: "warning",
    RectificationState.REOPENED: "danger",
}


def state_badge_html(state: str) -> SafeString:
    """The rectification's state as a badge: closed green, waiting for verification amber,
    reopened red, else blue (rectification/state_badge.html only calls it)."""
    return badge_html(
        choice_value_label(Rectification, "state", state), STATE_TONES.get(state, "info")
    )


@register.simple_tag
def rect_state_badge(rect: Any) -> SafeString:
    return state_badge_html(rect.state)


ROW = (
    '<tr class="{}">\n'
    '    <td data-label="{}"><a href="{}">{}</a>{}{}</td>\n'
    '    <td data-label="{}">{}</td>\n'
    '    <td data-label="{}">{}</td>\n'
    '    <td data-label="{}">{}</td>\n'
    '    <td data-label="{}">{}\n</td>\n'
    '    <td data-label="{}">{}</td>\n'
    "  </tr>"
)
PLACEHOLDER = 987654321987
MARKED = (Sensitivity.SENSITIVE, Sensitivity.CONFIDENTIAL)


def _badge(label: Any, tone: str) -> SafeString:
    """ " " and a badge (as `… {% badge label tone %}` in the template)."""
    return mark_safe(" " + badge_html(label, tone))  # noqa: S308 (a badge)


def _ymd(d: Any) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


@register.simple_tag
def rectification_rows(rows: Any) -> SafeString:
    """The ledger's `<tr>`s (of `selectors.LedgerRow`s): the finding's title (a link, with
    its severity and sensitivity badges), the responsible and raising units, the finding's
    date, the state and the earliest live deadline (已逾期 once it has passed). What repeats
    from row to row (labels, badges) is translated and drawn once a page."""
    labels = [_("问题概述"), _("整改责任单位"), _("提出单位"), _("发现日期"), _("状态"), _("期限")]
    link = reverse("rectification:rectification_detail", args=[PLACEHOLDER])
    overdue = _badge(_("已逾期"), "danger")
    once = once_a_page()

    out = []
    for r in rows:
        due = r.due_at
        if due:
            local = timezone.localtime(due)
            due_html = html_format(
                '<time datetime="{}">{}</time>{}',
                local.isoformat(),
                _ymd(local),
                overdue if r.is_overdue else "",
            )
        else:
            due_html = "—"
        out.append(
            html_format(
                ROW,
                "overdue" if r.is_overdue else "",
                labels[0],
                link.replace(str(PLACEHOLDER), str(r.pk)),
                r.title,
                once(
                    ("severity", r.severity),
                    lambda r=r: (
                        _badge(choice_value_label(Finding, "severity", r.severity), "danger")
                        if r.severity == Severity.MAJOR
                        else ""
                    ),
                ),
                once(
                    ("sensitivity", r.sensitivity),
                    lambda r=r: (
                        _badge(choice_value_label(Finding, "sensitivity", r.sensitivity), "warning")
                        if r.sensitivity in MARKED
                        else ""
                    ),
                ),
                labels[1],
                r.responsible_short_name or r.responsible_name,
                labels[2],
                r.raising_short_name or r.raising_name,
                labels[3],
                _ymd(r.found_at),
                labels[4],
                once(("state", r.state), lambda r=r: state_badge_html(r.state)),
                labels[5],
                due_html,
            )
        )
    return mark_safe("".join(out))  # noqa: S308 (each row is html_format's, i.e. escaped)
