"""Forms of the suggestion pages. They parse input only; the services validate."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wulian.core import formkit
from wulian.core import selectors as core_selectors
from wulian.core.choices import OrgKind, Role
from wulian.core.formkit import (  # noqa: F401 — re-exported for the views
    OrganisationChoice,
    OrganisationsChoice,
    apply_errors,
    text_area,
)
from wulian.core.models import Organisation, Person
from wulian.suggestions import reply_classes
from wulian.suggestions.choices import (
    Category,
    ContactMethod,
    NotAcceptedReason,
    RaisedDuring,
    Satisfaction,
    SupervisionKind,
)
from wulian.suggestions.models import CongressSession

STALE_FORM = _("页面已过期，您的操作未执行。请刷新页面后再操作。")
HANDLING_KINDS = [
    OrgKind.HANDLING_UNIT,
    OrgKind.GOVERNMENT,
    OrgKind.COURT,
    OrgKind.PROCURATORATE,
    OrgKind.OTHER,
]


class Versioned(formkit.Versioned):
    stale_message = STALE_FORM


def service_data(form: forms.Form) -> dict[str, Any]:
    """A valid form's fields as a service's `data`: each by its name, a chosen record by its id
    (`organiser` → `organiser_id`), several by their ids (`units` → `unit_ids`)."""
    data: dict[str, Any] = {}
    for name, value in form.cleaned_data.items():
        field = form.fields[name]
        if isinstance(field, forms.ModelMultipleChoiceField):
            data[f"{name.removesuffix('s')}_ids"] = [o.pk for o in value]
        elif isinstance(field, forms.ModelChoiceField):
            data[f"{name}_id"] = value.pk if value is not None else None
        else:
            data[name] = value
    return data


def deputies() -> QuerySet:
    """Active people who are deputies (`core.selectors.deputies`), by name."""
    return core_selectors.deputies().filter(is_active=True).order_by("name", "id")


def organisations(ids: Any) -> QuerySet:
    """The active organisations of `ids` (those a person acts for), in their order."""
    return Organisation.objects.filter(pk__in=ids, is_active=True).order_by("sort_order", "code")


def handling_units() -> QuerySet:
    return Organisation.objects.filter(kind__in=HANDLING_KINDS, is_active=True).order_by(
        "sort_order", "code"
    )


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.name


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.name


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


# --- Submission and review --------------------------------------------------------------------


class SubmitForm(forms.Form):
    """Phone-friendly: one column, the few fields a deputy fills; staff also name the deputy."""

    session = forms.ModelChoiceField(
        label=_("届次会次"),
        queryset=CongressSession.objects.order_by("-opens_on", "-id"),
        required=False,
        empty_label=_("当前会次"),
    )
    lead_deputy = PersonChoice(label=_("领衔代表"), queryset=Person.objects.none(), required=False)
    title = forms.CharField(label=_("标题"), max_length=200)
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    content = text_area(_("内容"), 10, help_text=_("写明反映的问题、原因和具体建议。"))
    raised_during = forms.ChoiceField(
        label=_("提出时间"),
        choices=[("", _("按日期自动判断")), *RaisedDuring.choices],
        required=False,
    )
    co_signers = formkit.DeputiesLookup(
        label=_("附议代表"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("每行一位，输入姓名或代表证号后从提示中选择。每位附议代表都会收到答复。"),
    )
    files = MultipleFileField(label=_("附件"), help_text=_("可选，如照片、调研材料。"))

    def __init__(
        self, *args: Any, staff: bool = False, person_id: int | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        people = deputies()
        # A deputy who submits is the lead deputy: he is not offered as his own co-signer.
        self.fields["co_signers"].queryset = (
            people.exclude(pk=person_id) if person_id and not staff else people
        )
        if staff:
            self.fields["lead_deputy"].queryset = people
            self.fields["lead_deputy"].required = True
        else:
            del self.fields["lead_deputy"]

    def to_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        data: dict[str, Any] = {
            "session_id": d["session"].pk if d.get("session") else None,
            "title": d["title"],
            "content": d["content"],
            "category": d["category"],
            "raised_during": d.get("raised_during") or "",
            "co_signer_ids": [p.pk for p in d.get("co_signers") or ()],
        }
        if d.get("lead_deputy"):
            data["lead_deputy_id"] = d["lead_deputy"].pk
        return data


class StepForm(Versioned):
    """A step that needs nothing but the version the page was read at."""


class UnmergeForm(StepForm):
    """拆分: taken on the merged suggestion's own page (no prefix) or from the list on its
    primary's page (prefix `m<id>`, one form per merged suggestion)."""

    def __init__(self, *args: Any, suggestion_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.prefix is None and f"m{suggestion_id}-version" in self.data:
            self.prefix = f"m{suggestion_id}"


PICK = re.compile(r"[0-9]{1,18}(:[0-9]{1,9})?")


class PickedVersions(forms.MultipleChoiceField):
    """Records picked with the version the page showed them at, each as "id:version" (or "id"
    alone: no check of its version). The page offers some as choices; any such value is read,
    and the service decides which may be taken."""

    json_schema = {
        "type": "array",
        "minItems": 1,
        "items": {"type": "string", "pattern": r"^[0-9]{1,18}(:[0-9]{1,9})?$"},
    }

    def valid_value(self, value: Any) -> bool:
        return bool(PICK.fullmatch(str(value)))

    def clean(self, value: Any) -> dict[int, int | None]:
        picked: dict[int, int | None] = {}
        for item in super().clean(value):
            pk, _sep, version = str(item).partition(":")
            picked[int(pk)] = int(version) if version else None
        return picked


class MergeForm(Versioned):
    """并案: the suggestions to merge into this one, each as "id:version" (the version the page
    showed)."""

    others = PickedVersions(label=_("并入本建议的建议"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, choices: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["others"].choices = list(choices)


class RejectForm(Versioned):
    reason = forms.ChoiceField(
        label=_("不予立案理由"), choices=NotAcceptedReason.choices, widget=forms.RadioSelect
    )
    note = text_area(
        _("说明"),
        4,
        required=False,
        help_text=_("告知代表的理由和建议的处理途径（如转为来信办理）。“其他原因”须填写。"),
    )


class WithdrawForm(Versioned):
    statement = text_area(
        _("书面撤回说明"), 4, help_text=_("撤回须以书面形式提出；撤回后办理即终止，不能恢复。")
    )
    letter_date = forms.DateField(
        label=_("书面申请日期"),
        widget=DateInput,
        required=False,
        help_text=_("工作人员代为登记代表的书面撤回申请时填写。"),
    )


# --- Joint assignment --------------------------------------------------------------------------


class ProposeForm(Versioned):
    """One suggestion from its page (the batch page handles many)."""

    lead_unit = OrganisationChoice(label=_("主办单位"), queryset=Organisation.objects.none())
    co_units = formkit.OrganisationsLookup(
        label=_("会办单位"), queryset=Organisation.objects.none(), required=False
    )
    note = text_area(_("交办说明"), 3, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = handling_units()
        self.fields["co_units"].queryset = handling_units()


class BatchReturnForm(Versioned):
    reason = text_area(_("退回理由"), 3)


class ConsultationForm(forms.Form):
    organiser = OrganisationChoice(label=_("组织单位"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("会商名称"), max_length=200, required=False)
    starts_at = forms.DateTimeField(
        label=_("会商时间"), widget=DateTimeInput(), input_formats=DATETIME_FORMATS
    )
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    units = formkit.OrganisationsLookup(
        label=_("参加会商的承办单位"), queryset=Organisation.objects.none()
    )
    notes = text_area(_("会商情况"), 4, required=False)

    def __init__(self, *args: Any, organisers: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        self.fields["units"].queryset = handling_units()


# --- Handling -----------------------------------------------------------------------------------


class SendBackForm(Versioned):
    reason = text_area(
        _("退回理由"), 3, help_text=_("写明不属于本单位职责的依据，以及建议的承办单位。")
    )


class WaiveForm(Versioned):
    """The congress office waives a co-unit's opinion (免除会办意见)."""

    reason = text_area(
        _("免除理由"),
        3,
        help_text=_(
            "例如：会办单位已口头答复无补充意见，或其职责已调整。理由将告知主办单位和该会办单位。"
        ),
    )


class CoUnitReplaceForm(Versioned):
    """The congress office settles a co-unit's send-back: another unit takes its place, or
    none does."""

    unit = OrganisationChoice(
        label=_("改由以下单位会办"), queryset=Organisation.objects.none(), required=False
    )
    drop = forms.BooleanField(label=_("不再另行指定会办单位"), required=False)

    def __init__(self, *args: Any, exclude: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = handling_units().exclude(pk__in=list(exclude))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("unit") is None and not data.get("drop"):
            self.add_error("unit", _("请选择接替会办的单位，或勾选“不再另行指定会办单位”。"))
        elif data.get("unit") is not None and data.get("drop"):
            self.add_error(
                "drop", _("已选择接替会办的单位时，不能同时勾选“不再另行指定会办单位”。")
            )
        return data


class ContactForm(forms.Form):
    method = forms.ChoiceField(label=_("联系方式"), choices=ContactMethod.choices)
    # The page records a contact with the lead deputy; the API may name a co-signer.
    deputy = forms.IntegerField(
        label=_("联系的代表"),
        help_text=_("领衔代表或附议代表；不填为领衔代表。"),
        min_value=1,
        max_value=10**18 - 1,
        required=False,
        widget=forms.HiddenInput,
    )
    contacted_at = forms.DateTimeField(
        label=_("联系时间"), widget=DateTimeInput(), input_formats=DATETIME_FORMATS
    )
    agreed = text_area(_("沟通情况和办理意见"), 3)


class OpinionForm(forms.Form):
    text = text_area(_("会办意见"), 4)


class ReplyForm(Versioned):
    category = forms.ChoiceField(
        label=_("答复类别"), choices=reply_classes.choices, widget=forms.RadioSelect
    )
    signer = forms.CharField(label=_("签发人"), max_length=60, help_text=_("承办单位主要负责人"))
    text = text_area(_("答复内容"), 10)
    public_text = text_area(
        _("公开文本"),
        4,
        required=False,
        help_text=_("可公开的答复内容，去除个人信息和不宜公开的内容；不填则不能公开。"),
    )
    face_to_face = forms.BooleanField(label=_("已当面答复"), required=False)
    files = MultipleFileField(label=_("附件"))


class ExtensionForm(forms.Form):
    new_due = forms.DateField(label=_("申请延至"), widget=DateInput)
    reason = text_area(
        _("延期理由"), 3, help_text=_("同意后将告知代表，请写明需要延期的原因和办理进展。")
    )


class ExtensionDecideForm(forms.Form):
    extension = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    decision = forms.ChoiceField(
        label=_("审批"),
        choices=[("approve", _("同意延期")), ("refuse", _("不同意"))],
        widget=forms.RadioSelect,
    )
    note = text_area(_("审批意见"), 2, required=False)


class VerdictForm(Versioned):
    on_attitude = forms.ChoiceField(
        label=_("对办理态度"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    on_result = forms.ChoiceField(
        label=_("对办理结果"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = text_area(
        _("意见"),
        3,
        required=False,
        help_text=_(
            "选择“不满意”时请说明理由（必填）。您的评价仅人大和督查部门可见，承办单位只看到汇总。"
        ),
    )


# --- Supervision, follow-up, key suggestions, publication ----------------------------------------


class SupervisionForm(forms.Form):
    """督办. The page issues it in the name of the person's (first) assigning body, to the lead
    unit; the API may name both (`issued_by_org`, `to_unit`)."""

    kind = forms.ChoiceField(label=_("督办类型"), choices=SupervisionKind.choices)
    requirements = text_area(_("督办要求"), 3)
    due_on = forms.DateField(
        label=_("报告截止日期"),
        widget=DateInput,
        required=False,
        help_text=_("不填则为按规定的工作日数。"),
    )
    issued_by_org = forms.IntegerField(
        min_value=1, max_value=10**18 - 1, required=False, widget=forms.HiddenInput
    )
    to_unit = forms.IntegerField(
        min_value=1, max_value=10**18 - 1, required=False, widget=forms.HiddenInput
    )


class OrderRespondForm(Versioned):
    response = text_area(_("办理情况报告"), 4)


class OrderCloseForm(Versioned):
    note = text_area(_("说明"), 2, required=False)


class EscalateForm(Versioned):
    note = text_area(
        _("通报说明"),
        3,
        help_text=_("通报后市纪委可查看该建议；可能存在的违纪违法问题请另行移送问题线索。"),
    )


class KeyForm(Versioned):
    is_key = forms.BooleanField(label=_("列为重点督办建议"), required=False)
    leader = PersonChoice(label=_("督办领导"), queryset=Person.objects.none(), required=False)
    decided_on = forms.DateField(label=_("主任会议确定日期"), widget=DateInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = (
            Person.objects.filter(
                is_active=True,
                memberships__is_active=True,
                memberships__role=Role.LEADER,
                memberships__organisation__kind__in=[OrgKind.CONGRESS, OrgKind.CONGRESS_BODY],
            )
            .distinct()
            .order_by("name")
        )


class PublishForm(Versioned):
    """The texts congress staff approve for the public page: the title, the content and one
    field per reply round (`reply_<n>`, disabled where the unit wrote no public text).
    `previewed` carries the digest of the texts whose preview the page showed: approving
    other texts than those previewed shows their preview first (the step checks it)."""

    previewed = forms.CharField(required=False, widget=forms.HiddenInput)
    # Its fields vary with the record (one per reply round): a `reply_<n>` the record lacks is
    # not named as an unknown field by the API (the step's own checks answer it).
    api_keys_vary = True
    # The API schema's blank form: a reply's text is `reply_<round>` (reply_1, reply_2, …).
    schema_kwargs = {
        "texts": [
            SimpleNamespace(field="title", label=_("公开标题"), allowed=True),
            SimpleNamespace(field="content", label=_("公开内容"), allowed=True),
            SimpleNamespace(field="reply_1", label="reply_<round>", allowed=True),
        ]
    }

    def __init__(self, *args: Any, texts: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for t in texts:
            if t.field == "title":
                field = forms.CharField(label=t.label, max_length=200)
            else:
                field = text_area(
                    t.label,
                    8 if t.field == "content" else 5,
                    required=False,
                    help_text=_("留空则公开页面不显示建议内容。") if t.field == "content" else "",
                )
            if not t.allowed:
                field.disabled = True
                field.help_text = _("承办单位没有为这次答复填写公开文本（未同意公开），不能公开。")
            self.fields[t.field] = field
        self.text_fields = [t.field for t in texts]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in self.text_fields:
            if isinstance(data.get(name), str):
                data[name] = publication_text(data[name])
        return data

    def texts(self) -> dict[str, str]:
        """The texts as submitted (or as first shown), for the preview."""
        if self.is_bound and hasattr(self, "cleaned_data"):
            return {n: self.cleaned_data.get(n) or "" for n in self.text_fields}
        if self.is_bound:
            return {n: publication_text(self.data.get(n) or "") for n in self.text_fields}
        return {n: publication_text(self.initial.get(n) or "") for n in self.text_fields}


def publication_texts(data: dict[str, Any]) -> dict[str, str]:
    """The texts of a valid `PublishForm`'s cleaned data: title, content, reply_<round>."""
    return {n: v or "" for n, v in data.items() if n not in ("version", "previewed")}


def publication_replies(texts: dict[str, str]) -> dict[int, str]:
    """round → text, of the texts' `reply_<round>`."""
    return {int(n.removeprefix("reply_")): t for n, t in texts.items() if n.startswith("reply_")}


def publication_text(value: str) -> str:
    """A text as the page submits it back: NFC, no bidi controls, Unix newlines, trimmed."""
    from wulian.core import text

    return text.normalise(value or "").replace("\r\n", "\n").strip()


def publication_digest(texts: dict[str, str]) -> str:
    import json

    from wulian.core.crypto import sm3_hex

    return sm3_hex(json.dumps(texts, sort_keys=True, ensure_ascii=False).encode())


class FollowUpForm(forms.Form):
    organiser = OrganisationChoice(label=_("组织单位"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("回访名称"), max_length=200, required=False)
    starts_at = forms.DateTimeField(
        label=_("回访时间"), widget=DateTimeInput(), input_formats=DATETIME_FORMATS
    )
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    notes = text_area(
        _("回访情况"),
        4,
        required=False,
        help_text=_(
            "参加承办单位工作会议、个别谈话等了解到的办理情况；发现的问题在活动页提出并交付整改。"
        ),
    )

    schema_kwargs = {"organisers": Organisation.objects.none()}

    def __init__(self, *args: Any, organisers: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers


# --- Sessions, campaigns, import -----------------------------------------------------------------


class SessionForm(forms.Form):
    name = forms.CharField(label=_("届次会次"), max_length=60)
    opens_on = forms.DateField(label=_("开幕日期"), widget=DateInput)
    closes_on = forms.DateField(label=_("闭幕日期"), widget=DateInput)
    office = OrganisationChoice(label=_("建议工作机构"), queryset=Organisation.objects.none())
    is_current = forms.BooleanField(label=_("设为当前会次"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Organisation.objects.filter(
            kind__in=[OrgKind.CONGRESS, OrgKind.CONGRESS_BODY], is_active=True
        ).order_by("sort_order", "code")


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("活动名称"), max_length=120, initial=_("三进三促"))
    organiser = OrganisationChoice(label=_("组织单位"), queryset=Organisation.objects.none())
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput)
    ends_on = forms.DateField(label=_("结束日期"), widget=DateInput, required=False)
    description = text_area(_("说明"), 3, required=False)

    def __init__(self, *args: Any, organisers: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers


class OpinionRegisterForm(forms.Form):
    """A deputy registers their own opinion; congress staff name the deputy (`collected_by`)."""

    collected_by = PersonChoice(label=_("收集代表"), queryset=Person.objects.none(), required=False)
    content = text_area(_("意见内容"), 4)
    collected_on = forms.DateField(label=_("收集日期"), widget=DateInput)
    place = forms.CharField(label=_("收集地点"), max_length=120, required=False)
    schema_kwargs = {"staff": True}  # the API schema names `collected_by` (staff only)

    def __init__(self, *args: Any, staff: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if staff:
            self.fields["collected_by"].queryset = deputies()
            self.fields["collected_by"].required = True
        else:
            del self.fields["collected_by"]


class OpinionAssignForm(Versioned):
    unit = OrganisationChoice(label=_("承办单位"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = handling_units()


class OpinionCompleteForm(Versioned):
    result = text_area(_("办理结果"), 3)


class ImportForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("届次会次"), queryset=CongressSession.objects.order_by("-opens_on", "-id")
    )
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


# --- Domain rules of issue 14: review as a letter, reassignment after 不满意 ---------------------


class AsLetterForm(Versioned):
    """审查：作为代表来信处理 (services.letter)."""

    note = text_area(
        _("说明"), 3, help_text=_("告知代表不作为代表建议办理的理由，以及来信的办理途径。")
    )


class ReassignForm(Versioned):
    """重新交办 after 不满意 (services.reopening)."""

    note = text_area(
        _("交办说明"),
        3,
        required=False,
        help_text=_("如代表的不满意理由、重新办理的要求。承办单位在重新交办后按期再次答复。"),
    )


class ConcentrationReportForm(forms.Form):
    """通报市纪委: a cluster of concentrated opinions (services.concentration)."""

    summary = text_area(
        _("通报说明"), 3, help_text=_("代表集中反映的问题和办理中的情况，市纪委据此了解。")
    )
    implicates = forms.BooleanField(
        label=_("可能存在违纪违法问题（转交市纪委研究处理）"),
        required=False,
        help_text=_("勾选后本通报按问题线索保密：仅本机构和市纪委线索处置人员可见。"),
    )
    implication_note = text_area(
        _("可能存在的违纪违法问题"),
        3,
        required=False,
        help_text=_("简述问题，不写具体人员姓名；涉及具体人员的，请另行移送问题线索。"),
    )
