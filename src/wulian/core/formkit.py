"""Form pieces every app's forms share: domain errors shown on the form, the hidden version
field of optimistic locking, and the organisation choice labelled by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
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
