"""Form pieces every app's forms share: domain errors shown on the form, the hidden version
field of optimistic locking, the organisation choice labelled by name, and the organisation
lookup (a searchable text field, for lists of thousands of units)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wulian.core.errors import DomainError
from wulian.core.models import Organisation

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


_CODE_IN_LABEL = re.compile(r"\[([^\[\]]+)\]\s*$")


class OrganisationLookupInput(forms.TextInput):
    """A search box for one unit among thousands: the page sends no list of options (a
    `<select>` of 3,000 units costs ~100 ms to render and 140 KB on every page); the browser's
    suggestion list (`<datalist>`) is filled as the person types, from `core:organisation_lookup`
    (app.js). Without JavaScript a unit code or exact name typed in works the same."""

    input_type = "search"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {
                "autocomplete": "off",
                "placeholder": _("输入单位名称或代码"),
                **(attrs or {}),
            }
        )

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Organisation):
            return organisation_label(value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            org = Organisation.objects.filter(pk=int(value)).only("name", "code").first()
            return organisation_label(org) if org else str(value)
        return super().format_value(value)

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer=None):
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or name}-options"
        attrs["list"] = list_id
        attrs["data-lookup"] = reverse("core:organisation_lookup")
        box = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', box, list_id)


class OrganisationLookup(forms.ModelChoiceField):
    """One unit, given as its id (links from figures), its code, `name [code]` (what the
    lookup suggests) or its exact full or short name when no other unit has it."""

    widget = OrganisationLookupInput
    default_error_messages = {
        "invalid_choice": _("找不到单位“%(value)s”。请输入单位名称或代码，并从提示中选择。"),
        "ambiguous": _("有多个单位名为“%(value)s”，请从提示中选择（名称后的方括号内为单位代码）。"),
    }

    def __init__(self, queryset: QuerySet | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", None)
        super().__init__(
            queryset if queryset is not None else Organisation.objects.filter(is_active=True),
            **kwargs,
        )

    def to_python(self, value: Any) -> Organisation | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Organisation):
            return value
        text = str(value).strip()[:240]
        if text.isdigit() and len(text) < 19:
            found = self.queryset.filter(pk=int(text)).first()
            if found is not None:
                return found
        code = _CODE_IN_LABEL.search(text)
        if code:
            found = self.queryset.filter(code=code.group(1).strip()).first()
            if found is not None:
                return found
        found = self.queryset.filter(code=text).first()
        if found is not None:
            return found
        named = list(self.queryset.filter(Q(name=text) | Q(short_name=text))[:2])
        if len(named) == 1:
            return named[0]
        code_ = "ambiguous" if named else "invalid_choice"
        raise forms.ValidationError(self.error_messages[code_], code=code_, params={"value": text})


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
