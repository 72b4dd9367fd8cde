"""Forms of the activity pages. They parse input only; the services validate and their
`ValidationFailed.field_errors` are put back on the fields with `apply_errors()`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wulian.core import formkit
from wulian.core.activities.choices import ActivityKind, Attendance, ParticipantRole
from wulian.core.activities.models import (
    Activity,
    ActivityParticipant,
    ActivityRecordLink,
    Decision,
)
from wulian.core.choices import Sensitivity
from wulian.core.formkit import OrganisationChoice as OrganisationField
from wulian.core.formkit import apply_errors  # noqa: F401 — re-exported for the views
from wulian.core.models import Organisation, Person

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
STALE_FORM = _("页面已过期，您的修改未保存。请刷新页面后再修改。")


class Versioned(formkit.Versioned):
    stale_message = STALE_FORM


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("活动类型"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("活动名称"), max_length=200)
    organiser = OrganisationField(label=_("组织单位"), queryset=Organisation.objects.none())
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME_WIDGET, required=False)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    sensitivity = forms.ChoiceField(
        label=_("密级"), choices=Sensitivity.choices, initial=Sensitivity.INTERNAL
    )
    notes = forms.CharField(
        label=_("活动记录"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("议程、讨论情况、形成的意见等。"),
    )
    version = formkit.VersionField()

    def __init__(
        self,
        data: Any = None,
        *,
        instance: Activity | None = None,
        organisers: QuerySet | None = None,
    ):
        initial = None
        if instance is not None:
            initial = {
                "kind": instance.kind,
                "title": instance.title,
                "starts_at": instance.starts_at,
                "ends_at": instance.ends_at,
                "place": instance.place,
                "sensitivity": instance.sensitivity,
                "notes": instance.notes,
                "version": instance.version,
            }
        super().__init__(data, initial=initial)
        self.instance = instance
        if instance is not None:
            del self.fields["organiser"]  # fixed once the activity exists
        else:
            self.fields["organiser"].queryset = organisers
            if organisers is not None and len(organisers) == 1:
                self.fields["organiser"].initial = organisers[0].pk

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.instance is not None and not data.get("version"):
            raise forms.ValidationError(STALE_FORM, code="stale")
        return data

    def to_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        data = {
            "kind": d["kind"],
            "title": d["title"],
            "starts_at": d["starts_at"],
            "ends_at": d.get("ends_at"),
            "place": d.get("place", ""),
            "sensitivity": d["sensitivity"],
            "notes": d.get("notes", ""),
        }
        if "organiser" in self.fields:
            data["organiser_id"] = d["organiser"].pk
        return data


class ParticipantForm(forms.Form):
    organisation = OrganisationField(
        label=_("参加单位"),
        queryset=Organisation.objects.filter(is_active=True).order_by("sort_order", "code"),
    )
    person = forms.ModelChoiceField(
        label=_("人员（可不选）"), queryset=Person.objects.none(), required=False
    )
    role = forms.ChoiceField(
        label=_("参加身份"), choices=ParticipantRole.choices, initial=ParticipantRole.PARTICIPANT
    )

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        people: QuerySet | None = None,
        prefix: str | None = "participant",
    ):
        super().__init__(data, files, prefix=prefix)
        if people is not None:
            self.fields["person"].queryset = people.order_by("name", "id")

    def to_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        person = d.get("person")
        return {
            "organisation_id": d["organisation"].pk,
            "person_id": person.pk if person is not None else None,
            "role": d["role"],
        }


class HoldForm(Versioned):
    attended = forms.MultipleChoiceField(
        label=_("实际出席"), widget=forms.CheckboxSelectMultiple, required=False
    )

    schema_kwargs = {"participants": [], "version": 0}

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        participants: list[ActivityParticipant],
        version: int,
        prefix: str | None = "hold",
    ):
        super().__init__(data, files, prefix=prefix, initial={"version": version})
        self.fields["attended"].choices = [(str(p.pk), str(p)) for p in participants]
        self.fields["attended"].initial = [str(p.pk) for p in participants]

    def attended_ids(self) -> list[int]:
        return [int(v) for v in self.cleaned_data.get("attended", [])]


class CancelForm(Versioned):
    reason = forms.CharField(label=_("取消原因"), max_length=500)

    schema_kwargs = {"version": 0}

    def __init__(
        self, data: Any = None, files: Any = None, *, version: int, prefix: str | None = "cancel"
    ):
        super().__init__(data, files, prefix=prefix, initial={"version": version})


class LinkForm(forms.Form):
    record_type = forms.ChoiceField(label=_("记录类型"))
    record_id = forms.IntegerField(label=_("记录编号"), min_value=1, max_value=10**18 - 1)

    schema_kwargs = {"types": []}

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        types: list[tuple[str, str]],
        prefix: str | None = "link",
    ):
        super().__init__(data, files, prefix=prefix)
        self.fields["record_type"].choices = types


class ParticipantRemoveForm(forms.Form):
    """Which of the activity's participants to take off its list."""

    participant = forms.ModelChoiceField(
        label=_("参加单位"), queryset=ActivityParticipant.objects.none()
    )

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        participants: QuerySet | None = None,
        prefix: str | None = None,
    ):
        super().__init__(data, files, prefix=prefix)
        if participants is not None:
            self.fields["participant"].queryset = participants


class RecordUnlinkForm(forms.Form):
    """Which of the activity's record links to remove."""

    link = forms.ModelChoiceField(label=_("关联记录"), queryset=ActivityRecordLink.objects.none())

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        links: QuerySet | None = None,
        prefix: str | None = None,
    ):
        super().__init__(data, files, prefix=prefix)
        if links is not None:
            self.fields["link"].queryset = links


# --- Meetings (ADR 0023) ------------------------------------------------------------------
# A meeting's steps are taken on its activity's page, whose `version` is the activity's; the
# minutes' own version travels as `minutes_version`.


class MinutesVersioned(forms.Form):
    minutes_version = formkit.VersionField()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("minutes_version"):
            raise forms.ValidationError(STALE_FORM, code="stale")
        return data


class _Prefixed(forms.Form):
    default_prefix: str | None = None

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        prefix: str | None = "",
        initial: Any = None,
        **kwargs: Any,
    ):
        super().__init__(
            data, files, prefix=self.default_prefix if prefix == "" else prefix, initial=initial
        )
        self.setup(**kwargs)

    def setup(self, **kwargs: Any) -> None:
        pass


class ConvenerForm(_Prefixed):
    default_prefix = "convener"
    organisation = OrganisationField(
        label=_("召集单位"),
        queryset=Organisation.objects.filter(is_active=True).order_by("sort_order", "code"),
    )


class AgendaForm(_Prefixed):
    default_prefix = "agenda"
    title = forms.CharField(label=_("议题"), max_length=200)
    presenter_org = OrganisationField(
        label=_("汇报单位（可不选）"),
        queryset=Organisation.objects.filter(is_active=True).order_by("sort_order", "code"),
        required=False,
    )
    presenter = forms.CharField(label=_("汇报人"), max_length=100, required=False)


class AttendanceForm(_Prefixed):
    default_prefix = "attendance"
    participant = forms.ModelChoiceField(
        label=_("参加单位（人员）"), queryset=ActivityParticipant.objects.none()
    )
    attendance = forms.ChoiceField(
        label=_("出席情况"),
        choices=[(k, v) for k, v in Attendance.choices if k],
        initial=Attendance.PRESENT,
    )
    reason = forms.CharField(
        label=_("请假事由"), max_length=300, required=False, help_text=_("请假时必填。")
    )

    schema_kwargs: dict[str, Any] = {"participants": None}

    def setup(self, *, participants: QuerySet | None = None) -> None:
        if participants is not None:
            self.fields["participant"].queryset = participants


class MinutesForm(MinutesVersioned):
    title = forms.CharField(label=_("纪要标题"), max_length=200)
    body = forms.CharField(
        label=_("纪要正文"),
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("以“一、”“（一）”开头的行排为标题。修改已会签的纪要会清除会签，需重新会签。"),
    )

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        prefix: str | None = "minutes",
        initial: Any = None,
    ):
        super().__init__(data, files, prefix=prefix, initial=initial)


class SignForm(MinutesVersioned):
    organisation = forms.ModelChoiceField(
        label=_("代表召集单位"), queryset=Organisation.objects.none(), required=False
    )

    schema_kwargs: dict[str, Any] = {"organisations": None}

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        organisations: QuerySet | None = None,
        prefix: str | None = "sign",
        initial: Any = None,
    ):
        super().__init__(data, files, prefix=prefix, initial=initial)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations


class IssueForm(MinutesVersioned):
    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        prefix: str | None = "issue",
        initial: Any = None,
    ):
        super().__init__(data, files, prefix=prefix, initial=initial)


class DecisionForm(_Prefixed):
    default_prefix = "decision"
    text = forms.CharField(
        label=_("议定事项"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ActionForm(_Prefixed):
    default_prefix = "action"
    decision = forms.ModelChoiceField(label=_("所属议定事项"), queryset=Decision.objects.none())
    title = forms.CharField(label=_("落实事项"), max_length=200)
    owner_org = OrganisationField(
        label=_("责任单位"),
        queryset=Organisation.objects.filter(is_active=True).order_by("sort_order", "code"),
    )
    owner_person = forms.ModelChoiceField(
        label=_("责任人（可不选）"), queryset=Person.objects.none(), required=False
    )
    due_date = forms.DateField(
        label=_("完成日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("填完成日期或工作日天数，二者选一。"),
    )
    working_days = forms.IntegerField(
        label=_("或：工作日天数"), required=False, min_value=1, max_value=250
    )

    schema_kwargs: dict[str, Any] = {"decisions": None, "people": None}

    def setup(self, *, decisions: QuerySet | None = None, people: QuerySet | None = None) -> None:
        if decisions is not None:
            self.fields["decision"].queryset = decisions
        if people is not None:
            self.fields["owner_person"].queryset = people.order_by("name", "id")


class ActionReportForm(Versioned):
    report = forms.CharField(
        label=_("完成情况"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("佐证材料请在本页“附件”中上传。"),
    )

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        prefix: str | None = "report",
        initial: Any = None,
    ):
        super().__init__(data, files, prefix=prefix, initial=initial)


class ActionVerifyForm(Versioned):
    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        prefix: str | None = "verify",
        initial: Any = None,
    ):
        super().__init__(data, files, prefix=prefix, initial=initial)


class ActionReturnForm(Versioned):
    reason = forms.CharField(label=_("退回理由"), max_length=500)
    working_days = forms.IntegerField(
        label=_("再给工作日天数"), min_value=1, max_value=250, initial=5
    )

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        prefix: str | None = "send_back",
        initial: Any = None,
    ):
        super().__init__(data, files, prefix=prefix, initial=initial)


class ActionLinkForm(LinkForm):
    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        types: list[tuple[str, str]],
        prefix: str | None = "action_link",
        initial: Any = None,
    ):
        super().__init__(data, files, types=types, prefix=prefix)
