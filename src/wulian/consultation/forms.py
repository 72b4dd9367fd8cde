"""Forms of 联商: the page's input and the API's body alike. Parse only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wulian.consultation.choices import (
    AnalysisSubject,
    MatterKind,
    MatterSensitivity,
    MatterStatus,
)
from wulian.consultation.models import Matter
from wulian.core import formkit
from wulian.core.formkit import OrganisationChoice
from wulian.core.models import Organisation, Person

DATE = forms.DateInput(attrs={"type": "date"})

# The kinds of record a matter links to: (value, label, model label).
LINKABLE = (
    ("activity", _("会议或活动"), "activities.activity"),
    ("bulletin", _("通报"), "bulletins.bulletin"),
    ("round", _("征求意见"), "opinions.opinionround"),
    ("analysis", _("联合研判"), "consultation.analysis"),
)


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
