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

from wulian.core.activities.choices import (
    ActionState,
    ActivityKind,
    ActivityState,
    Attendance,
    MinutesState,
    ParticipantRole,
)
from wulian.core.fields import optional_protected_fk, protected_fk, sensitivity_field
from wulian.core.modelkit import HasPage, Owned
from wulian.core.models import Organisation, Person, Versioned
from wulian.core.records import AboutRecord


class Activity(HasPage, Owned, Versioned):
    page_name = "activities:activity_detail"
    owner_attr = "organiser_id"
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
    sensitivity = sensitivity_field()
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
        verbose_name = verbose_name_plural = _("监督活动")
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
    # A meeting's attendance: present, excused (with the reason) or absent; "" not yet known.
    attendance = models.CharField(
        _("出席情况"), max_length=16, choices=Attendance.choices, default="", blank=True
    )
    excuse_reason = models.CharField(_("请假事由"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("参加单位")
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
            models.CheckConstraint(
                condition=Q(attendance=Attendance.EXCUSED) | Q(excuse_reason=""),
                name="activity_participant_excuse_only_excused",
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
    linked_by = protected_fk(settings.AUTH_USER_MODEL)
    linked_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("关联记录")
        indexes = [models.Index(fields=["content_type", "object_id"], name="activity_link_rec_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "content_type", "object_id"], name="activity_link_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} → {self.content_type_id}#{self.object_id}"


# --- Meetings (ADR 0023): conveners, agenda, minutes co-signed, decisions → action items ----


class Meeting(Owned, Versioned):
    """The meeting side of an activity of a meeting kind (联席会议, 会商会审, 听取汇报 …): its
    minutes (会议纪要), drafted by the host, co-signed by one leader of each convening side and
    then issued with a number. `version` is the minutes' text version: signing does not
    change it, editing the text does (and clears the signatures given to the old text)."""

    owner_attr = "activity.organiser_id"

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="meeting")
    host = models.ForeignKey(
        Person,
        verbose_name=_("主持人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_meetings",
    )
    minutes_state = models.CharField(
        _("纪要状态"), max_length=16, choices=MinutesState.choices, default=MinutesState.NONE
    )
    minutes_title = models.CharField(_("纪要标题"), max_length=200, blank=True)
    minutes_body = models.TextField(_("纪要正文"), blank=True)
    minutes_year = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes_number = models.PositiveIntegerField(null=True, blank=True)
    minutes_issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    minutes_issued_by = optional_protected_fk(settings.AUTH_USER_MODEL)

    class Meta:
        verbose_name = verbose_name_plural = _("会议")
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_state__in=MinutesState.values), name="meeting_minutes_state"
            ),
            models.CheckConstraint(
                condition=~Q(minutes_state=MinutesState.ISSUED)
                | Q(minutes_number__isnull=False, minutes_issued_at__isnull=False),
                name="meeting_issued_numbered",
            ),
        ]

    def __str__(self) -> str:
        return str(self.activity)

    def get_absolute_url(self) -> str:
        return self.activity.get_absolute_url()

    @property
    def number_label(self) -> str:
        if self.minutes_number is None:
            return ""
        return f"〔{self.minutes_year}〕第{self.minutes_number}号"


class MeetingConvener(models.Model):
    """A convening organisation of a meeting (a joint meeting has two: the congress side and
    the CDI side) and the co-signature of its leader on the minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="conveners")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("召集单位"),
        on_delete=models.PROTECT,
        related_name="convened_meetings",
    )
    position = models.PositiveSmallIntegerField(default=0)
    signed_by = optional_protected_fk(settings.AUTH_USER_MODEL)
    signed_name = models.CharField(_("会签人"), max_length=100, blank=True)
    signed_at = models.DateTimeField(_("会签时间"), null=True, blank=True)
    signed_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = verbose_name_plural = _("召集单位")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"], name="meeting_convener_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class AgendaItem(Owned, models.Model):
    """One item of a meeting's agenda, with its presenter; its documents are attachments."""

    owner_attr = "meeting.activity.organiser_id"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("议题"), max_length=200)
    presenter_org = optional_protected_fk(Organisation, _("汇报单位"))
    presenter = models.CharField(_("汇报人"), max_length=100, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = verbose_name_plural = _("会议议题")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position_once")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:activity_detail", args=[self.meeting.activity_id]) + "#agenda"


class Decision(models.Model):
    """A decision of the meeting (议定事项); its action items carry who does what by when."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(_("议定事项"))
    created_by = protected_fk(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = verbose_name_plural = _("议定事项")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="decision_position_once")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class ActionItem(HasPage, Owned, Versioned):
    """A task a decision gives an organisation (and optionally one of its people), due by a
    date or N working days (a deadline: reminders, escalation to the conveners); the owner
    reports completion with evidence (attachments) and the conveners verify it or send it back
    with a reason."""

    page_name = "activities:action_detail"
    owner_attr = "owner_org_id"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("落实事项"), max_length=200)
    owner_org = models.ForeignKey(
        Organisation,
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="meeting_actions",
    )
    owner_person = models.ForeignKey(
        Person,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_actions",
    )
    due_at = models.DateTimeField(_("完成时限"))
    due_rule = models.CharField(_("时限规则"), max_length=60, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=ActionState.choices, default=ActionState.OPEN
    )
    report = models.TextField(_("完成情况"), blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    reported_by = optional_protected_fk(settings.AUTH_USER_MODEL)
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    verified_by = optional_protected_fk(settings.AUTH_USER_MODEL)
    return_reason = models.CharField(_("退回理由"), max_length=500, blank=True)
    return_count = models.PositiveSmallIntegerField(default=0)
    created_by = protected_fk(settings.AUTH_USER_MODEL)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = verbose_name_plural = _("会议落实事项")
        indexes = [
            models.Index(fields=["owner_org", "state", "due_at"], name="action_owner_idx"),
            models.Index(fields=["state", "due_at"], name="action_state_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ActionState.values), name="action_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ActionItemLink(AboutRecord):
    """A record an action item concerns (a suggestion, a case, a project, a clue …). Shown
    only to those who may see the record: others do not learn it exists."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="links")
    linked_by = protected_fk(settings.AUTH_USER_MODEL)
    linked_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("落实事项关联记录")
        indexes = [models.Index(fields=["content_type", "object_id"], name="action_link_rec_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "content_type", "object_id"], name="action_link_once"
            )
        ]
