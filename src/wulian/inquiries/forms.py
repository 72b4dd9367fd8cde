"""The inquiries' forms: each is a page's input and the API's body (parse only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wulian.core.formkit import OrganisationLookup, Versioned
from wulian.inquiries.choices import AskerKind, TopicSource

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InquiryForm(forms.Form):
    title = forms.CharField(label=_("询问主题"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    source = forms.ChoiceField(label=_("选题来源"), choices=TopicSource.choices)
    source_note = forms.CharField(label=_("来源说明"), max_length=200, required=False)

    def to_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class QuestionForm(Versioned):
    asker_kind = forms.ChoiceField(label=_("提问人类别"), choices=AskerKind.choices)
    asker = forms.CharField(label=_("提问人"), max_length=60)
    text = forms.CharField(label=_("问题"), widget=forms.Textarea(attrs={"rows": 3}))
    unit = OrganisationLookup(label=_("应询单位"))
    official = forms.CharField(label=_("应询人"), max_length=100)


class HoldForm(Versioned):
    held_on = forms.DateField(label=_("询问日期"), widget=DATE_WIDGET)
    place = forms.CharField(label=_("地点"), max_length=200)


class OpinionForm(Versioned):
    text = forms.CharField(label=_("审议意见"), widget=forms.Textarea(attrs={"rows": 8}))


class UndercoverForm(Versioned):
    title = forms.CharField(label=_("暗访名称"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("暗访时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class AnswerForm(Versioned):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 3}))


class CommitmentForm(Versioned):
    title = forms.CharField(label=_("承诺事项"), max_length=200)
    content = forms.CharField(label=_("承诺内容"), widget=forms.Textarea(attrs={"rows": 3}))
