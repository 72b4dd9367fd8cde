"""Choice sets of deputies' suggestions (代表建议) and the suggestion's transition table.

Each set has a Chinese label (translated to English in this app's `locale/en`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RaisedDuring(models.TextChoices):
    SESSION = "session", _("大会期间")
    RECESS = "recess", _("闭会期间")


class Category(models.TextChoices):
    ECONOMY = "economy", _("经济发展")
    URBAN_RURAL = "urban_rural", _("城乡建设")
    AGRICULTURE = "agriculture", _("农业农村")
    EDUCATION = "education", _("教育科技")
    HEALTH = "health", _("医疗卫生")
    CULTURE = "culture", _("文化旅游")
    SOCIAL = "social", _("社会保障和民生")
    ENVIRONMENT = "environment", _("生态环境")
    LAW = "law", _("民主法治")
    TRANSPORT = "transport", _("交通运输")
    OTHER = "other", _("其他")


class SuggestionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审查")
    NOT_ACCEPTED = "not_accepted", _("不予立案")
    # Review outcome of the national rules: not a suggestion, handled as a deputy's letter.
    AS_LETTER = "as_letter", _("作为代表来信处理")
    WITHDRAWN = "withdrawn", _("已撤回")
    ACCEPTED = "accepted", _("待交办")
    ASSIGNED = "assigned", _("已交办")
    SENT_BACK = "sent_back", _("退回待重新交办")
    HANDLING = "handling", _("办理中")
    ANSWERED = "answered", _("已答复")
    REOPENED = "reopened", _("重新办理")
    # 不满意 after the re-reply: joint supervision (a 不满意督办 order) is open; closed when the
    # order is closed (issue 13 item 9: not 已办结 while it is supervised).
    SUPERVISED = "supervised", _("督办中")
    CLOSED = "closed", _("已办结")


class NotAcceptedReason(models.TextChoices):
    """The standard reasons a submission is not accepted as a suggestion (不予立案)."""

    OUTSIDE_JURISDICTION = "outside_jurisdiction", _("不属于本行政区域职权范围")
    PERSONAL_MATTER = "personal_matter", _("涉及代表本人及其亲属的个人事务")
    FORWARDED_LETTER = "forwarded_letter", _("属于转交的人民群众来信")
    LITIGATION = "litigation", _("属于应通过诉讼、仲裁、信访等途径解决的具体案件")
    ACADEMIC_OR_ADVERT = "academic_or_advert", _("属于学术探讨或产品推介")
    NO_SUBSTANCE = "no_substance", _("无实质内容")
    OTHER = "other", _("其他原因")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    CO = "co", _("会办")


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("待签收")
    RECEIVED = "received", _("已签收")
    SENT_BACK = "sent_back", _("已退回")
    ENDED = "ended", _("已终止")


# Assignments that give the unit access to the suggestion (a unit that sent it back, or whose
# assignment ended with a withdrawal, no longer handles it).
ACTIVE_ASSIGNMENT = (AssignmentStatus.ASSIGNED, AssignmentStatus.RECEIVED)

# A co-unit's send-back is settled (replaced or dropped) while the lead unit handles the
# suggestion: before its reply, or re-handling after 不满意.
CO_REPLACE_STATES = (
    SuggestionStatus.ASSIGNED,
    SuggestionStatus.HANDLING,
    SuggestionStatus.REOPENED,
)


class BatchState(models.TextChoices):
    PROPOSED = "proposed", _("待会签")
    ISSUED = "issued", _("已联合交办")
    RETURNED = "returned", _("已退回")


class ContactMethod(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("当面")
    PHONE = "phone", _("电话")
    VIDEO = "video", _("视频")
    MESSAGE = "message", _("短信或即时通讯")
    LETTER = "letter", _("书面")
    VISIT = "visit", _("实地走访")


class ReplyCategory(models.TextChoices):
    """The shipped reply classes (Huangshi's default); the classes in use are the configured
    list (`reply_classes`, setting SUGGESTION_REPLY_CLASSES)."""

    A = "A", _("A 类：已解决或基本解决")
    B = "B", _("B 类：正在解决或列入计划逐步解决")
    C = "C", _("C 类：留作参考")
    D = "D", _("D 类：因条件限制不能解决")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


# Worse first: the overall verdict is the worse of attitude and result.
SATISFACTION_RANK = {
    Satisfaction.UNSATISFIED: 0,
    Satisfaction.BASICALLY: 1,
    Satisfaction.SATISFIED: 2,
}


class SupervisionKind(models.TextChoices):
    OVERDUE = "overdue", _("逾期督办")
    UNSATISFACTORY = "unsatisfactory", _("不满意督办")
    CONCENTRATED = "concentrated", _("集中反映督办")
    KEY = "key", _("重点督办")


class SupervisionState(models.TextChoices):
    ISSUED = "issued", _("督办中")
    RESPONDED = "responded", _("已报告")
    CLOSED = "closed", _("已结束")


class CampaignState(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class OpinionState(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    ASSIGNED = "assigned", _("已交办")
    COMPLETED = "completed", _("已办结")


class Step(models.TextChoices):
    REVIEW_ACCEPT = "accept", _("立案")
    REVIEW_REJECT = "reject", _("不予立案")
    REVIEW_LETTER = "as_letter", _("作为代表来信处理")
    WITHDRAW = "withdraw", _("撤回")
    PROPOSE = "propose", _("拟交办")
    ISSUE = "issue", _("联合交办")
    RECEIVE = "receive", _("签收")
    SEND_BACK = "send_back", _("退回")
    CONTACT = "contact", _("联系代表")
    REPLY = "reply", _("答复")
    VERDICT = "verdict", _("评价")
    REASSIGN = "reassign", _("重新交办")


S = SuggestionStatus
LIVE = (S.ASSIGNED, S.SENT_BACK, S.HANDLING, S.REOPENED)

# The one place that says which step may be taken in which state, and where it leads.
# Receipt of a co-unit's assignment, contact records and co-units' opinions do not change the
# suggestion's state; their services check the states listed in STEP_STATES.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.SUBMITTED, Step.REVIEW_ACCEPT): S.ACCEPTED,
    (S.SUBMITTED, Step.REVIEW_REJECT): S.NOT_ACCEPTED,
    (S.SUBMITTED, Step.REVIEW_LETTER): S.AS_LETTER,
    (S.ACCEPTED, Step.ISSUE): S.ASSIGNED,
    (S.SENT_BACK, Step.ISSUE): S.ASSIGNED,
    (S.ASSIGNED, Step.RECEIVE): S.HANDLING,
    (S.ASSIGNED, Step.SEND_BACK): S.SENT_BACK,
    (S.HANDLING, Step.REPLY): S.ANSWERED,
    (S.REOPENED, Step.REPLY): S.ANSWERED,
    # The verdict's target depends on the rating and the round (services.verdict_give).
    (S.ANSWERED, Step.VERDICT): S.CLOSED,
    **{
        (state, Step.WITHDRAW): S.WITHDRAWN
        for state in (S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.SENT_BACK, S.HANDLING, S.REOPENED)
    },
}

# Steps that keep the suggestion's state, and the states in which they are possible.
STEP_STATES: dict[str, tuple[str, ...]] = {
    Step.PROPOSE: (S.ACCEPTED, S.SENT_BACK),
    Step.CONTACT: (S.HANDLING, S.REOPENED, S.ANSWERED),
    # After 不满意 the congress office reassigns (services.reopening.suggestion_reassign).
    Step.REASSIGN: (S.REOPENED,),
}


def steps_from(state: str) -> list[str]:
    return [step for (s, step) in TRANSITIONS if s == state] + [
        step for step, states in STEP_STATES.items() if state in states
    ]


# The kinds of deadline on a suggestion, an assignment and a supervision order.
DEADLINE_ASSIGN = "suggestion_assign"  # between sessions: assigned within N working days
DEADLINE_RECEIPT = "suggestion_receipt"  # on an assignment: receive or send back
DEADLINE_CONTACT = "suggestion_contact"  # contact the deputy within N hours of receipt
DEADLINE_REPLY = "suggestion_reply"  # reply within N months of assignment
DEADLINE_OPINION = "suggestion_opinion"  # a co-unit's opinion within N months of assignment
DEADLINE_REASSIGN = "suggestion_reassign"  # after 不满意: reassigned within N working days
DEADLINE_REREPLY = "suggestion_rereply"  # reply again within N months of the reassignment
DEADLINE_VERDICT = "suggestion_verdict"  # the deputy's verdict within N working days of a reply
# The deadlines whose extensions the lead unit asks for on the suggestion's page.
REPLY_DEADLINES = (DEADLINE_REPLY, DEADLINE_REREPLY)
DEADLINE_SUPERVISION = "suggestion_supervision"  # on a supervision order
