"""Forms of the deadline panel and the holiday calendar page: they parse input only; the
services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wulian.core.deadlines.choices import DayKind
from wulian.core.formkit import text_area


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PauseForm(VersionForm):
    reason = forms.CharField(
        label=_("暂停原因"),
        max_length=500,
        required=False,
        help_text=_("例如：等待外单位出具意见。"),
    )


class ExtensionRequestForm(VersionForm):
    new_due = forms.DateField(
        label=_("申请延至"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("截止到该日 23:59。"),
    )
    reason = text_area(_("延期理由"), 3, max_length=2000)


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审批结果"),
        choices=[("approve", _("同意延期")), ("refuse", _("不同意"))],
        widget=forms.RadioSelect,
    )
    note = text_area(
        _("审批意见"), 2, max_length=2000, required=False, help_text=_("不同意时必填。")
    )


class CalendarDayForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("类型"), choices=DayKind.choices)
    name = forms.CharField(
        label=_("节日名称"), max_length=60, required=False, help_text=_("例如：春节、国庆节。")
    )
