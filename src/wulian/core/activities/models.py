"""Supervision activities (联席会议, 调研, 视察, 现场督办, 座谈会, 听取汇报, 回访, 专题询问):
when and where, who organised it, which organisations (and people) took part, which records it
concerns, notes and attachments. The findings an activity raises are added by the
rectification app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wulian.core.activities.choices import ActivityKind, ActivityState, ParticipantRole
from wulian.core.choices import Sensitivity
from wulian.core.models import Organisation, Person, Versioned
from wulian.core.records import AboutRecord


class Activity(Versioned):
    kind = models.CharField(_("活动类型"), max_length=32, choices=ActivityKind.choices)
    title = models.CharField(_("活动名称"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("组织单位"),
        on_delete=models.PROTECT,
        related_name="organised_activities",
    )
    sensitivity = models.CharField(
        _("密级"), max_length=16, choices=Sensitivity.choices, default=Sensitivity.INTERNAL
    )
    notes = models.TextField(_("活动记录"), blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=ActivityState.choices, default=ActivityState.PLANNED
    )
    cancel_reason = models.CharField(_("取消原因"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("监督活动")
        verbose_name_plural = _("监督活动")
        indexes = [
            models.Index(fields=["-starts_at", "-id"], name="activity_starts_idx"),
            models.Index(fields=["organiser", "-starts_at"], name="activity_organiser_idx"),
            models.Index(fields=["kind", "-starts_at"], name="activity_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="activity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(state__in=ActivityState.values), name="activity_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:activity_detail", args=[self.pk])

    @property
    def owning_organisation_id(self) -> int:
        """The organisation that owns the record (used by attachments and other primitives)."""
        return self.organiser_id


class ActivityParticipant(models.Model):
    """An organisation taking part in an activity, optionally one named person of it."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="activity_participations",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activity_participations",
    )
    role = models.CharField(_("参加身份"), max_length=32, choices=ParticipantRole.choices)
    attended = models.BooleanField(_("实际出席"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("参加单位")
        verbose_name_plural = _("参加单位")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organisation"],
                condition=Q(person__isnull=True),
                name="activity_participant_org_once",
            ),
            models.UniqueConstraint(
                fields=["activity", "person"],
                condition=Q(person__isnull=False),
                name="activity_participant_person_once",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "activity"], name="activity_part_org_idx"),
            models.Index(fields=["person", "activity"], name="activity_part_person_idx"),
        ]

    def __str__(self) -> str:
        who = f"{self.organisation}" + (f" · {self.person}" if self.person_id else "")
        return f"{who} ({self.get_role_display()})"


class ActivityRecordLink(AboutRecord):
    """A record the activity concerns (a suggestion, a livelihood project, a department …)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="record_links")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        verbose_name = _("关联记录")
        verbose_name_plural = _("关联记录")
        indexes = [models.Index(fields=["content_type", "object_id"], name="activity_link_rec_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "content_type", "object_id"], name="activity_link_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} → {self.content_type_id}#{self.object_id}"
