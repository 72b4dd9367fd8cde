"""Choice sets of clues (问题线索) and the clue's transition table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClueState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    TRANSFERRED = "transferred", _("已移送")
    RECEIVED = "received", _("已签收")
    # The case-management office's proposal awaits the leader's approval (docs/adr/0019).
    PROPOSED = "proposed", _("处置意见待审批")
    DISPOSED = "disposed", _("已处置")
    FEEDBACK_GIVEN = "feedback_given", _("已反馈")
    # 谈话函询 or 初步核实 has led to an outcome (docs/adr/0019).
    CONCLUDED = "concluded", _("已办结")


class Disposition(models.TextChoices):
    """The four ways of disposing of a clue (问题线索处置方式)."""

    TALK_OR_LETTER = "talk_or_letter", _("谈话函询")
    PRELIMINARY_VERIFICATION = "preliminary_verification", _("初步核实")
    HOLD = "hold", _("暂存待查")
    CLOSE = "close", _("予以了结")


class Outcome(models.TextChoices):
    """Where 谈话函询 and 初步核实 lead (《中国共产党纪律检查机关监督执纪工作规则》, 2019:
    谈话函询 → 了结澄清, or 谈话提醒、批评教育 …; 初步核实 → 拟立案审查调查, 予以了结, 谈话提醒,
    or 移送有关党组织处理). The sending office sees the kind, never the note (ADR 0007, 0019)."""

    CLOSED = "closed", _("予以了结")
    REMINDER = "reminder", _("谈话提醒、批评教育")
    CASE_FILED = "case_filed", _("立案审查调查")
    TRANSFERRED_ELSEWHERE = "transferred_elsewhere", _("移送其他机关或党组织处理")


#: Which outcomes each disposition may lead to (立案 follows 初步核实 only).
OUTCOMES_OF: dict[str, frozenset[str]] = {
    Disposition.TALK_OR_LETTER: frozenset(
        {Outcome.CLOSED, Outcome.REMINDER, Outcome.TRANSFERRED_ELSEWHERE}
    ),
    Disposition.PRELIMINARY_VERIFICATION: frozenset(Outcome.values),
}


class ViolationType(models.TextChoices):
    POLITICAL = "political", _("违反政治纪律")
    ORGANISATIONAL = "organisational", _("违反组织纪律")
    INTEGRITY = "integrity", _("违反廉洁纪律")
    MASS = "mass", _("违反群众纪律")
    WORK = "work", _("违反工作纪律")
    LIFE = "life", _("违反生活纪律")
    DUTY_VIOLATION = "duty_violation", _("涉嫌职务违法")
    DUTY_CRIME = "duty_crime", _("涉嫌职务犯罪")
    OTHER = "other", _("其他")


class Step(models.TextChoices):
    TRANSFER = "transfer", _("移送")
    RECEIVE = "receive", _("签收")
    FEEDBACK = "feedback", _("反馈")
    PROPOSE = "propose", _("提出处置意见")
    APPROVE = "approve", _("审批处置意见")
    RETURN = "return", _("退回处置意见")
    REACTIVATE = "reactivate", _("启用暂存线索")
    CONCLUDE = "conclude", _("登记办理结果")


S = ClueState

# The one place that says which step may be taken in which state, and where it leads.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, Step.TRANSFER): S.TRANSFERRED,
    (S.TRANSFERRED, Step.RECEIVE): S.RECEIVED,
    # No single person records a disposition: the case-management office proposes, the
    # responsible leader approves (or returns it), two different people (docs/adr/0019).
    (S.RECEIVED, Step.PROPOSE): S.PROPOSED,
    (S.PROPOSED, Step.APPROVE): S.DISPOSED,
    (S.PROPOSED, Step.RETURN): S.RECEIVED,
    (S.DISPOSED, Step.FEEDBACK): S.FEEDBACK_GIVEN,
    # A disposition is not the end: 暂存待查 may be taken up again, 谈话函询 and 初步核实 lead
    # to an outcome, which a further feedback reports (the services check the disposition).
    (S.DISPOSED, Step.REACTIVATE): S.RECEIVED,
    (S.FEEDBACK_GIVEN, Step.REACTIVATE): S.RECEIVED,
    (S.DISPOSED, Step.CONCLUDE): S.CONCLUDED,
    (S.FEEDBACK_GIVEN, Step.CONCLUDE): S.CONCLUDED,
    (S.CONCLUDED, Step.FEEDBACK): S.FEEDBACK_GIVEN,
}

# The kinds of deadline opened on a clue when it is transferred.
DEADLINE_RECEIPT = "clue_receipt"
DEADLINE_DISPOSITION = "clue_disposition"
# The sending office's own time limit to transfer, counted from the day the clue was found
# (opened with the draft when that day is given).
DEADLINE_TRANSFER = "clue_transfer"
