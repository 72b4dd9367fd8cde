"""Forms of 联商: the page's input and the API's body alike. Parse only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wulian.consultation.choices import (
    LINKABLE,
    AnalysisSubject,
    InspectionTopic,
    MatterKind,
    MatterSensitivity,
    MatterStatus,
)
from wulian.consultation.models import InspectionFinding, Matter, MatterLink
from wulian.core import formkit
from wulian.core.formkit import OrganisationChoice
from wulian.core.models import Organisation, Person

DATE = forms.DateInput(attrs={"type": "date"})


# The kinds of record a matter links to: (value, label, model label).
class _MatterFields(forms.Form):
    kind = forms.ChoiceField(label=_("事项类别"), choices=MatterKind.choices)
    title = forms.CharField(label=_("事项名称"), max_length=200)
    summary = forms.CharField(
        label=_("主要内容"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    sensitivity = forms.ChoiceField(
        label=_("知悉范围"),
        choices=MatterSensitivity.choices,
        help_text=_(
            "双方共享：人大和纪委监委双方可见；本方内部：仅本方可见；限本单位：仅牵头单位可见。"
        ),
    )
    status = forms.ChoiceField(label=_("状态"), choices=MatterStatus.choices)
    parent = forms.ModelChoiceField(
        label=_("协同的专项工作"),
        queryset=Matter.objects.none(),
        required=False,
        help_text=_("与对方的专项工作同步开展时选择，例如纪委监委的专项治理。"),
    )

    def __init__(self, *args: Any, parents: QuerySet | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if parents is not None:
            self.fields["parent"].queryset = parents

    def to_data(self) -> dict[str, Any]:
        return self.data_of(self.cleaned_data)

    @staticmethod
    def data_of(d: dict[str, Any]) -> dict[str, Any]:
        from wulian.consultation.services.matters import FIELDS

        data = {k: d.get(k) for k in FIELDS}
        data["parent_id"] = d["parent"].pk if d.get("parent") else None
        if d.get("owner_org") is not None:
            data["owner_org_id"] = d["owner_org"].pk
        return data


class MatterForm(_MatterFields):
    owner_org = OrganisationChoice(label=_("牵头单位"), queryset=Organisation.objects.none())
    field_order = ["owner_org"]
    schema_kwargs = {"owners": Organisation.objects.none()}

    def __init__(self, *args: Any, owners: QuerySet | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner_org"].queryset = owners


class MatterEditForm(formkit.Versioned, _MatterFields):
    """Changing a matter: its fields and the version read."""


class LinkForm(forms.Form):
    record_type = forms.ChoiceField(
        label=_("记录类别"), choices=[(v, label) for v, label, _m in LINKABLE]
    )
    record_id = forms.IntegerField(
        label=_("记录编号"), min_value=1, help_text=_("记录页面地址中的数字编号。")
    )


class AnalysisForm(forms.Form):
    title = forms.CharField(label=_("研判名称"), max_length=200)
    subject = forms.ChoiceField(label=_("研判领域"), choices=AnalysisSubject.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    lead_org = OrganisationChoice(label=_("牵头单位"), queryset=Organisation.objects.none())
    partner_org = OrganisationChoice(label=_("协同单位"), queryset=Organisation.objects.none())
    matter = forms.ModelChoiceField(
        label=_("重大事项"), queryset=Matter.objects.none(), required=False
    )
    schema_kwargs = {"leads": Organisation.objects.none(), "partners": Organisation.objects.none()}

    def __init__(
        self,
        *args: Any,
        leads: QuerySet | None = None,
        partners: QuerySet | None = None,
        matters: QuerySet | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if leads is not None:
            self.fields["lead_org"].queryset = leads
        if partners is not None:
            self.fields["partner_org"].queryset = partners
        if matters is not None:
            self.fields["matter"].queryset = matters

    def to_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "subject": d["subject"],
            "year": d["year"],
            "lead_org_id": d["lead_org"].pk,
            "partner_org_id": d["partner_org"].pk,
            "matter_id": d["matter"].pk if d.get("matter") else None,
        }


class AnalystForm(forms.Form):
    person = forms.ModelChoiceField(label=_("研判人员"), queryset=Person.objects.none())

    def __init__(self, *args: Any, people: QuerySet | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people


class ReportForm(formkit.Versioned):
    report = forms.CharField(
        label=_("研判报告正文"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("每段一行。出具后不能修改，报告以 .docx 下载（GB/T 9704 格式）。"),
    )


class UnlinkForm(forms.Form):
    """Taking a wrongly linked record off a matter (取消关联): which link, and why."""

    link = forms.ModelChoiceField(label=_("取消关联的记录"), queryset=MatterLink.objects.none())
    reason = formkit.text_area(_("理由"), 2, max_length=500)

    def __init__(
        self,
        *args: Any,
        links: QuerySet | None = None,
        labels: dict[int, str] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if links is not None:
            self.fields["link"].queryset = links
            names = labels or {}
            self.fields["link"].label_from_instance = lambda link: names.get(
                link.pk, f"#{link.object_id}"
            )


class InspectionForm(formkit.Versioned):
    """A law-enforcement inspection's structured fields (执法检查)."""

    law = forms.CharField(
        label=_("检查的法律法规"),
        max_length=300,
        help_text=_("例如：《中华人民共和国中小企业促进法》和湖北省实施办法。"),
    )
    scope = formkit.text_area(_("检查范围"), 3, help_text=_("检查的地区、领域和重点内容。"))
    plan = formkit.text_area(_("检查方案"), 3, required=False)
    teams = formkit.text_area(
        _("检查组"), 3, required=False, help_text=_("每组一行：牵头单位、成员、检查地点。")
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("被检查单位"), queryset=Organisation.objects.none()
    )
    report = formkit.text_area(_("执法检查报告"), 6, required=False)
    opinions = formkit.text_area(_("审议意见"), 4, required=False)
    schema_kwargs = {"departments": Organisation.objects.none()}

    def __init__(self, *args: Any, departments: QuerySet | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["departments"].queryset = departments

    @staticmethod
    def data_of(d: dict[str, Any]) -> dict[str, Any]:
        from wulian.consultation.services.inspections import TEXTS

        data = {name: d.get(name) for name, _l, _r in TEXTS}
        data["department_ids"] = [o.pk for o in d.get("departments") or ()]
        return data


class InspectionFindingForm(forms.Form):
    """One problem the inspection found (检查发现的问题)."""

    department = forms.ModelChoiceField(label=_("被检查单位"), queryset=Organisation.objects.none())
    topic = forms.ChoiceField(label=_("问题类别"), choices=InspectionTopic.choices)
    problem = formkit.text_area(_("问题描述"), 3, max_length=2000)
    amount = forms.DecimalField(
        label=_("涉及金额（万元）"), required=False, min_value=0, max_digits=14, decimal_places=2
    )

    def __init__(self, *args: Any, departments: QuerySet | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments


class HandOnForm(forms.Form):
    """A recorded problem handed on as a rectification, with its time to rectify."""

    row = forms.ModelChoiceField(
        label=_("检查发现的问题"), queryset=InspectionFinding.objects.none()
    )
    rectification_months = forms.IntegerField(
        label=_("整改期限（月）"), min_value=1, max_value=24, initial=3
    )

    def __init__(self, *args: Any, rows: QuerySet | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if rows is not None:
            self.fields["row"].queryset = rows
