"""A suggestion's status badge, its flags and the ledger's rows, drawn in Python (ADR 0018):
they are in every row of the ledger, where the template engine spent ~0.4 ms a row (an
`{% include %}` per badge, a `{% translate %}` per cell, ~30 variable lookups). One definition
each, used by the ledger and the suggestion's page; the badge itself is `ui.badge_html`. The
HTML is the template's, byte for byte (tests/core/test_render_output.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from wulian.core import punctuation
from wulian.core.escaping import esc, once_a_page
from wulian.core.shell import _csrf_input
from wulian.core.templatetags.ui import badge_html, choice_label, form_row_html, html_format
from wulian.suggestions.choices import SuggestionStatus as S

register = template.Library()


def _(message: str) -> SafeString:
    """A translation as the template engine gives a `{% translate "…" %}` or `_("…")` of a
    literal: trusted, not escaped (the catalogue is ours; "Deputy's verdict" keeps its ')."""
    return mark_safe(gettext(message))  # noqa: S308


TONES = {
    S.CLOSED: "ok",
    S.ANSWERED: "ok",
    S.NOT_ACCEPTED: "muted",
    S.WITHDRAWN: "muted",
    S.REOPENED: "warning",
    S.SENT_BACK: "warning",
}


@register.simple_tag
def status_badge(s) -> SafeString:
    """The status as a badge: done green, set aside grey, back in work amber, else blue (and the
    line end the template this replaces wrote)."""
    return mark_safe(badge_html(choice_label(s, "status"), TONES.get(s.status, "info")) + "\n")  # noqa: S308


@register.simple_tag
def suggestion_flags(s) -> SafeString:
    """联系代表逾期 / 答复逾期 / 重点督办, each a badge after a space."""
    return _flags(s, s.contact_overdue, s.reply_overdue)


def _flags(s, contact_overdue: bool, reply_overdue: bool) -> SafeString:
    parts = []
    if contact_overdue:
        parts.append(" " + badge_html(_("联系代表逾期"), "danger"))
    if reply_overdue:
        parts.append(" " + badge_html(_("答复逾期"), "danger"))
    if s.is_key:
        parts.append(" " + badge_html(_("重点督办"), "warning"))
    return mark_safe("".join(parts) + "\n")  # noqa: S308


ROW = (
    '<tr class="{}">\n'
    '    <td data-label="{}">{} {}</td>\n'
    '    <td data-label="{}"><a href="{}">{}</a>{}</td>\n'
    '    <td data-label="{}">{}</td>\n'
    '    <td data-label="{}">{}</td>\n'
    '    <td data-label="{}">{}</td>\n'
    '    <td data-label="{}">{}{}</td>\n'
    '    <td data-label="{}">{}</td>\n'
    "    {}\n"
    "  </tr>"
)


PLACEHOLDER = 987654321987


def _due(at) -> SafeString | str:
    if not at:
        return "—"
    local = timezone.localtime(at)
    # dateformat's "c" and "Y-m-d", without its formatter object per call.
    return html_format(
        '<time datetime="{}">{}</time>',
        local.isoformat(),
        f"{local.year:04d}-{local.month:02d}-{local.day:02d}",
    )


@register.simple_tag
def suggestion_rows(suggestions: Iterable, may_see_verdicts: bool = False) -> SafeString:
    """The ledger's `<tr>`s (of `selectors.LedgerRow`s): number, title (a link, with its
    flags), lead deputy, category, lead unit, status (and reply category), reply due date, and
    the verdict for who may see it."""
    labels = [
        _("编号"),
        _("标题"),
        _("领衔代表"),
        _("类别"),
        _("主办单位"),
        _("状态"),
        _("答复期限"),
    ]
    verdict_label = _("代表评价") if may_see_verdicts else ""
    # One reverse() for the page: a link differs from the next only by its number.
    link = reverse("suggestions:suggestion_detail", args=[PLACEHOLDER])
    # What repeats from row to row is translated and drawn once a page: `s.number_label`'s
    # pattern, each choice's label, each status badge, each set of flags.
    number = gettext("第%(n)d号")
    once = once_a_page()

    rows = []
    for s in suggestions:
        contact_overdue, reply_overdue = s.contact_overdue, s.reply_overdue
        rows.append(
            html_format(
                ROW,
                "overdue" if contact_overdue or reply_overdue else "",
                labels[0],
                s.session_name,
                number % {"n": s.number},
                labels[1],
                link.replace(str(PLACEHOLDER), str(s.pk)),
                s.title,
                once(
                    ("flags", contact_overdue, reply_overdue, s.is_key),
                    lambda s=s, c=contact_overdue, r=reply_overdue: _flags(s, c, r),
                ),
                labels[2],
                s.lead_deputy_name,
                labels[3],
                once(("category", s.category), lambda s=s: choice_label(s, "category")),
                labels[4],
                (s.lead_unit_display_name if s.lead_unit_id else "") or "—",
                labels[5],
                once(("status", s.status), lambda s=s: status_badge(s)),
                html_format(" {}", s.reply_category) if s.reply_category else "",
                labels[6],
                _due(s.reply_due_at),
                once(
                    ("verdict", s.verdict),
                    lambda s=s: html_format(
                        '<td data-label="{}">{}</td>',
                        verdict_label,
                        choice_label(s, "verdict") or "—",
                    ),
                )
                if may_see_verdicts
                else "",
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 (each row is html_format's, i.e. escaped)


UNIT_ROW = (
    "<tr>\n"
    '    <td data-label="{}">{}</td>\n'
    '    <td data-label="{}">{}</td>\n'
    '    <td data-label="{}"><a href="{}">{}</a></td>\n'
    '    <td data-label="{}">{}</td>\n'
    '    <td data-label="{}">{}</td>\n'
    '    <td data-label="{}">{}</td>\n'
    '    <td data-label="{}">{}</td>\n'
    '    <td data-label="{}">{}</td>\n'
    "  </tr>"
)


def _value(value: Any) -> Any:
    """A value as `{{ value }}` writes it: a string escaped, a number localized (`localize`:
    no grouping here, as the template had), None as "None"."""
    return value if type(value) is str else str(localize(value))


@register.simple_tag
def figure_unit_rows(units: Iterable) -> SafeString:
    """The year's figures' unit ranking (`figures.UnitRow`s), ~50 rows of 8 cells: the
    template's loop drew ~1,000 nodes a page (ADR 0018: rows drawn in Python)."""
    labels = [
        _("名次"),
        _("承办单位"),
        _("主办件数"),
        _("已答复"),
        _("已到期"),
        _("按期答复率"),
        _("满意率"),
        _("按时联系率"),
    ]
    rows = []
    for u in units:
        percents = u.percents
        rows.append(
            html_format(
                UNIT_ROW,
                labels[0],
                _value(u.rank),
                labels[1],
                _value(u.unit),
                labels[2],
                _value(u.url),
                _value(u.assigned),
                labels[3],
                _value(u.answered),
                labels[4],
                _value(u.due),
                labels[5],
                _value(percents["on_time"]),
                labels[6],
                _value(percents["satisfaction"]),
                labels[7],
                _value(percents["contact"]),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 (each row is html_format's, i.e. escaped)


STEP_FORM = (
    '<details id="{}"{}><summary>{}</summary>\n'
    '<form method="post" action="{}"{} novalidate>{}\n'
    "  {}\n"
    "  {}\n"
    "  {}\n"
    '  <button type="submit" class="{}">{}</button>\n'
    "</form></details>\n"
)


MULTIPART = mark_safe(' enctype="multipart/form-data"')


def form_errors_html(form: Any) -> SafeString:
    """components/form_errors.html: the form's non-field errors (and that file's line end)."""
    errors = form.non_field_errors()
    if not errors:
        return mark_safe("\n")
    return mark_safe(  # noqa: S308 (each error is escaped)
        '<div class="form-errors" role="alert">'
        + "".join(f"<p>{esc(e)}</p>" for e in errors)
        + "</div>\n"
    )


def step_form_html(
    form: Any,
    *,
    csrf_token: Any,
    id: Any = "",
    summary: Any = "",
    action: Any = "",
    button: Any = "",
    tone: Any = "",
    open: Any = "",
    multipart: Any = "",
) -> SafeString:
    """A step's form folded in `<details>` (open when it has errors or `open`): the errors,
    the hidden fields, a form row per visible field, the button — suggestions/_form.html, its
    one definition (that template only calls it). A suggestion's page draws up to a dozen."""
    return html_format(
        STEP_FORM,
        id,
        " open" if form.errors or open else "",
        summary,
        action,
        MULTIPART if multipart else "",
        mark_safe(_csrf_input(csrf_token)),  # noqa: S308 (escaped by _csrf_input)
        form_errors_html(form),
        mark_safe("".join(str(f) for f in form.hidden_fields())),  # noqa: S308 (widgets)
        mark_safe("".join(form_row_html(f) for f in form.visible_fields())),  # noqa: S308
        tone or "primary",
        button,
    )


@register.simple_tag(takes_context=True)
def step_form(context: Any, form: Any, **kwargs: Any) -> SafeString:
    return step_form_html(form, csrf_token=context.get("csrf_token"), **kwargs)


@register.simple_tag
def handling_sections(h, documents) -> SafeString:
    """The page's sections from its documents to the verdicts (`record_html`, ADR 0018)."""
    from wulian.suggestions.record_html import handling_sections_html

    return handling_sections_html(h, documents)


@register.simple_tag
def suggestion_facts(s, cosigners, verdict_deadline, verdict_overdue) -> SafeString:
    """The page's `<dl class="facts">` (`record_html.facts_html`, ADR 0018)."""
    from wulian.suggestions.record_html import facts_html

    return facts_html(s, cosigners, verdict_deadline, verdict_overdue)


@register.simple_tag
def suggestion_step_bar(progress) -> SafeString:
    """The suggestion's step bar (提交 → 审查 → 交办 → 签收 → 联系 → 答复 → 评价) from its
    `progress.of(…)`: the shared component (`ui.step_bar_html`)."""
    from wulian.core.templatetags.ui import step_bar_html
    from wulian.suggestions.progress import STEPS

    return step_bar_html(STEPS, progress.current, progress.due_at, progress.ended)


@register.simple_tag
def lead_advice(advice) -> SafeString | str:
    """The proposed lead units where the lead unit is chosen (`analytics.lead_unit_advice`):
    each unit with its share of the votes and the past suggestions behind it, linked; or why
    there is none yet. Staff decide: nothing is preselected."""
    if advice is None:
        return ""
    if not advice.proposals:
        return format_html('<p class="help lead-advice">{}</p>', advice.reason)
    items = [
        format_html(
            "<li><strong>{}</strong> · {} {}%{}</li>",
            p.unit,
            _("把握"),
            round(p.confidence * 100),
            format_html(
                " · {}{}",
                _("依据："),
                mark_safe(  # noqa: S308 - joined format_html parts
                    punctuation.join(
                        format_html('<a href="{}">{}</a>', e.url, e.label) for e in past
                    )
                ),
            )
            if past
            else "",
        )
        for p, past in advice.proposals
    ]
    return format_html(
        '<div class="lead-advice"><p class="help">{}</p><ol class="plain">{}</ol></div>',
        _("系统提议的主办单位（依据以往由该单位签收主办的相似建议，仅供参考）："),
        mark_safe("".join(items)),  # noqa: S308 - format_html parts
    )
