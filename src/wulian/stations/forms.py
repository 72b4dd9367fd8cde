"""The stations' forms: each is a page's input and the API's body (parse only)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wulian.core.clues.choices import ViolationType
from wulian.core.formkit import OrganisationLookup, Versioned
from wulian.stations.choices import Elsewhere, EventKind, HolidayRule
from wulian.suggestions.choices import Category

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RuleForm(Versioned):
    kind = forms.ChoiceField(label=_("活动类型"), choices=EventKind.choices)
    day_of_month = forms.IntegerField(
        label=_("每月几日"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_("选民接待日、专题议事填写；相约星期二为每周二，不填。"),
    )
    holiday_rule = forms.ChoiceField(label=_("遇节假日"), choices=HolidayRule.choices)
    starts_at = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("地点"), max_length=200)
    topic = forms.CharField(label=_("主题"), max_length=200, required=False)


class ScheduleForm(Versioned):
    until = forms.DateField(label=_("排期至"), widget=DATE_WIDGET)


class EventRecordForm(Versioned):
    attendance = forms.IntegerField(label=_("参加群众人数"), min_value=0, max_value=10_000)
    record = forms.CharField(label=_("活动记录"), widget=forms.Textarea(attrs={"rows": 4}))


class OpinionForm(forms.Form):
    """Three fields and a tick on a phone: the matter, what was said, and — with consent — a
    way to reach the resident."""

    topic = forms.CharField(
        label=_("事项"),
        max_length=120,
        widget=forms.TextInput(
            attrs={"placeholder": _("如：老旧小区加装电梯"), "autocomplete": "off"}
        ),
    )
    content = forms.CharField(label=_("意见内容"), widget=forms.Textarea(attrs={"rows": 3}))
    consent = forms.BooleanField(label=_("群众同意联系"), required=False)
    resident_name = forms.CharField(label=_("群众姓名"), max_length=60, required=False)
    resident_phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_("仅在群众同意联系时填写；加密保存，不公开。"),
    )


class AnswerForm(Versioned):
    answer = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 3}))


class HandForm(Versioned):
    department = OrganisationLookup(label=_("转交部门"))
    note = forms.CharField(
        label=_("转交说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReplyForm(Versioned):
    reply = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 4}))


class RaiseForm(Versioned):
    title = forms.CharField(label=_("建议标题"), max_length=200)
    content = forms.CharField(label=_("建议内容"), widget=forms.Textarea(attrs={"rows": 6}))
    category = forms.ChoiceField(label=_("建议类别"), choices=Category.choices)


class DeclineForm(Versioned):
    elsewhere = forms.ChoiceField(label=_("引导途径"), choices=Elsewhere.choices)
    answer = forms.CharField(label=_("向群众的说明"), widget=forms.Textarea(attrs={"rows": 2}))


class ObservationForm(forms.Form):
    subject_name = forms.CharField(label=_("反映对象的姓名"), max_length=60)
    subject_post = forms.CharField(label=_("职务"), max_length=200, required=False)
    content = forms.CharField(label=_("观察到的情况"), widget=forms.Textarea(attrs={"rows": 4}))
    observed_on = forms.DateField(label=_("发现日期"), widget=DATE_WIDGET, required=False)


class IntakeForm(forms.Form):
    """An observation registered as a clue: what the CDI adds to what the monitor saw."""

    violation_type = forms.ChoiceField(label=_("问题类别"), choices=ViolationType.choices)
    evidence = forms.CharField(
        label=_("证据材料说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
