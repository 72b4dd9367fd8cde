"""Forms of findings and rectification. They parse input only; the services validate, and
their `ValidationFailed.field_errors` are put back on the fields with `apply_errors()`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wulian.core import formkit
from wulian.core.choices import Sensitivity
from wulian.core.formkit import (
    OrganisationChoice,
    OrganisationsLookup,
    apply_errors,  # noqa: F401 — re-exported for the views
    text_area,
)
from wulian.core.models import Organisation
from wulian.core.rectification.choices import Severity

STALE_FORM = _("页面已过期，您的操作未执行。请刷新页面后再操作。")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_UPLOAD_FILES = 10


class Versioned(formkit.Versioned):
    stale_message = STALE_FORM


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files in one input (the evidence of a report); the service checks each."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_UPLOAD_FILES:
            raise forms.ValidationError(
                _("一次最多上传 %(n)d 个证明材料。") % {"n": MAX_UPLOAD_FILES}
            )
        return [super(EvidenceField, self).clean(f, initial) for f in files]


def _active_organisations() -> QuerySet:
    return Organisation.objects.filter(is_active=True).order_by("sort_order", "code")


class FindingForm(forms.Form):
    title = forms.CharField(label=_("问题概述"), max_length=200)
    description = text_area(_("问题描述"), 6, help_text=_("问题的具体表现、依据和涉及的事项。"))
    severity = forms.ChoiceField(
        label=_("严重程度"), choices=Severity.choices, initial=Severity.GENERAL
    )
    found_at = forms.DateField(label=_("发现日期"), widget=DATE_WIDGET)
    sensitivity = forms.ChoiceField(label=_("密级"), choices=Sensitivity.choices)
    about_organisation = OrganisationChoice(label=_("被监督单位"), queryset=_active_organisations())
    found_by_org = OrganisationChoice(label=_("发现单位"), queryset=Organisation.objects.none())
    responsible_orgs = OrganisationsLookup(
        label=_("整改责任单位"),
        queryset=_active_organisations(),
        help_text=_("每行一个单位，输入名称后从提示中选择；每个单位各自整改、各自核验销号。"),
    )
    rectification_months = forms.IntegerField(
        label=_("整改期限（月）"),
        min_value=1,
        max_value=36,
        initial=3,
        help_text=_("自提出之日起计算；责任单位另须在规定工作日内制定整改措施。"),
    )

    # The API's schema is read from a blank form (wulian.core.steps.request_schema).
    schema_kwargs = {"raisers": Organisation.objects.none()}

    def __init__(self, *args: Any, raisers: QuerySet, sensitivity_floor: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["found_by_org"].queryset = raisers
        self.fields["found_at"].initial = timezone.localdate()
        ranks = list(Sensitivity.values)
        floor = sensitivity_floor or Sensitivity.PUBLIC
        self.fields["sensitivity"].choices = [
            (v, label) for v, label in Sensitivity.choices if ranks.index(v) >= ranks.index(floor)
        ]
        self.fields["sensitivity"].initial = (
            floor if ranks.index(floor) > ranks.index(Sensitivity.INTERNAL) else "internal"
        )

    def to_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "description": d["description"],
            "severity": d["severity"],
            "found_at": d["found_at"],
            "sensitivity": d["sensitivity"],
            "about_organisation_id": d["about_organisation"].pk,
            "found_by_org_id": d["found_by_org"].pk,
            "responsible_org_ids": [o.pk for o in d["responsible_orgs"]],
            "rectification_months": d["rectification_months"],
        }


class FindingEditForm(Versioned):
    title = forms.CharField(label=_("问题概述"), max_length=200)
    description = text_area(_("问题描述"), 6)
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices)
    found_at = forms.DateField(label=_("发现日期"), widget=DATE_WIDGET)
    sensitivity = forms.ChoiceField(label=_("密级"), choices=Sensitivity.choices)

    def to_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.fields if k != "version"}


class CommitForm(Versioned):
    commitment = text_area(_("整改措施和承诺"), 6, help_text=_("具体措施、责任人和时间安排。"))
    planned_completion = forms.DateField(label=_("计划完成日期"), widget=DATE_WIDGET)


class ReportForm(Versioned):
    text = text_area(_("整改进展"), 5)
    files = EvidenceField(label=_("证明材料"))


class SubmitForm(Versioned):
    summary = text_area(
        _("整改完成情况"),
        6,
        help_text=_("提交后由提出单位核验；核验通过即销号，未通过将退回重新整改。"),
    )
    files = EvidenceField(label=_("证明材料"))


class CloseForm(Versioned):
    note = text_area(_("核验意见"), 3, required=False)


class ReopenForm(Versioned):
    reason = text_area(_("退回理由"), 3)
    months = forms.IntegerField(label=_("重新整改期限（月）"), min_value=1, max_value=36, initial=1)
