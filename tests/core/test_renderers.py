"""The form renderer writes `<select>` itself (Django's templates cost a template per option):
what it writes must be exactly what Django's templates write, escaping included."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates

from wulian.core.renderers import FormRenderer


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "—"), ("a", "甲 & <乙>"), ('b"', "丙")])
    grouped = forms.ChoiceField(
        choices=[("", "—"), ("组 <一>", [("1", "一"), ("2", "二")]), ("3", "三")],
        widget=forms.Select(attrs={"data-autosubmit": True, "hidden": False, "class": 'x"y'}),
    )
    many = forms.MultipleChoiceField(choices=[(str(n), f"第{n}号") for n in range(5)])
    number = forms.TypedChoiceField(choices=[(1, "一"), (2, "二")], coerce=int)
    text = forms.CharField(
        widget=forms.TextInput(attrs={"placeholder": '名称 "<x>"', "required": True})
    )
    count = forms.IntegerField(min_value=1)
    hidden = forms.CharField(widget=forms.HiddenInput)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))


def both(form: forms.Form, name: str) -> tuple[str, str]:
    field = form[name]
    widget = field.field.widget
    attrs = {"id": field.auto_id}
    return tuple(
        str(widget.render(field.html_name, field.value(), attrs, renderer=renderer))
        for renderer in (DjangoTemplates(), FormRenderer())
    )


def test_the_select_is_written_as_django_writes_it():
    filled = {
        "plain": "a",
        "grouped": "2",
        "many": ["1", "3"],
        "number": "2",
        "text": 'a&"b',
        "count": "3",
        "hidden": "<h>",
        "when": "2026-11-25",
        "secret": "p'w",
    }
    for data in ({}, filled):
        form = Choices(data or None)
        for name in form.fields:
            django_html, ours = both(form, name)
            assert ours == django_html, name


def test_the_project_uses_the_renderer():
    assert "<option" in str(Choices()["plain"])
    from django.conf import settings

    assert settings.FORM_RENDERER == "wulian.core.renderers.FormRenderer"
