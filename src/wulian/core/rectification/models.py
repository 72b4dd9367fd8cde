"""Findings (发现的问题) and their rectification (整改): one model used by every link.

- `Finding`: a problem found in an activity, a case review, an evaluation, a suggestion … (the
  record it was found in: `AboutRecord`), about an organisation, found by an organisation and a
  person. One finding leads to one rectification per responsible organisation.
- `Rectification`: the responsible unit's commitment and planned completion, progress reports
  with evidence, verification and closing (销号) by the raising organisation, or reopening. Its
  deadlines live in the deadlines app. `raising_org` and `year` repeat the finding's values
  (which never change after raising) so that the platform-wide ledger filters on indexes.
- `ProgressReport`: a report of the responsible unit; evidence files are attachments of the
  report (the attachments app). The report that submits for verification is `is_final`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wulian.core.choices import Sensitivity
from wulian.core.fields import optional_protected_fk, protected_fk, sensitivity_field
from wulian.core.modelkit import HasPage, Owned
from wulian.core.models import Organisation, Person, Versioned, one_of
from wulian.core.records import AboutRecord
from wulian.core.rectification.choices import RectificationState, Severity


class Finding(HasPage, Owned, AboutRecord, Versioned):
    page_name = "rectification:finding_detail"
    owner_attr = "found_by_org_id"
    about_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("被监督单位"),
        on_delete=models.PROTECT,
        related_name="findings_about",
    )
    found_by_org = models.ForeignKey(
        Organisation,
        verbose_name=_("发现单位"),
        on_delete=models.PROTECT,
        related_name="findings_raised",
    )
    found_by = models.ForeignKey(
        Person,
        verbose_name=_("发现人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings_found",
    )
    raised_by = protected_fk(settings.AUTH_USER_MODEL)
    title = models.CharField(_("问题概述"), max_length=200)
    description = models.TextField(_("问题描述"))
    severity = models.CharField(
        _("严重程度"), max_length=16, choices=Severity.choices, default=Severity.GENERAL
    )
    found_at = models.DateField(_("发现日期"))
    sensitivity = sensitivity_field()

    class Meta:
        ordering = ["-found_at", "-id"]
        verbose_name = verbose_name_plural = _("发现的问题")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="finding_rec_idx"),
            models.Index(fields=["found_by_org", "-found_at"], name="finding_raiser_idx"),
            models.Index(fields=["about_organisation", "-found_at"], name="finding_about_idx"),
        ]
        constraints = [
            one_of("severity", Severity, "finding_severity_valid"),
            one_of("sensitivity", Sensitivity, "finding_sensitivity_valid"),
        ]

    def __str__(self) -> str:
        return self.title


class Rectification(HasPage, Owned, Versioned):
    page_name = "rectification:rectification_detail"
    owner_attr = "raising_org_id"
    finding = models.ForeignKey(
        Finding, verbose_name=_("问题"), on_delete=models.PROTECT, related_name="rectifications"
    )
    responsible_org = models.ForeignKey(
        Organisation,
        verbose_name=_("整改责任单位"),
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    raising_org = models.ForeignKey(
        Organisation,
        verbose_name=_("提出单位"),
        on_delete=models.PROTECT,
        related_name="rectifications_raised",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    state = models.CharField(
        _("状态"),
        max_length=32,
        choices=RectificationState.choices,
        default=RectificationState.AWAITING_COMMITMENT,
    )
    commitment = models.TextField(_("整改措施和承诺"), blank=True)
    planned_completion = models.DateField(_("计划完成日期"), null=True, blank=True)
    committed_at = models.DateTimeField(_("制定措施时间"), null=True, blank=True)
    committed_by = optional_protected_fk(settings.AUTH_USER_MODEL)
    last_report_at = models.DateTimeField(_("最近报送进展"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交核验时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    closed_by = optional_protected_fk(settings.AUTH_USER_MODEL)
    verification_note = models.TextField(_("核验意见"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = _("整改")
        indexes = [
            models.Index(fields=["state", "-id"], name="rect_state_idx"),
            models.Index(fields=["responsible_org", "-id"], name="rect_unit_idx"),
            models.Index(fields=["raising_org", "-id"], name="rect_raiser_idx"),
            models.Index(fields=["year", "-id"], name="rect_year_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["finding", "responsible_org"], name="rect_one_per_unit_and_finding"
            ),
            one_of("state", RectificationState, "rect_state_valid"),
            models.CheckConstraint(
                condition=~Q(state=RectificationState.CLOSED) | Q(closed_at__isnull=False),
                name="rect_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.finding.title}（{self.responsible_org.display_name}）"

    @property
    def sensitivity(self) -> str:
        return self.finding.sensitivity


class ProgressReport(Owned, models.Model):
    owner_attr = "author_org_id"
    rectification = models.ForeignKey(
        Rectification, on_delete=models.PROTECT, related_name="reports"
    )
    text = models.TextField(_("整改进展"))
    is_final = models.BooleanField(_("整改完成情况报告"), default=False)
    author = protected_fk(settings.AUTH_USER_MODEL)
    author_org = protected_fk(Organisation, _("报送单位"))
    reported_at = models.DateTimeField(_("报送时间"))

    class Meta:
        ordering = ["reported_at", "id"]
        verbose_name = verbose_name_plural = _("整改进展")
        indexes = [models.Index(fields=["rectification", "reported_at"], name="rect_report_idx")]

    def __str__(self) -> str:
        return _("整改进展 %(n)s") % {"n": self.pk}

    def get_absolute_url(self) -> str:
        return self.rectification.get_absolute_url() + f"#report-{self.pk}"

    @property
    def sensitivity(self) -> str:
        return self.rectification.finding.sensitivity
