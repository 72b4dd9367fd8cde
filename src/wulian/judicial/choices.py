"""Choice sets of the judicial link (联动) and its transition tables.

Expert categories are the core's (`wulian.core.choices.ExpertCategory`): 人大代表, 律师, 高校教授,
其他 — the draw engine's categories (`draw.CATEGORIES`) use the same codes.
"""

from __future__ import annotations

from fractions import Fraction

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExpertStatus(models.TextChoices):
    ACTIVE = "active", _("在库")
    SUSPENDED = "suspended", _("暂停")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("可参加评查")
    UNAVAILABLE = "unavailable", _("暂不能参加")


class ConflictKind(models.TextChoices):
    """Declared conflicts (利害关系申报). `counterpart` names the person or organisation; a
    recusal names a case instead."""

    RELATIVE = "relative", _("近亲属或其他亲属关系")
    PAST_REPRESENTATION = "past_representation", _("曾代理或提供法律咨询")
    EMPLOYMENT = "employment", _("任职或受雇")
    INTEREST = "interest", _("投资或其他利害关系")
    RECUSAL = "recusal", _("本人申请回避（具体案件）")


class CaseKind(models.TextChoices):
    ENTERPRISE_TRIAL = "enterprise_trial", _("涉企审判案件")
    ENFORCEMENT = "enforcement", _("执行案件")
    SUPERVISION = "supervision", _("监督案件")


class PartyRole(models.TextChoices):
    PLAINTIFF = "plaintiff", _("原告")
    DEFENDANT = "defendant", _("被告")
    THIRD_PARTY = "third_party", _("第三人")
    APPELLANT = "appellant", _("上诉人")
    APPELLEE = "appellee", _("被上诉人")
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")
    # Enforcement cases (执行案件, 执字): the creditor who applies and the debtor.
    ENFORCEMENT_APPLICANT = "enforcement_applicant", _("申请执行人")
    ENFORCEMENT_RESPONDENT = "enforcement_respondent", _("被执行人")
    OTHER = "other", _("其他")


class BatchState(models.TextChoices):
    PREPARING = "preparing", _("筹备中")
    DRAWING = "drawing", _("抽取专家")
    REVIEWING = "reviewing", _("评查中")
    CLOSED = "closed", _("已结束")


class DrawState(models.TextChoices):
    FROZEN = "frozen", _("名单已冻结")
    COMMITTED = "committed", _("已承诺随机数")
    SEALED = "sealed", _("已抽取（密封）")
    ABORTED = "aborted", _("已作废")


class WitnessRole(models.TextChoices):
    WITNESS = "witness", _("监督见证人（纪检监察组）")
    SECOND = "second", _("第二输入人")


class InvitationState(models.TextChoices):
    INVITED = "invited", _("待确认")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已谢绝")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    FLAWED = "flawed", _("瑕疵")
    UNQUALIFIED = "unqualified", _("不合格")


# Grade bands on the share of the rubric's total points (consolidated mean of the reviewers).
# Exact fractions: a grade is a legal judgement, and a mean that lands on a band's floor (75 %
# of the points) belongs to that band — float arithmetic put some such means a hair below it.
GRADE_BANDS: tuple[tuple[Fraction, str], ...] = (
    (Fraction(90, 100), Grade.EXCELLENT),
    (Fraction(75, 100), Grade.QUALIFIED),
    (Fraction(60, 100), Grade.FLAWED),
    (Fraction(0), Grade.UNQUALIFIED),
)


def grade_for(share: Fraction | int | float | str) -> str:
    """The grade of a share of the rubric's points, compared exactly. Pass a `Fraction`
    (points / maximum); a float is read as the decimal it prints as (0.9 is 9/10)."""
    exact = share if isinstance(share, Fraction) else Fraction(str(share))
    for floor, grade in GRADE_BANDS:
        if exact >= floor:
            return grade
    return Grade.UNQUALIFIED


class SuggestionState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SENT = "sent", _("已送达")
    ADOPTED = "adopted", _("已采纳")
    NOT_ADOPTED = "not_adopted", _("未采纳")


class SuggestionStep(models.TextChoices):
    SEND = "send", _("送达")
    ADOPT = "adopt", _("采纳")
    REJECT = "reject", _("不予采纳")
    RECORD_RESULTS = "record_results", _("登记整改成效")


SUGGESTION_TRANSITIONS: dict[tuple[str, str], str] = {
    (SuggestionState.DRAFT, SuggestionStep.SEND): SuggestionState.SENT,
    (SuggestionState.SENT, SuggestionStep.ADOPT): SuggestionState.ADOPTED,
    (SuggestionState.SENT, SuggestionStep.REJECT): SuggestionState.NOT_ADOPTED,
    (SuggestionState.ADOPTED, SuggestionStep.RECORD_RESULTS): SuggestionState.ADOPTED,
}


class PetitionState(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    ROUTED = "routed", _("已转办")
    ANSWERED = "answered", _("已办结")


class PetitionStep(models.TextChoices):
    ROUTE = "route", _("转办")
    ANSWER = "answer", _("办结")


PETITION_TRANSITIONS: dict[tuple[str, str], str] = {
    (PetitionState.REGISTERED, PetitionStep.ROUTE): PetitionState.ROUTED,
    (PetitionState.ROUTED, PetitionStep.ANSWER): PetitionState.ANSWERED,
}


class PetitionOutcome(models.TextChoices):
    RESOLVED = "resolved", _("问题已解决")
    CORRECTED = "corrected", _("已依法纠正")
    EXPLAINED = "explained", _("已释法明理")
    NOT_SUPPORTED = "not_supported", _("诉求依法不予支持")


# The deadline opened when a petition is routed to a court or procuratorate.
DEADLINE_PETITION = "petition_answer"

# The rubric a new batch starts with; each batch keeps its own copy (configurable).
DEFAULT_RUBRIC: tuple[dict[str, object], ...] = (
    {"code": "substance", "name": "实体", "max": 40},
    {"code": "procedure", "name": "程序", "max": 30},
    {"code": "documents", "name": "文书", "max": 15},
    {"code": "enforcement", "name": "执行", "max": 15},
)
