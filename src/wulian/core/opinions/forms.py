"""Forms of opinion rounds. They parse input only; the services validate, and their
`ValidationFailed.field_errors` are put back on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wulian.core import formkit
from wulian.core.formkit import DeputiesLookup, OrganisationChoice, OrganisationsLookup, text_area
from wulian.core.models import Organisation
from wulian.core.opinions.choices import Disposition

TEXT_HELP = _("每段一行（空行不计）；段落按顺序编号，意见对应到段落。也可改为上传 .docx 文件。")


class RoundForm(forms.Form):
    drafter = OrganisationChoice(label=_("起草单位"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("征求意见稿名称"), max_length=200)
    text = text_area(_("征求意见稿正文"), 12, required=False, help_text=TEXT_HELP)
    docx = forms.FileField(label=_("或上传 .docx 文件"), required=False)
    working_days = forms.IntegerField(
        label=_("征求期限（工作日）"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=_("自发出之日起计算，遇法定节假日顺延。"),
    )

    schema_kwargs = {"drafters": Organisation.objects.none()}

    def __init__(self, *args: Any, drafters: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["drafter"].queryset = drafters
        if len(drafters) == 1:
            self.fields["drafter"].initial = drafters[0]
        self.fields["working_days"].initial = settings.OPINION_WORKING_DAYS

    def to_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "drafter_id": d["drafter"].pk if d.get("drafter") else None,
            "title": d["title"],
            "text": d.get("text") or "",
            "docx": d.get("docx"),
            "working_days": d.get("working_days"),
        }


class VersionForm(formkit.Versioned):
    """上传新稿: pasted text or a .docx, and what changed."""

    text = text_area(_("新稿正文"), 10, required=False, help_text=TEXT_HELP)
    docx = forms.FileField(label=_("或上传 .docx 文件"), required=False)
    note = forms.CharField(label=_("修改说明"), max_length=500, required=False)


class InviteForm(formkit.Versioned):
    organisations = OrganisationsLookup(label=_("受邀单位"), required=False)
    persons = DeputiesLookup(
        label=_("受邀人员"),
        required=False,
        help_text=_("点名征求意见的代表等人员，每行一位；输入姓名后从提示中选择。"),
    )


class VersionOnlyForm(formkit.Versioned):
    """发出、截止: the version the drafting side read (nothing else)."""


class InviteeChoiceForm(forms.Form):
    """Who the person answers for: an invited organisation they work in, or themselves as an
    invited person (one choice when they answer for one only)."""

    invitee = forms.IntegerField(label=_("以谁的名义"), required=False)

    def __init__(self, *args: Any, mine: list[Any] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if mine:
            field = self.fields["invitee"]
            field.widget = forms.Select(choices=[(i.pk, i.name) for i in mine])
            field.initial = mine[0].pk


class CommentForm(InviteeChoiceForm):
    paragraph = forms.IntegerField(
        label=_("段号"),
        min_value=0,
        required=False,
        help_text=_("现行稿的段号；不填或填 0 为对全文的总体意见。"),
    )
    text = text_area(_("意见内容"), 5)


class NoOpinionForm(InviteeChoiceForm):
    pass


class DisposeForm(forms.Form):
    comment = forms.IntegerField(label=_("意见编号"), min_value=1, widget=forms.HiddenInput)
    version = forms.IntegerField(label=_("意见的版本"), min_value=1, widget=forms.HiddenInput)
    disposition = forms.ChoiceField(label=_("处理结果"), choices=Disposition.choices)
    reason = text_area(_("理由"), 3, required=False, help_text=_("部分采纳、未采纳须说明理由。"))
