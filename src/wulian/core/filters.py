"""One filter definition per list, shared by the HTML list and the API (NetBox's rule)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from wulian.core.choices import OrgKind, Role
from wulian.core.formkit import DeputyLookup, OrganisationLookup
from wulian.core.models import Organisation, Person


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


class OrganisationFilter(django_filters.FilterSet):
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


class PersonFilter(django_filters.FilterSet):
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
