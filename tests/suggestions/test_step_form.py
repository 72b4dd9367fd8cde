"""`{% step_form %}` (suggestion_ui.step_form_html) draws what suggestions/_form.html drew, byte
for byte: unbound and with errors (field and non-field), hidden fields, open or not, multipart,
a tone, escaping in the summary and the button (ADR 0018, fourth round)."""

from __future__ import annotations

import pytest
from django import forms
from django.template import engines
from django.utils.safestring import mark_safe

from wulian.suggestions.templatetags.suggestion_ui import step_form_html

OLD = (
    '{% load i18n ui %}<details id="{{ id }}"{% if form.errors or open %} open{% endif %}>'
    "<summary>{{ summary }}</summary>\n"
    '<form method="post" action="{{ action }}"{% if multipart %} enctype="multipart/form-data"'
    "{% endif %} novalidate>{% csrf_token %}\n"
    '  {% include "components/form_errors.html" %}\n'
    "  {% for hidden in form.hidden_fields %}{{ hidden }}{% endfor %}\n"
    "  {% for field in form.visible_fields %}{% form_row field %}{% endfor %}\n"
    '  <button type="submit" class="{{ tone|default:\'primary\' }}">{{ button }}</button>\n'
    "</form></details>\n"
)


class Sample(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="说明 <b>", widget=forms.Textarea, help_text="写清楚 & 简短")
    kind = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙 <i>")], required=False)
    agree = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("note") == "refuse":
            raise forms.ValidationError("已被他人修改 <请刷新>")
        return data


FORMS = {
    "unbound": lambda: Sample(initial={"version": 3, "kind": "b"}),
    "field errors": lambda: Sample(data={"version": "x", "note": ""}),
    "non-field error": lambda: Sample(data={"version": "1", "note": "refuse", "kind": "a"}),
}
OPTIONS = [
    {"id": "reply", "summary": "答复 <代表>", "action": "/s/1/reply?a=1&b=2", "button": "发出"},
    {
        "id": "x",
        "summary": mark_safe("免除<b>x</b>"),
        "action": "/a",
        "button": "B",
        "tone": "danger",
    },
    {"id": "y", "summary": "S", "action": "/a", "button": "B", "open": True, "multipart": True},
    {"id": "z", "summary": "S", "action": "/a", "button": "B", "open": "", "tone": ""},
]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("token", ["tok&en", "NOTPROVIDED", None])
@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("which", sorted(FORMS))
def test_step_form_is_the_template_it_replaces(which, options, token):
    template = engines["django"].from_string(OLD)
    context = {"form": FORMS[which](), **options}
    if token is not None:
        context["csrf_token"] = token
    old = template.render(context)
    new = step_form_html(FORMS[which](), csrf_token=token, **options)
    assert new == old
