"""The inquiries' forms: each is a page's input and the API's body (parse only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wulian.core.bulletins.forms import BulletinForm
from wulian.core.choices import OrgKind
from wulian.core.formkit import OrganisationChoice, OrganisationLookup, Versioned
from wulian.core.models import Organisation
from wulian.inquiries.choices import AskerKind, TopicSource

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


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


class ResearchForm(Versioned):
    title = forms.CharField(label=_("调研名称"), max_length=200)
    starts_at = forms.DateTimeField(label=_("调研时间"), widget=DATETIME_WIDGET)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)


class LookBackForm(Versioned):
    findings = forms.CharField(
        label=_("回头看情况"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("承诺事项和审议意见的落实情况，仍存在的问题。"),
    )


class BallotForm(Versioned):
    witness = OrganisationChoice(
        label=_("见证单位"),
        queryset=Organisation.objects.filter(
            is_active=True, kind__in=[OrgKind.STATIONED_GROUP, OrgKind.CDI]
        ).order_by("sort_order", "code"),
    )
    opens_at = forms.DateTimeField(label=_("投票开始"), widget=DATETIME_WIDGET)
    closes_at = forms.DateTimeField(label=_("投票截止"), widget=DATETIME_WIDGET)


class InquiryBulletinForm(Versioned, BulletinForm):
    """The bulletins primitive's draft form, posted on the inquiry (the draft is linked to it)."""
