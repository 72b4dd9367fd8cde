"""Forms of the clue pages. They parse input only; the services validate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wulian.core import formkit
from wulian.core.choices import OrgKind
from wulian.core.clues.choices import Disposition, Outcome, ViolationType
from wulian.core.formkit import (
    OrganisationChoice,
    apply_errors,  # noqa: F401 — re-exported for the views
    text_area,
)
from wulian.core.models import Organisation

STALE_FORM = _("页面已过期，您的操作未执行。请刷新页面后再操作。")


class Versioned(formkit.Versioned):
    stale_message = STALE_FORM


def cdi_organisations() -> QuerySet:
    return Organisation.objects.filter(kind=OrgKind.CDI, is_active=True).order_by(
        "sort_order", "code"
    )


class ClueForm(forms.Form):
    sending_org = OrganisationChoice(label=_("移送单位"), queryset=Organisation.objects.none())
    receiving_org = OrganisationChoice(label=_("受理机关"), queryset=cdi_organisations())
    subject_name = forms.CharField(label=_("反映对象姓名"), max_length=60)
    subject_post = forms.CharField(label=_("反映对象职务"), max_length=200, required=False)
    subject_organisation = OrganisationChoice(
        label=_("反映对象所在单位"),
        queryset=Organisation.objects.filter(is_active=True).order_by("sort_order", "code"),
        required=False,
    )
    violation_type = forms.ChoiceField(label=_("问题类别"), choices=ViolationType.choices)
    found_on = forms.DateField(
        label=_("发现日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("填写后，自发现之日起按本地规定的工作日数计算本单位的移送期限。"),
    )
    content = text_area(
        _("主要问题"),
        8,
        help_text=_(
            "反映的具体问题：时间、地点、事实经过、涉及金额等。加密保存，移送后仅纪委监委线索管理人员可见。"
        ),
    )
    evidence = text_area(
        _("证据材料说明"),
        4,
        required=False,
        help_text=_("已掌握的证据和材料线索。请勿上传附件：纸质材料按保密规定另行移交。"),
    )
    version = formkit.VersionField()

    def __init__(self, *args: Any, senders: QuerySet | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if senders is None:
            del self.fields["sending_org"]
        else:
            self.fields["sending_org"].queryset = senders

    def to_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        data = {
            "receiving_org_id": d["receiving_org"].pk,
            "subject_name": d["subject_name"],
            "subject_post": d["subject_post"],
            "subject_organisation_id": d["subject_organisation"].pk
            if d["subject_organisation"]
            else None,
            "violation_type": d["violation_type"],
            "found_on": d.get("found_on"),
            "content": d["content"],
            "evidence": d["evidence"],
        }
        if "sending_org" in d:
            data["sending_org_id"] = d["sending_org"].pk
        return data


class StepForm(Versioned):
    """Transfer and receipt: the version the page was read at."""


class FeedbackForm(Versioned):
    feedback = text_area(_("反馈意见"), 4, help_text=_("移送单位可见。"))


class ProposeForm(Versioned):
    """The case-management office's proposal (拟办意见), for a leader's approval."""

    disposition = forms.ChoiceField(
        label=_("拟处置方式"), choices=Disposition.choices, widget=forms.RadioSelect
    )
    note = text_area(
        _("拟办意见"),
        4,
        required=False,
        help_text=_("仅纪委监委线索管理人员可见，不反馈给移送单位。"),
    )


class ApproveForm(Versioned):
    note = text_area(_("审批意见"), 3, required=False, help_text=_("仅纪委监委线索管理人员可见。"))


class ReturnForm(Versioned):
    note = text_area(_("退回理由"), 3, help_text=_("仅纪委监委线索管理人员可见。"))


class ConcludeForm(Versioned):
    outcome = forms.ChoiceField(
        label=_("办理结果"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    note = text_area(
        _("办理结果说明"),
        4,
        required=False,
        help_text=_("仅纪委监委线索管理人员可见；移送单位只看到办理结果的类别和您的反馈。"),
    )
