"""A suggestion's page, its handling sections drawn in Python (ADR 0018, issue 21): the
documents, assignments, deadlines, contacts, co-unit opinions, waivers, replies and verdicts.
Each was a `{% for %}` of `{% if %}`s, `{% translate %}`s and `|date`s in
suggestions/suggestion_detail.html, ~100–200 node renders a page; here they are one call
(`{% handling_sections h documents %}`). The HTML is the template's, byte for byte
(tests/core/test_render_output.py): the same escaping (`html_format`: a translation of a
literal trusted, everything else escaped), the same local times and line ends."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.defaultfilters import linebreaks_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from wulian.core import punctuation
from wulian.core.escaping import esc, html_format
from wulian.core.templatetags.ui import badge_html, choice_label


def _(message: str) -> SafeString:
    """`{% translate "…" %}` of a literal: trusted, not escaped."""
    return mark_safe(gettext(message))  # noqa: S308


def _blocktranslate(message: str, **values: Any) -> SafeString:
    """`{% blocktranslate with k=v %}…{% endblocktranslate %}`: the translation not escaped,
    each value as `{{ v }}` writes it (escaped)."""
    return mark_safe(gettext(message) % {k: esc(_text(v)) for k, v in values.items()})  # noqa: S308


def _text(value: Any) -> Any:
    """A value as the engine writes it before escaping: a string as it is, a number localized."""
    return value if isinstance(value, str) else str(localize(value))


def _local(at: Any) -> Any:
    if isinstance(at, dt.datetime) and timezone.is_aware(at):
        return timezone.localtime(at)
    return at


def _minute(at: Any) -> str:
    """`|date:"Y-m-d H:i"` (local time)."""
    if at is None or at == "":
        return ""
    at = _local(at)
    return f"{at.year:04d}-{at.month:02d}-{at.day:02d} {at.hour:02d}:{at.minute:02d}"


def _day(at: Any) -> str:
    """`|date:"Y-m-d"` (local time)."""
    if at is None or at == "":
        return ""
    at = _local(at)
    return f"{at.year:04d}-{at.month:02d}-{at.day:02d}"


def _iso(at: Any) -> str:
    """`|date:'c'` (local time)."""
    if at is None or at == "":
        return ""
    return _local(at).isoformat()


def _name(m: Any) -> Any:
    """`{{ m.name }}` of a missing opinion (a dict in `Reply.opinions_missing`)."""
    if isinstance(m, dict):
        return m.get("name", "")
    return getattr(m, "name", "")


def provisional_html() -> SafeString:
    """components/provisional.html: the 暂定 badge (and that file's line end)."""
    return html_format(
        '<span class="badge badge-warning" title="{}">{}</span>\n',
        _("下一年的节假日安排尚未录入：暂按周末和法定节假日计算，录入并标记完整后重新计算并通知。"),
        _("暂定"),
    )


def _download(pk: Any) -> str:
    return reverse("attachments:download", args=[pk])


def documents_html(documents: Any) -> str:
    if not documents:
        return ""
    items = "".join(
        html_format('<li><a href="{}" download>{}</a></li>', d["url"], d["label"])
        for d in documents
    )
    return html_format(
        '<section id="documents" aria-labelledby="documents-title">'
        '<h2 id="documents-title">{}</h2>\n<ul class="plain">{}</ul></section>',
        _("文书"),
        mark_safe(items),  # noqa: S308 (html_format's)
    )


ASSIGNMENT_ROW = (
    "<tr>\n"
    '  <td data-label="{}">{}</td>\n'
    '  <td data-label="{}">{}</td>\n'
    '  <td data-label="{}">{}</td>\n'
    '  <td data-label="{}">{}{}{}{}</td>\n'
    "</tr>"
)


def assignments_html(assignments: Any) -> str:
    if not assignments:
        return ""
    labels = [_("承办单位"), _("承办方式"), _("交办时间"), _("状态")]
    rows = []
    for a in assignments:
        settled = ""
        if a.settled_at:
            settled = html_format(
                " · {}",
                _blocktranslate("已改由%(unit)s会办", unit=a.replaced_by.unit.name)
                if a.replaced_by
                else _("不再另行指定会办单位"),
            )
        rows.append(
            html_format(
                ASSIGNMENT_ROW,
                labels[0],
                a.unit.name,
                labels[1],
                choice_label(a, "role"),
                labels[2],
                _minute(a.assigned_at),
                labels[3],
                choice_label(a, "status"),
                html_format(" {}", _minute(a.received_at)) if a.received_at else "",
                html_format(" · {}{}", _("退回理由："), a.sent_back_reason)
                if a.sent_back_reason
                else "",
                settled,
            )
        )
    return html_format(
        '<section aria-labelledby="assign-title"><h2 id="assign-title">{}</h2>\n'
        '<table class="data"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n'
        "<tbody>{}</tbody></table></section>",
        _("交办"),
        *labels,
        mark_safe("".join(rows)),  # noqa: S308 (html_format's)
    )


DEADLINE_ROW = (
    "<tr>\n"
    '  <td data-label="{}"><a href="{}">{}</a></td>\n'
    '  <td data-label="{}"><time datetime="{}">{}</time>{}</td>\n'
    '  <td data-label="{}">{}</td>\n'
    "</tr>"
)


def deadlines_html(deadlines: Any, extensions: Any) -> str:
    if not deadlines:
        return ""
    from wulian.core.deadlines.templatetags.deadlines import deadline_title

    labels = [_("事项"), _("截止时间"), _("状态")]
    rows = "".join(
        html_format(
            DEADLINE_ROW,
            labels[0],
            reverse("deadlines:detail", args=[d.pk]),
            deadline_title(d.title),
            labels[1],
            _iso(d.due_at),
            _minute(d.due_at),
            html_format(" {}", provisional_html()) if d.provisional else "",
            labels[2],
            choice_label(d, "state"),
        )
        for d in deadlines
    )
    asked = "".join(
        html_format(
            '<p class="help">{} · {}</p>',
            _blocktranslate(
                "延期申请：延至 %(due)s（%(decision)s）",
                due=_day(e.new_due_at),
                decision=choice_label(e, "decision"),
            ),
            e.reason,
        )
        for e in extensions or ()
    )
    return html_format(
        '<section aria-labelledby="deadline-title"><h2 id="deadline-title">{}</h2>\n'
        '<table class="data"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n'
        "<tbody>{}</tbody></table>\n{}\n</section>",
        _("办理期限"),
        *labels,
        mark_safe(rows),  # noqa: S308 (html_format's)
        mark_safe(asked),  # noqa: S308 (html_format's)
    )


def contacts_html(contacts: Any) -> str:
    if not contacts:
        return ""
    items = "".join(
        html_format(
            '<li><p><strong>{}</strong> · <time datetime="{}">{}</time> · {} · {}</p>'
            '<div class="notes">{}</div></li>',
            choice_label(c, "method"),
            _iso(c.contacted_at),
            _minute(c.contacted_at),
            c.assignment.unit.display_name,
            c.deputy.name,
            linebreaks_filter(c.agreed),
        )
        for c in contacts
    )
    return html_format(
        '<section aria-labelledby="contact-title"><h2 id="contact-title">{}</h2>\n'
        '<ol class="plain">{}</ol></section>',
        _("联系代表情况"),
        mark_safe(items),  # noqa: S308 (html_format's)
    )


def opinions_html(opinions: Any) -> str:
    if not opinions:
        return ""
    items = "".join(
        html_format(
            '<li><p><strong>{}</strong> · {} · {}</p><div class="notes">{}</div></li>',
            o.assignment.unit.name,
            _blocktranslate("第 %(n)s 轮", n=o.round),
            _minute(o.submitted_at),
            linebreaks_filter(o.text),
        )
        for o in opinions
    )
    return html_format(
        '<section aria-labelledby="opinion-title"><h2 id="opinion-title">{}</h2>\n'
        '<ol class="plain">{}</ol></section>',
        _("会办意见"),
        mark_safe(items),  # noqa: S308 (html_format's)
    )


def waivers_html(waivers: Any) -> str:
    if not waivers:
        return ""
    reason = _("免除理由：")
    items = "".join(
        html_format(
            "<li><strong>{}</strong> · {} · {} · {}{}</li>",
            w.assignment.unit.name,
            _blocktranslate("第 %(n)s 轮", n=w.round),
            _minute(w.waived_at),
            reason,
            w.reason,
        )
        for w in waivers
    )
    return html_format(
        '<section aria-labelledby="waiver-title"><h2 id="waiver-title">{}</h2>\n'
        '<ul class="plain">{}</ul></section>',
        _("免除的会办意见"),
        mark_safe(items),  # noqa: S308 (html_format's)
    )


REPLY = (
    '<article class="reply" id="reply-{}"><h3>{} · {}</h3>\n'
    "<p>{} · {}{} · {}{}{}</p>\n"
    '<div class="notes">{}</div>\n'
    "{}\n"
    "{}\n"
    "</article>"
)


def replies_html(replies: Any) -> str:
    if not replies:
        return ""
    articles = []
    for r in replies:
        missing = r.opinions_missing
        articles.append(
            html_format(
                REPLY,
                _text(r.round),
                _("答复函") if r.round == 1 else _blocktranslate("第 %(n)s 次答复", n=r.round),
                choice_label(r, "category"),
                r.unit.name,
                _("签发人："),
                r.signer,
                _minute(r.sent_at),
                html_format(" · {}", _("当面答复")) if r.face_to_face else "",
                html_format(" {}", badge_html(_("逾期答复"), "danger")) if not r.on_time else "",
                linebreaks_filter(r.text),
                html_format(
                    '<p class="help missing-opinions">{}{}</p>',
                    _("答复时未收到会办意见（会办期限已过）："),
                    mark_safe(  # noqa: S308 (each name escaped)
                        (", " if punctuation.english() else "、").join(
                            esc(_text(_name(m))) for m in missing
                        )
                    ),
                )
                if missing
                else "",
                mark_safe(  # noqa: S308 (html_format's)
                    "".join(
                        html_format(
                            '<p>{}<a href="{}" download>{}</a></p>',
                            _("附件："),
                            _download(a.pk),
                            a.original_name,
                        )
                        for a in r.attached
                    )
                ),
            )
        )
    return html_format(
        '<section aria-labelledby="reply-title"><h2 id="reply-title">{}</h2>\n{}</section>',
        _("答复"),
        mark_safe("".join(articles)),  # noqa: S308 (html_format's)
    )


def verdicts_html(verdicts: Any) -> str:
    if not verdicts:
        return ""
    colon = ": " if punctuation.english() else "："
    attitude, result = _("办理态度"), _("办理结果")
    items = "".join(
        html_format(
            "<li>{}{}{} {} · {} {}{} · {}</li>",
            _blocktranslate("第 %(n)s 次答复", n=v.reply.round),
            colon,
            attitude,
            choice_label(v, "on_attitude"),
            result,
            choice_label(v, "on_result"),
            html_format(" · {}", v.comment) if v.comment else "",
            _day(v.given_at),
        )
        for v in verdicts
    )
    return html_format(
        '<section aria-labelledby="verdict-title"><h2 id="verdict-title">{}</h2>\n'
        '<ul class="plain">{}</ul></section>',
        _("代表评价"),
        mark_safe(items),  # noqa: S308 (html_format's)
    )


def handling_sections_html(h: Any, documents: Any) -> SafeString:
    """From the documents to the verdicts, with the blank lines between the sections that the
    template had."""
    return mark_safe(  # noqa: S308 (each part html_format's)
        documents_html(documents)
        + "\n\n"
        + assignments_html(h.assignments)
        + "\n\n"
        + deadlines_html(h.deadlines, h.extensions)
        + "\n\n"
        + contacts_html(h.contacts)
        + "\n\n"
        + opinions_html(h.opinions)
        + "\n"
        + waivers_html(h.waivers)
        + "\n\n"
        + replies_html(h.replies)
        + "\n\n"
        + (verdicts_html(h.verdicts) if h.may_see_verdicts else "")
    )


def _name_of(thing: Any) -> Any:
    """`{{ thing.name }}`: "" when there is no thing (the engine's silent failure)."""
    return "" if thing is None else thing.name


def facts_html(s: Any, cosigners: Any, verdict_deadline: Any, verdict_overdue: Any) -> SafeString:
    """The suggestion's facts (`<dl class="facts">`): number, category, deputies, submission,
    review, lead unit, assignment, contact, reply and verdict deadlines, key supervision,
    withdrawal, publication — each line only when it applies."""
    from django.template.defaultfilters import linebreaksbr

    overdue = html_format(" {}", badge_html(_("逾期"), "danger"))
    lines = [
        html_format(
            '<dl class="facts">\n'
            "  <dt>{}</dt><dd>{} {}</dd>\n"
            "  <dt>{}</dt><dd>{} · {}</dd>\n"
            "  <dt>{}</dt><dd>{}</dd>\n  ",
            _("编号"),
            s.session.name,
            s.number_label,
            _("类别"),
            choice_label(s, "category"),
            choice_label(s, "raised_during"),
            _("领衔代表"),
            s.lead_deputy.name,
        )
    ]
    if cosigners:
        sep = ", " if punctuation.english() else "、"
        lines.append(
            html_format(
                "<dt>{}</dt><dd>{}</dd>",
                _("附议代表"),
                mark_safe(sep.join(esc(_text(c.person.name)) for c in cosigners)),  # noqa: S308
            )
        )
    submitter = s.submitter
    lines.append(
        html_format(
            "\n  <dt>{}</dt><dd>{}{}</dd>\n  ",
            _("提交"),
            _minute(s.submitted_at),
            html_format("（{}）", _blocktranslate("%(name)s代为提交", name=submitter.name))
            if submitter and submitter.pk != s.lead_deputy_id
            else "",
        )
    )
    if s.reviewed_at:
        lines.append(
            html_format(
                "<dt>{}</dt><dd>{}{}</dd>",
                _("审查"),
                _minute(s.reviewed_at),
                html_format(" · {}{}", _("不予立案："), choice_label(s, "not_accepted_reason"))
                if s.not_accepted_reason
                else "",
            )
        )
    lines.append("\n  ")
    if s.not_accepted_note:
        lines.append(
            html_format("<dt>{}</dt><dd>{}</dd>", _("说明"), linebreaksbr(s.not_accepted_note))
        )
    lines.append("\n  ")
    if s.lead_unit:
        lines.append(html_format("<dt>{}</dt><dd>{}</dd>", _("主办单位"), s.lead_unit.name))
    lines.append("\n  ")
    if s.assigned_at:
        lines.append(html_format("<dt>{}</dt><dd>{}</dd>", _("交办时间"), _minute(s.assigned_at)))
    lines.append("\n  ")
    if s.contact_due_at:
        lines.append(
            html_format(
                '<dt>{}</dt><dd>{} · {} <time datetime="{}">{}</time>{}</dd>',
                _("联系代表"),
                _minute(s.first_contact_at) if s.first_contact_at else _("尚未联系"),
                _("期限"),
                _iso(s.contact_due_at),
                _minute(s.contact_due_at),
                overdue if s.contact_overdue else "",
            )
        )
    lines.append("\n  ")
    if s.reply_due_at:
        lines.append(
            html_format(
                '<dt>{}</dt><dd><time datetime="{}">{}</time>{}</dd>',
                _("答复期限"),
                _iso(s.reply_due_at),
                _day(s.reply_due_at),
                overdue if s.reply_overdue else "",
            )
        )
    lines.append("\n  ")
    if verdict_deadline:
        if verdict_overdue:
            state = overdue
        elif verdict_deadline.state == "paused":
            state = html_format(" {}", badge_html(_("已暂停"), "info"))
        else:
            state = ""
        lines.append(
            html_format(
                '<dt>{}</dt><dd><time datetime="{}">{}</time>{}{}</dd>',
                _("评价期限"),
                _iso(verdict_deadline.due_at),
                _day(verdict_deadline.due_at),
                html_format(" {}", provisional_html()) if verdict_deadline.provisional else "",
                state,
            )
        )
    lines.append("\n  ")
    if s.is_key:
        lines.append(
            html_format(
                "<dt>{}</dt><dd>{}{} · {} {}</dd>",
                _("重点督办"),
                _("督办领导："),
                _name_of(s.key_leader),
                _("主任会议确定于"),
                _day(s.key_decided_on),
            )
        )
    lines.append("\n  ")
    if s.withdrawn_at:
        lines.append(
            html_format(
                "<dt>{}</dt><dd>{} · {}</dd>",
                _("撤回"),
                _minute(s.withdrawn_at),
                linebreaksbr(s.withdrawal_statement),
            )
        )
    lines.append("\n  ")
    if s.public:
        lines.append(
            html_format(
                '<dt>{}</dt><dd><a href="{}">{}</a></dd>',
                _("公开"),
                reverse("suggestions:public_detail", args=[s.pk]),
                _("已在公开页面发布"),
            )
        )
    lines.append("\n</dl>")
    return mark_safe("".join(lines))  # noqa: S308 (each part html_format's)
