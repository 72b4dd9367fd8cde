"""Forms of secret ballots. They parse input only; the services validate, and their
`ValidationFailed.field_errors` are put back on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wulian.core.formkit import OrganisationChoice, Versioned, text_area
from wulian.core.models import Organisation, Person
from wulian.core.polls import tally
from wulian.core.polls.choices import OPTION_LABELS, PollKind, TallyRule
from wulian.core.polls.models import Poll, RaterGroup

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


class PollForm(forms.Form):
    """A new poll: its organiser and witness, rule, times, items (one a line) and rater groups
    (one a line: name and weight)."""

    title = forms.CharField(label=_("测评（票决）名称"), max_length=200)
    kind = forms.ChoiceField(label=_("类型"), choices=PollKind.choices)
    rule = forms.ChoiceField(label=_("计票规则"), choices=TallyRule.choices)
    organiser = OrganisationChoice(label=_("组织单位"), queryset=Organisation.objects.none())
    witness = OrganisationChoice(
        label=_("见证单位"),
        queryset=Organisation.objects.none(),
        help_text=_("见证开启投票并确认计票结果，一般为派驻纪检监察组。"),
    )
    opens_at = forms.DateTimeField(
        label=_("开始时间"), widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    closes_at = forms.DateTimeField(
        label=_("截止时间"), widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    items = text_area(
        _("测评（票决）对象"),
        6,
        max_length=20000,
        help_text=_("每行一个，如被测评的部门或候选项目。"),
    )
    groups = text_area(
        _("评议主体及权重"),
        4,
        max_length=2000,
        initial="常委会组成人员 50\n人大代表 30\n社会各界代表 20",
        help_text=_("每行一个评议主体：名称和权重，以空格分隔；不分权重时权重均填 1。"),
    )
    quorum = forms.IntegerField(
        label=_("有效投票最低人数"), min_value=0, max_value=100000, required=False
    )
    places = forms.IntegerField(
        label=_("应选名额"),
        min_value=1,
        max_value=200,
        required=False,
        help_text=_("差额票决时填写。"),
    )
    threshold = forms.IntegerField(
        label=_("整改分数线"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("加权得分低于此分数，或评定为不满意时，通知所关联的事项。"),
    )

    def __init__(self, *args: Any, organisers: QuerySet | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        active = Organisation.objects.filter(is_active=True).order_by("sort_order", "code")
        self.fields["organiser"].queryset = (
            organisers if organisers is not None else Organisation.objects.none()
        )
        self.fields["witness"].queryset = active

    def clean_groups(self) -> list[tuple[str, int]]:
        out = []
        for line in (self.cleaned_data.get("groups") or "").splitlines():
            parts = line.split()
            if not parts:
                continue
            weight = 1
            if len(parts) > 1 and parts[-1].isdigit():
                weight = int(parts[-1])
                parts = parts[:-1]
            out.append((" ".join(parts), weight))
        if not out:
            raise forms.ValidationError(_("请至少设置一个评议主体。"))
        return out

    def to_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "kind": d["kind"],
            "rule": d["rule"],
            "organiser_id": d["organiser"].pk,
            "witness_id": d["witness"].pk,
            "opens_at": d["opens_at"],
            "closes_at": d["closes_at"],
            "items": d["items"].splitlines(),
            "groups": d["groups"],
            "quorum": d.get("quorum") or 0,
            "places": d.get("places"),
            "threshold": d.get("threshold"),
        }


class GroupChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: RaterGroup) -> str:
        return obj.name


class _OfPoll(forms.Form):
    group = GroupChoice(label=_("评议主体"), queryset=RaterGroup.objects.none())

    def __init__(self, *args: Any, poll: Poll | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.poll = poll
        if poll is not None:
            self.fields["group"].queryset = RaterGroup.objects.filter(poll=poll)


def poll_kwargs(_actor: Any, poll: Poll) -> dict[str, Any]:
    return {"poll": poll}


class PersonsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.name


class RosterForm(_OfPoll):
    persons = PersonsChoice(
        label=_("投票人员"),
        queryset=Person.objects.filter(is_active=True).order_by("name", "id"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("用本人账号投票的人员；每人只能在一个评议主体中。"),
    )


class SlipsForm(_OfPoll):
    count = forms.IntegerField(
        label=_("印制张数"),
        min_value=1,
        max_value=2000,
        help_text=_("投票码只在印制页面显示一次，请当场打印；系统只保存其摘要。"),
    )


class PaperForm(_OfPoll):
    """A clerk's entry of a group's counted paper ballots: the number of ballots and, per item
    and option, a count (fields `c_<item id>_<option>`, on the page and in the API alike)."""

    ballots = forms.IntegerField(
        label=_("纸质票张数"),
        min_value=0,
        max_value=100000,
        help_text=_(
            "各对象各选项的票数在字段 c_<对象编号>_<选项> 中填写（如 c_12_satisfied），"
            "未填的按 0 计。"
        ),
    )

    def __init__(self, *args: Any, poll: Poll | None = None, **kwargs: Any) -> None:
        super().__init__(*args, poll=poll, **kwargs)
        self.count_rows: list[tuple[Any, list[str]]] = []
        if poll is not None:
            options = tally.OPTION_SETS[poll.kind]
            for item in poll.items.all():
                names = []
                for option in options:
                    name = f"c_{item.pk}_{option}"
                    self.fields[name] = forms.IntegerField(
                        label=f"{item.label} {OPTION_LABELS[option]}",
                        min_value=0,
                        max_value=100000,
                        required=False,
                    )
                    names.append(name)
                self.count_rows.append((item, names))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        counts: dict[str, dict[str, int]] = {}
        for name, value in data.items():
            if name.startswith("c_") and value:
                _c, item_id, option = name.split("_", 2)
                counts.setdefault(item_id, {})[option] = int(value)
        data["__counts"] = counts
        return data


class BallotForm(forms.Form):
    """A ballot: one choice per item (`i<item id>`), any left blank counts as blank."""

    def __init__(self, *args: Any, poll: Poll, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = [(o, OPTION_LABELS[o]) for o in tally.OPTION_SETS[poll.kind]]
        self.item_fields = []
        for item in poll.items.all():
            name = f"i{item.pk}"
            self.fields[name] = forms.ChoiceField(
                label=item.label, choices=options, required=False, widget=forms.RadioSelect
            )
            self.item_fields.append(name)

    def choices(self) -> dict[str, str]:
        return {
            name[1:]: value for name, value in self.cleaned_data.items() if name.startswith("i")
        }


class SlipCodeForm(forms.Form):
    code = forms.CharField(
        label=_("投票码"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("票面上的 10 位投票码，如 7K3M-Q9TX-2H；不区分大小写。"),
    )


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("回执码"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class VersionOnly(Versioned):
    """A step that takes nothing but the version the page showed."""
