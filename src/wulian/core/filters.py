"""One filter definition per list, shared by the HTML list and the API (NetBox's rule)."""

from __future__ import annotations

import copy
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from wulian.core.choices import OrgKind, Role
from wulian.core.formkit import DeputyLookup, OrganisationLookup
from wulian.core.models import Organisation, Person


class FilterSet(django_filters.FilterSet):
    """django-filters' FilterSet without its per-request construction cost (issue 21): the
    library deep-copies every filter (their querysets and choices) for each instance, builds
    each filter's form field again and a new form class; on the ledger that was ~1,600
    `deepcopy` calls and ~3 ms of CPU a request (the view's and the selector's FilterSet).

    Here each FilterSet class keeps one prototype per filter, deep-copied once, with its form
    field built; an instance gets a shallow copy of each (its own `parent`, `model`), and the
    form class is made once per class and set of filters. The form still deep-copies its
    fields per instance (Django's rule), so a view may change its form's fields. A filter
    whose queryset is a callable (it depends on the request) is deep-copied per instance as
    before, and then the form class is made per instance too."""

    _prototypes: dict[type, dict[str, Any]] = {}
    _form_classes: dict[tuple[type, tuple[str, ...]], type] = {}

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet | None = None,
        *,
        request: Any = None,
        prefix: str | None = None,
    ) -> None:
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        model = queryset.model
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        prototypes = self._prototypes_for(type(self)) if model is self._meta.model else {}
        self._shared = bool(prototypes) and all(
            prototypes.get(name) is not None for name in self.base_filters
        )
        self.filters = {}
        for name, base in self.base_filters.items():
            proto = prototypes.get(name)
            if proto is None:
                filter_ = copy.deepcopy(base)
            else:
                filter_ = copy.copy(proto)
                if proto.method is not None:  # its FilterMethod finds the method on parent
                    filter_.method = proto.method
            filter_.model = model
            filter_.parent = self
            self.filters[name] = filter_

    @classmethod
    def _prototypes_for(cls, klass: type) -> dict[str, Any]:
        protos = FilterSet._prototypes.get(klass)
        if protos is None:
            protos = {}
            for name, base in klass.base_filters.items():
                if callable(getattr(base, "queryset", None)):
                    protos[name] = None  # depends on the request: copied per instance
                    continue
                proto = copy.deepcopy(base)
                proto.model = klass._meta.model
                proto.field  # noqa: B018 — built once, shared by the instances' copies
                protos[name] = proto
            FilterSet._prototypes[klass] = protos
        return protos

    @property
    def qs(self) -> QuerySet:
        """The rows the filters keep — none while a value is invalid (年度 "abc", a state that
        does not exist): the list shows the field's message and no rows, never the whole list
        as if the filter had been applied (django-filters would leave the bad one out)."""
        if not hasattr(self, "_qs"):
            if self.is_bound and not self.is_valid():
                self._qs = self.queryset.none()
            else:
                return super().qs
        return self._qs

    def get_form_class(self) -> type:
        if not self._shared:
            return super().get_form_class()
        key = (type(self), tuple(self.filters))
        form_class = FilterSet._form_classes.get(key)
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = _Fields(form_class.base_fields)
            FilterSet._form_classes[key] = form_class
        return form_class


class _Fields(dict):
    """A filter form's fields, deep-copied for each form as Django does, except a choice
    field's choices: Django deep-copies the list of (value, label) pairs of each choice field
    (a few hundred `deepcopy` calls a form); they are never changed in place, so each form's
    field gets a shallow copy of them (its widget's choices were a shallow copy already)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        fields = {}
        for name, field in self.items():
            if type(field).__deepcopy__ is forms.ChoiceField.__deepcopy__:
                new = forms.Field.__deepcopy__(field, memo)
                choices = copy.copy(field._choices)
                if getattr(choices, "field", None) is field:  # django-filters' ChoiceIterator
                    choices.field = new
                new._choices = choices
            else:
                new = copy.deepcopy(field, memo)
            fields[name] = new
        return fields


class YesNoAllSelect(forms.NullBooleanSelect):
    """A yes/no filter's choices in the product's words: 全部 / 是 / 否 (not Django's
    未知 / 是 / 否, which reads as a third answer rather than "no filter")."""

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("unknown", _("全部")), ("true", _("是")), ("false", _("否"))]


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter shown as 全部 / 是 / 否."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", YesNoAllSelect)
        super().__init__(*args, **kwargs)


class AllModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A record filter whose empty choice reads 全部 (not Django's "---------")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("全部"))
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """A record id: a whole number that fits the database's integer (a larger or fractional
    value is a form error, never a 500 or a silently rounded filter)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class OrganisationLookupFilter(django_filters.ModelChoiceFilter):
    """One unit by id, code or name (`formkit.OrganisationLookup`): a search box in the HTML
    list, an id (or code) in the API and in links."""

    field_class = OrganisationLookup


@extend_schema_field(OpenApiTypes.STR)
class DeputyLookupFilter(django_filters.ModelChoiceFilter):
    """One deputy by person id, certificate number (代表证号) or name (`formkit.DeputyLookup`):
    a search box in the HTML list, an id (or number) in the API and in links."""

    field_class = DeputyLookup


class OrganisationFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("关键词"))
    kind = django_filters.ChoiceFilter(choices=OrgKind.choices, label=_("类型"))
    parent = IdFilter(field_name="parent_id", label=_("上级单位"))

    class Meta:
        model = Organisation
        fields = ["q", "kind", "parent"]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()[:60]
        return qs.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(code__icontains=value)
        )


class PersonFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("姓名"))
    organisation = IdFilter(method="in_org", label=_("单位"))
    role = django_filters.ChoiceFilter(choices=Role.choices, method="with_role", label=_("角色"))

    class Meta:
        model = Person
        fields = ["q", "organisation", "role"]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()[:60]
        return qs.filter(Q(name__icontains=value) | Q(title__icontains=value))

    def in_org(self, qs: QuerySet, name: str, value: int) -> QuerySet:
        return qs.filter(memberships__organisation_id=value, memberships__is_active=True).distinct()

    def with_role(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(memberships__role=value, memberships__is_active=True).distinct()
