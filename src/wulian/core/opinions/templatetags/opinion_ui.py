"""Repeated parts of the opinion-round pages as Python components (ADR 0018): the draft's
numbered paragraphs, the invitees' table, the comments with their dispositions (and the
drafting side's disposition forms), and the figures' adoption table."""

from __future__ import annotations

from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from wulian.core.opinions.choices import Disposition
from wulian.core.templatetags.ui import badge_html

register = template.Library()

TONES = {
    Disposition.ADOPTED: "success",
    Disposition.PARTLY: "warning",
    Disposition.DECLINED: "danger",
    "": "neutral",
}


def _at(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def _table(headers: list[str], rows: SafeString) -> SafeString:
    head = format_html_join("", "<th>{}</th>", ((h,) for h in headers))
    return format_html(
        '<table class="data"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>', head, rows
    )


@register.simple_tag
def paragraph_list(version: Any, counts: dict[int, int]) -> SafeString:
    """The version's paragraphs, numbered, each with an anchor (`#p<version>-<n>`) and the
    number of comments on it the viewer may read."""
    items = format_html_join(
        "",
        '<li id="p{}-{}" value="{}"><span class="num">{}</span> {}{}</li>',
        (
            (
                version.number,
                p.number,
                p.number,
                _("第%(n)s段") % {"n": p.number},
                p.text,
                format_html(" {}", badge_html(_("%(n)d条意见") % {"n": counts[p.pk]}, "warning"))
                if counts.get(p.pk)
                else "",
            )
            for p in version.paragraphs.all()
        ),
    )
    return format_html('<ol class="paragraphs">{}</ol>', items)


@register.simple_tag
def invitee_table(rows: list[Any], commented: set[int]) -> SafeString:
    if not rows:
        return format_html('<p class="help">{}</p>', _("尚未邀请单位或人员。"))
    labels = [_("受邀单位或人员"), _("类别"), _("截止时间"), _("答复")]

    def answer(i: Any) -> SafeString:
        if i.pk in commented:
            return badge_html(_("已提出意见"), "success")
        if i.no_opinion_at:
            return format_html("{} {}", badge_html(_("无意见"), "neutral"), _at(i.no_opinion_at))
        return badge_html(_("未答复"), "warning")

    body = format_html_join(
        "",
        '<tr id="invitee-{}"><td data-label="{}">{}</td><td data-label="{}">{}</td>'
        '<td data-label="{}">{}</td><td data-label="{}">{}</td></tr>',
        (
            (
                i.pk,
                labels[0],
                i.name,
                labels[1],
                _("单位") if i.organisation_id else _("个人"),
                labels[2],
                _at(i.due_at),
                labels[3],
                answer(i),
            )
            for i in rows
        ),
    )
    return _table(labels, body)


def _dispose_form(request: Any, url: str, c: Any) -> SafeString:
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((v, " selected" if v == c.disposition else "", label) for v, label in Disposition.choices),
    )
    return format_html(
        '<form method="post" action="{}" class="inline-form" novalidate>'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="comment" value="{}">'
        '<input type="hidden" name="version" value="{}">'
        '<label for="d{}">{}</label> <select name="disposition" id="d{}">{}</select> '
        '<label for="r{}">{}</label> <textarea name="reason" id="r{}" rows="2">{}</textarea> '
        '<button type="submit" class="secondary">{}</button></form>',
        url,
        get_token(request),
        c.pk,
        c.version,
        c.pk,
        _("处理结果"),
        c.pk,
        options,
        c.pk,
        _("理由"),
        c.pk,
        c.reason,
        _("保存处理结果") if not c.disposition else _("修改处理结果"),
    )


@register.simple_tag(takes_context=True)
def comment_table(context: Any, comments: list[Any], dispose_url: str = "") -> SafeString:
    """The comments (what the viewer may read), each with where it was made, its disposition
    and reason; with `dispose_url` (the drafting side, before the conclusion) a form per row."""
    if not comments:
        return format_html('<p class="help">{}</p>', _("暂无意见。"))
    request = context.get("request")
    labels = [_("编号"), _("提出者"), _("位置"), _("意见"), _("处理"), _("理由")]
    if dispose_url:
        labels.append(_("处理意见"))

    def cells(c: Any) -> SafeString:
        where = c.anchor_label
        if c.paragraph_id:
            where = format_html(
                '<a href="?v={}#p{}-{}">{}</a>',
                c.draft_version.number,
                c.draft_version.number,
                c.paragraph.number,
                where,
            )
        values = [
            f"#{c.pk}",
            c.invitee.name,
            where,
            format_html('<div class="notes">{}</div>', c.text),
            badge_html(c.get_disposition_display() or _("待处理"), TONES[c.disposition]),
            c.reason or "—",
        ]
        if dispose_url:
            values.append(_dispose_form(request, dispose_url, c))
        return format_html_join("", '<td data-label="{}">{}</td>', zip(labels, values, strict=True))

    body = format_html_join("", '<tr id="comment-{}">{}</tr>', ((c.pk, cells(c)) for c in comments))
    return _table(labels, body)


@register.simple_tag
def adoption_table(rows: list[Any], group: str) -> SafeString:
    """The adoption counts per round (each linking to its page) or per year."""
    if not rows:
        return format_html('<p class="help">{}</p>', _("暂无意见。"))
    headers = [
        _("征求意见") if group == "round" else _("年度"),
        _("意见"),
        _("提出者"),
        Disposition.ADOPTED.label,
        Disposition.PARTLY.label,
        Disposition.DECLINED.label,
        _("待处理"),
        _("采纳率"),
    ]
    hidden = _("不公开")

    def label(r: Any) -> Any:
        if group == "round":
            from django.urls import reverse

            return format_html(
                '<a href="{}">{}</a>', reverse("opinions:round_detail", args=[r.key]), r.label
            )
        return r.label

    def values(r: Any) -> list[Any]:
        split = [r.adopted, r.partly, r.declined, r.pending]
        return [
            label(r),
            r.total,
            r.commenters,
            *([hidden] * 4 if r.suppressed else split),
            hidden if r.suppressed else r.rate,
        ]

    body = format_html_join(
        "",
        "<tr>{}</tr>",
        (
            (
                format_html_join(
                    "", '<td data-label="{}">{}</td>', zip(headers, values(r), strict=True)
                ),
            )
            for r in rows
        ),
    )
    return _table(headers, body)
