"""Forms of the reference data. They parse input only; the services validate (model
`full_clean` plus domain rules) and their `ValidationFailed.field_errors` are put back on the
fields with `apply_errors()`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wulian.core.choices import (
    DeputyLevel,
    ExpertCategory,
    Gender,
    OrgKind,
    Role,
)
from wulian.core.formkit import apply_errors  # noqa: F401 — re-exported for the views
from wulian.core.imports import split_list
from wulian.core.models import Organisation


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        label = f"{obj.code} {obj.name}"
        return label if obj.is_active else f"{label}（{_('停用')}）"


def organisations() -> QuerySet:
    return Organisation.objects.order_by("sort_order", "code")


class VersionedForm(forms.Form):
    """An edit form carries the version it was read at; the service refuses a stale one."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    requires_version = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.requires_version and not data.get("version"):
            raise forms.ValidationError(
                _("页面已过期，您的修改未保存。请刷新页面后再修改。"), code="stale"
            )
        return data


class OrganisationForm(VersionedForm):
    code = forms.CharField(label=_("单位代码"), max_length=32)
    name = forms.CharField(label=_("全称"), max_length=200)
    short_name = forms.CharField(label=_("简称"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=OrgKind.choices)
    parent = OrganisationChoiceField(
        label=_("上级单位"), queryset=Organisation.objects.none(), required=False
    )
    region = forms.CharField(label=_("所在区县"), max_length=60, required=False)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)
    is_active = forms.BooleanField(label=_("在用"), required=False, initial=True)

    def __init__(self, *args: Any, instance: Organisation | None = None, **kwargs: Any):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": instance.code,
                "name": instance.name,
                "short_name": instance.short_name,
                "kind": instance.kind,
                "parent": instance.parent_id,
                "region": instance.region,
                "sort_order": instance.sort_order,
                "is_active": instance.is_active,
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        self.requires_version = instance is not None
        qs = organisations()
        if instance is not None:
            qs = qs.exclude(pk=instance.pk)
        self.fields["parent"].queryset = qs

    def to_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        parent = d.get("parent")
        return {
            "code": d["code"],
            "name": d["name"],
            "short_name": d.get("short_name", ""),
            "kind": d["kind"],
            "parent_id": parent.pk if parent is not None else None,
            "region": d.get("region", ""),
            "sort_order": d.get("sort_order") or 0,
            "is_active": bool(d.get("is_active")),
        }


class PersonForm(VersionedForm):
    name = forms.CharField(label=_("姓名"), max_length=60)
    gender = forms.ChoiceField(label=_("性别"), choices=Gender.choices, required=False)
    title = forms.CharField(label=_("职务"), max_length=120, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    is_active = forms.BooleanField(label=_("在用"), required=False, initial=True)

    def __init__(self, *args: Any, instance: Any = None, **kwargs: Any):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "gender": instance.gender,
                "title": instance.title,
                "phone": instance.phone,
                "email": instance.email,
                "is_active": instance.is_active,
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        self.requires_version = instance is not None

    def to_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "gender": d.get("gender", ""),
            "title": d.get("title", ""),
            "phone": d.get("phone", ""),
            "email": d.get("email", ""),
            "is_active": bool(d.get("is_active")),
        }


class MembershipForm(forms.Form):
    """Add a membership. `roles` are the roles this actor may grant: the system administrator
    grants ordinary roles, the security administrator the administrator roles (三员分立)."""

    organisation = OrganisationChoiceField(label=_("单位"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("角色"), choices=())
    post = forms.CharField(label=_("岗位"), max_length=120, required=False)

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any):
        kwargs.setdefault("prefix", "membership")
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations().filter(is_active=True)
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r.value in roles]

    def to_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "organisation_id": d["organisation"].pk,
            "role": d["role"],
            "post": d.get("post", ""),
        }


def grantable_roles(actor: Any) -> list[str]:
    """The roles `core.membership.grant` lets this actor give in some kind of organisation;
    the service asks the same rule again for the organisation chosen."""
    from wulian.core import access
    from wulian.core.policies import Grant

    return [
        r.value
        for r in Role
        if any(access.can(actor, "core.membership.grant", Grant(None, r.value, k)) for k in OrgKind)
    ]


class NoInput(forms.Form):
    """The input of a step that takes nothing but the click (end a membership, confirm)."""


class GrantRefuseForm(forms.Form):
    reason = forms.CharField(label=_("不予确认的理由"), max_length=500)


class DeputyProfileForm(forms.Form):
    certificate_no = forms.CharField(label=_("代表证号"), max_length=32)
    level = forms.ChoiceField(
        label=_("代表层级"), choices=DeputyLevel.choices, initial=DeputyLevel.MUNICIPAL
    )
    delegation = forms.CharField(label=_("代表团（选区）"), max_length=120, required=False)
    liaison_station = OrganisationChoiceField(
        label=_("所在联络站"), queryset=Organisation.objects.none(), required=False
    )
    term = forms.CharField(label=_("届次"), max_length=40, required=False)

    def __init__(self, *args: Any, instance: Any = None, **kwargs: Any):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "certificate_no": instance.certificate_no,
                "level": instance.level,
                "delegation": instance.delegation,
                "liaison_station": instance.liaison_station_id,
                "term": instance.term,
            }
        super().__init__(*args, **kwargs)
        self.fields["liaison_station"].queryset = organisations().filter(
            kind=OrgKind.LIAISON_STATION
        )

    def to_data(self) -> dict[str, Any]:
        return self.data_of(self.cleaned_data)

    @staticmethod
    def data_of(d: dict[str, Any]) -> dict[str, Any]:
        """The service's `data` from the cleaned fields (the page's form or the API's body)."""
        station = d.get("liaison_station")
        return {
            "certificate_no": d["certificate_no"],
            "level": d["level"],
            "delegation": d.get("delegation", ""),
            "liaison_station_id": station.pk if station is not None else None,
            "term": d.get("term", ""),
        }


class ExpertProfileForm(forms.Form):
    category = forms.ChoiceField(label=_("专家类别"), choices=ExpertCategory.choices)
    specialties = forms.CharField(
        label=_("专业领域"),
        required=False,
        max_length=500,
        help_text=_("多个领域用逗号或顿号分隔，例如：民事、行政、刑事"),
    )
    employer = forms.CharField(label=_("工作单位"), max_length=200, required=False)
    law_firm = forms.CharField(label=_("律师事务所"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("在库"), required=False, initial=True)

    def __init__(self, *args: Any, instance: Any = None, **kwargs: Any):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "category": instance.category,
                "specialties": "、".join(instance.specialties or []),
                "employer": instance.employer,
                "law_firm": instance.law_firm,
                "is_active": instance.is_active,
            }
        super().__init__(*args, **kwargs)

    def to_data(self) -> dict[str, Any]:
        return self.data_of(self.cleaned_data)

    @staticmethod
    def data_of(d: dict[str, Any]) -> dict[str, Any]:
        """The service's `data` from the cleaned fields (the page's form or the API's body)."""
        return {
            "category": d["category"],
            "specialties": split_list(d.get("specialties", "")),
            "employer": d.get("employer", ""),
            "law_firm": d.get("law_firm", ""),
            "is_active": bool(d.get("is_active")),
        }


class IntegrityMonitorProfileForm(forms.Form):
    appointed_by = OrganisationChoiceField(
        label=_("聘任单位"), queryset=Organisation.objects.none()
    )
    appointed_on = forms.DateField(
        label=_("聘任日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    area = forms.CharField(label=_("监督领域"), max_length=120, required=False)

    def __init__(self, *args: Any, instance: Any = None, **kwargs: Any):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "appointed_by": instance.appointed_by_id,
                "appointed_on": instance.appointed_on,
                "area": instance.area,
            }
        super().__init__(*args, **kwargs)
        self.fields["appointed_by"].queryset = organisations().filter(is_active=True)

    def to_data(self) -> dict[str, Any]:
        return self.data_of(self.cleaned_data)

    @staticmethod
    def data_of(d: dict[str, Any]) -> dict[str, Any]:
        """The service's `data` from the cleaned fields (the page's form or the API's body)."""
        return {
            "appointed_by_id": d["appointed_by"].pk,
            "appointed_on": d.get("appointed_on"),
            "area": d.get("area", ""),
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        help_text=_("请先下载导入模板，按模板填写后上传。"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
