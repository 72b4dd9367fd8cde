"""Deadlines and the holiday calendar they are counted on.

- `CalendarYear` / `CalendarDay`: China's statutory holidays and make-up working days, one row
  per exceptional day. A year is usable for working-day arithmetic only once it is marked
  complete; ordinary weekends are not stored.
- `Deadline`: a time limit on any record (`AboutRecord`), counted by a rule (natural hours,
  working days, calendar months), with reminder points before it and an escalation after it.
- `DeadlinePoint`: each reminder or escalation the sweep has dealt with; the unique constraint
  (deadline, point) is what makes sending exactly-once.
- `ExtensionRequest`: the handler asks for a later due date; the assigner decides.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wulian.core.deadlines.choices import (
    DayKind,
    DeadlineState,
    Decision,
    EscalateUnit,
    PointOutcome,
    RuleKind,
)
from wulian.core.fields import optional_protected_fk, protected_fk
from wulian.core.models import Organisation, Versioned
from wulian.core.records import AboutRecord


def default_reminder_points() -> list[int]:
    return [50, 80]


class CalendarYear(models.Model):
    """A year of the holiday calendar. Only a complete year may be counted on."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    complete = models.BooleanField(_("已完整录入"), default=False)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    # Bumped by every change to the year or its days: processes compare the sum of revisions
    # to notice that their cached calendar is stale.
    revision = models.PositiveIntegerField(default=1)
    completed_at = models.DateTimeField(_("标记完整时间"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = verbose_name_plural = _("日历年度")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A statutory holiday (day off) or a make-up working day (调休上班, often a weekend)."""

    calendar_year = models.ForeignKey(CalendarYear, on_delete=models.PROTECT, related_name="days")
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=DayKind.choices)
    name = models.CharField(_("节日名称"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = _("节假日")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()


class Deadline(AboutRecord, Versioned):
    """A time limit on a record. `due_at` is where the clock ends now (after pauses and
    approved extensions); `next_point_at` is the sweep's index: the next reminder or escalation
    still to be dealt with while the deadline is open."""

    kind = models.CharField(_("期限类别"), max_length=40)
    title = models.CharField(_("事项"), max_length=200)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    # The record's app states which of its actions lets a person open, pause, resume and
    # cancel this deadline (e.g. "suggestions.suggestion.assign").
    manage_action = models.CharField(max_length=100)
    assigner_org = models.ForeignKey(
        Organisation,
        verbose_name=_("交办单位"),
        on_delete=models.PROTECT,
        related_name="deadlines_assigned",
    )
    responsible_org = models.ForeignKey(
        Organisation,
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="deadlines_responsible",
    )
    # Only holders of this role in the responsible organisation are reminded and see the
    # deadline in 我的待办 (clue time limits: the CDI's clue officers, not all its staff).
    responsible_role = models.CharField(_("承办角色"), max_length=32, blank=True)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deadlines_responsible",
    )
    escalate_to = models.ManyToManyField(
        Organisation, verbose_name=_("逾期另行报告"), blank=True, related_name="+"
    )
    rule_kind = models.CharField(_("计算方式"), max_length=20, choices=RuleKind.choices)
    rule_amount = models.PositiveIntegerField(_("期限长度"))
    start = models.DateTimeField(_("起算时间"))
    due_at = models.DateTimeField(_("截止时间"))
    original_due_at = models.DateTimeField(_("原定截止时间"))
    reminder_points = models.JSONField(_("提醒节点（%）"), default=default_reminder_points)
    escalate_after_amount = models.PositiveIntegerField(_("逾期后多久督办"), default=0)
    escalate_after_unit = models.CharField(
        max_length=20, choices=EscalateUnit.choices, default=EscalateUnit.HOURS
    )
    escalate_at = models.DateTimeField(_("督办时间"))
    state = models.CharField(
        _("状态"), max_length=16, choices=DeadlineState.choices, default=DeadlineState.OPEN
    )
    paused_at = models.DateTimeField(_("暂停时间"), null=True, blank=True)
    paused_total = models.DurationField(_("累计暂停"), default=timedelta)
    # Working days added by pauses (a working-day rule): the due date is recomputed from the
    # start, the rule and these when a provisionally counted year is completed.
    paused_working_days = models.PositiveIntegerField(default=0)
    # 暂定: the due date was counted on a year the holiday calendar does not yet hold complete
    # (weekends and the holidays the law fixes in advance); recomputed when the year is.
    provisional = models.BooleanField(_("暂定"), default=False)
    # Bumped by each approved extension: the reminders of the new schedule are new points.
    generation = models.PositiveSmallIntegerField(default=0)
    # The current schedule: [{"point": "g0:r50", "kind": "reminder", "pct": 50, "at": iso}, …,
    # {"point": "g0:esc", "kind": "escalation", "at": iso}], computed by the services.
    schedule = models.JSONField(default=list)
    next_point = models.CharField(max_length=40, blank=True)
    next_point_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = verbose_name_plural = _("期限")
        indexes = [
            *AboutRecord.Meta.indexes,
            models.Index(
                fields=["next_point_at"], condition=Q(state="open"), name="deadline_sweep_idx"
            ),
            models.Index(fields=["responsible_org", "state"], name="deadline_resp_idx"),
            models.Index(
                fields=["id"],
                condition=Q(provisional=True, state__in=["open", "paused"]),
                name="deadline_provisional_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"],
                condition=Q(state__in=["open", "paused"]),
                name="deadline_one_live_per_kind",
            ),
            models.CheckConstraint(condition=Q(rule_amount__gt=0), name="deadline_amount_pos"),
            models.CheckConstraint(
                condition=Q(state="paused", paused_at__isnull=False)
                | (~Q(state="paused") & Q(paused_at__isnull=True)),
                name="deadline_paused_at_iff_paused",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def link(self) -> str:
        """Where a person goes to act on it: the record's page, else the deadline's own."""
        if self.url:
            return self.url
        from django.urls import reverse

        return reverse("deadlines:detail", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.state in (DeadlineState.OPEN, DeadlineState.PAUSED)


class DeadlinePoint(models.Model):
    """A reminder or escalation the sweep dealt with. Inserted in the same transaction as the
    outbox messages and the audit event; the unique constraint makes a second insert fail."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="points")
    point = models.CharField(max_length=40)  # "g0:r50", "g0:r80", "g0:esc", "g1:r50", …
    scheduled_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=PointOutcome.choices)
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline_id", "scheduled_at"]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "point"], name="deadline_point_once")
        ]

    def __str__(self) -> str:
        return f"{self.deadline_id}:{self.point} {self.outcome}"


class ExtensionRequest(models.Model):
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extensions")
    requested_by = protected_fk(settings.AUTH_USER_MODEL)
    requested_at = models.DateTimeField(auto_now_add=True)
    due_before = models.DateTimeField(_("原截止时间"))
    new_due_at = models.DateTimeField(_("申请延至"))
    reason = models.TextField(_("延期理由"))
    decision = models.CharField(
        _("审批结果"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = optional_protected_fk(settings.AUTH_USER_MODEL)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = verbose_name_plural = _("延期申请")
        constraints = [
            models.UniqueConstraint(
                fields=["deadline"],
                condition=Q(decision="pending"),
                name="extension_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.deadline_id} → {self.new_due_at:%Y-%m-%d}"
