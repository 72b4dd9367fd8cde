"""The judicial link (联动): the expert pool, case filing (备案), review batches with their sealed
draws (HR-1, `wulian.judicial.draw`), blind scoring, consolidated grades and problems,
suggestions to the courts and procuratorates (意见建议) with their rectification, and petitions
(涉法涉诉信访).

What stays sealed is stored encrypted (`EncryptedTextField`, SM4-GCM): the server's secret
until the draw, and the draw's result — which expert sits on which case, the reserves and the
substitutions — until the review opens. Invitations name the expert (the expert must find and
answer them) but not the cases.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wulian.core.choices import ExpertCategory
from wulian.core.fields import (
    EncryptedTextField,
    optional_protected_fk,
    protected_fk,
    sensitivity_field,
)
from wulian.core.modelkit import HasPage, Owned
from wulian.core.models import ExpertProfile, Organisation, Person, Versioned, one_of
from wulian.judicial.choices import (
    Availability,
    BatchState,
    CaseKind,
    ConflictKind,
    DrawState,
    ExpertStatus,
    Grade,
    InvitationState,
    PartyRole,
    PetitionOutcome,
    PetitionState,
    SuggestionState,
    WitnessRole,
)

_user = settings.AUTH_USER_MODEL

# --- The expert pool -------------------------------------------------------------------------


class Expert(HasPage, Versioned):
    """A member of the review pool (专家库). Name, category, specialties, employer and law firm
    are the core's expert profile of the person; the pool adds status, availability, declared
    conflicts and ratings."""

    page_name = "judicial:expert_detail"

    profile = models.OneToOneField(
        ExpertProfile, verbose_name=_("专家信息"), on_delete=models.PROTECT, related_name="pool"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ExpertStatus.choices, default=ExpertStatus.ACTIVE
    )
    suspended_reason = models.CharField(_("暂停原因"), max_length=200, blank=True)
    availability = models.CharField(
        _("可参加情况"),
        max_length=16,
        choices=Availability.choices,
        default=Availability.AVAILABLE,
    )
    joined_on = models.DateField(_("入库日期"), null=True, blank=True)
    rating_count = models.PositiveIntegerField(_("评价次数"), default=0)
    rating_total = models.PositiveIntegerField(_("评价总分"), default=0)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("评查专家")
        indexes = [models.Index(fields=["status", "availability"], name="jexpert_status_idx")]
        constraints = [
            one_of("status", ExpertStatus, "jexpert_status_valid"),
            one_of("availability", Availability, "jexpert_availability_valid"),
        ]

    def __str__(self) -> str:
        return self.profile.person.name

    @property
    def ref(self) -> str:
        """The expert's id in draws (manifests, results, public records)."""
        return f"E{self.pk:04d}"

    @property
    def rating(self) -> float | None:
        return round(self.rating_total / self.rating_count, 1) if self.rating_count else None


class ExpertConflict(models.Model):
    """A declared conflict: a relation to a person or organisation (matched by name against a
    case's parties, judges, lawyers and firms), or a recusal from one case."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflicts")
    kind = models.CharField(_("类型"), max_length=32, choices=ConflictKind.choices)
    counterpart = models.CharField(_("关系对象"), max_length=200, blank=True)
    case = models.ForeignKey(
        "Case",
        verbose_name=_("回避案件"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="recusals",
    )
    note = models.CharField(_("说明"), max_length=500, blank=True)
    declared_on = models.DateField(_("申报日期"))
    is_active = models.BooleanField(_("有效"), default=True)
    created_by = protected_fk(_user)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-declared_on", "-id"]
        verbose_name = verbose_name_plural = _("利害关系申报")
        constraints = [
            one_of("kind", ConflictKind, "jconflict_kind_valid"),
            models.CheckConstraint(
                condition=(Q(kind=ConflictKind.RECUSAL) & Q(case__isnull=False))
                | (~Q(kind=ConflictKind.RECUSAL) & ~Q(counterpart="")),
                name="jconflict_names_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.counterpart or self.case}"


class ExpertRating(models.Model):
    """The organiser's rating of an expert's work in one batch (1–5)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="ratings")
    batch = models.ForeignKey("ReviewBatch", on_delete=models.CASCADE, related_name="ratings")
    score = models.PositiveSmallIntegerField(_("评价"))
    note = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_by = protected_fk(_user)
    rated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-rated_at"]
        constraints = [
            models.UniqueConstraint(fields=["expert", "batch"], name="jrating_once_per_batch"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="jrating_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert_id}: {self.score}"


class PoolVersion(models.Model):
    """An immutable snapshot of the pool as the draw engine sees it (`draw.Expert` fields per
    expert, canonical JSON) and its hash (`draw.pool_hash`). Rows are only ever inserted."""

    number = models.PositiveIntegerField(_("版本号"), unique=True)
    snapshot = models.TextField(_("名单快照"))
    hash = models.CharField(_("哈希"), max_length=64, db_index=True)
    expert_count = models.PositiveIntegerField(_("专家人数"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = optional_protected_fk(_user)

    class Meta:
        ordering = ["-number"]
        verbose_name = verbose_name_plural = _("专家库版本")

    def __str__(self) -> str:
        return f"V{self.number}"


# --- Review batches, cases, draws ------------------------------------------------------------


class ReviewBatch(HasPage, Owned, Versioned):
    """One round of case-quality review (案件质量评查): its cases, the draw rules, the rubric."""

    page_name = "judicial:batch_detail"
    owner_attr = "organiser_org_id"

    title = models.CharField(_("批次名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    organiser_org = protected_fk(Organisation, _("组织单位"))
    witness_org = protected_fk(Organisation, _("监督单位"))
    state = models.CharField(
        _("状态"), max_length=16, choices=BatchState.choices, default=BatchState.PREPARING
    )
    reviewers_per_case = models.PositiveSmallIntegerField(_("每案评查专家人数"), default=3)
    minimums = models.JSONField(_("类别最低人数"), default=dict, blank=True)
    reserves_per_category = models.PositiveSmallIntegerField(_("每类备选人数"), default=2)
    max_cases_per_expert = models.PositiveSmallIntegerField(
        _("每名专家本批最多评查案件数"), null=True, blank=True
    )
    year_cap = models.PositiveSmallIntegerField(
        _("每名专家年度最多评查案件数"), null=True, blank=True
    )
    recent_judge_days = models.PositiveSmallIntegerField(
        _("近期评查同一法官案件的回避天数"), default=365
    )
    rubric = models.JSONField(_("评分细则"), default=list)
    disagreement_points = models.PositiveSmallIntegerField(_("分歧提示分差"), default=15)
    review_opened_at = models.DateTimeField(_("开始评查时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_by = protected_fk(_user)
    sensitivity = sensitivity_field(editable=False)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = verbose_name_plural = _("评查批次")
        indexes = [models.Index(fields=["year", "-id"], name="jbatch_year_idx")]
        constraints = [one_of("state", BatchState, "jbatch_state_valid")]

    def __str__(self) -> str:
        return self.title

    @property
    def max_points(self) -> int:
        return sum(int(c["max"]) for c in self.rubric)


class Case(HasPage, Owned, Versioned):
    """A case filed (备案) for review. The case number is parsed by `caseno.parse`; parties,
    judges or prosecutors and lawyers are lists the draw's avoidance rules read."""

    page_name = "judicial:case_detail"
    owner_attr = "filed_by_org_id"

    number = models.CharField(_("案号"), max_length=80, unique=True)
    year = models.PositiveSmallIntegerField(_("立案年度"))
    court_code = models.CharField(_("法院代字"), max_length=20)
    case_type = models.CharField(_("案件类型"), max_length=40)
    case_type_code = models.CharField(_("类型代字"), max_length=12)
    serial = models.PositiveIntegerField(_("顺序号"))
    court = models.ForeignKey(
        Organisation,
        verbose_name=_("承办法院或检察院"),
        on_delete=models.PROTECT,
        related_name="judicial_cases",
    )
    kind = models.CharField(_("评查类别"), max_length=32, choices=CaseKind.choices)
    cause = models.CharField(_("案由"), max_length=200, blank=True)
    # [{"name": …, "role": PartyRole, "enterprise": bool}]
    parties = models.JSONField(_("当事人"), default=list)
    involves_enterprise = models.BooleanField(_("涉企"), default=False)
    judges = models.JSONField(_("承办法官或检察官"), default=list)
    # [{"name": …, "firm": …, "party": …}]
    lawyers = models.JSONField(_("代理律师"), default=list, blank=True)
    filed_by_org = protected_fk(Organisation, _("备案单位"))
    filed_by = protected_fk(_user)
    batch = models.ForeignKey(
        ReviewBatch,
        verbose_name=_("评查批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    grade = models.CharField(_("评查等次"), max_length=16, choices=Grade.choices, blank=True)
    mean_share = models.FloatField(_("平均得分率"), null=True, blank=True)
    review_summary = models.TextField(_("评查意见"), blank=True)
    graded_at = models.DateTimeField(_("定等时间"), null=True, blank=True)
    graded_by = optional_protected_fk(_user)
    corrected_by = models.ForeignKey(
        "CourtSuggestion",
        verbose_name=_("据以纠正的意见建议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_cases",
    )
    corrected_note = models.CharField(_("纠正情况"), max_length=500, blank=True)
    sensitivity = sensitivity_field(editable=False)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = _("评查案件")
        indexes = [
            models.Index(fields=["court", "-id"], name="jcase_court_idx"),
            models.Index(fields=["batch", "id"], name="jcase_batch_idx"),
            models.Index(fields=["grade", "-id"], name="jcase_grade_idx"),
            models.Index(fields=["kind", "-id"], name="jcase_kind_idx"),
        ]
        constraints = [
            one_of("kind", CaseKind, "jcase_kind_valid"),
            models.CheckConstraint(
                condition=Q(grade="") | Q(grade__in=Grade.values), name="jcase_grade_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def ref(self) -> str:
        """The case's id in draws: its case number."""
        return self.number

    @property
    def party_roles(self) -> list[dict[str, Any]]:
        """The parties as the case page shows them: name, role (its label; none for 其他) and
        whether an enterprise."""
        shown = []
        for party in self.parties or []:
            role = party.get("role") or PartyRole.OTHER
            label = str(PartyRole(role).label) if role in PartyRole.values else ""
            shown.append(
                {
                    "name": party.get("name", ""),
                    "role": "" if role == PartyRole.OTHER else label,
                    "enterprise": bool(party.get("enterprise")),
                }
            )
        return shown


class Draw(HasPage, Versioned):
    """One draw of reviewers for a batch (HR-1). The manifest (eligibility frozen before any
    randomness) and every hash are public; the server secret is sealed until it is revealed
    at the run, the result until the review opens. An aborted draw stays; the next one names
    it (`replaces`)."""

    page_name = "judicial:draw_detail"

    batch = models.ForeignKey(ReviewBatch, on_delete=models.PROTECT, related_name="draws")
    code = models.CharField(_("抽取编号"), max_length=64, unique=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=DrawState.choices, default=DrawState.FROZEN
    )
    pool_version = models.ForeignKey(
        PoolVersion, verbose_name=_("专家库版本"), on_delete=models.PROTECT, related_name="draws"
    )
    manifest = models.TextField(_("抽取清单"))
    manifest_hash = models.CharField(_("清单哈希"), max_length=64)
    secret = EncryptedTextField(_("服务器随机数"), blank=True)
    commitment = models.CharField(_("随机数承诺"), max_length=64, blank=True)
    committed_at = models.DateTimeField(_("承诺时间"), null=True, blank=True)
    seed = models.CharField(_("种子"), max_length=64, blank=True)
    result = EncryptedTextField(_("抽取结果"), blank=True)
    result_hash = models.CharField(_("抽取结果哈希"), max_length=64, blank=True)
    current_hash = models.CharField(_("替补后结果哈希"), max_length=64, blank=True)
    run_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("替代的作废抽取"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    # Aborting takes two signatures (ADR 0008): the organiser requests it with the reason,
    # the batch's witness confirms it (the draw is aborted from then on) or refuses it with a
    # note (the draw goes on; the organiser may ask again). The trail keeps every request.
    abort_reason = models.CharField(_("作废原因"), max_length=500, blank=True)
    abort_requested_at = models.DateTimeField(_("申请作废时间"), null=True, blank=True)
    abort_requested_by = optional_protected_fk(_user, _("申请作废人"))
    abort_refused_at = models.DateTimeField(_("拒绝作废时间"), null=True, blank=True)
    abort_refused_by = optional_protected_fk(_user, _("拒绝作废的见证人"))
    abort_refusal_note = models.CharField(_("拒绝作废的理由"), max_length=500, blank=True)
    aborted_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    # The witness who confirmed the abort (empty on draws aborted before the witness's
    # co-signature was required: the organiser's request alone aborted them).
    aborted_by = optional_protected_fk(_user, _("确认作废的见证人"))
    created_by = protected_fk(_user)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = _("专家抽取")
        constraints = [
            one_of("state", DrawState, "jdraw_state_valid"),
            # At most one draw of a batch is live (not aborted).
            models.UniqueConstraint(
                fields=["batch"], condition=~Q(state="aborted"), name="jdraw_one_live_per_batch"
            ),
            models.CheckConstraint(
                condition=~Q(state="sealed") | (~Q(seed="") & ~Q(result_hash="")),
                name="jdraw_sealed_has_result",
            ),
            # An aborted draw was asked to be aborted, with a reason.
            models.CheckConstraint(
                condition=~Q(state="aborted")
                | (Q(abort_requested_at__isnull=False) & ~Q(abort_reason="")),
                name="jdraw_aborted_was_requested",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def abort_pending(self) -> bool:
        """An abort was requested and the witness has neither confirmed nor refused it."""
        return (
            self.abort_requested_at is not None
            and self.abort_refused_at is None
            and self.state != DrawState.ABORTED
        )


class WitnessInput(models.Model):
    """A witness's own random number (dice), entered after the commitment, before the run."""

    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="inputs")
    user = protected_fk(_user)
    person = protected_fk(Person)
    organisation = protected_fk(Organisation)
    role = models.CharField(_("身份"), max_length=16, choices=WitnessRole.choices)
    value = models.CharField(_("随机数"), max_length=64)
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "person"], name="jinput_once_per_person"),
            models.UniqueConstraint(fields=["draw", "role"], name="jinput_once_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.draw_id}: {self.get_role_display()}"


class Invitation(Versioned):
    """An expert's invitation to serve in a draw's batch. It names no case: the expert accepts
    or declines; a decline brings in the next reserve of the same category."""

    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="invitations")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="invitations")
    state = models.CharField(
        _("状态"), max_length=16, choices=InvitationState.choices, default=InvitationState.INVITED
    )
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    decline_reason = models.CharField(_("谢绝理由"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("评查邀请")
        indexes = [models.Index(fields=["expert", "state"], name="jinvite_expert_idx")]
        constraints = [
            models.UniqueConstraint(fields=["draw", "expert"], name="jinvite_once_per_draw"),
            one_of("state", InvitationState, "jinvite_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.draw_id}/{self.expert_id}"

    def get_absolute_url(self) -> str:
        return reverse("judicial:my_reviews")


class PanelSeat(models.Model):
    """An expert's seat on a case's panel, written from the sealed result when the review
    opens (before that the panels exist only in the encrypted result)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="seats")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="seats")
    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="seats")
    category = models.CharField(_("类别"), max_length=16, choices=ExpertCategory.choices)
    position = models.PositiveSmallIntegerField(_("序号"))

    class Meta:
        ordering = ["case_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "expert"], name="jseat_once_per_case")
        ]
        indexes = [models.Index(fields=["expert", "case"], name="jseat_expert_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.expert_id}"


class Score(Versioned):
    """One reviewer's scores for one case on the batch's rubric. Reviewers do not see each
    other's scores."""

    seat = models.OneToOneField(PanelSeat, on_delete=models.PROTECT, related_name="score")
    values = models.JSONField(_("各项得分"), default=dict)
    total = models.PositiveSmallIntegerField(_("总分"))
    comment = models.TextField(_("评查意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    # A paper score sheet (纸质评分表) the organiser entered on the reviewer's behalf — a
    # reviewer confirmed by telephone who has no account — with what identifies the sheet; it
    # counts towards the grade once the batch's witness has co-signed it.
    on_paper = models.BooleanField(_("纸质评分表录入"), default=False)
    paper_note = models.CharField(_("纸质评分表说明"), max_length=500, blank=True)
    entered_by = optional_protected_fk(_user)
    cosigned_by = optional_protected_fk(_user)
    cosigned_at = models.DateTimeField(_("见证人会签时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("评分")

    def __str__(self) -> str:
        return f"{self.seat_id}: {self.total}"

    @property
    def awaits_cosign(self) -> bool:
        """A paper sheet the witness has not co-signed yet: it does not count towards a grade."""
        return self.on_paper and self.cosigned_at is None


class Problem(models.Model):
    """A problem the review found in a case (评查发现的问题). One pointing at misconduct by
    judicial staff may become a clue transferred to the CDI (the clue names it as source)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="problems")
    criterion = models.CharField(_("所属评查项目"), max_length=40, blank=True)
    description = models.TextField(_("问题描述"))
    is_misconduct = models.BooleanField(_("涉及司法人员违纪违法"), default=False)
    created_by = protected_fk(_user)
    created_at = models.DateTimeField(auto_now_add=True)
    sensitivity = sensitivity_field(editable=False)

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = verbose_name_plural = _("评查发现的问题")

    def __str__(self) -> str:
        return self.description[:60]

    def get_absolute_url(self) -> str:
        return reverse("judicial:case_detail", args=[self.case_id]) + f"#problem-{self.pk}"


# --- Suggestions to the courts, mechanisms, petitions ---------------------------------------


class CourtSuggestion(HasPage, Owned, Versioned):
    """A suggestion (意见建议) to a court or procuratorate from the problems a batch found. Sent,
    it opens a finding with a rectification for the addressee (the shared rectification);
    the addressee adopts it or not; the organiser records the cases corrected and the
    mechanisms built."""

    page_name = "judicial:suggestion_detail"
    owner_attr = "batch.organiser_org_id"

    batch = models.ForeignKey(
        ReviewBatch,
        verbose_name=_("评查批次"),
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    addressee = models.ForeignKey(
        Organisation,
        verbose_name=_("送达单位"),
        on_delete=models.PROTECT,
        related_name="judicial_suggestions",
    )
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("意见建议内容"))
    problems = models.ManyToManyField(
        Problem, verbose_name=_("依据的问题"), related_name="suggestions", blank=True
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=SuggestionState.choices, default=SuggestionState.DRAFT
    )
    sent_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    answer = models.TextField(_("答复意见"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    finding_id = models.PositiveBigIntegerField(_("整改问题编号"), null=True, blank=True)
    created_by = protected_fk(_user)
    sensitivity = sensitivity_field(editable=False)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = _("意见建议")
        indexes = [
            models.Index(fields=["addressee", "state", "-id"], name="jsugg_addressee_idx"),
            models.Index(fields=["batch", "-id"], name="jsugg_batch_idx"),
        ]
        constraints = [one_of("state", SuggestionState, "jsugg_state_valid")]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        year = self.created_at.year if self.created_at else ""
        return f"SFJY{year}-{self.pk or 0:04d}"


class Mechanism(models.Model):
    """A mechanism (制度机制) a court or procuratorate built in answer to a suggestion."""

    suggestion = models.ForeignKey(
        CourtSuggestion, on_delete=models.PROTECT, related_name="mechanisms"
    )
    name = models.CharField(_("制度机制名称"), max_length=200)
    established_on = models.DateField(_("建立日期"), null=True, blank=True)
    recorded_by = protected_fk(_user)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("建立的制度机制")
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "name"], name="jmechanism_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Petition(HasPage, Owned, Versioned):
    """A petition about a court or procuratorate's handling of a case (涉法涉诉信访): registered
    by the congress side, routed with a time limit, answered with an outcome, linked to the
    cases under review it concerns."""

    page_name = "judicial:petition_detail"
    owner_attr = "registering_org_id"

    registering_org = protected_fk(Organisation, _("登记单位"))
    received_on = models.DateField(_("来信来访日期"))
    petitioner = models.CharField(_("信访人"), max_length=60)
    petitioner_phone = EncryptedTextField(_("联系电话"), blank=True)
    summary = models.TextField(_("信访事项"))
    case_number = models.CharField(_("涉及案号"), max_length=80, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("转办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="judicial_petitions",
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=PetitionState.choices, default=PetitionState.REGISTERED
    )
    routed_at = models.DateTimeField(_("转办时间"), null=True, blank=True)
    outcome = models.CharField(
        _("办理结果"), max_length=32, choices=PetitionOutcome.choices, blank=True
    )
    outcome_note = models.TextField(_("办理情况"), blank=True)
    answered_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    cases = models.ManyToManyField(
        Case, verbose_name=_("关联评查案件"), related_name="petitions", blank=True
    )
    registered_by = protected_fk(_user)
    sensitivity = sensitivity_field(editable=False)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = _("涉法涉诉信访")
        indexes = [
            models.Index(fields=["organisation", "state", "-id"], name="jpetition_org_idx"),
            models.Index(fields=["state", "-id"], name="jpetition_state_idx"),
        ]
        constraints = [
            one_of("state", PetitionState, "jpetition_state_valid"),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=PetitionOutcome.values),
                name="jpetition_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        year = self.received_on.year if self.received_on else ""
        return f"SFXF{year}-{self.pk or 0:04d}"
