"""Forms of the livelihood link: they parse input only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wulian.core import formkit
from wulian.core.choices import CONGRESS_SIDE, OrgKind
from wulian.core.formkit import DeputiesLookup, OrganisationChoice
from wulian.core.models import Organisation, Person
from wulian.core.rectification.forms import EvidenceField
from wulian.livelihood.choices import CandidateSource, IndicatorKind
from wulian.livelihood.models import Indicator, Photo


def _organisations(kinds: Any = None) -> QuerySet:
    qs = Organisation.objects.filter(is_active=True).order_by("sort_order", "code")
    return qs.filter(kind__in=kinds) if kinds else qs


class CycleForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("名称"), max_length=200)
    organiser = OrganisationChoice(label=_("组织单位"), queryset=Organisation.objects.none())
    places = forms.IntegerField(label=_("应选项目数"), min_value=1, max_value=50, initial=10)
    deputies = forms.IntegerField(
        label=_("全体代表人数"),
        min_value=1,
        help_text=_("票决当选须获全体代表过半数赞成。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = _organisations(CONGRESS_SIDE)


class CandidateForm(forms.Form):
    title = forms.CharField(label=_("项目名称"), max_length=200)
    source = forms.ChoiceField(label=_("来源"), choices=CandidateSource.choices)
    proposer = forms.CharField(label=_("提出者"), max_length=200, required=False)
    description = forms.CharField(label=_("项目内容"), widget=forms.Textarea, required=False)


class ScreenForm(formkit.Versioned):
    shortlist = forms.TypedChoiceField(
        label=_("论证结论"),
        choices=[("1", _("列为候选项目")), ("0", _("不列入"))],
        coerce=lambda v: v == "1",
    )
    budget = forms.DecimalField(label=_("预算（万元）"), required=False, max_digits=12)
    responsible = OrganisationChoice(label=_("责任单位"), queryset=_organisations(), required=False)
    indicators = forms.CharField(
        label=_("绩效指标"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "每行一项：名称|目标值|计量单位|类型|基数；类型：数量、长度、完工、建成并投用。"
        ),
    )
    note = forms.CharField(
        label=_("论证意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class SessionForm(formkit.Versioned):
    witness = OrganisationChoice(
        label=_("见证单位"),
        queryset=_organisations([OrgKind.STATIONED_GROUP, OrgKind.CDI]),
    )
    opens_at = forms.DateTimeField(label=_("投票开始"))
    closes_at = forms.DateTimeField(label=_("投票截止"))


class DecideForm(formkit.Versioned):
    decision_number = forms.CharField(label=_("决定文号"), max_length=60)


class RecordResultsForm(formkit.Versioned):
    """登记满意度测评结果: the version read."""


class ReportForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("指标"), queryset=Indicator.objects.none())
    month = forms.IntegerField(label=_("月份"), min_value=1, max_value=12)
    value = forms.DecimalField(label=_("累计完成"), max_digits=14, decimal_places=2, min_value=0)
    value_in_use = forms.DecimalField(
        label=_("累计投用"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("建成并投用类指标填写。"),
    )
    narrative = forms.CharField(
        label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    photos = EvidenceField(
        label=_("现场照片"),
        help_text=_("照片的拍摄时间和地点从照片文件中读取；读不到的照片照样接收，并标注。"),
    )

    def __init__(self, *args: Any, project: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if project is not None:
            self.fields["indicator"].queryset = Indicator.objects.filter(project=project)
        self.fields["photos"].widget.attrs["accept"] = "image/jpeg,image/png"


class ReviewForm(formkit.Versioned):
    note = forms.CharField(
        label=_("核实意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class QuestionForm(formkit.Versioned):
    note = forms.CharField(label=_("疑问"), widget=forms.Textarea(attrs={"rows": 2}))


class PublishForm(formkit.Versioned):
    photos = forms.ModelMultipleChoiceField(
        label=_("公开的照片"),
        queryset=Photo.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, actual: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if actual is not None:
            self.fields["photos"].queryset = Photo.objects.filter(actual=actual)


class IndicatorChangeForm(formkit.Versioned):
    decision = forms.CharField(
        label=_("决定文号"),
        max_length=100,
        required=False,
        help_text=_("指标经代表票决确定，调整须有常委会的决定。"),
    )
    reason = forms.CharField(
        label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    target = forms.DecimalField(label=_("目标值"), max_digits=14, decimal_places=2, required=False)
    unit = forms.CharField(label=_("计量单位"), max_length=20, required=False)
    plan = forms.CharField(
        label=_("月度计划"),
        required=False,
        help_text=_("写成“月:累计值”，以逗号分隔，例如 3:100, 6:300, 12:600。"),
    )


def _people(kinds: Any = None) -> QuerySet:
    qs = Person.objects.filter(is_active=True).order_by("name", "id")
    if kinds:
        qs = qs.filter(
            memberships__organisation__kind__in=kinds, memberships__is_active=True
        ).distinct()
    return qs


class GroupForm(formkit.Versioned):
    """The project's supervision group (监督小组): the head, deputies, an integrity monitor and
    the CDI's contact."""

    head = forms.ModelChoiceField(
        label=_("组长（常委会领导）"), queryset=Person.objects.none(), required=False
    )
    deputies = DeputiesLookup(label=_("人大代表"), required=False)
    monitor = forms.ModelChoiceField(
        label=_("清廉监督员"), queryset=Person.objects.none(), required=False
    )
    cdi_contact = forms.ModelChoiceField(
        label=_("纪委监委联络人"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = _people(CONGRESS_SIDE)
        self.fields["monitor"].queryset = _people()
        self.fields["cdi_contact"].queryset = _people([OrgKind.CDI, OrgKind.STATIONED_GROUP])


class MilestonesForm(formkit.Versioned):
    milestones = forms.CharField(
        label=_("节点"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "每行一个：节点名称|计划完成日期|实际完成日期（未完成可不填），日期写成 2023-06-30。"
        ),
    )


class OrderForm(formkit.Versioned):
    requirements = forms.CharField(
        label=_("督办要求"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    due_on = forms.DateField(
        label=_("答复期限"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class OrderAnswerForm(formkit.Versioned):
    answer = forms.CharField(
        label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class OrderCloseForm(formkit.Versioned):
    """办结: the version read."""


class OrderEscalateForm(formkit.Versioned):
    note = forms.CharField(
        label=_("移交理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


KIND_LABELS = dict(IndicatorKind.choices)
