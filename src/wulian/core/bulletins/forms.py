"""Forms of bulletins. They parse input only; the services validate, and their
`ValidationFailed.field_errors` are put back on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wulian.core import formkit
from wulian.core.bulletins.choices import BulletinSensitivity
from wulian.core.bulletins.models import BulletinSeries
from wulian.core.formkit import OrganisationChoice, OrganisationsChoice, text_area
from wulian.core.models import Organisation


def _active_organisations() -> QuerySet:
    return Organisation.objects.filter(is_active=True).order_by("sort_order", "code")


class BulletinForm(forms.Form):
    issuer = OrganisationChoice(label=_("印发单位"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("标题"), max_length=200)
    body = text_area(
        _("正文"), 12, help_text=_("每段一行；以“一、”“（一）”开头的段落作为标题排版。")
    )
    sensitivity = forms.ChoiceField(
        label=_("敏感程度"),
        choices=BulletinSensitivity.choices,
        initial=BulletinSensitivity.ORDINARY,
        help_text=_(
            "敏感：仅印发单位和接收单位的工作人员、负责人可见，每次查阅都记入审计日志；"
            "涉及问题线索：只能分送纪委监委，由其线索管理员签收。"
        ),
    )
    series = forms.ModelChoiceField(
        label=_("定期通报"),
        queryset=BulletinSeries.objects.none(),
        required=False,
        empty_label=_("不定期（工作通报）"),
    )
    recipients = OrganisationsChoice(
        label=_("接收单位"),
        queryset=_active_organisations(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("可先保存草稿，印发前须至少选择一个接收单位。"),
    )
    receipt_working_days = forms.IntegerField(
        label=_("签收期限（工作日）"), min_value=1, max_value=60, required=False
    )
    feedback_working_days = forms.IntegerField(
        label=_("反馈期限（工作日）"), min_value=1, max_value=60, required=False
    )

    # The API's schema is read from a blank form (wulian.core.steps.request_schema).
    schema_kwargs = {"issuers": Organisation.objects.none()}

    def __init__(self, *args: Any, issuers: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers
        self.fields["series"].queryset = BulletinSeries.objects.filter(
            issuer__in=issuers, is_active=True
        ).order_by("name")
        from django.conf import settings

        self.fields["receipt_working_days"].initial = settings.BULLETIN_RECEIPT_WORKING_DAYS
        self.fields["feedback_working_days"].initial = settings.BULLETIN_FEEDBACK_WORKING_DAYS

    def to_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "issuer_id": d["issuer"].pk if d.get("issuer") else None,
            "title": d["title"],
            "body": d["body"],
            "sensitivity": d["sensitivity"],
            "series_id": d["series"].pk if d.get("series") else None,
            "recipient_ids": [o.pk for o in d.get("recipients") or ()],
            "receipt_working_days": d.get("receipt_working_days"),
            "feedback_working_days": d.get("feedback_working_days"),
        }


class BulletinEditForm(formkit.Versioned, BulletinForm):
    """The draft's fields with the version read (the issuer stays)."""

    def __init__(self, *args: Any, issuers: QuerySet, **kwargs: Any):
        super().__init__(*args, issuers=issuers, **kwargs)
        self.fields["issuer"].disabled = True
        self.fields["issuer"].required = False


class IssueForm(formkit.Versioned):
    """印发: the version the issuer read (nothing else)."""


class SignForm(forms.Form):
    organisation = OrganisationChoice(label=_("签收单位"), queryset=_active_organisations())

    def __init__(self, *args: Any, mine: list[Organisation] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if mine:
            field = self.fields["organisation"]
            field.widget.choices = [(o.pk, o.name) for o in mine]
            field.initial = mine[0].pk


class FeedbackForm(SignForm):
    text = text_area(_("反馈意见"), 5)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].label = _("反馈单位")


class SeriesForm(forms.Form):
    issuer = OrganisationChoice(label=_("印发单位"), queryset=Organisation.objects.none())
    name = forms.CharField(label=_("通报名称"), max_length=100)
    cadence = forms.ChoiceField(label=_("周期"), choices=[])

    schema_kwargs = {"issuers": Organisation.objects.none()}

    def __init__(self, *args: Any, issuers: QuerySet, **kwargs: Any):
        from wulian.core.bulletins.choices import Cadence

        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers
        self.fields["cadence"].choices = Cadence.choices
