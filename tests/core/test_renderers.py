"""The form renderer writes `<select>`, `<input>` and `<textarea>` itself (Django's templates
cost a template per option): what it writes must be exactly what Django's templates write,
escaping included."""

from __future__ import annotations

import pytest
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
    agree = forms.BooleanField(required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "placeholder": '"<说明>"'}))
    kind = forms.ChoiceField(
        choices=[("a", "甲 & <乙>"), ('b"', "丙"), (3, "三")], widget=forms.RadioSelect
    )
    grouped_kind = forms.ChoiceField(
        choices=[("组 <一>", [("1", "一"), ("2", "二")]), ("3", "三")],
        widget=forms.RadioSelect(attrs={"class": 'x"y', "data-x": True}),
        required=False,
    )
    marks = forms.MultipleChoiceField(
        choices=[("p", "甲"), ("q", "乙 <b>")], widget=forms.CheckboxSelectMultiple
    )


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
        "agree": "on",
        "note": '第一行 <b>&</b>\n"第二行"',
        "kind": 'b"',
        "grouped_kind": "2",
        "marks": ["p", "q"],
    }
    for data in ({}, filled):
        form = Choices(data or None)
        for name in form.fields:
            django_html, ours = both(form, name)
            assert ours == django_html, name


def test_radio_buttons_and_check_boxes_are_written_as_django_writes_them():
    form = Choices({"kind": "a", "marks": ["q"]})
    for name in ("kind", "grouped_kind", "marks"):
        widget = form[name].field.widget
        for attrs in ({"id": "id_" + name}, {}):
            django_html, ours = (
                str(widget.render(name, form[name].value(), attrs, renderer=renderer))
                for renderer in (DjangoTemplates(), FormRenderer())
            )
            assert ours == django_html, (name, attrs)
    assert "<label" in ours


def test_the_project_uses_the_renderer():
    assert "<option" in str(Choices()["plain"])
    from django.conf import settings

    assert settings.FORM_RENDERER == "wulian.core.renderers.FormRenderer"


# The form row as it was a template (ADR 0018 moved it to `ui.form_row_html`; one definition).
FORM_ROW_TEMPLATE = """\
<div class="form-row{% if field.errors %} has-error{% endif %}">
  <label for="{{ field.id_for_label }}">{{ field.label }}{% if field.field.required %}<span class="req" aria-hidden="true">*</span>{% endif %}</label>
  {{ field }}
  {% if field.help_text %}<p class="help" id="{{ field.auto_id }}_helptext">{{ field.help_text }}</p>{% endif %}
  {% for error in field.errors %}<p class="field-error" role="alert">{{ error }}</p>{% endfor %}
</div>
"""  # noqa: E501


class Rows(forms.Form):
    name = forms.CharField(label="名称 <x> & “y”", help_text="最多 <b>20</b> 字", max_length=3)
    note = forms.CharField(widget=forms.Textarea, required=False, help_text="")
    agree = forms.BooleanField(label="同意")
    kind = forms.ChoiceField(choices=[("a", "甲")], required=False)

    def clean(self):
        self.add_error("kind", "类别 <不对> & 再选")
        return self.cleaned_data


def test_the_form_row_is_written_as_its_template_wrote_it():
    from django.template import Context, Template
    from django.template.loader import render_to_string

    from wulian.core.templatetags.ui import form_row_html

    template = Template(FORM_ROW_TEMPLATE)
    for data in (None, {"name": "太长的名字", "note": "<p>"}):
        form = Rows(data)
        form.is_valid() if data else None
        for field in form:
            expected = template.render(Context({"field": field}))
            assert form_row_html(field) == expected, field.name
            assert render_to_string("components/form_row.html", {"field": field}) == expected
    assert "has-error" in form_row_html(Rows({"name": "太长的名字"})["name"])


def test_the_timeline_is_written_as_its_template_wrote_it():
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from django.template import engines
    from django.utils import translation

    from wulian.core.templatetags.ui import timeline_html

    old = engines["django"].from_string(TIMELINE_TEMPLATE)
    events = [
        SimpleNamespace(
            at=datetime(2026, 6, 15, 2, 30, tzinfo=UTC),
            actor_label="张三 <x> & “y”",
            action="suggestions.suggestion.accepted",
            after={"status": "accepted"},
            after_data={"status": "accepted", "note": "<b>&</b>"},
        ),
        SimpleNamespace(
            at=datetime(2026, 12, 31, 17, 0, tzinfo=UTC),
            actor_label="",
            action="no.such.action",
            after=None,
            after_data=None,
        ),
    ]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for given in (events, [], None):
                expected = old.render({"events": given})
                assert timeline_html(given) == expected
    # components/timeline.html draws the history in words now (`ui.history_html`,
    # tests/core/test_history.py); the raw timeline stays for the 技术详情 and the audit pages.


# The timeline as it was a template (ADR 0018 moved it to `ui.timeline_html`).
TIMELINE_TEMPLATE = """\
{% load i18n ui %}<section class="timeline" aria-label="{% translate '记录轨迹' %}">
  <h2>{% translate "记录轨迹" %}</h2>
  {% if events %}<ol>
    {% for ev in events %}<li>
      <time datetime="{{ ev.at|date:'c' }}">{{ ev.at|date:"Y-m-d H:i" }}</time>
      <span class="actor">{{ ev.actor_label|default:_("系统") }}</span>
      <span class="action">{{ ev.action|action_label }}</span>
      {% if ev.after %}<span class="change">{{ ev.after_data|changes }}</span>{% endif %}
    </li>{% endfor %}
  </ol>{% else %}{% include "components/empty.html" with title=_("暂无轨迹") %}{% endif %}
</section>
"""


@pytest.mark.django_db
def test_the_filter_form_is_written_as_its_template_wrote_it():
    from django.template import engines
    from django.test import RequestFactory

    from wulian.suggestions.filters import SuggestionFilter

    old = engines["django"].from_string(FILTERS_TEMPLATE)
    new = engines["django"].get_template("components/filters.html")
    request = RequestFactory().get("/suggestions/")
    for data in ({}, {"q": "<路灯> & “x”", "status": "no-such", "year": "x"}):
        filterset = SuggestionFilter(data)
        filterset.is_valid()
        context = {"filter": filterset, "request": request}
        assert new.render(context) == old.render(context)
    assert "field-error" in new.render(context)


@pytest.mark.django_db
def test_a_filter_field_drawn_once_is_drawn_again_when_its_request_differs():
    """`ui.filter_fields_html` keeps a fixed field's HTML per value and language: each
    drawing is what the field writes; a value, a language, changed choices or attributes
    are drawn anew, never another request's."""
    from django.utils import translation

    from wulian.core.templatetags.ui import _FILTER_FIELDS, filter_field_html, filter_fields_html
    from wulian.suggestions.filters import SuggestionFilter

    def drawn(data, change=None):
        filterset = SuggestionFilter(data)
        filterset.is_valid()
        if change:
            change(filterset.form)
        html = filter_fields_html(filterset.form)
        assert html == "".join(filter_field_html(f) for f in filterset.form)
        return html

    def fewer_choices(form):
        form.fields["status"].choices = [("assigned", "只此一项")]

    def wider(form):
        form.fields["q"].widget.attrs["size"] = "40"

    for language in ("zh-hans", "en"):
        with translation.override(language):
            for _ in range(2):
                first = drawn({})
                assert drawn({"status": "assigned", "q": "<路灯>"}) != first
                assert drawn({"status": "assigned", "is_key": "true", "year": "2026"}) != first
                assert "只此一项" in drawn({}, fewer_choices)
                assert 'size="40"' in drawn({}, wider)
                assert drawn({}) == first
    with translation.override("en"):
        english = drawn({})
    with translation.override("zh-hans"):
        assert drawn({}) != english
        # What people type (a search, a value that is no choice) is not kept.
        kept = len(_FILTER_FIELDS)
        for n in range(5):
            drawn({"q": f"路灯{n}", "is_key": f"x{n}", "status": "assigned"})
        assert len(_FILTER_FIELDS) == kept


# The filter form as it was a template (ADR 0018 drew its fields in `ui.filter_fields_html`).
FILTERS_TEMPLATE = """\
{% load i18n %}<form method="get" class="filters" role="search">
  {% for field in filter.form %}<div class="filter"><label for="{{ field.id_for_label }}">{{ field.label }}</label>{{ field }}{% for e in field.errors %}<span class="field-error">{{ e }}</span>{% endfor %}</div>{% endfor %}
  <button type="submit">{% translate "筛选" %}</button>
  <a href="{{ request.path }}" class="button secondary">{% translate "清除" %}</a>
</form>
"""  # noqa: E501


# --- The bound `<select>` drawn from its choices, and the filter sets built once (issue 21) --


@pytest.mark.parametrize(
    "data",
    [None, {}, {"plain": "a", "number": "2"}, {"plain": 'b"', "grouped": "2"}, {"plain": "zz"}],
)
def test_bound_select_is_what_the_widget_writes(data):
    from wulian.core.renderers import bound_select_html, widget_html

    form = Choices(data)
    form.is_valid()
    drawn = 0
    for field in form:
        html = bound_select_html(field)
        if html is not None:
            drawn += 1
            assert html == str(field)
        assert widget_html(field) == str(field)
    assert drawn == 2  # plain and number; grouped has option groups, many is multiple


def _filtersets():
    from wulian.core.filters import FilterSet

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    return [c for c in walk(FilterSet) if getattr(c._meta, "model", None) is not None]


@pytest.mark.django_db
def test_every_filter_form_draws_its_selects_as_django_does():
    from wulian.core.renderers import bound_select_html
    from wulian.suggestions.filters import SuggestionFilter

    assert SuggestionFilter in _filtersets()
    for cls in _filtersets():
        for data in ({}, {"status": "assigned", "category": "x", "is_key": "true", "q": "<b>"}):
            form = cls(data).form
            form.is_valid()
            for field in form:
                html = bound_select_html(field)
                if html is not None:
                    assert html == str(field), (cls.__name__, field.name)


@pytest.mark.django_db
def test_filter_sets_share_their_prototypes_not_their_state():
    from wulian.suggestions.filters import SuggestionFilter
    from wulian.suggestions.models import Suggestion

    one, two = SuggestionFilter({"q": "路灯"}), SuggestionFilter({"status": "assigned"})
    assert one.filters["q"] is not two.filters["q"]
    assert one.filters["q"].parent is one and two.filters["q"].parent is two
    # A method filter finds its own FilterSet's method.
    assert one.filters["q"].method == "search" and one.is_valid()
    assert one.qs.model is Suggestion
    # The form class is made once; each form has its own fields and choices.
    assert type(one.form) is type(two.form)
    del one.form.fields["verdict"]
    assert "verdict" in two.form.fields and "verdict" in SuggestionFilter({}).form.fields
    status_one, status_two = one.form.fields["status"], two.form.fields["status"]
    assert status_one is not status_two
    assert status_one.choices.field is status_one and status_two.choices.field is status_two
    assert list(status_one.choices) == list(status_two.choices)
    assert two.is_valid() and two.form.cleaned_data["status"] == "assigned"
