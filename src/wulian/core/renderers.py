"""The form renderer: Django's template renderer, except for `<select>`, `<input>` (check
boxes included) and `<textarea>`, which it writes directly. Django renders each `<option>`
through two template includes; a filter form with a few hundred options (the sessions of
every congress of a province) spent ~20 ms of a 40 ms ledger page there. The HTML is the
same as Django's templates make (tested)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from wulian.core.escaping import esc

# A lazy option label (a choice's `_("…")`) escaped once per process and language: keyed by
# the label object, which the entry keeps alive (its id is never reused while cached), so a
# form's copied choices still hit; the catalogues do not change while a process runs.
_LAZY_LABELS: dict[tuple[int, str | None], tuple[Any, str]] = {}


def option_label(label: Any) -> str:
    """`esc(label)`, a lazy label's once per process and language (~70 a ledger page)."""
    if not isinstance(label, Promise):
        return esc(label)
    key = (id(label), get_language())
    hit = _LAZY_LABELS.get(key)
    if hit is None or hit[0] is not label:
        hit = _LAZY_LABELS[key] = (label, esc(label))
    return hit[1]


SELECT_TEMPLATE = "django/forms/widgets/select.html"
# The widgets whose template is only `{% include "django/forms/widgets/input.html" %}`.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in (
        "input",
        "text",
        "number",
        "search",
        "email",
        "url",
        "tel",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "color",
        "checkbox",  # `{% include "django/forms/widgets/input.html" %}` too
    )
)
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
# Radio buttons and check boxes: `multiple_input.html` with an `input_option.html` per option
# (through `radio_option.html` / `checkbox_option.html`), ~20 node renders an option.
MULTIPLE_INPUT_TEMPLATES = frozenset(
    ("django/forms/widgets/radio.html", "django/forms/widgets/checkbox_select.html")
)
INPUT_OPTION_TEMPLATES = frozenset(
    ("django/forms/widgets/radio_option.html", "django/forms/widgets/checkbox_option.html")
)


def _attrs(attrs: dict[str, Any]) -> str:
    """As `django/forms/widgets/attrs.html`: True is the bare name, False is left out."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {name}")
        else:
            out.append(f' {name}="{esc(str(value))}"')
    return "".join(out)


def select_html(widget: dict[str, Any]) -> SafeString:
    parts = [f'<select name="{esc(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{esc(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{esc(str(option["value"]))}"'
                f"{_attrs(option['attrs'])}>{esc(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)


def input_html(widget: dict[str, Any]) -> SafeString:
    value = widget["value"]
    shown = "" if value is None else f' value="{esc(str(value))}"'
    return mark_safe(  # noqa: S308 (every value is escaped)
        f'<input type="{esc(widget["type"])}" '
        f'name="{esc(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def textarea_html(widget: dict[str, Any]) -> SafeString:
    value = widget["value"]
    return mark_safe(  # noqa: S308 (every value is escaped)
        f'<textarea name="{esc(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{esc(str(value)) if value else ''}</textarea>"
    )


def _text(value: Any) -> str:
    """`{{ value }}` in Django's widget templates: the value as a string, escaped."""
    return esc(value if isinstance(value, str) else str(value))


def multiple_input_html(widget: dict[str, Any]) -> SafeString:
    """As `multiple_input.html` with Django's option templates: each option an `<input>` (with
    input.html's line end) in its `<label>`, followed by the two option templates' line ends."""
    attrs = widget["attrs"]
    id_, css = attrs.get("id"), attrs.get("class")
    parts = [
        "<div",
        f' id="{_text(id_)}"' if id_ else "",
        f' class="{_text(css)}"' if css else "",
        ">",
    ]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f"\n  <div><label>{_text(group_name)}</label>")
        for option in options:
            html = input_html(option) + "\n"
            if option["wrap_label"]:
                option_id = option["attrs"].get("id")
                label_for = f' for="{_text(option_id)}"' if option_id else ""
                html = f"<label{label_for}>{html} {option_label(option['label'])}</label>"
            parts.append(f"<div>\n    {html}\n\n</div>")
        if group_name:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)


def bound_select_html(bf: Any) -> SafeString | None:
    """A bound field's `<select>` (a plain `forms.Select`, one value, no option groups) drawn
    straight from its choices: the same HTML as `str(bf)` (as_widget, get_context, optgroups,
    create_option and `select_html`) without a context dict per option — ~70 options on every
    ledger page. None for any other field (the caller then uses `str(bf)`)."""
    field = bf.field
    widget = field.widget
    if (
        type(widget) is not forms.Select
        or widget.template_name != SELECT_TEMPLATE
        or widget.option_template_name != OPTION_TEMPLATE
        or field.show_hidden_initial
        or field.localize
    ):
        return None
    attrs = bf.build_widget_attrs({}, widget)
    if bf.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bf.auto_id)
    value = widget.format_value(bf.value())
    parts = [
        f'<select name="{esc(bf.html_name)}"{_attrs(widget.build_attrs(widget.attrs, attrs))}>'
    ]
    has_selected = False
    for option_value, label in widget.choices:
        if isinstance(label, (list, tuple)):
            return None  # option groups: Django's way
        if option_value is None:
            option_value = ""
        option_value = str(option_value)
        selected = not has_selected and option_value in value
        has_selected |= selected
        parts.append(
            f'\n  <option value="{esc(option_value)}"{" selected" if selected else ""}>'
            f"{option_label(label)}</option>\n"
        )
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)


def widget_html(bf: Any) -> SafeString:
    """`str(bf)`: the bound field's widget, a `<select>` by `bound_select_html`."""
    html = bound_select_html(bf)
    return str(bf) if html is None else html


class FormRenderer(DjangoTemplates):
    @property
    def bound_field_class(self) -> type:
        """Every form's fields: a single possible choice preselected (formkit)."""
        from wulian.core.formkit import PreselectBoundField

        return PreselectBoundField

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == SELECT_TEMPLATE and all(
            option["template_name"] == OPTION_TEMPLATE
            for _name, options, _index in context["widget"]["optgroups"]
            for option in options
        ):
            return select_html(context["widget"])
        if template_name in INPUT_TEMPLATES:
            return input_html(context["widget"])
        if template_name == TEXTAREA_TEMPLATE:
            return textarea_html(context["widget"])
        if template_name in MULTIPLE_INPUT_TEMPLATES and all(
            option["template_name"] in INPUT_OPTION_TEMPLATES
            for _name, options, _index in context["widget"]["optgroups"]
            for option in options
        ):
            return multiple_input_html(context["widget"])
        return super().render(template_name, context, request=request)
