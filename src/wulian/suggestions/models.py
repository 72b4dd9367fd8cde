"""Deputies' suggestions (代表建议) and their joint handling (联交 · 联访 · 联督).

- `CongressSession`: a session of the congress (届次/会次); suggestions are numbered per session.
- `Suggestion`: one suggestion, its lead deputy and co-signers (`CoSigner`), its state, and the
  columns the ledger filters and shows without joins (lead unit, due dates, latest reply
  category and verdict — all written by the services, never by `save()`).
- `AssignmentBatch`: a joint assignment (联合交办) prepared by one side (congress staff or the
  government supervision office) and confirmed by the other; confirming creates the
  `Assignment` rows (one lead unit 主办, any co-units 会办).
- `Contact`: the handling unit's contact with the deputy (within 48 hours of receipt).
- `CoUnitOpinion`: a co-unit's opinion to the lead unit, before the reply.
- `Reply`: the reply letter (答复函) of a round (1 = first, 2 = re-reply after 不满意).
- `Verdict`: the deputy's private rating of a reply (on attitude and on result).
- `SupervisionOrder`: a 督办 of an overdue, unsatisfactory, concentrated or key matter.
- `Campaign` / `CampaignOpinion`: opinions deputies collect in campaigns such as 三进三促.

Deadlines (assignment, receipt, contact, reply, re-reply) live in the deadlines app; extensions
of the reply deadline are the deadlines app's extension requests.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wulian.core.choices import Sensitivity
from wulian.core.fields import EncryptedTextField, optional_protected_fk, protected_fk
from wulian.core.modelkit import HasPage, Owned
from wulian.core.models import Organisation, Person, Versioned, one_of
from wulian.suggestions import reply_classes
from wulian.suggestions.choices import (
    ACTIVE_ASSIGNMENT,
    AssignmentRole,
    AssignmentStatus,
    BatchState,
    CampaignState,
    Category,
    ContactMethod,
    NotAcceptedReason,
    OpinionState,
    RaisedDuring,
    Satisfaction,
    SuggestionStatus,
    SupervisionKind,
    SupervisionState,
)

User = settings.AUTH_USER_MODEL


class CongressSession(models.Model):
    """届次/会次, e.g. 市十五届人大二次会议. Suggestions raised between this session and the next
    belong to it too (闭会期间)."""

    name = models.CharField(_("届次会次"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    opens_on = models.DateField(_("开幕日期"))
    closes_on = models.DateField(_("闭幕日期"))
    office = models.ForeignKey(
        Organisation,
        verbose_name=_("建议工作机构"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("负责审查、交办本次会议代表建议的人大工作机构（如代表工委）。"),
    )
    is_current = models.BooleanField(_("当前会次"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = verbose_name_plural = _("会次")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="session_closes_after_open"
            ),
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="session_one_current"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Suggestion(HasPage, Owned, Versioned):
    page_name = "suggestions:suggestion_detail"
    owner_attr = "office_id"
    session = models.ForeignKey(
        CongressSession,
        verbose_name=_("会次"),
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    number = models.PositiveIntegerField(_("编号"))
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"))
    category = models.CharField(_("类别"), max_length=32, choices=Category.choices)
    raised_during = models.CharField(_("提出时间"), max_length=16, choices=RaisedDuring.choices)
    lead_deputy = models.ForeignKey(
        Person, verbose_name=_("领衔代表"), on_delete=models.PROTECT, related_name="suggestions_led"
    )
    co_signers = models.ManyToManyField(
        Person,
        verbose_name=_("附议代表"),
        through="CoSigner",
        related_name="suggestions_co_signed",
        blank=True,
    )
    office = protected_fk(Organisation, _("建议工作机构"))
    submitted_by = protected_fk(User)
    submitted_at = models.DateTimeField(_("提交时间"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.SUBMITTED,
    )
    # Review (审查)
    reviewed_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    reviewed_by = optional_protected_fk(User)
    not_accepted_reason = models.CharField(
        _("不予立案理由"), max_length=32, choices=NotAcceptedReason.choices, blank=True
    )
    not_accepted_note = models.TextField(_("不予立案说明"), blank=True)
    # Withdrawal (in writing; ends handling)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawal_statement = models.TextField(_("书面撤回说明"), blank=True)
    # Denormalised for the ledger (written by the services)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    lead_unit = optional_protected_fk(Organisation, _("主办单位"))
    received_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    contact_due_at = models.DateTimeField(_("联系代表截止时间"), null=True, blank=True)
    first_contact_at = models.DateTimeField(_("首次联系代表时间"), null=True, blank=True)
    reply_due_at = models.DateTimeField(_("答复截止时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reply_round = models.PositiveSmallIntegerField(_("答复轮次"), default=0)
    reply_category = models.CharField(
        _("答复类别"), max_length=1, choices=reply_classes.choices, blank=True
    )
    # Whether the first reply was sent within its time limit (that reply's `on_time`): the
    # year's figures count it without a join (figures.py).
    first_reply_on_time = models.BooleanField(_("首次答复按期"), null=True, blank=True)
    # The latest verdict (overall: the worse of attitude and result). Private: shown and
    # filtered only for those who may see verdicts.
    verdict = models.CharField(
        _("代表评价"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    verdict_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # After 不满意: when the congress office reassigned it (重新交办); the re-reply clock runs
    # from here (services.reopening). Empty while the office has not yet reassigned it.
    reassigned_at = models.DateTimeField(_("重新交办时间"), null=True, blank=True)
    escalated_to_cdi_at = models.DateTimeField(_("通报纪委时间"), null=True, blank=True)
    # Merged handling (并案): answered to each deputy, handled with the main suggestion.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并案至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    # Key suggestions (重点督办), chosen by the chairpersons' council (主任会议).
    is_key = models.BooleanField(_("重点督办"), default=False)
    key_leader = models.ForeignKey(
        Person,
        verbose_name=_("督办领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="key_suggestions",
    )
    key_decided_on = models.DateField(_("主任会议确定日期"), null=True, blank=True)
    # Publication (公开): nothing is public until congress staff approve the texts the public
    # page shows (`services.suggestion_publish`): the approved title and content here, each
    # reply's approved text on the reply (`Reply.published_text`). The page shows only these,
    # passed through `redact` once more; never the original title, content or reply.
    public = models.BooleanField(_("公开"), default=False)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    public_title = models.CharField(_("公开标题"), max_length=200, blank=True)
    # Empty: the content is not shown (publications kept from before approval, migration 0008).
    public_content = models.TextField(_("公开内容"), blank=True)
    public_approved_by = optional_protected_fk(User, _("公开文本审定人"))
    public_approved_at = models.DateTimeField(_("公开文本审定时间"), null=True, blank=True)
    # What the public search matches: the approved texts as shown (redacted), segmented.
    public_search_tokens = models.TextField(blank=True, default="", editable=False)
    # Full-text search: the title and content segmented into words, space-joined.
    search_tokens = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = _("代表建议")
        indexes = [
            models.Index(fields=["session", "-id"], name="sugg_session_idx"),
            models.Index(fields=["status", "-id"], name="sugg_status_idx"),
            models.Index(fields=["lead_unit", "-id"], name="sugg_unit_idx"),
            models.Index(fields=["category", "-id"], name="sugg_category_idx"),
            models.Index(fields=["verdict", "-id"], name="sugg_verdict_idx"),
            models.Index(fields=["lead_deputy", "-id"], name="sugg_deputy_idx"),
            models.Index(fields=["reply_due_at"], name="sugg_reply_due_idx"),
            models.Index(fields=["contact_due_at"], name="sugg_contact_due_idx"),
            models.Index(fields=["-id"], condition=Q(public=True), name="sugg_public_idx"),
            models.Index(fields=["-id"], condition=Q(is_key=True), name="sugg_key_idx"),
            # What waits on the congress office (its 我的待办): a few thousand of a million.
            models.Index(
                fields=["office", "id"],
                condition=Q(status__in=["submitted", "sent_back", "accepted"]),
                name="sugg_waiting_idx",
            ),
            # The year's figures (figures.py, figure_charts.py): an index-only scan per session,
            # in (session, lead unit) order — on SQLite too (which ignores an index's INCLUDE
            # columns, so all are key columns here) — with every column the figures count on
            # (the year's rows were read from the table: ~2× the aggregate's time on SQLite).
            models.Index(
                fields=[
                    "session",
                    "lead_unit",
                    "status",
                    "reviewed_at",
                    "assigned_at",
                    "received_at",
                    "first_contact_at",
                    "contact_due_at",
                    "reply_round",
                    "reply_due_at",
                    "reply_category",
                    "first_reply_on_time",
                    "verdict",
                    "category",
                    "id",
                ],
                name="sugg_figures_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="sugg_number_per_session"),
            one_of("status", SuggestionStatus, "sugg_status_valid"),
            models.CheckConstraint(condition=Q(number__gt=0), name="sugg_number_positive"),
            models.CheckConstraint(
                condition=~Q(status=SuggestionStatus.NOT_ACCEPTED) | ~Q(not_accepted_reason=""),
                name="sugg_not_accepted_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="sugg_not_merged_into_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number_label} {self.title}"

    @property
    def number_label(self) -> str:
        return _("第%(n)d号") % {"n": self.number}

    @property
    def sensitivity(self) -> str:
        return Sensitivity.INTERNAL

    # Red wherever the suggestion appears: the deputy not contacted in time (still, or late),
    # the reply not given in time.
    @property
    def contact_overdue(self) -> bool:
        if self.contact_due_at is None:
            return False
        if self.first_contact_at is not None:
            return self.first_contact_at > self.contact_due_at
        return self.status != SuggestionStatus.WITHDRAWN and timezone.now() > self.contact_due_at

    @property
    def reply_overdue(self) -> bool:
        return (
            self.reply_due_at is not None
            and self.status
            in (SuggestionStatus.ASSIGNED, SuggestionStatus.HANDLING, SuggestionStatus.REOPENED)
            and timezone.now() > self.reply_due_at
        )


class CoSigner(models.Model):
    """A co-signing deputy (附议代表); each gets the reply."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="cosigners")
    person = protected_fk(Person, _("附议代表"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = verbose_name_plural = _("附议代表")
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "person"], name="cosigner_once")
        ]
        indexes = [models.Index(fields=["person", "suggestion"], name="cosigner_person_idx")]

    def __str__(self) -> str:
        return str(self.person_id)


class AssignmentBatch(HasPage, Versioned):
    """A joint assignment (联合交办): prepared by one side, confirmed (会签) by the other. `items`
    holds the proposal — [{"suggestion": id, "version": n, "lead": org id, "co": [org ids]}] —
    until confirming turns it into `Assignment` rows."""

    page_name = "suggestions:batch_detail"

    state = models.CharField(
        _("状态"), max_length=16, choices=BatchState.choices, default=BatchState.PROPOSED
    )
    proposed_org = protected_fk(Organisation, _("拟办单位"))
    proposed_by = protected_fk(User)
    proposed_at = models.DateTimeField(_("拟办时间"))
    items = models.JSONField(default=list)
    note = models.TextField(_("交办说明"), blank=True)
    # The pre-consultation with the big handlers (承办大户提前会商), an activity.
    consultation = optional_protected_fk("activities.Activity", _("提前会商"))
    confirmed_org = optional_protected_fk(Organisation, _("会签单位"))
    confirmed_by = optional_protected_fk(User)
    confirmed_at = models.DateTimeField(_("联合交办时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = _("联合交办批次")
        indexes = [models.Index(fields=["state", "-id"], name="sugg_batch_state_idx")]
        constraints = [one_of("state", BatchState, "sugg_batch_state_valid")]

    def __str__(self) -> str:
        return _("交办批次 %(n)s") % {"n": self.pk}


class Assignment(Owned, Versioned):
    owner_attr = "unit_id"
    suggestion = models.ForeignKey(Suggestion, on_delete=models.PROTECT, related_name="assignments")
    unit = protected_fk(Organisation, _("承办单位"))
    role = models.CharField(_("承办方式"), max_length=8, choices=AssignmentRole.choices)
    batch = models.ForeignKey(AssignmentBatch, on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
    )
    assigned_at = models.DateTimeField(_("交办时间"))
    assigned_by = protected_fk(User)
    # Receipt or send-back is possible until this time (N working days after assignment).
    respond_by = models.DateTimeField(_("签收或退回截止时间"))
    # 暂定: counted on a year the holiday calendar does not yet hold (recomputed with it).
    respond_by_provisional = models.BooleanField(_("暂定"), default=False)
    received_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    received_by = optional_protected_fk(User)
    sent_back_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    sent_back_by = optional_protected_fk(User)
    sent_back_reason = models.TextField(_("退回理由"), blank=True)
    # A co-unit's send-back settled by the congress office (`co_unit_replace`): another unit
    # took its place (`replacement`), or none did (dropped).
    settled_at = models.DateTimeField(_("退回处理时间"), null=True, blank=True)
    replacement = models.ForeignKey(
        "self",
        verbose_name=_("接替的交办"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # mostly empty; looked up from the sent-back row only
    )
    ended_at = models.DateTimeField(_("终止时间"), null=True, blank=True)

    class Meta:
        ordering = ["suggestion_id", "-role", "id"]
        verbose_name = verbose_name_plural = _("交办")
        indexes = [
            models.Index(fields=["unit", "status", "suggestion"], name="sugg_assign_unit_idx"),
            models.Index(fields=["suggestion", "status"], name="sugg_assign_sugg_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=Q(role=AssignmentRole.LEAD, status__in=ACTIVE_ASSIGNMENT),
                name="sugg_one_active_lead",
            ),
            models.UniqueConstraint(
                fields=["suggestion", "unit"],
                condition=Q(status__in=ACTIVE_ASSIGNMENT),
                name="sugg_unit_once_active",
            ),
            one_of("status", AssignmentStatus, "sugg_assign_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=AssignmentStatus.SENT_BACK) | ~Q(sent_back_reason=""),
                name="sugg_sent_back_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(settled_at__isnull=True) | Q(status=AssignmentStatus.SENT_BACK),
                name="sugg_settled_only_sent_back",
            ),
            models.CheckConstraint(
                condition=Q(replacement__isnull=True) | Q(settled_at__isnull=False),
                name="sugg_replacement_settled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} → {self.unit_id} ({self.role})"

    def get_absolute_url(self) -> str:
        return reverse("suggestions:suggestion_detail", args=[self.suggestion_id])


class Contact(models.Model):
    """The handling unit's contact with the deputy: how, when, what was agreed."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.PROTECT, related_name="contacts")
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="contacts")
    method = models.CharField(_("联系方式"), max_length=16, choices=ContactMethod.choices)
    contacted_at = models.DateTimeField(_("联系时间"))
    deputy = protected_fk(Person, _("联系的代表"))
    agreed = models.TextField(_("沟通情况和办理意见"))
    recorded_by = protected_fk(User)
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        ordering = ["contacted_at", "id"]
        verbose_name = verbose_name_plural = _("联系代表记录")
        indexes = [models.Index(fields=["suggestion", "contacted_at"], name="sugg_contact_idx")]
        constraints = [one_of("method", ContactMethod, "sugg_contact_method_valid")]

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.get_method_display()}"


class CoUnitOpinion(Owned, models.Model):
    """A co-unit's opinion, sent to the lead unit before it replies (one per round)."""

    owner_attr = "assignment.unit_id"

    suggestion = models.ForeignKey(Suggestion, on_delete=models.PROTECT, related_name="opinions")
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="opinions")
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    text = models.TextField(_("会办意见"))
    submitted_by = protected_fk(User)
    submitted_at = models.DateTimeField(_("提交时间"))

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = verbose_name_plural = _("会办意见")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "round"], name="sugg_opinion_once")
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} r{self.round}"

    def get_absolute_url(self) -> str:
        return reverse("suggestions:suggestion_detail", args=[self.suggestion_id])


class OpinionWaiver(models.Model):
    """The congress office waived a co-unit's opinion for one round (免除会办意见): the lead
    unit no longer waits for it. A declared step with its reason (`services.opinion_waive`)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.PROTECT, related_name="waivers")
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="waivers")
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    reason = models.TextField(_("免除理由"))
    waived_by = protected_fk(User)
    waived_at = models.DateTimeField(_("免除时间"))

    class Meta:
        ordering = ["waived_at", "id"]
        verbose_name = verbose_name_plural = _("免除会办意见")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "round"], name="sugg_waiver_once")
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} r{self.round} waived"

    def get_absolute_url(self) -> str:
        return reverse("suggestions:suggestion_detail", args=[self.suggestion_id])


class Reply(Owned, models.Model):
    """The reply letter (答复函) of one round: category, signer, text, attachments."""

    owner_attr = "unit_id"

    suggestion = models.ForeignKey(Suggestion, on_delete=models.PROTECT, related_name="replies")
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    unit = protected_fk(Organisation, _("答复单位"))
    # The configured classes (reply_classes; a stored code stays valid when the list changes).
    category = models.CharField(_("答复类别"), max_length=1, choices=reply_classes.choices)
    signer = models.CharField(_("签发人"), max_length=60)
    text = models.TextField(_("答复内容"))
    face_to_face = models.BooleanField(_("当面答复"), default=False)
    # The unit's proposal of what the public page may show (personal data removed); empty:
    # the unit does not agree to publish this reply.
    public_text = models.TextField(_("公开文本"), blank=True)
    # The text congress staff approved for the public page (`services.suggestion_publish`);
    # empty: this reply is not shown.
    published_text = models.TextField(_("审定公开的答复"), blank=True)
    sent_at = models.DateTimeField(_("答复时间"))
    sent_by = protected_fk(User)
    on_time = models.BooleanField(_("按期答复"), default=True)
    # The co-units whose opinion had not come when the lead unit replied after their time
    # limit had passed: [{"unit": id, "name": "…", "due_at": iso}] as they were then.
    opinions_missing = models.JSONField(_("未收到的会办意见"), default=list, blank=True)

    class Meta:
        ordering = ["suggestion_id", "round"]
        verbose_name = verbose_name_plural = _("答复")
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "round"], name="sugg_reply_per_round"),
            models.CheckConstraint(
                condition=Q(category__regex=r"^[A-Z]$"), name="sugg_reply_category_valid"
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="sugg_reply_round_positive"),
        ]
        indexes = [models.Index(fields=["unit", "sent_at"], name="sugg_reply_unit_idx")]

    def __str__(self) -> str:
        return f"{self.suggestion_id} r{self.round} {self.category}"

    def get_absolute_url(self) -> str:
        return reverse("suggestions:suggestion_detail", args=[self.suggestion_id])


class Verdict(models.Model):
    """The deputy's rating of a reply. Private: a handling unit sees only aggregates."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.PROTECT, related_name="verdicts")
    reply = models.ForeignKey(Reply, on_delete=models.PROTECT, related_name="verdicts")
    deputy = protected_fk(Person, _("评价代表"))
    on_attitude = models.CharField(_("办理态度"), max_length=16, choices=Satisfaction.choices)
    on_result = models.CharField(_("办理结果"), max_length=16, choices=Satisfaction.choices)
    overall = models.CharField(_("总体评价"), max_length=16, choices=Satisfaction.choices)
    comment = models.TextField(_("意见"), blank=True)
    given_at = models.DateTimeField(_("评价时间"))
    recorded_by = protected_fk(User)

    class Meta:
        ordering = ["given_at", "id"]
        verbose_name = verbose_name_plural = _("代表评价")
        constraints = [
            models.UniqueConstraint(fields=["reply", "deputy"], name="sugg_verdict_once"),
            models.CheckConstraint(
                condition=Q(on_attitude__in=Satisfaction.values)
                & Q(on_result__in=Satisfaction.values)
                & Q(overall__in=Satisfaction.values),
                name="sugg_verdict_values_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reply_id} {self.overall}"


class SupervisionOrder(Owned, Versioned):
    """督办: a formal push on an overdue, unsatisfactory, concentrated or key suggestion."""

    owner_attr = "issued_by_org_id"

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.PROTECT, related_name="supervision_orders"
    )
    kind = models.CharField(_("督办类型"), max_length=16, choices=SupervisionKind.choices)
    issued_by_org = protected_fk(Organisation, _("督办单位"))
    issued_by = optional_protected_fk(User)
    issued_at = models.DateTimeField(_("督办时间"))
    to_unit = protected_fk(Organisation, _("被督办单位"))
    requirements = models.TextField(_("督办要求"))
    due_at = models.DateTimeField(_("报告截止时间"))
    # 暂定: counted on a year the holiday calendar does not yet hold (recomputed with it).
    due_provisional = models.BooleanField(_("暂定"), default=False)
    state = models.CharField(
        _("状态"), max_length=16, choices=SupervisionState.choices, default=SupervisionState.ISSUED
    )
    response = models.TextField(_("办理情况报告"), blank=True)
    responded_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    responded_by = optional_protected_fk(User)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = optional_protected_fk(User)
    escalated_to_cdi_at = models.DateTimeField(_("通报纪委时间"), null=True, blank=True)
    escalated_by = optional_protected_fk(User)
    escalation_note = models.TextField(_("通报说明"), blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = verbose_name_plural = _("督办")
        indexes = [
            models.Index(fields=["suggestion", "kind"], name="sugg_order_sugg_idx"),
            models.Index(fields=["to_unit", "state"], name="sugg_order_unit_idx"),
            models.Index(fields=["state", "-id"], name="sugg_order_state_idx"),
        ]
        constraints = [
            one_of("kind", SupervisionKind, "sugg_order_kind_valid"),
            one_of("state", SupervisionState, "sugg_order_state_valid"),
            # The automatic escalation (a second 不满意, a missed re-reply) never opens two.
            models.UniqueConstraint(
                fields=["suggestion", "kind"],
                condition=Q(state__in=[SupervisionState.ISSUED, SupervisionState.RESPONDED]),
                name="sugg_order_one_live_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("suggestions:suggestion_detail", args=[self.suggestion_id])


class Campaign(HasPage, Versioned):
    """A campaign in which deputies collect opinions (三进三促)."""

    page_name = "suggestions:campaign_detail"

    name = models.CharField(_("活动名称"), max_length=120)
    year = models.PositiveSmallIntegerField(_("年度"))
    organiser = protected_fk(Organisation, _("组织单位"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    description = models.TextField(_("说明"), blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=CampaignState.choices, default=CampaignState.OPEN
    )
    created_by = protected_fk(User)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = verbose_name_plural = _("代表活动")
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="sugg_campaign_name_year"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="sugg_campaign_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class CampaignOpinion(Versioned):
    """An opinion a deputy collected during a campaign: registered, assigned, completed."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="opinions")
    number = models.PositiveIntegerField(_("编号"))
    content = models.TextField(_("意见内容"))
    collected_by = protected_fk(Person, _("收集代表"))
    collected_on = models.DateField(_("收集日期"))
    place = models.CharField(_("收集地点"), max_length=120, blank=True)
    registered_by = protected_fk(User)
    registered_at = models.DateTimeField(_("登记时间"))
    state = models.CharField(
        _("状态"), max_length=16, choices=OpinionState.choices, default=OpinionState.REGISTERED
    )
    unit = optional_protected_fk(Organisation, _("承办单位"))
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    assigned_by = optional_protected_fk(User)
    result = models.TextField(_("办理结果"), blank=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    completed_by = optional_protected_fk(User)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = _("收集的意见")
        indexes = [
            models.Index(fields=["campaign", "state"], name="sugg_opinion_campaign_idx"),
            models.Index(fields=["unit", "state"], name="sugg_opinion_unit_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="sugg_opinion_number"),
            one_of("state", OpinionState, "sugg_opinion_state_valid"),
            models.CheckConstraint(
                condition=Q(state=OpinionState.REGISTERED) | Q(unit__isnull=False),
                name="sugg_opinion_assigned_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}-{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("suggestions:campaign_detail", args=[self.campaign_id])


class ConcentrationReport(HasPage, Owned, models.Model):
    """A 通报 to the CDI of opinions that deputies raised in concentration (代表反映比较集中的
    建议、批评和意见; the Huangshi article [CN1]: "市人大常委会将及时向市纪委通报，并将其中可能
    存在的违纪违法问题转交市纪委研究处理"). One per cluster (`seed`: its first member);
    services.concentration.

    It is issued as a bulletin (wulian.core.bulletins, linked to this record): `bulletin_ref`
    holds that bulletin's id (empty for reports made before bulletins existed).

    Confidentiality (ADR 0007): a report marked `implicates` (it may point at 违纪违法 by
    persons) is clue-grade: its note is encrypted at rest, never in audit events or
    notifications, and only the sending office and the CDI's clue officers see the report at
    all (policies: `suggestions.concentrationreport.view`)."""

    page_name = "suggestions:concentration_report_detail"
    owner_attr = "sending_org_id"

    KIND = "suggestions.concentrated_opinions"

    seed = models.CharField(_("集中反映标识"), max_length=32, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    subject = models.CharField(_("主题"), max_length=200)
    summary = models.TextField(_("通报说明"))
    implicates = models.BooleanField(_("可能存在违纪违法问题"), default=False)
    implication_note = EncryptedTextField(_("可能存在的违纪违法问题"), blank=True)
    suggestion_ids = models.JSONField(_("涉及的代表建议"), default=list)
    opinion_ids = models.JSONField(_("涉及的收集意见"), default=list)
    deputy_count = models.PositiveIntegerField(_("反映代表人数"))
    sending_org = protected_fk(Organisation, _("通报单位"))
    receiving_org = protected_fk(Organisation, _("接收单位"))
    sent_by = protected_fk(User)
    sent_at = models.DateTimeField(_("通报时间"))
    # The id of the bulletin that carries this report (services.concentration).
    bulletin_ref = models.CharField(_("通报文书"), max_length=64, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = verbose_name_plural = _("集中反映通报")
        indexes = [models.Index(fields=["year", "-sent_at"], name="sugg_conc_year_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(implicates=True) | Q(implication_note=""),
                name="sugg_conc_note_only_implicating",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.subject}"

    @property
    def sensitivity(self) -> str:
        return Sensitivity.CONFIDENTIAL if self.implicates else Sensitivity.INTERNAL
