"""民生实事项目代表票决制: a yearly cycle (征集 → 论证筛选 → 代表票决 → 组织实施 → 监督 →
满意度测评), its candidates, the projects the deputies chose, their numeric indicators with a
planned monthly curve, the departments' monthly actuals with evidence, the deviation warnings
and the decisions that changed an indicator after the vote."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wulian.core.fields import optional_protected_fk, protected_fk
from wulian.core.modelkit import HasPage, Owned
from wulian.core.models import Organisation, Person, Versioned, one_of
from wulian.livelihood.choices import (
    ActualState,
    CandidateSource,
    CandidateState,
    CycleState,
    GroupRole,
    IndicatorKind,
    OrderState,
    Satisfaction,
)


class Cycle(HasPage, Owned, Versioned):
    page_name = "livelihood:cycle_detail"
    owner_attr = "organiser_id"
    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("名称"), max_length=200)
    organiser = protected_fk(Organisation, _("组织单位"))
    state = models.CharField(
        _("阶段"), max_length=16, choices=CycleState.choices, default=CycleState.COLLECTING
    )
    places = models.PositiveSmallIntegerField(_("应选项目数"), default=10)
    deputies = models.PositiveIntegerField(_("全体代表人数"), default=0)
    session_opens_at = models.DateTimeField(_("大会票决开始"), null=True, blank=True)
    session_closes_at = models.DateTimeField(_("大会票决截止"), null=True, blank=True)
    vote_poll = optional_protected_fk("polls.Poll")
    satisfaction_poll = optional_protected_fk("polls.Poll")
    decision_number = models.CharField(_("决定文号"), max_length=60, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("民生实事年度")
        constraints = [one_of("state", CycleState, "livelihood_cycle_state")]

    def __str__(self) -> str:
        return self.title


class Candidate(Versioned):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="candidates")
    title = models.CharField(_("项目名称"), max_length=200)
    source = models.CharField(_("来源"), max_length=16, choices=CandidateSource.choices)
    proposer = models.CharField(_("提出者"), max_length=200, blank=True)
    description = models.TextField(_("项目内容"), blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=CandidateState.choices, default=CandidateState.PROPOSED
    )
    budget = models.DecimalField(
        _("预算（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    responsible = optional_protected_fk(Organisation, _("责任单位"))
    # [{"name", "unit", "target", "baseline", "kind"}] set at the screening.
    indicators = models.JSONField(_("绩效指标"), default=list, blank=True)
    screening_note = models.TextField(_("论证意见"), blank=True)
    votes = models.JSONField(default=dict, blank=True)  # {"for", "against", "abstain"}

    class Meta:
        ordering = ["cycle", "id"]
        verbose_name = _("候选项目")
        constraints = [
            one_of("state", CandidateState, "livelihood_candidate_state"),
            one_of("source", CandidateSource, "livelihood_candidate_source"),
            models.UniqueConstraint(fields=["cycle", "title"], name="livelihood_candidate_once"),
        ]

    def __str__(self) -> str:
        return self.title


class Project(HasPage, Owned, Versioned):
    page_name = "livelihood:project_detail"
    owner_attr = "responsible_id"
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="projects")
    candidate = models.OneToOneField(
        Candidate, null=True, blank=True, on_delete=models.PROTECT, related_name="project"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("项目名称"), max_length=200)
    summary = models.TextField(_("项目内容"), blank=True)
    budget = models.DecimalField(
        _("预算（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    responsible = protected_fk(Organisation, _("责任单位"))
    co_departments = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("配合单位")
    )
    satisfaction = models.CharField(
        _("满意度测评结果"),
        max_length=16,
        choices=Satisfaction.choices,
        default=Satisfaction.NONE,
        blank=True,
    )
    satisfaction_counts = models.JSONField(default=dict, blank=True)
    inquiry_topic = models.CharField(_("建议专题询问题目"), max_length=300, blank=True)

    class Meta:
        ordering = ["cycle", "number"]
        verbose_name = _("民生实事项目")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="livelihood_project_number"),
            one_of("satisfaction", Satisfaction, "livelihood_project_satisfaction"),
        ]

    def __str__(self) -> str:
        return self.title


class GroupMember(models.Model):
    """A member of the project's supervision group (监督小组)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="group")
    person = protected_fk(Person)
    role = models.CharField(_("小组职务"), max_length=16, choices=GroupRole.choices)

    class Meta:
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "person"], name="livelihood_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.person_id}"


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=200)
    due_on = models.DateField(_("计划完成"))
    done_on = models.DateField(_("实际完成"), null=True, blank=True)

    class Meta:
        ordering = ["project", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class Indicator(Versioned):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("指标"), max_length=200)
    unit = models.CharField(_("计量单位"), max_length=20)
    kind = models.CharField(_("指标类型"), max_length=16, choices=IndicatorKind.choices)
    target = models.DecimalField(_("目标值"), max_digits=14, decimal_places=2)
    baseline = models.DecimalField(_("基数"), max_digits=14, decimal_places=2, default=0)
    # Cumulative planned value at the end of each month: {"1": …, …, "12": …}.
    plan = models.JSONField(_("月度计划"), default=dict, blank=True)
    # What no month's report may exceed (physically plausible): default twice the target.
    ceiling = models.DecimalField(
        _("合理上限"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # Latest figures, kept by the services (the roll-up reads them without the actuals).
    actual = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    actual_in_use = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    actual_month = models.PositiveSmallIntegerField(default=0)
    # The gap of the last warning still standing (None: no warning standing).
    warned_gap = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["project", "position", "id"]
        constraints = [one_of("kind", IndicatorKind, "livelihood_indicator_kind")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url() + f"#indicator-{self.pk}"

    def limit(self) -> Decimal:
        return self.ceiling if self.ceiling is not None else self.target * 2


class IndicatorChange(models.Model):
    """An indicator changed after the vote, on a recorded decision (决定文号)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="changes")
    decision = models.CharField(_("决定文号"), max_length=100)
    reason = models.TextField(_("调整理由"))
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    changed_by = protected_fk(settings.AUTH_USER_MODEL)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["indicator", "changed_at", "id"]

    def __str__(self) -> str:
        return self.decision


class Actual(HasPage, Owned, Versioned):
    """A department's report of an indicator for a month: the cumulative value reached."""

    page_name = "livelihood:actual_detail"
    owner_attr = "indicator.project.responsible_id"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    month = models.PositiveSmallIntegerField(_("月份"))
    value = models.DecimalField(_("累计完成"), max_digits=14, decimal_places=2)
    value_in_use = models.DecimalField(
        _("累计投用"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    narrative = models.TextField(_("进展情况"), blank=True)
    state = models.CharField(
        _("核实"), max_length=16, choices=ActualState.choices, default=ActualState.REPORTED
    )
    reported_by = protected_fk(settings.AUTH_USER_MODEL)
    reported_at = models.DateTimeField()
    review_note = models.TextField(_("核实意见"), blank=True)
    reviewed_by = optional_protected_fk(settings.AUTH_USER_MODEL)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["indicator", "month"]
        verbose_name = _("月度进展")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "month"], name="livelihood_actual_once"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="livelihood_actual_month"
            ),
            one_of("state", ActualState, "livelihood_actual_state"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.month}"


class Photo(models.Model):
    """What the evidence photo's file says of itself (EXIF), beside its attachment."""

    actual = models.ForeignKey(Actual, on_delete=models.CASCADE, related_name="photos")
    attachment = models.OneToOneField(
        "attachments.Attachment", on_delete=models.PROTECT, related_name="+"
    )
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # False: no readable time or place in the file — accepted, and marked on every page.
    readable = models.BooleanField(default=False)
    public = models.BooleanField(_("在公开页展示"), default=False)

    class Meta:
        ordering = ["actual", "id"]

    def __str__(self) -> str:
        return f"photo {self.pk}"


class Warning(models.Model):
    """A deviation warning: the actual trailed the planned curve by more than the set share."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="warnings")
    month = models.PositiveSmallIntegerField()
    planned = models.DecimalField(max_digits=14, decimal_places=2)
    actual = models.DecimalField(max_digits=14, decimal_places=2)
    gap = models.DecimalField(max_digits=7, decimal_places=4)
    fired_at = models.DateTimeField()

    class Meta:
        ordering = ["indicator", "fired_at", "id"]

    def __str__(self) -> str:
        return f"warning {self.indicator_id}/{self.month}"


class Order(Owned, Versioned):
    """督办: the congress side presses a lagging project's responsible department for a
    written answer by a date; an order unanswered past its date, or answered without effect,
    is escalated to the CDI (移交纪委监委)."""

    owner_attr = "to_unit_id"

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="orders")
    issued_by_org = protected_fk(Organisation, _("督办单位"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("督办时间"))
    to_unit = protected_fk(Organisation, _("被督办单位"))
    requirements = models.TextField(_("督办要求"))
    due_on = models.DateField(_("答复期限"))
    state = models.CharField(
        _("状态"), max_length=16, choices=OrderState.choices, default=OrderState.ISSUED
    )
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("移交纪委监委时间"), null=True, blank=True)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    escalation_note = models.TextField(_("移交说明"), blank=True)

    class Meta:
        ordering = ["project", "-issued_at", "-id"]
        verbose_name = verbose_name_plural = _("督办")
        constraints = [one_of("state", OrderState, "livelihood_order_state")]

    def __str__(self) -> str:
        return f"{self.project} · {self.issued_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("livelihood:project_detail", args=[self.project_id]) + f"#order-{self.pk}"
