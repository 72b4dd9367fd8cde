"""联商 records: the register of major matters (重大事项) with its links to the meetings,
bulletins, opinion rounds and analyses about each, the joint analyses (联合研判) with their
imported audit-rectification rows and findings, and the quarterly reminders sent.
Findings of an analysis are the core's (`rectification.Finding` about the analysis; a clue
drafted with the analysis as its source where officials are implicated): nothing kept twice.
The reasons: docs/adr/0029-joint-consultation.md."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wulian.consultation.choices import (
    AnalysisState,
    AnalysisSubject,
    BudgetWarning,
    InspectionTopic,
    ItemStatus,
    MatterKind,
    MatterSensitivity,
    MatterStatus,
    Side,
)
from wulian.core.fields import optional_protected_fk, protected_fk
from wulian.core.modelkit import HasPage
from wulian.core.models import Organisation, Person, Versioned
from wulian.core.records import AboutRecord


class Matter(HasPage, Versioned):
    """A major matter or key work arrangement of one side (重大事项), in the shared register."""

    page_name = "consultation:matter_detail"

    owner_org = protected_fk(Organisation, _("牵头单位"))
    side = models.CharField(_("所属方"), max_length=16, choices=Side.choices)
    kind = models.CharField(_("事项类别"), max_length=32, choices=MatterKind.choices)
    title = models.CharField(_("事项名称"), max_length=200)
    summary = models.TextField(_("主要内容"), blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    sensitivity = models.CharField(_("知悉范围"), max_length=16, choices=MatterSensitivity.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=MatterStatus.choices, default=MatterStatus.PLANNED
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("协同的专项工作"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    created_by = protected_fk(settings.AUTH_USER_MODEL)

    class Meta:
        ordering = ["-year", "starts_on", "id"]
        indexes = [
            models.Index(fields=["year", "side", "sensitivity"], name="matter_year_side_idx"),
            models.Index(fields=["owner_org", "year"], name="matter_owner_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="matter_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title


class MatterLink(AboutRecord):
    """A record about a matter: a meeting (activity), a bulletin, an opinion round, an
    analysis. Listed only to those who may see the linked record."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="links")
    linked_by = protected_fk(settings.AUTH_USER_MODEL)
    linked_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"], name="matter_link_rec_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["matter", "content_type", "object_id"], name="matter_link_once"
            )
        ]


class Analysis(HasPage, Versioned):
    """A joint analysis (联合研判) of a budget extract, state assets or an audit list."""

    page_name = "consultation:analysis_detail"

    title = models.CharField(_("研判名称"), max_length=200)
    subject = models.CharField(_("研判领域"), max_length=16, choices=AnalysisSubject.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    lead_org = protected_fk(Organisation, _("牵头单位"))
    partner_org = protected_fk(Organisation, _("协同单位"))
    matter = models.ForeignKey(
        Matter,
        verbose_name=_("重大事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="analyses",
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=AnalysisState.choices, default=AnalysisState.OPEN
    )
    report = models.TextField(_("研判报告"), blank=True)
    reported_at = models.DateTimeField(_("出具报告时间"), null=True, blank=True)
    created_by = protected_fk(settings.AUTH_USER_MODEL)

    class Meta:
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["year"], name="analysis_year_idx")]

    def __str__(self) -> str:
        return self.title


class Analyst(models.Model):
    """A person from either side who takes part in an analysis."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="analysts")
    person = protected_fk(Person)
    organisation = protected_fk(Organisation)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["analysis", "person"], name="analyst_once")]

    def __str__(self) -> str:
        return f"{self.analysis_id}:{self.person_id}"


class AuditItem(models.Model):
    """One row of an imported audit-rectification list or budget-execution extract."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="items")
    batch = models.PositiveIntegerField(_("导入批次"))
    row = models.PositiveIntegerField(_("行号"))
    unit_name = models.CharField(_("被审计单位"), max_length=200)
    unit = optional_protected_fk(Organisation)
    category = models.CharField(_("问题类别"), max_length=100)
    problem = models.TextField(_("问题描述"))
    amount = models.DecimalField(_("涉及金额（万元）"), max_digits=14, decimal_places=2, null=True)
    requirement = models.TextField(_("整改要求"), blank=True)
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    status = models.CharField(_("整改状态"), max_length=16, choices=ItemStatus.choices)

    class Meta:
        ordering = ["batch", "row"]
        indexes = [
            models.Index(fields=["analysis", "status"], name="audititem_status_idx"),
            models.Index(fields=["analysis", "id"], name="audititem_page_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "batch", "row"], name="audititem_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit_name}：{self.problem[:40]}"


class BudgetLine(models.Model):
    """One row of an imported budget-execution extract (预算执行情况): a budget unit's subject
    with its budget, adjusted budget and execution; `warning` when the execution rate is under
    the low mark or over the budget (the row an analyst looks at, 人大预算联网监督)."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="budget_lines")
    batch = models.PositiveIntegerField(_("导入批次"))
    row = models.PositiveIntegerField(_("行号"))
    unit_name = models.CharField(_("预算单位"), max_length=200)
    unit = optional_protected_fk(Organisation)
    subject_code = models.CharField(_("科目编码"), max_length=32, blank=True)
    subject = models.CharField(_("科目名称"), max_length=200)
    budget = models.DecimalField(_("年初预算数（万元）"), max_digits=14, decimal_places=2)
    adjusted = models.DecimalField(
        _("调整预算数（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    executed = models.DecimalField(_("执行数（万元）"), max_digits=14, decimal_places=2)
    note = models.TextField(_("说明"), blank=True)
    warning = models.CharField(_("预警"), max_length=16, blank=True, choices=BudgetWarning.choices)

    class Meta:
        ordering = ["batch", "row"]
        indexes = [models.Index(fields=["analysis", "id"], name="budgetline_page_idx")]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "batch", "row"], name="budgetline_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit_name}：{self.subject}"

    @property
    def rate(self) -> str:
        base = self.adjusted if self.adjusted is not None else self.budget
        return f"{self.executed * 100 / base:.1f}%" if base else "—"


class Inspection(models.Model):
    """A law-enforcement inspection (执法检查) as its matter's structured record: the law
    inspected, the scope, the plan, the teams, the inspected departments, the report and the
    审议意见. Part of the matter: changed under the matter's version. Its findings are
    `InspectionFinding` rows, each handed on as a rectification."""

    matter = models.OneToOneField(Matter, on_delete=models.CASCADE, related_name="inspection")
    law = models.CharField(_("检查的法律法规"), max_length=300)
    scope = models.TextField(_("检查范围"))
    plan = models.TextField(_("检查方案"), blank=True)
    teams = models.TextField(_("检查组"), blank=True)
    departments = models.ManyToManyField(
        Organisation, verbose_name=_("被检查单位"), related_name="+"
    )
    report = models.TextField(_("执法检查报告"), blank=True)
    opinions = models.TextField(_("审议意见"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.law

    def get_absolute_url(self) -> str:
        return self.matter.get_absolute_url() + "#inspection"


class InspectionFinding(models.Model):
    """One problem an inspection found at one inspected department; handed on, it becomes the
    core's finding about the matter with its rectification (`finding`)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    department = protected_fk(Organisation, _("被检查单位"))
    topic = models.CharField(_("问题类别"), max_length=16, choices=InspectionTopic.choices)
    problem = models.TextField(_("问题描述"))
    amount = models.DecimalField(
        _("涉及金额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    finding = models.OneToOneField(
        "rectification.Finding",
        verbose_name=_("整改"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = protected_fk(settings.AUTH_USER_MODEL)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_topic_display()}：{self.problem[:40]}"


class QuarterReminder(models.Model):
    """A quarterly-cadence reminder sent to one office: once per organisation and quarter."""

    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    organisation = protected_fk(Organisation)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter", "organisation"], name="quarter_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}#{self.organisation_id}"
