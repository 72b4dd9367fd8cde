"""Form pieces every app's forms share: domain errors shown on the form, the hidden version
field of optimistic locking, the organisation choice labelled by name, and the organisation
lookup (a searchable text field, for lists of thousands of units)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wulian.core.errors import DomainError
from wulian.core.models import Organisation, Person
from wulian.core.querysets import deputies

STALE_FORM = _("页面已过期，您的修改未保存。请刷新页面后再修改。")


def apply_errors(form: forms.Form, exc: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Show a domain error on the form: each field error on its field (model field names are
    mapped through `aliases`), everything else, and the message itself, above the form."""
    aliases = aliases or {}
    shown: set[str] = set()
    general: list[str] = []
    for key, messages in exc.field_errors.items():
        name = aliases.get(key, key)
        for message in messages:
            if name in form.fields and not form.fields[name].widget.is_hidden:
                form.add_error(name, message)
                shown.add(str(message))
            else:
                general.append(str(message))
    if exc.message not in shown:
        general.insert(0, exc.message)
    for message in dict.fromkeys(general):
        form.add_error(None, message)


class OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class OrganisationsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


def organisation_label(org: Organisation) -> str:
    """How a unit is shown in a lookup and typed back: its name and, in brackets, its code
    (names repeat across districts; codes do not)."""
    return f"{org.name} [{org.code}]"


def deputy_label(person: Person) -> str:
    """How a deputy is shown in a lookup and typed back: the name and, in brackets, the
    deputy's certificate number (代表证号; names repeat among thousands of deputies) — or `#id`
    for a deputy whose profile has no number yet."""
    try:
        number = person.deputy.certificate_no
    except Person.deputy.RelatedObjectDoesNotExist:
        number = f"#{person.pk}"
    return f"{person.name} [{number}]"


_CODE_IN_LABEL = re.compile(r"\[([^\[\]]+)\]\s*$")


class LookupInput(forms.TextInput):
    """A search box for one record among thousands: the page sends no list of options (a
    `<select>` of 3,000 units costs ~100 ms to render and 140 KB on every page); the browser's
    suggestion list (`<datalist>`) is filled as the person types, from the lookup URL (app.js).
    Without JavaScript a code or exact name typed in works the same. Made by its `Lookup`
    field, which says where to look and how a record is shown."""

    input_type = "search"

    def __init__(
        self,
        *,
        url_name: str,
        placeholder: str,
        describe: Callable[[Any], str],
        rows: QuerySet,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__({"autocomplete": "off", "placeholder": placeholder, **(attrs or {})})
        self.url_name = url_name
        self.describe = describe
        self.rows = rows

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, models.Model):
            return self.describe(value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdecimal()):
            # Within the database's integer (a longer number typed in is shown as typed).
            found = self.rows.filter(pk=int(value)).first() if 0 < int(value) < 2**63 else None
            return self.describe(found) if found is not None else str(value)
        return super().format_value(value)

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer=None):
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or name}-options"
        attrs["list"] = list_id
        attrs["data-lookup"] = reverse(self.url_name)
        box = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', box, list_id)


class Lookup(forms.ModelChoiceField):
    """One record, given as its id (links), its code, `name [code]` (what the lookup
    suggests) or a name no other record of the list has. Subclasses name the lookup URL, the
    code field, the name fields, how a record is shown, and their messages."""

    url_name = ""
    placeholder = ""
    code_field = ""
    name_fields: tuple[str, ...] = ()
    describe: Callable[[Any], str] = staticmethod(str)

    def __init__(self, queryset: QuerySet, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", None)
        kwargs.setdefault(
            "widget",
            LookupInput(
                url_name=self.url_name,
                placeholder=self.placeholder,
                describe=self.describe,
                rows=self.display_rows(queryset),
            ),
        )
        super().__init__(queryset, **kwargs)

    def display_rows(self, queryset: QuerySet) -> QuerySet:
        """Where the box finds the record an id in the page's address names, to show it."""
        return queryset

    def typed_queryset(self) -> QuerySet:
        """Where a typed code or name is looked for (an id is looked for in `queryset`)."""
        return self.queryset

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if isinstance(value, self.queryset.model):
            return value
        text = str(value).strip()[:240]
        if text.isdecimal() and len(text) < 19:
            found = self.queryset.filter(pk=int(text)).first()
            if found is not None:
                return found
        code = _CODE_IN_LABEL.search(text)
        marked = code.group(1).strip() if code else ""
        if marked.startswith("#") and marked[1:].isdecimal() and len(marked) < 20:
            found = self.queryset.filter(pk=int(marked[1:])).first()
            if found is not None:
                return found
        typed = self.typed_queryset()
        for candidate in ([marked] if marked else []) + [text]:
            found = typed.filter(**{self.code_field: candidate}).first()
            if found is not None:
                return found
        by_name = Q()
        for name in self.name_fields:
            by_name |= Q(**{name: text})
        named = list(typed.filter(by_name)[:2])
        if len(named) == 1:
            return named[0]
        code_ = "ambiguous" if named else "invalid_choice"
        raise forms.ValidationError(self.error_messages[code_], code=code_, params={"value": text})


class OrganisationLookup(Lookup):
    """One unit: its id (links from figures), its code, `name [code]` or its exact full or
    short name when no other unit has it."""

    url_name = "core:organisation_lookup"
    placeholder = _("输入单位名称或代码")
    code_field = "code"
    name_fields = ("name", "short_name")
    describe = staticmethod(organisation_label)
    default_error_messages = {
        "invalid_choice": _("找不到单位“%(value)s”。请输入单位名称或代码，并从提示中选择。"),
        "ambiguous": _("有多个单位名为“%(value)s”，请从提示中选择（名称后的方括号内为单位代码）。"),
    }

    def __init__(self, queryset: QuerySet | None = None, **kwargs: Any) -> None:
        super().__init__(
            queryset if queryset is not None else Organisation.objects.filter(is_active=True),
            **kwargs,
        )

    def display_rows(self, queryset: QuerySet) -> QuerySet:
        return Organisation.objects.only("name", "code")  # a link may name a unit since closed


class DeputyLookup(Lookup):
    """One deputy: the person's id (links, e.g. from a deputy's page), or among
    `querysets.deputies()` the certificate number (代表证号), `name [number]` (`name [#id]`
    without a number) or the name when no other deputy has it."""

    url_name = "core:deputy_lookup"
    placeholder = _("输入代表姓名或代表证号")
    code_field = "deputy__certificate_no"
    name_fields = ("name",)
    describe = staticmethod(deputy_label)
    default_error_messages = {
        "invalid_choice": _("找不到代表“%(value)s”。请输入代表姓名或代表证号，并从提示中选择。"),
        "ambiguous": _("有多位代表名为“%(value)s”，请从提示中选择（姓名后的方括号内为代表证号）。"),
    }

    def __init__(self, queryset: QuerySet | None = None, **kwargs: Any) -> None:
        super().__init__(queryset if queryset is not None else Person.objects.all(), **kwargs)

    def display_rows(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("deputy")

    def typed_queryset(self) -> QuerySet:
        # An id from a link names the lead deputy as recorded; a typed name or number is
        # looked for among deputies only.
        return self.queryset.filter(pk__in=deputies().values("pk"))


class LookupManyInput(forms.Textarea):
    """Several records, one a line (`name [code]`), in place of a Ctrl-click multi-select:
    forms.js adds a search box whose picks are appended as lines; without JavaScript the lines
    are typed. Several values posted under the name (the API, links) are taken as they come."""

    def __init__(
        self, *, url_name: str, placeholder: str, describe: Callable[[Any], str], rows: QuerySet
    ) -> None:
        super().__init__({"rows": 3, "autocomplete": "off", "data-placeholder": placeholder})
        self.url_name = url_name
        self.describe = describe
        self.rows = rows

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getlist = getattr(data, "getlist", None)
        values = getlist(name) if getlist is not None else data.get(name)
        if isinstance(values, list | tuple) and len(values) == 1:
            return values[0]
        return values

    def format_value(self, value: Any) -> str | None:
        if value in (None, "", [], ()):
            return ""
        if isinstance(value, str):
            return value
        items = list(value) if isinstance(value, list | tuple | QuerySet) else [value]
        ids = [i for i in items if not isinstance(i, models.Model)]
        found = {}
        numeric = [int(i) for i in ids if str(i).isdecimal() and 0 < int(i) < 2**63]
        if numeric:
            found = self.rows.in_bulk(numeric)
        lines = []
        for item in items:
            if isinstance(item, models.Model):
                lines.append(self.describe(item))
            elif str(item).isdecimal() and int(item) in found:
                lines.append(self.describe(found[int(item)]))
            else:
                lines.append(str(item))
        return "\n".join(lines)

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer=None):
        attrs = dict(attrs or {})
        attrs["data-lookup-many"] = reverse(self.url_name)
        return super().render(name, value, attrs, renderer)


_SEPARATORS = re.compile(r"[\n\r；;、]+")


class LookupMany(forms.ModelMultipleChoiceField):
    """Several records through the lookup (`single`: the one-record lookup whose rules each
    line follows: an id, a code, `name [code]` or a name no other record has)."""

    single: type[Lookup] = Lookup

    def __init__(self, queryset: QuerySet | None = None, **kwargs: Any) -> None:
        one = self.single(queryset) if queryset is not None else self.single()
        kwargs.setdefault(
            "widget",
            LookupManyInput(
                url_name=one.url_name,
                placeholder=one.placeholder,
                describe=one.describe,
                rows=one.display_rows(one.queryset),
            ),
        )
        super().__init__(one.queryset, **kwargs)
        self.help_text = self.help_text or _("每行一个；输入名称后从提示中选择。")

    def clean(self, value: Any) -> Any:
        if value is None:
            values: list[Any] = []
        elif isinstance(value, list | tuple):
            values = list(value)
        else:
            values = [value]  # a text of lines, or one id (an API body's number)
        tokens = [t.strip() for v in values for t in _SEPARATORS.split(str(v))]
        tokens = [t for t in tokens if t]
        if not tokens:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return self.queryset.none()
        one = self.single(self.queryset)
        picked: list[Any] = []
        errors: list[forms.ValidationError] = []
        for token in tokens:
            try:
                record = one.to_python(token)
            except forms.ValidationError as exc:
                errors.extend(exc.error_list)
                continue
            if record is not None and record not in picked:
                picked.append(record)
        if errors:
            raise forms.ValidationError(errors)
        self.run_validators(picked)
        return self.queryset.filter(pk__in=[r.pk for r in picked])


class OrganisationsLookup(LookupMany):
    """Several units, one a line (`OrganisationLookup` for each)."""

    single = OrganisationLookup


class DeputiesLookup(LookupMany):
    """Several deputies, one a line (`DeputyLookup` for each)."""

    single = DeputyLookup


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any):
        super().__init__(required=False, min_value=1, max_value=2_147_483_647, **kwargs)


class Versioned(forms.Form):
    """A form that changes a record states the version it was read at; without it the page
    is stale and nothing is saved."""

    version = VersionField()
    stale_message = STALE_FORM

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("version"):
            raise forms.ValidationError(self.stale_message, code="stale")
        return data


def text_area(label: Any, rows: int, **options: Any) -> forms.CharField:
    """A text field written in a box of `rows` lines (a reason, a note, an opinion): the
    CharField with its Textarea that every form wrote out (issue 12); `options` as CharField's
    (help_text, required, max_length, initial)."""
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **options)


@dataclass(frozen=True)
class Outcome:
    """What came of a form submission: the HTTP status to render with, and on success the
    service's result."""

    status: int
    saved: bool = False
    result: Any = None


def submit(form: forms.Form, call: Callable[[], Any]) -> Outcome:
    """Run a form through its service; `call` reads `form.cleaned_data`. Unbound: show it
    (200). Invalid input: show it with its errors (400). A domain error: shown on the form,
    with its status, nothing saved. Otherwise the service's result, saved."""
    if not form.is_bound:
        return Outcome(200)
    if not form.is_valid():
        return Outcome(400)
    try:
        result = call()
    except DomainError as exc:
        apply_errors(form, exc)
        return Outcome(exc.status)
    return Outcome(200, saved=True, result=result)


# --- A single possible choice is preselected ---------------------------------------------------


def single_choice(field: forms.Field) -> Any:
    """The one value a required choice field can take (a `ChoiceField`, a `ModelChoiceField`,
    a lookup), or None when it has none or several. A model choice reads at most two rows; a
    `<select>`'s choices read once are kept on the field, so drawing it reads nothing more."""
    if not field.required or field.disabled or field.widget.is_hidden:
        return None
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        return None
    if isinstance(field, forms.ModelChoiceField):
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            return None
        if isinstance(field.widget, LookupInput):
            rows = list(queryset[:2])
            return rows[0] if len(rows) == 1 else None
        choices = list(iter(field.choices))  # one query (no count); kept for the <select>
        field.choices = choices
        values = [v for v, _label in choices if v not in ("", None)]
        if len(values) != 1:
            return None
        value = values[0]
        return getattr(value, "value", value)  # ModelChoiceIteratorValue → the pk
    if isinstance(field, forms.ChoiceField):
        values = []
        for value, label in field.choices:
            if isinstance(label, list | tuple):  # an option group
                values.extend(v for v, _l in label if v not in ("", None))
            elif value not in ("", None):
                values.append(value)
        return values[0] if len(values) == 1 else None
    return None


class PreselectBoundField(forms.BoundField):
    """Every form's bound field (through the site's form renderer, `FORM_RENDERER`): a form
    shown for the first time (unbound) starts a required choice with exactly one possible
    value at that value — the person need not pick the only unit he may act for. A value the
    form was given (its `initial`) is kept; a posted form shows what was posted."""

    @cached_property
    def initial(self) -> Any:
        value = self.form.get_initial_for_field(self.field, self.name)
        if self.form.is_bound or value not in (None, "", [], ()):
            return value
        only = single_choice(self.field)
        return value if only is None else only
