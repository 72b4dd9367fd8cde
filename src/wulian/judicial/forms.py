"""Forms of the judicial pages. They parse input only; the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wulian.core import formkit
from wulian.core.choices import ExpertCategory, OrgKind
from wulian.core.clues.choices import ViolationType
from wulian.core.formkit import OrganisationChoice, text_area
from wulian.core.imports import split_list
from wulian.core.models import Organisation
from wulian.judicial.choices import (
    Availability,
    CaseKind,
    ConflictKind,
    Grade,
    PetitionOutcome,
)
from wulian.judicial.models import Case, PanelSeat, Problem
from wulian.judicial.parsing import format_lawyers, format_parties

STALE_FORM = _("页面已过期，您的操作未执行。请刷新页面后再操作。")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class Versioned(formkit.Versioned):
    stale_message = STALE_FORM


class StepForm(Versioned):
    """A step that needs nothing but the version the page was read at."""


class NothingForm(forms.Form):
    """A step that takes no input (withdrawing a declaration: it carries no version)."""


def _orgs(*kinds: str) -> QuerySet:
    return Organisation.objects.filter(kind__in=kinds, is_active=True).order_by(
        "sort_order", "code"
    )


def judicial_bodies() -> QuerySet:
    return _orgs(OrgKind.COURT, OrgKind.PROCURATORATE)


class CaseLabel(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Case) -> str:
        return f"{obj.number} {obj.cause}".strip()


class ProblemLabel(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Problem) -> str:
        return f"{obj.case.number}：{obj.description[:60]}"


# --- The pool -----------------------------------------------------------------------------


class ExpertForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=60)
    title = forms.CharField(label=_("职务"), max_length=120, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    category = forms.ChoiceField(label=_("专家类别"), choices=ExpertCategory.choices)
    specialties = forms.CharField(
        label=_("专业领域"),
        max_length=300,
        required=False,
        help_text=_("多个领域用顿号或逗号分隔，例如：民事、商事、执行"),
    )
    employer = forms.CharField(label=_("工作单位"), max_length=200, required=False)
    law_firm = forms.CharField(
        label=_("律师事务所"),
        max_length=200,
        required=False,
        help_text=_("律师类专家必填：与案件代理律师同所的专家回避。"),
    )
    availability = forms.ChoiceField(label=_("可参加情况"), choices=Availability.choices)
    joined_on = forms.DateField(label=_("入库日期"), required=False, widget=DATE_WIDGET)
    version = formkit.VersionField()

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if editing:
            for name in ("name", "title", "phone", "email", "joined_on"):
                del self.fields[name]

    @staticmethod
    def initial_for(expert: Any) -> dict[str, Any]:
        p = expert.profile
        return {
            "category": p.category,
            "specialties": "、".join(p.specialties),
            "employer": p.employer,
            "law_firm": p.law_firm,
            "availability": expert.availability,
            "version": expert.version,
        }

    def to_data(self) -> dict[str, Any]:
        return self.data_of(self.cleaned_data)

    @staticmethod
    def data_of(d: dict[str, Any]) -> dict[str, Any]:
        """The service's data from the cleaned fields (the page's form or the API's body)."""
        d = dict(d)
        d["specialties"] = split_list(d.get("specialties") or "")
        return d


class ExpertEditForm(ExpertForm):
    """A pool entry's changes (the person's own details are changed on the person's page)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, editing=True, **kwargs)


class SuspendForm(Versioned):
    reason = forms.CharField(label=_("暂停原因"), max_length=200)


class ConflictForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ConflictKind.choices)
    counterpart = forms.CharField(
        label=_("关系对象"),
        max_length=200,
        required=False,
        help_text=_("有利害关系的人员或单位的名称（与案件当事人、法官、律师、律所比对）。"),
    )
    case = forms.ModelChoiceField(
        label=_("回避案件"),
        queryset=Case.objects.order_by("-id"),
        required=False,
        help_text=_("类型为“本人申请回避”时选择。"),
    )
    note = forms.CharField(label=_("说明"), max_length=500, required=False)
    declared_on = forms.DateField(label=_("申报日期"), required=False, widget=DATE_WIDGET)

    def to_data(self) -> dict[str, Any]:
        return self.data_of(self.cleaned_data)

    @staticmethod
    def data_of(d: dict[str, Any]) -> dict[str, Any]:
        """The service's data from the cleaned fields (the page's form or the API's body)."""
        return {
            "kind": d["kind"],
            "counterpart": d["counterpart"],
            "case_id": d["case"].pk if d["case"] else None,
            "note": d["note"],
            "declared_on": d["declared_on"],
        }


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


class RatingForm(forms.Form):
    expert = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    score = forms.TypedChoiceField(
        label=_("评价"),
        coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
    )
    note = forms.CharField(label=_("评价意见"), max_length=500, required=False)


# --- Cases --------------------------------------------------------------------------------


class CaseForm(forms.Form):
    number = forms.CharField(
        label=_("案号"), max_length=80, help_text=_("例如（2023）鄂02民初123号")
    )
    court = OrganisationChoice(label=_("承办法院或检察院"), queryset=judicial_bodies())
    kind = forms.ChoiceField(label=_("评查类别"), choices=CaseKind.choices)
    cause = forms.CharField(label=_("案由"), max_length=200, required=False)
    parties = text_area(
        _("当事人"),
        4,
        help_text=_("每行一个，例如：黄石某某机械有限公司（被告，企业）、张三（原告）"),
    )
    judges = text_area(_("承办法官或检察官"), 2, help_text=_("每行一个姓名"))
    lawyers = text_area(
        _("代理律师"),
        3,
        required=False,
        help_text=_("每行一个，例如：李四（湖北某某律师事务所，代理黄石某某机械有限公司）"),
    )
    filed_by_org = OrganisationChoice(label=_("备案单位"), queryset=Organisation.objects.none())
    version = formkit.VersionField()

    def __init__(self, *args: Any, filers: QuerySet | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if filers is None:
            del self.fields["filed_by_org"]
        else:
            self.fields["filed_by_org"].queryset = filers

    @staticmethod
    def initial_for(case: Case) -> dict[str, Any]:
        return {
            "number": case.number,
            "court": case.court_id,
            "kind": case.kind,
            "cause": case.cause,
            "parties": format_parties(case.parties),
            "judges": "\n".join(case.judges),
            "lawyers": format_lawyers(case.lawyers),
            "version": case.version,
        }

    def to_data(self) -> dict[str, Any]:
        return self.data_of(self.cleaned_data)

    @staticmethod
    def data_of(d: dict[str, Any]) -> dict[str, Any]:
        """The service's data from the cleaned fields (the page's form or the API's body)."""
        data = {
            "number": d["number"],
            "court_id": d["court"].pk,
            "kind": d["kind"],
            "cause": d["cause"],
            "parties": d["parties"],
            "judges": d["judges"],
            "lawyers": d["lawyers"],
        }
        if "filed_by_org" in d:
            data["filed_by_org_id"] = d["filed_by_org"].pk
        return data


# --- Batches ------------------------------------------------------------------------------


class BatchForm(forms.Form):
    # The API schema's blank form (bound to nothing: no single choice to preselect, no query).
    schema_kwargs = {
        "organisers": Organisation.objects.none(),
        "cases": Case.objects.none(),
        "data": {},
    }

    title = forms.CharField(label=_("批次名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    organiser_org = OrganisationChoice(label=_("组织单位"), queryset=Organisation.objects.none())
    witness_org = OrganisationChoice(
        label=_("监督单位（派驻纪检监察组）"), queryset=_orgs(OrgKind.STATIONED_GROUP)
    )
    reviewers_per_case = forms.IntegerField(
        label=_("每案评查专家人数"), min_value=1, max_value=15, initial=3
    )
    min_deputy = forms.IntegerField(
        label=_("其中至少：人大代表"), min_value=0, max_value=15, initial=0, required=False
    )
    min_lawyer = forms.IntegerField(
        label=_("其中至少：律师"), min_value=0, max_value=15, initial=1, required=False
    )
    min_professor = forms.IntegerField(
        label=_("其中至少：高校教授"), min_value=0, max_value=15, initial=1, required=False
    )
    min_other = forms.IntegerField(
        label=_("其中至少：其他"), min_value=0, max_value=15, initial=0, required=False
    )
    reserves_per_category = forms.IntegerField(
        label=_("每类备选人数"), min_value=0, max_value=10, initial=2
    )
    max_cases_per_expert = forms.IntegerField(
        label=_("每名专家本批最多评查案件数"),
        min_value=1,
        max_value=500,
        required=False,
        help_text=_("留空则按人数均衡分配。"),
    )
    year_cap = forms.IntegerField(
        label=_("每名专家年度最多评查案件数"), min_value=1, max_value=500, required=False
    )
    recent_judge_days = forms.IntegerField(
        label=_("近期评查过同一法官（检察官）案件的回避天数"),
        min_value=0,
        max_value=3650,
        initial=365,
    )
    disagreement_points = forms.IntegerField(
        label=_("评分分差超过多少分时提示分歧"), min_value=1, max_value=100, initial=15
    )
    rubric = text_area(
        _("评分细则"),
        5,
        required=False,
        help_text=_(
            "每行一项：名称 满分，例如“实体 40”。留空使用默认细则（实体、程序、文书、执行）。"
        ),
    )
    cases = CaseLabel(
        label=_("评查案件"),
        queryset=Case.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = formkit.VersionField()

    def __init__(self, *args: Any, organisers: QuerySet, cases: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser_org"].queryset = organisers
        self.fields["cases"].queryset = cases

    def clean_rubric(self) -> list[dict[str, Any]]:
        rubric = []
        for line in (self.cleaned_data.get("rubric") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            name, _sep, points = line.replace("\u3000", " ").rpartition(" ")
            if not name.strip() or not points.strip().isdecimal():
                raise forms.ValidationError(
                    _("“%(l)s”的格式不对：每行写名称和满分，中间空一格，例如“实体 40”。"),
                    params={"l": line},
                )
            rubric.append({"name": name.strip(), "max": int(points)})
        return rubric

    @staticmethod
    def initial_for(batch: Any) -> dict[str, Any]:
        return {
            "title": batch.title,
            "year": batch.year,
            "organiser_org": batch.organiser_org_id,
            "witness_org": batch.witness_org_id,
            "reviewers_per_case": batch.reviewers_per_case,
            **{f"min_{c}": (batch.minimums or {}).get(c, 0) for c in ExpertCategory.values},
            "reserves_per_category": batch.reserves_per_category,
            "max_cases_per_expert": batch.max_cases_per_expert,
            "year_cap": batch.year_cap,
            "recent_judge_days": batch.recent_judge_days,
            "disagreement_points": batch.disagreement_points,
            "rubric": "\n".join(f"{c['name']} {c['max']}" for c in batch.rubric),
            "cases": list(batch.cases.values_list("pk", flat=True)),
            "version": batch.version,
        }

    def to_data(self) -> dict[str, Any]:
        return self.data_of(self.cleaned_data)

    @staticmethod
    def data_of(d: dict[str, Any]) -> dict[str, Any]:
        """The service's data from the cleaned fields (the page's form or the API's body)."""
        rubric = d["rubric"]
        return {
            "title": d["title"],
            "year": d["year"],
            "organiser_org_id": d["organiser_org"].pk,
            "witness_org_id": d["witness_org"].pk,
            "reviewers_per_case": d["reviewers_per_case"],
            "minimums": {c: d.get(f"min_{c}") or 0 for c in ExpertCategory.values},
            "reserves_per_category": d["reserves_per_category"],
            "max_cases_per_expert": d["max_cases_per_expert"],
            "year_cap": d["year_cap"],
            "recent_judge_days": d["recent_judge_days"],
            "disagreement_points": d["disagreement_points"],
            "rubric": rubric,
            "case_ids": [c.pk for c in d["cases"]],
        }


class FreezeForm(Versioned):
    code = forms.CharField(
        label=_("抽取编号"),
        max_length=64,
        required=False,
        help_text=_("留空由系统编号。每个编号只能使用一次。"),
    )


class WitnessForm(forms.Form):
    value = forms.CharField(
        label=_("随机数（12 位数字）"),
        max_length=40,
        help_text=_("掷 12 次十面骰（或六面骰），依次写下点数。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class AbortRequestForm(Versioned):
    # Not required here: the service names the missing reason, for the page and the API alike.
    reason = text_area(
        _("作废原因"),
        2,
        max_length=500,
        required=False,
        help_text=_("记入审计链，并送本批次的见证人确认。"),
    )


class AbortRefuseForm(Versioned):
    note = text_area(_("不同意作废的理由"), 2, max_length=500, required=False)


class DeclineForm(Versioned):
    reason = text_area(_("谢绝理由"), 2, max_length=500, required=False)


# --- Review -------------------------------------------------------------------------------


class ScoreForm(forms.Form):
    """One field per rubric criterion (named c_<code>), and the opinion."""

    # The API schema's blank form: the criteria vary by batch (c_<code>, 0 to its maximum).
    schema_kwargs = {"rubric": []}

    comment = text_area(_("评查意见"), 4, required=False)
    version = formkit.VersionField()

    def __init__(self, *args: Any, rubric: list[dict[str, Any]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        fields = {}
        for c in rubric:
            fields[f"c_{c['code']}"] = forms.IntegerField(
                label=f"{c['name']}（{_('满分')} {c['max']}）",
                min_value=0,
                max_value=int(c["max"]),
            )
        self.fields = {**fields, **self.fields}

    @staticmethod
    def values_of(d: dict[str, Any], rubric: list[dict[str, Any]]) -> dict[str, int]:
        """The points per criterion code, from the cleaned fields (page or API)."""
        return {c["code"]: d[f"c_{c['code']}"] for c in rubric}


class PaperScoreForm(ScoreForm):
    """A reviewer's paper score sheet, entered by the organiser: whose sheet (a seat of the
    case still without a score of his own), the points, the opinion and what identifies the
    sheet."""

    schema_kwargs = {"rubric": [], "seats": None}

    seat = forms.ModelChoiceField(
        label=_("评查专家"),
        queryset=PanelSeat.objects.none(),
        empty_label=None,
        help_text=_("只列出尚未在系统中提交评分、纸质评分表尚未会签的评查专家。"),
    )
    paper_note = forms.CharField(
        label=_("纸质评分表说明"),
        max_length=500,
        help_text=_("例如：评分表编号、专家签字日期、电话确认的时间和确认人。"),
    )

    def __init__(self, *args: Any, seats: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = seats if seats is not None else PanelSeat.objects.none()
        self.fields["seat"].label_from_instance = _seat_label
        self.fields = {"seat": self.fields.pop("seat"), **self.fields}
        self.fields.pop("version", None)  # the sheet is locked in the service, not versioned


class PaperCosignForm(forms.Form):
    """The witness co-signs one paper score sheet of the case."""

    schema_kwargs = {"seats": None}

    seat = forms.ModelChoiceField(
        label=_("待会签的纸质评分表"), queryset=PanelSeat.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, seats: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = seats if seats is not None else PanelSeat.objects.none()
        self.fields["seat"].label_from_instance = _seat_label


def _seat_label(seat: PanelSeat) -> str:
    return f"{seat.expert.profile.person.name}（{seat.get_category_display()}）"


class GradeForm(Versioned):
    grade = forms.ChoiceField(label=_("评查等次"), choices=Grade.choices)
    summary = text_area(_("评查意见"), 4)


class ProblemForm(forms.Form):
    schema_kwargs = {"rubric": []}  # the API schema's blank form (the criteria vary by batch)

    criterion = forms.ChoiceField(label=_("所属评查项目"), required=False)
    description = text_area(_("问题描述"), 3)
    is_misconduct = forms.BooleanField(
        label=_("涉及司法人员违纪违法（可作为问题线索移送纪委监委）"), required=False
    )

    def __init__(self, *args: Any, rubric: list[dict[str, Any]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [("", "—")] + [(c["code"], c["name"]) for c in rubric]


class ReferForm(forms.Form):
    """The clue a misconduct problem becomes (the clue service validates it)."""

    # The API schema's blank form (bound to nothing: no single choice to preselect, no query).
    schema_kwargs = {"senders": Organisation.objects.none(), "data": {}}

    sending_org = OrganisationChoice(label=_("移送单位"), queryset=Organisation.objects.none())
    receiving_org = OrganisationChoice(label=_("受理机关"), queryset=_orgs(OrgKind.CDI))
    subject_name = forms.CharField(label=_("反映对象姓名"), max_length=60)
    subject_post = forms.CharField(label=_("反映对象职务"), max_length=200, required=False)
    violation_type = forms.ChoiceField(label=_("问题类别"), choices=ViolationType.choices)
    content = text_area(
        _("主要问题"), 6, help_text=_("加密保存；移送后仅纪委监委线索管理人员可见。")
    )
    evidence = text_area(_("证据材料说明"), 3, required=False)

    def __init__(self, *args: Any, senders: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["sending_org"].queryset = senders

    @staticmethod
    def data_of(d: dict[str, Any]) -> dict[str, Any]:
        """The clue's fields from the cleaned fields (the page's form or the API's body)."""
        return {
            "sending_org_id": d["sending_org"].pk,
            "receiving_org_id": d["receiving_org"].pk,
            "subject_name": d["subject_name"],
            "subject_post": d["subject_post"],
            "violation_type": d["violation_type"],
            "content": d["content"],
            "evidence": d["evidence"],
        }


# --- Suggestions --------------------------------------------------------------------------


class SuggestionForm(forms.Form):
    schema_kwargs = {"problems": Problem.objects.none()}

    addressee = OrganisationChoice(label=_("送达单位"), queryset=judicial_bodies())
    title = forms.CharField(label=_("标题"), max_length=200)
    content = text_area(_("意见建议内容"), 8)
    problems = ProblemLabel(
        label=_("依据的问题"),
        queryset=Problem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = formkit.VersionField()

    def __init__(self, *args: Any, problems: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["problems"].queryset = problems

    def to_data(self) -> dict[str, Any]:
        return self.data_of(self.cleaned_data)

    @staticmethod
    def data_of(d: dict[str, Any]) -> dict[str, Any]:
        """The service's data from the cleaned fields (the page's form or the API's body)."""
        return {
            "addressee_id": d["addressee"].pk,
            "title": d["title"],
            "content": d["content"],
            "problem_ids": [p.pk for p in d["problems"]],
        }


class SendForm(Versioned):
    rectification_months = forms.IntegerField(
        label=_("整改期限（月）"), min_value=1, max_value=36, initial=3
    )


class YesNoField(forms.BooleanField):
    """A yes-or-no answer that must be given: the page's radio buttons post "1" or "0", the
    API's body a JSON boolean (false is an answer, not a missing one)."""

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        if value in (True, "1", "true", "True"):
            return True
        if value in (False, "0", "false", "False"):
            return False
        raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class AnswerForm(Versioned):
    adopted = YesNoField(
        label=_("是否采纳"),
        widget=forms.RadioSelect(choices=(("1", _("采纳")), ("0", _("不予采纳")))),
        error_messages={"invalid_choice": _("请选择采纳或不予采纳。")},
    )
    answer = text_area(_("答复意见"), 4)


class ResultsForm(Versioned):
    schema_kwargs = {"cases": Case.objects.none()}

    corrected_cases = CaseLabel(
        label=_("依法纠正的案件"),
        queryset=Case.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    corrected_note = forms.CharField(label=_("纠正情况"), max_length=500, required=False)
    mechanisms = text_area(
        _("建立健全的制度机制"),
        3,
        required=False,
        help_text=_("每行一项，例如：终本案件层报审批制度"),
    )

    def __init__(self, *args: Any, cases: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["corrected_cases"].queryset = cases

    def clean_mechanisms(self) -> list[str]:
        """One mechanism a line (the service drops the empty ones)."""
        return [m.strip() for m in (self.cleaned_data.get("mechanisms") or "").splitlines()]


# --- Petitions ----------------------------------------------------------------------------


class PetitionForm(forms.Form):
    schema_kwargs = {"registrars": Organisation.objects.none(), "cases": Case.objects.none()}

    received_on = forms.DateField(label=_("来信来访日期"), widget=DATE_WIDGET)
    petitioner = forms.CharField(label=_("信访人"), max_length=60)
    petitioner_phone = forms.CharField(
        label=_("联系电话"), max_length=30, required=False, help_text=_("加密保存。")
    )
    summary = text_area(_("信访事项"), 5)
    case_number = forms.CharField(label=_("涉及案号"), max_length=80, required=False)
    cases = CaseLabel(label=_("关联评查案件"), queryset=Case.objects.none(), required=False)
    registering_org = OrganisationChoice(label=_("登记单位"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, registrars: QuerySet, cases: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["registering_org"].queryset = registrars
        self.fields["cases"].queryset = cases

    def to_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "received_on": d["received_on"],
            "petitioner": d["petitioner"],
            "petitioner_phone": d["petitioner_phone"],
            "summary": d["summary"],
            "case_number": d["case_number"],
            "case_ids": [c.pk for c in d["cases"]],
            "registering_org_id": d["registering_org"].pk,
        }


class RouteForm(Versioned):
    organisation = OrganisationChoice(label=_("转办单位"), queryset=judicial_bodies())
    working_days = forms.IntegerField(
        label=_("办理期限（工作日）"), min_value=1, max_value=90, initial=15
    )


class PetitionAnswerForm(Versioned):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=PetitionOutcome.choices)
    note = text_area(_("办理情况"), 4)


class LinkCasesForm(Versioned):
    schema_kwargs = {"cases": Case.objects.none()}

    cases = CaseLabel(
        label=_("关联评查案件"),
        queryset=Case.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, cases: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
