"""What repeats on the livelihood pages, drawn in Python (ADR 0018): candidate, project,
indicator, photo and figure rows. Labels are translated once per call."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from wulian.core.templatetags.ui import badge_html, form_row_html
from wulian.livelihood import rules
from wulian.livelihood.choices import (
    ActualState,
    CandidateSource,
    CandidateState,
    IndicatorKind,
    Satisfaction,
)

TONES = {
    ActualState.VERIFIED: "success",
    ActualState.QUESTIONED: "warning",
    ActualState.REPORTED: "neutral",
    Satisfaction.SATISFIED: "success",
    Satisfaction.BASIC: "neutral",
    Satisfaction.UNSATISFIED: "danger",
    CandidateState.ELECTED: "success",
    CandidateState.SHORTLISTED: "neutral",
    CandidateState.SET_ASIDE: "warning",
    CandidateState.NOT_ELECTED: "warning",
}


def _form(action: str, form: Any, fields: list[str], button: str, csrf: str = "") -> SafeString:
    rows = format_html_join("", "{}", ((form_row_html(form[f]),) for f in fields))
    hidden = format_html_join("", "{}", ((str(h),) for h in form.hidden_fields()))
    errors = format_html_join(
        "", '<p class="error">{}</p>', ((e,) for e in form.non_field_errors())
    )
    return format_html(
        '<form method="post" action="{}" enctype="multipart/form-data" novalidate>'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">{}{}{}'
        '<button type="submit" class="primary">{}</button></form>',
        action,
        csrf,
        errors,
        hidden,
        rows,
        button,
    )


def candidate_rows(
    candidates: list[Any], screen_forms: dict[int, Any], csrf: str = ""
) -> SafeString:
    sources = dict(CandidateSource.choices)
    states = dict(CandidateState.choices)
    l_screen, l_votes = _("论证筛选"), _("赞成 %(f)s，反对 %(a)s，弃权 %(x)s")
    out = []
    for c in candidates:
        votes = (
            l_votes % {"f": c.votes["for"], "a": c.votes["against"], "x": c.votes["abstain"]}
            if c.votes
            else ""
        )
        form = screen_forms.get(c.pk)
        screen = (
            format_html(
                "<details><summary>{}</summary>{}</details>",
                l_screen,
                _form(
                    reverse("livelihood:candidate_screen", args=[c.pk]),
                    form,
                    ["shortlist", "budget", "responsible", "indicators", "note"],
                    l_screen,
                    csrf,
                ),
            )
            if form is not None
            else ""
        )
        out.append(
            format_html(
                '<tr id="candidate-{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
                "<td>{}</td><td>{}</td></tr>",
                c.pk,
                c.title,
                sources.get(c.source, c.source),
                c.proposer,
                badge_html(states.get(c.state, c.state), TONES.get(c.state, "neutral")),
                votes,
                screen,
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - each row built by format_html


def project_rows(projects: list[Any]) -> SafeString:
    grades = dict(Satisfaction.choices)
    return format_html_join(
        "",
        '<tr><td>{}</td><td><a href="{}">{}</a></td><td>{}</td><td>{}</td></tr>',
        (
            (
                p.number,
                p.get_absolute_url(),
                p.title,
                p.responsible.name,
                badge_html(grades[p.satisfaction], TONES.get(p.satisfaction, "neutral"))
                if p.satisfaction
                else "",
            )
            for p in projects
        ),
    )


def indicator_rows(
    indicators: list[Any],
    actuals: dict[int, list[Any]],
    change_forms: dict[int, Any],
    csrf: str = "",
    *,
    may_change: bool = False,
) -> SafeString:
    kinds = dict(IndicatorKind.choices)
    states = dict(ActualState.choices)
    l_warn, l_month, l_change = _("进度预警"), _("%(m)d月"), _("依决定调整指标")
    nophoto = badge_html(_("照片无拍摄时间或地点信息"), "warning")
    state_badges = {k: badge_html(v, TONES[k]) for k, v in states.items()}
    # Reversed once: "/livelihood/actuals/" (the report's id and "/" follow).
    actual_url = reverse("livelihood:actual_detail", args=[0]).removesuffix("0/")
    out = []
    for i in indicators:
        in_use = i.actual_in_use if i.kind == IndicatorKind.IN_USE else None
        prog = rules.progress(i.target, i.actual, in_use)
        reports = format_html_join(
            "",
            '<li><a href="{}">{}</a> {} {} {}</li>',
            (
                (
                    f"{actual_url}{a.pk}/",
                    l_month % {"m": a.month},
                    rules.number(a.value),
                    state_badges[a.state],
                    nophoto if a.unreadable else "",
                )
                for a in actuals.get(i.pk, [])
            ),
        )
        form = change_forms.get(i.pk)
        change = (
            format_html(
                "<details><summary>{}</summary>{}</details>",
                l_change,
                _form(
                    reverse("livelihood:indicator_change", args=[i.pk]),
                    form,
                    ["decision", "reason", "target", "unit", "plan"],
                    l_change,
                    csrf,
                ),
            )
            if form is not None
            else (
                format_html('<a href="?change={}#indicator-{}">{}</a>', i.pk, i.pk, l_change)
                if may_change
                else ""
            )
        )
        out.append(
            format_html(
                '<tr id="indicator-{}"{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
                "<td><ul>{}</ul>{}</td></tr>",
                i.pk,
                mark_safe(' class="danger"') if i.warned_gap is not None else "",
                i.name,
                kinds.get(i.kind, i.kind),
                rules.rollup_text(prog, i.unit),
                badge_html(l_warn, "danger") if i.warned_gap is not None else "",
                reports,
                change,
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - each row built by format_html


def photo_rows(photos: list[Any]) -> SafeString:
    l_unread, l_public = _("未读到拍摄时间或地点（已接收，已标注）"), _("公开")
    return format_html_join(
        "",
        '<li><a href="{}">{}</a> {} {} {}</li>',
        (
            (
                reverse("attachments:download", args=[p.attachment_id]),
                p.attachment.original_name,
                p.taken_at.strftime("%Y-%m-%d %H:%M") if p.taken_at else "",
                f"{p.latitude}, {p.longitude}" if p.latitude is not None else "",
                badge_html(l_unread, "warning")
                if not p.readable
                else (badge_html(l_public, "success") if p.public else ""),
            )
            for p in photos
        ),
    )


def figure_rows(data: Any) -> SafeString:
    l_done, l_going, l_warn = _("完成"), _("实施中"), _("预警")
    out = []
    badges = {
        "warn": badge_html(l_warn, "danger"),
        True: badge_html(l_done, "success"),
        False: badge_html(l_going, "neutral"),
    }
    # Reversed once: "/livelihood/projects/" (the project's id and "/" follow).
    project_url = reverse("livelihood:project_detail", args=[0]).removesuffix("0/")
    for p in data.projects:
        url = f"{project_url}{p.id}/"
        for n, i in enumerate(p.indicators):
            out.append(
                format_html(
                    "<tr><td>{}</td><td>{}</td><td>{}</td>"
                    '<td><a href="{}#indicator-{}">{}</a></td><td>{}</td></tr>',
                    format_html('<a href="{}">{}</a>', url, p.title) if n == 0 else "",
                    p.responsible if n == 0 else "",
                    i.name,
                    url,
                    i.id,
                    i.text,
                    badges["warn"] if i.warned else badges[i.progress.done],
                )
            )
    return mark_safe("".join(out))  # noqa: S308 - each row built by format_html


def public_rows(data: Any, photos: dict[int, list[Any]]) -> SafeString:
    out = []
    for p in data.projects:
        items = format_html_join("", "<li>{}：{}</li>", ((i.name, i.text) for i in p.indicators))
        pics = format_html_join(
            "",
            '<img src="{}" alt="{}" loading="lazy" width="160">',
            (
                (reverse("livelihood:public_photo", args=[ph.pk]), p.title)
                for ph in photos.get(p.id, [])
            ),
        )
        out.append(
            format_html(
                "<article><h2>{}. {}</h2><p>{}</p><ul>{}</ul><div>{}</div></article>",
                p.number,
                p.title,
                p.responsible,
                items,
                pics,
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - each block built by format_html
