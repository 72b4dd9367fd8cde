"""Forms of 联评: each is a page's input and the API's body (parse only; the services decide)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wulian.core.clues.choices import ViolationType
from wulian.core.formkit import Versioned
from wulian.core.models import Organisation, Person
from wulian.evaluation.choices import CAMPAIGNS, CONDUCT_GRADES, DossierKind, DossierUse, StepKind


class CreateForm(forms.Form):
    decision = forms.IntegerField(label=_("主任会议决定（编号）"))
    department = forms.ModelChoiceField(
        label=_("被评议部门"), queryset=Organisation.objects.filter(is_active=True)
    )
    year = forms.IntegerField(label=_("评议年度"), min_value=2000, max_value=2100)
    working_body = forms.ModelChoiceField(
        label=_("工作机构"), queryset=Organisation.objects.filter(is_active=True)
    )
    stationed_group = forms.ModelChoiceField(
        label=_("派驻纪检监察组"),
        queryset=Organisation.objects.filter(is_active=True, kind="stationed_group"),
        required=False,
    )
    cdi = forms.ModelChoiceField(
        label=_("提供参考材料的纪委监委（内设室）"),
        queryset=Organisation.objects.filter(is_active=True, kind="cdi"),
        required=False,
        help_text=_("不选：派驻纪检监察组所属的纪委监委。"),
    )
    lead = forms.ModelChoiceField(
        label=_("带队副主任"), queryset=Person.objects.filter(is_active=True), required=False
    )
    title = forms.CharField(label=_("评议名称"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].help_text = _("主任会议纪要中研究确定评议对象的那条决定。")


class DimensionsForm(Versioned):
    dimensions = forms.CharField(
        label=_("评议内容（每行一项）"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000
    )

    def clean_dimensions(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["dimensions"].splitlines()]


class DossierAddForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"), choices=DossierKind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 5}))


class DossierAttachForm(forms.Form):
    item = forms.IntegerField(label=_("参考材料（编号）"))
    upload = forms.FileField(label=_("文件"))
    description = forms.CharField(label=_("说明"), max_length=200, required=False)


class DossierUseForm(forms.Form):
    item = forms.IntegerField(label=_("参考材料"))
    use = forms.ChoiceField(label=_("使用情况"), choices=DossierUse.choices[1:])
    note = forms.CharField(label=_("使用说明"), max_length=500, required=False)


class ActivityAddForm(forms.Form):
    kind = forms.ChoiceField(label=_("活动类型"), choices=StepKind.choices)
    title = forms.CharField(label=_("活动名称"), max_length=200)
    starts_at = forms.DateTimeField(label=_("开始时间"))
    place = forms.CharField(label=_("地点"), max_length=200, required=False)


class ActivityHeldForm(forms.Form):
    activity = forms.IntegerField(label=_("评议活动"))
    attended = forms.ModelMultipleChoiceField(
        label=_("实际出席单位"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class SelfReportForm(forms.Form):
    upload = forms.FileField(label=_("自查报告（或整改报告）文件"))
    description = forms.CharField(label=_("说明"), max_length=200, required=False)


class FindingForm(forms.Form):
    title = forms.CharField(label=_("问题"), max_length=200)
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 3}))
    months = forms.IntegerField(label=_("整改期限（月）"), min_value=1, max_value=12, initial=3)


class VoteForm(Versioned):
    poll = forms.IntegerField(label=_("满意度测评（编号）"))


class OpinionForm(Versioned):
    opinion = forms.CharField(label=_("评议意见"), widget=forms.Textarea(attrs={"rows": 8}))


class NoteForm(Versioned):
    note = forms.CharField(label=_("审议情况"), widget=forms.Textarea(attrs={"rows": 3}))


class ConductForm(Versioned):
    grade = forms.ChoiceField(label=_("行风政风评议等次"), choices=[(g, g) for g in CONDUCT_GRADES])
    source = forms.CharField(label=_("来源"), max_length=200, required=False)


class ClueForm(forms.Form):
    campaign = forms.CharField(
        label=_("专项整治"),
        max_length=100,
        help_text=_("如：%(c)s") % {"c": "、".join(CAMPAIGNS)},
    )
    subject_name = forms.CharField(label=_("反映对象"), max_length=60)
    subject_post = forms.CharField(label=_("职务"), max_length=200, required=False)
    violation_type = forms.ChoiceField(label=_("问题类别"), choices=ViolationType.choices)
    content = forms.CharField(label=_("主要问题"), widget=forms.Textarea(attrs={"rows": 3}))


class ScoresForm(Versioned):
    """The team's score sheet: one whole-number field per evaluated dimension (named d1, d2 …
    in the order of the evaluation's dimensions), each 0 to 100."""

    # The API schema's blank form: the fields follow the evaluation's dimensions.
    schema_kwargs = {"dimensions": []}

    def __init__(self, *args: Any, dimensions: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dimensions = list(dimensions)
        fields = {}
        for i, name in enumerate(self.dimensions, start=1):
            wrong = _("“%(d)s”的得分须为 0 至 100 的整数。") % {"d": name}
            fields[f"d{i}"] = forms.IntegerField(
                label=name,
                min_value=0,
                max_value=100,
                help_text=_("0 至 100 的整数"),
                error_messages={
                    "required": _("请填写“%(d)s”的得分（0 至 100 的整数）。") % {"d": name},
                    "invalid": wrong,
                    "min_value": wrong,
                    "max_value": wrong,
                },
            )
        self.fields = {**fields, **self.fields}

    @staticmethod
    def values_of(data: dict[str, Any], dimensions: Sequence[str]) -> dict[str, int]:
        """The score per dimension, from the cleaned fields (page or API)."""
        return {name: data[f"d{i}"] for i, name in enumerate(dimensions, start=1)}


class ConductImportForm(forms.Form):
    file = forms.FileField(
        label=_("行风政风评议等次表（.xlsx）"),
        help_text=_("按导入模板填写：评议年度、被评议部门、单位代码、评议等次、来源。"),
    )
