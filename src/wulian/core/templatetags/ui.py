"""Template helpers for the shared UI components.

A component drawn inside a loop (a badge in every row) is written in Python with
`format_html` (ADR 0018): one definition, called by the `{% badge %}` tag in templates and by
the Python that draws rows; the escaping is format_html's, the same as a template's."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils import dateformat, timezone
from django.utils.encoding import force_str
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from wulian.core.actions import label_for
from wulian.core.escaping import esc, html_format  # noqa: F401 (the components' escaping)
from wulian.core.formkit import LookupInput
from wulian.core.renderers import widget_html

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return str(label_for(code))


@register.filter
def changes(after: Any) -> str:
    if not isinstance(after, dict):
        return ""
    # In key order: PostgreSQL's jsonb hands keys back by length, SQLite as written (sorted).
    parts = [f"{k}: {v}" for k, v in sorted(after.items())[:6]]
    return ("; " if (get_language() or "").startswith("en") else "；").join(parts)


_CHOICES: dict[tuple[type, str], dict[Any, Any]] = {}


def choice_label(instance: Any, field: str) -> str:
    """`instance.get_<field>_display()` without its cost: Django hashes every (lazy) label of
    the field's choices on each call — one translation each, ~30 a row for three fields. The
    mapping is built once per model and field; the label is translated once, when asked for."""
    value = getattr(instance, instance._meta.get_field(field).attname)
    return choice_value_label(type(instance), field, value)


def choice_value_label(model: Any, field: str, value: Any) -> str:
    """The label of `value` among `model.field`'s choices (`choice_label` without an
    instance: a row read as a tuple)."""
    key = (model, field)
    choices = _CHOICES.get(key)
    if choices is None:
        choices = _CHOICES[key] = dict(model._meta.get_field(field).flatchoices)
    return force_str(choices.get(value, value), strings_only=True)


def badge_html(label: Any, tone: str = "neutral") -> SafeString:
    """`<span class="badge badge-{tone}">{label}</span>`: the badge, its one definition (with
    the line end the template it replaces wrote, so that pages stay byte for byte the same)."""
    return html_format('<span class="badge badge-{}">{}</span>\n', tone or "neutral", label)


@register.simple_tag
def badge(label: Any, tone: str = "neutral") -> SafeString:
    return badge_html(label, tone)


@register.simple_tag
def active_badge(is_active: bool) -> SafeString:
    return badge_html(_("在用") if is_active else _("停用"), "ok" if is_active else "muted")


FORM_ROW = '<div class="form-row{}">\n  <label for="{}">{}{}</label>\n  {}\n  {}\n  {}\n</div>\n'
REQUIRED = mark_safe('<span class="req" aria-hidden="true">*</span>')


def form_row_html(field: Any) -> SafeString:
    """One form field: its label (with * when required), the widget, the help text and the
    errors — the form row, its one definition (`{% form_row field %}`; the template
    components/form_row.html only calls it, for the pages that include it)."""
    errors = field.errors
    help_text = field.help_text
    return html_format(
        FORM_ROW,
        " has-error" if errors else "",
        field.id_for_label,
        field.label,
        REQUIRED if field.field.required else "",
        # str(): the widget (a BoundField's __html__ would render Django's whole field template)
        widget_html(field),
        html_format('<p class="help" id="{}_helptext">{}</p>', field.auto_id, help_text)
        if help_text
        else "",
        mark_safe(  # noqa: S308 (each error escaped by html_format)
            "".join(html_format('<p class="field-error" role="alert">{}</p>', e) for e in errors)
        ),
    )


@register.simple_tag
def form_row(field: Any) -> SafeString:
    return form_row_html(field)


TIMELINE_EVENT = (
    "<li>\n"
    '      <time datetime="{}">{}</time>\n'
    '      <span class="actor">{}</span>\n'
    '      <span class="action">{}</span>\n'
    "      {}\n"
    "    </li>"
)


def _literal(message: str) -> SafeString:
    """A translation as the engine gives `{% translate "…" %}`: trusted, not escaped."""
    return mark_safe(gettext(message))  # noqa: S308


def timeline_html(events: Any) -> SafeString:
    """A record's audit events, newest last (`{% timeline events %}`; the timeline, its one
    definition — components/timeline.html only calls it)."""
    events = list(events or ())
    title = _literal("记录轨迹")
    if events:
        system = _literal("系统")
        items = []
        for ev in events:
            at = timezone.localtime(ev.at) if timezone.is_aware(ev.at) else ev.at
            items.append(
                format_html(
                    TIMELINE_EVENT,
                    dateformat.format(at, "c"),
                    dateformat.format(at, "Y-m-d H:i"),
                    ev.actor_label or system,
                    action_label(ev.action),
                    format_html('<span class="change">{}</span>', changes(ev.after_data))
                    if ev.after
                    else "",
                )
            )
        body = mark_safe("<ol>\n    " + "".join(items) + "\n  </ol>")  # noqa: S308
    else:
        body = format_html(
            '<div class="empty"><p class="empty-title">{}</p></div>\n', _literal("暂无轨迹")
        )
    return format_html(
        '<section class="timeline" aria-label="{}">\n  <h2>{}</h2>\n  {}\n</section>\n',
        title,
        title,
        body,
    )


@register.simple_tag
def timeline(events: Any) -> SafeString:
    return timeline_html(events)


FILTER_FIELD = '<div class="filter"><label for="{}">{}</label>{}{}</div>'


def filter_field_html(field: Any) -> SafeString:
    """One field of a list's filter form: its label, the widget and its errors."""
    return format_html(
        FILTER_FIELD,
        field.id_for_label,
        field.label,
        widget_html(field),  # the widget (see form_row_html)
        format_html_join("", '<span class="field-error">{}</span>', ((e,) for e in field.errors)),
    )


def filter_fields_html(form: Any) -> SafeString:
    """A list's filter form's fields, each a label, the widget and its errors (the loop of
    components/filters.html, drawn here: ~15 fields on every list page). A field whose HTML
    depends only on its definition, the language and the value asked for is drawn once per
    process for each (`_drawn_filter_field`)."""
    return mark_safe("".join(_drawn_filter_field(field) for field in form))  # noqa: S308


# A filter form's `<select>`s of fixed choices, its text boxes and its empty lookup boxes:
# the same for everyone who asks for the same value in the same language (~1.4 ms of every
# ledger page drawn each time: ~200 escapes, ~70 option labels). Keyed by the form's class,
# the field, the language, the field's name and id and the value; the entry keeps what the
# field's HTML is drawn from (label, widget attributes, choices, empty label) and is used only
# while the field still has them — a view that changes a field's choices, label or attributes
# for one request gets its own drawing. Only empty fields and chosen choices are kept (their
# number is bounded by the forms' definitions); typed text, a record's choices (a
# `ModelChoiceField`: read from the database) and a field with errors are drawn each time.
_FILTER_FIELDS: dict[tuple, tuple[tuple, SafeString]] = {}
_FILTER_FIELDS_MAX = 10_000
_FIXED_WIDGETS = (forms.Select, forms.NullBooleanSelect, forms.TextInput, forms.NumberInput)


def _drawn_filter_field(field: Any) -> SafeString:
    f = field.field
    widget = f.widget
    if isinstance(f, forms.ModelChoiceField):
        if not isinstance(widget, LookupInput):
            return filter_field_html(field)  # its choices are read from the database
    elif not isinstance(widget, _FIXED_WIDGETS):
        return filter_field_html(field)
    value = field.value()
    if type(value) not in _PLAIN_VALUES or field.errors:
        return filter_field_html(field)
    choices = getattr(widget, "choices", None)
    if value not in (None, "") and not (
        isinstance(widget, forms.Select) and str(value) in {str(v) for v, _label in choices}
    ):
        # Typed text (a search, a year, a record looked up) or a value that is not one of the
        # choices: drawn each time, so that what people type does not grow the entries.
        return filter_field_html(field)
    if len(_FILTER_FIELDS) >= _FILTER_FIELDS_MAX:  # a bound, should forms multiply
        _FILTER_FIELDS.clear()
    source = (
        (type(choices), getattr(choices, "choices", None))
        if hasattr(choices, "field")  # django-filters' iterator over a fixed list
        else (type(choices), choices)
    )
    made_of = (f.label, widget.attrs, source, getattr(f, "empty_label", None), f.disabled)
    key = (type(field.form), field.name, get_language(), field.html_name, field.auto_id, value)
    hit = _FILTER_FIELDS.get(key)
    if hit is not None and _same(hit[0], made_of):
        return hit[1]
    html = filter_field_html(field)
    _FILTER_FIELDS[key] = (made_of, html)
    return html


_PLAIN_VALUES = frozenset({str, int, bool, type(None)})


def _same(a: tuple, b: tuple) -> bool:
    """The parts a field is drawn from, unchanged: the same label, choices and empty label
    (the same objects: a form's copy of a field shares them), attributes equal."""
    return all(x is y for x, y in zip(a, b, strict=True)) or (
        a[0] is b[0]
        and a[1] == b[1]
        and a[2][0] is b[2][0]
        and (a[2][1] is b[2][1] or (isinstance(a[2][1], list) and a[2][1] == b[2][1]))
        and a[3] is b[3]
        and a[4] == b[4]
    )


@register.simple_tag
def filter_fields(form: Any) -> SafeString:
    return filter_fields_html(form)


# --- The step bar --------------------------------------------------------------------------


def when_text(at: Any) -> str:
    """A moment as people say it in a message: "12月8日 22:07" (local time; "Dec 8, 22:07" in
    English)."""
    if at is None:
        return ""
    return dateformat.format(timezone.localtime(at), gettext("n月j日 H:i"))


def step_bar_html(
    steps: Any, current: int | None, deadline: Any = None, ended: Any = ""
) -> SafeString:
    """The steps of a record's handling in a row (提交 → 审查 → … → 评价): those taken, the
    current one (`aria-current="step"`, with its deadline — "已逾期" once it has passed) and
    those to come. `current`: the index of the step waited for; `len(steps)`: every step taken;
    `ended`: handling stopped at the current step (不予立案, 已撤回), said instead of a deadline.
    One definition for every link's records."""
    items = []
    now = timezone.now()
    for i, label in enumerate(steps):
        if current is None or i < current:
            state, extra, aria = "done", "", ""
        elif i == current and ended:
            state, aria = "ended", ' aria-current="step"'
            extra = format_html('<span class="step-due">{}</span>', ended)
        elif i == current:
            state, aria = "current", ' aria-current="step"'
            if deadline is None:
                extra = ""
            elif deadline < now:
                extra = format_html(
                    '<span class="step-due overdue">{}</span>',
                    gettext("已逾期（截止%(when)s）") % {"when": when_text(deadline)},
                )
            else:
                extra = format_html(
                    '<span class="step-due">{}</span>',
                    gettext("截止%(when)s") % {"when": when_text(deadline)},
                )
        else:
            state, extra, aria = "todo", "", ""
        items.append(
            format_html(
                '<li class="step-{}"{}><span class="step-name">{}</span>{}</li>',
                state,
                mark_safe(aria),  # noqa: S308 (a fixed attribute)
                label,
                extra,
            )
        )
    return format_html(
        '<ol class="step-bar" aria-label="{}">{}</ol>\n',
        gettext("办理进度"),
        mark_safe("".join(items)),  # noqa: S308 (each item escaped by format_html)
    )


@register.simple_tag
def step_bar(steps: Any, current: int | None, deadline: Any = None, ended: Any = "") -> SafeString:
    return step_bar_html(steps, current, deadline, ended)


# --- A record's history in words (core.history) -----------------------------------------------

HISTORY_ENTRY = (
    "<li>\n"
    '      <time datetime="{}">{}</time>\n'
    '      <span class="actor">{}{}</span>\n'
    '      <span class="action">{}</span>\n'
    "      {}\n"
    "    </li>"
)
RAW_EVENT = (
    '<li><code>#{} {} {} {} {}</code> <code class="raw-after">{}</code> '
    '<code class="hash" title="{}">{}</code></li>'
)


def _raw_after(ev: Any) -> str:
    return ev.after or ""


def history_html(events: Any, *, technical: bool = False) -> SafeString:
    """A record's history in words (`{% record_history events %}`): each event's local time,
    the person and organisation, the action and its described fields with values in words;
    with `technical`, the raw chained events under a 技术详情 disclosure."""
    from wulian.core import history

    rows = history.entries(events)
    title = _literal("办理记录")
    # A label and its value, and between two: in Chinese full-width, in English as English.
    english = (get_language() or "").startswith("en")
    pair, between = ("{}: {}", "; ") if english else ("{}：{}", "；")
    if rows:
        items = []
        for row in rows:
            at = timezone.localtime(row.at) if timezone.is_aware(row.at) else row.at
            # format_html's text through html_format (ADR 0018); "c" is the ISO text.
            items.append(
                html_format(
                    HISTORY_ENTRY,
                    at.isoformat(),
                    row.when,
                    html_format('<span class="org">{}</span> ', row.org) if row.org else "",
                    row.who,
                    row.action,
                    html_format(
                        '<span class="change">{}</span>',
                        mark_safe(  # noqa: S308 (each pair escaped by html_format)
                            between.join(html_format(pair, k, v) for k, v in row.details)
                        ),
                    )
                    if row.details
                    else "",
                )
            )
        body = mark_safe("<ol>\n    " + "".join(items) + "\n  </ol>")  # noqa: S308
        if technical:
            raw = format_html_join(
                "\n",
                RAW_EVENT,
                (
                    (
                        r.event.seq,
                        r.event.at.isoformat(),
                        r.event.actor_label or "-",
                        r.event.action,
                        r.event.outcome,
                        _raw_after(r.event),
                        r.event.hash,
                        r.event.hash[:12],
                    )
                    for r in rows
                ),
            )
            body = format_html(
                '{}\n  <details class="tech-details"><summary>{}</summary>'
                '<ol class="raw-events">\n{}\n</ol></details>',
                body,
                _literal("技术详情"),
                raw,
            )
    else:
        body = format_html(
            '<div class="empty"><p class="empty-title">{}</p></div>\n', _literal("暂无记录")
        )
    return format_html(
        '<section class="timeline" aria-label="{}">\n  <h2>{}</h2>\n  {}\n</section>\n',
        title,
        title,
        body,
    )


@register.simple_tag(takes_context=True)
def record_history(context: Any, events: Any) -> SafeString:
    """The history in words; the raw events too for those `core.audit.details` allows."""
    from wulian.core import access

    actor = context.get("actor")
    if actor is None:
        request = context.get("request")
        actor = access.actor_for(getattr(request, "user", None))
    return history_html(events, technical=access.can(actor, "core.audit.details"))


# --- Dates in the reader's language ---------------------------------------------------------

_DATE_FORMATS = {"zh": ("Y年n月j日", "Y年n月j日 H:i"), "en": ("j M Y", "j M Y H:i")}


def local_date_text(value: Any, *, with_time: bool = True) -> str:
    """A date or time in the reader's language and the local time zone: 2026年12月6日 22:07,
    6 Dec 2026 22:07 (not the Chinese format in the English pages)."""
    if value in (None, ""):
        return ""
    import datetime as dt

    formats = _DATE_FORMATS["en" if (get_language() or "").startswith("en") else "zh"]
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return dateformat.format(value, formats[1] if with_time else formats[0])
    return dateformat.format(value, formats[0])


@register.filter
def local_datetime(value: Any) -> str:
    return local_date_text(value)


@register.filter
def local_date(value: Any) -> str:
    return local_date_text(value, with_time=False)


# --- Punctuation between parts, in the reader's language (wulian.core.punctuation) ------------


@register.simple_tag
def colon() -> str:
    """ "：" after a label in Chinese, ": " in English."""
    from wulian.core.punctuation import english

    return ": " if english() else "："


@register.simple_tag
def listsep() -> str:
    """ "、" between a list's items in Chinese, ", " in English."""
    from wulian.core.punctuation import english

    return ", " if english() else "、"


@register.simple_tag
def semicolon() -> str:
    """ "；" between groups in Chinese, "; " in English."""
    from wulian.core.punctuation import english

    return "; " if english() else "；"


@register.simple_tag
def comma() -> str:
    """ "，" in Chinese, ", " in English."""
    from wulian.core.punctuation import english

    return ", " if english() else "，"


@register.simple_tag
def lparen() -> str:
    """ "（" in Chinese, " (" in English (an aside after a name)."""
    from wulian.core.punctuation import english

    return " (" if english() else "（"


@register.simple_tag
def rparen() -> str:
    from wulian.core.punctuation import english

    return ")" if english() else "）"


@register.filter
def listjoin(items: Any) -> str:
    """A list joined in the reader's language (`{{ names|listjoin }}`), each item escaped."""
    from django.utils.html import conditional_escape

    from wulian.core.punctuation import join

    return mark_safe(join(conditional_escape(i) for i in items or ()))  # noqa: S308 (escaped)


# --- The page shell (core.shell) -------------------------------------------------------------


@register.simple_tag(takes_context=True)
def page_header(context: Any) -> SafeString:
    """The skip link and the `<header>` of every page (base.html), drawn in Python."""
    from wulian.core.shell import header_html

    return header_html(context)
