"""Repeated parts of the poll pages as Python components (ADR 0018): the list's rows, the
groups' roster / slip / turnout table, the paper entries, a ballot's choices and the results'
tables."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from wulian.core.polls.choices import PollState
from wulian.core.templatetags.ui import badge_html

register = template.Library()

TONES = {
    PollState.DRAFT: "muted",
    PollState.OPENING: "warning",
    PollState.OPEN: "info",
    PollState.CLOSED: "warning",
    PollState.SEALED: "warning",
    PollState.CERTIFIED: "ok",
}


def _at(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


@register.simple_tag
def poll_state(poll: Any) -> SafeString:
    return badge_html(poll.get_state_display(), TONES.get(poll.state, "neutral"))


@register.simple_tag
def poll_rows(polls: Any) -> SafeString:
    labels = [_("名称"), _("类型"), _("组织单位"), _("投票时间"), _("状态")]
    return format_html_join(
        "",
        '<tr><td data-label="{}"><a href="{}">{}</a></td><td data-label="{}">{}</td>'
        '<td data-label="{}">{}</td><td data-label="{}">{} — {}</td><td data-label="{}">{}</td>'
        "</tr>",
        (
            (
                labels[0],
                reverse("polls:poll_detail", args=[p.pk]),
                p.title,
                labels[1],
                p.get_kind_display(),
                labels[2],
                p.organiser.display_name,
                labels[3],
                _at(p.opens_at),
                _at(p.closes_at),
                labels[4],
                poll_state(p),
            )
            for p in polls
        ),
    )


@register.simple_tag
def group_table(rows: list[dict[str, Any]]) -> SafeString:
    labels = [
        _("评议主体"),
        _("权重"),
        _("名单人数（已投）"),
        _("投票码（已用）"),
        _("纸质票"),
        _("投票率"),
    ]
    head = format_html_join("", "<th>{}</th>", ((label,) for label in labels))
    body = format_html_join(
        "",
        '<tr><td data-label="{}">{}</td><td data-label="{}">{}</td>'
        '<td data-label="{}">{}（{}）</td><td data-label="{}">{}（{}）</td>'
        '<td data-label="{}">{}</td><td data-label="{}">{}</td></tr>',
        (
            (
                labels[0],
                r["group"].name,
                labels[1],
                r["group"].weight,
                labels[2],
                r["roster"],
                r["voted"],
                labels[3],
                r["slips"],
                r["used"],
                labels[4],
                "—" if r["paper"] is None else r["paper"],
                labels[5],
                r["turnout"],
            )
            for r in rows
        ),
    )
    return format_html(
        '<table class="data"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>', head, body
    )


@register.simple_tag
def paper_table(rows: list[dict[str, Any]]) -> SafeString:
    if not rows:
        return format_html('<p class="help">{}</p>', _("尚未录入纸质票。"))
    labels = [_("评议主体"), _("录入次数"), _("纸质票张数"), _("两次录入")]
    return format_html(
        '<table class="data"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
        format_html_join("", "<th>{}</th>", ((label,) for label in labels)),
        format_html_join(
            "",
            '<tr><td data-label="{}">{}</td><td data-label="{}">{}</td>'
            '<td data-label="{}">{}</td><td data-label="{}">{}</td></tr>',
            (
                (
                    labels[0],
                    r["group"],
                    labels[1],
                    r["entries"],
                    labels[2],
                    " / ".join(str(n) for n in r["ballots"]),
                    labels[3],
                    badge_html(_("一致"), "ok")
                    if r["agree"]
                    else badge_html(
                        _("待第二人录入") if r["entries"] < 2 else _("不一致"), "warning"
                    ),
                )
                for r in rows
            ),
        ),
    )


@register.simple_tag
def choice_list(rows: list[tuple[str, str]]) -> SafeString:
    return format_html(
        '<dl class="facts">{}</dl>',
        format_html_join(
            "", "<dt>{}</dt><dd>{}</dd>", ((label, value or _("（未选）")) for label, value in rows)
        ),
    )


@register.simple_tag
def paper_inputs(form: Any) -> SafeString:
    """The paper entry's count inputs: one row per item, one number per option."""
    rows = []
    for item, names in form.count_rows:
        cells = format_html_join(
            "",
            '<label class="count">{}<input type="number" min="0" name="{}" value="{}" '
            'inputmode="numeric"></label>',
            (
                (
                    form.fields[name].label.split(" ", 1)[-1],
                    form.add_prefix(name),
                    form[name].value() or "",
                )
                for name in names
            ),
        )
        rows.append(
            format_html(
                '<fieldset class="counts"><legend>{}</legend>{}</fieldset>', item.label, cells
            )
        )
    return format_html_join("", "{}", ((r,) for r in rows))


@register.simple_tag
def result_table(view: dict[str, Any]) -> SafeString:
    heads = [_("测评（票决）对象"), *view["options"], _("未选"), _("有效票"), _("结果")]
    if view["weighted"]:
        heads.append(_("加权得分"))
    body = []
    for row in view["items"]:
        cells = [row["label"], *row["counts"], row["blank"], row["valid"], row["outcome"]]
        if view["weighted"]:
            cells.append(row["score"])
        body.append(
            format_html_join(
                "",
                '<td data-label="{}">{}</td>',
                zip(heads, cells, strict=True),
            )
        )
    return format_html(
        '<table class="data"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
        format_html_join("", "<th>{}</th>", ((h,) for h in heads)),
        format_html_join("", "<tr>{}</tr>", ((b,) for b in body)),
    )


@register.simple_tag
def group_result_table(view: dict[str, Any], group: dict[str, Any]) -> SafeString:
    heads = [_("测评（票决）对象"), *view["options"]]
    body = [
        format_html_join(
            "", '<td data-label="{}">{}</td>', zip(heads, [label, *counts], strict=True)
        )
        for label, counts in group["rows"]
    ]
    return format_html(
        '<table class="data"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
        format_html_join("", "<th>{}</th>", ((h,) for h in heads)),
        format_html_join("", "<tr>{}</tr>", ((b,) for b in body)),
    )


@register.simple_tag
def receipt_table(rows: list[tuple[str, str, str]]) -> SafeString:
    labels = [_("回执码"), _("评议主体"), _("各对象的选择（按对象顺序）")]
    return format_html(
        '<table class="data"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
        format_html_join("", "<th>{}</th>", ((h,) for h in labels)),
        format_html_join(
            "",
            '<tr><td data-label="{}"><code>{}</code></td><td data-label="{}">{}</td>'
            '<td data-label="{}"><code>{}</code></td></tr>',
            ((labels[0], r, labels[1], g, labels[2], c) for r, g, c in rows),
        ),
    )


@register.simple_tag
def ballot_fields(form: Any) -> SafeString:
    """The ballot: one fieldset per item (its legend the item, read out as the group's name),
    its options as large radio labels — a phone's thumb finds them."""
    rows = []
    for name in form.item_fields:
        field = form[name]
        value = field.value() or ""
        options = format_html_join(
            "",
            '<label class="option"><input type="radio" name="{}" value="{}"{}> {}</label>',
            (
                (
                    field.html_name,
                    option,
                    mark_safe(" checked") if option == value else "",
                    label,
                )
                for option, label in field.field.choices
            ),
        )
        errors = format_html_join(
            "", '<p class="field-error" role="alert">{}</p>', ((e,) for e in field.errors)
        )
        rows.append(
            format_html(
                '<fieldset class="ballot-item"><legend>{}</legend>{}{}</fieldset>',
                field.label,
                options,
                errors,
            )
        )
    return format_html_join("", "{}", ((r,) for r in rows))
