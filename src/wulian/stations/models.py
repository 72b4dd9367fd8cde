"""Liaison stations (代表联络站), their recurring events, the residents' opinions taken at them and
the integrity monitors' observations (联督 II; docs/adr/0027-stations.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wulian.core.fields import EncryptedTextField, optional_protected_fk, protected_fk
from wulian.core.modelkit import HasPage
from wulian.core.models import Organisation, Person, Versioned, one_of
from wulian.stations.choices import (
    Disposition,
    District,
    DutyRole,
    Elsewhere,
    EventKind,
    EventState,
    HolidayRule,
)

_user = settings.AUTH_USER_MODEL


class Station(HasPage, Versioned):
    """A liaison station: an organisation of kind liaison_station (its seats are its deputies'
    and monitors' accounts) with what a resident needs to find it."""

    page_name = "stations:station_detail"

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("联络站"), on_delete=models.PROTECT, related_name="station"
    )
    district = models.CharField(_("所在区县"), max_length=20, choices=District.choices)
    address = models.CharField(_("地址"), max_length=200)
    hours = models.CharField(_("开放时间"), max_length=120, blank=True)
    head_name = models.CharField(_("站长"), max_length=60, blank=True)
    practice_base = models.BooleanField(_("全过程人民民主基层实践基地"), default=False)

    class Meta:
        ordering = ["district", "organisation__name"]
        verbose_name = verbose_name_plural = _("代表联络站")
        constraints = [one_of("district", District, "station_district_valid")]

    def __str__(self) -> str:
        return self.organisation.name


class Duty(models.Model):
    """Who is on duty at a station: a deputy or an integrity monitor (names only go public)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="duties")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="station_duties")
    role = models.CharField(_("身份"), max_length=12, choices=DutyRole.choices)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["station", "person", "role"], name="duty_unique"),
            one_of("role", DutyRole, "duty_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class EventRule(Versioned):
    """A recurring event: 选民接待日 on a day of the month, 相约星期二 every Tuesday, 专题议事 on
    a day of the month; on a day that is not a working day it moves or is skipped."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("活动类型"), max_length=16, choices=EventKind.choices)
    day_of_month = models.PositiveSmallIntegerField(_("每月几日"), null=True, blank=True)
    holiday_rule = models.CharField(
        _("遇节假日"), max_length=8, choices=HolidayRule.choices, default=HolidayRule.MOVE
    )
    starts_at = models.TimeField(_("开始时间"))
    place = models.CharField(_("地点"), max_length=200)
    topic = models.CharField(_("主题"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["station", "kind", "id"]
        constraints = [
            one_of("kind", EventKind, "eventrule_kind_valid"),
            one_of("holiday_rule", HolidayRule, "eventrule_holiday_valid"),
            models.CheckConstraint(
                condition=Q(kind=EventKind.TUESDAY, day_of_month__isnull=True)
                | (~Q(kind=EventKind.TUESDAY) & Q(day_of_month__gte=1, day_of_month__lte=31)),
                name="eventrule_day_valid",
            ),
        ]


class Event(HasPage, Versioned):
    """One event at a station, announced publicly before it and recorded after it."""

    page_name = "stations:event_detail"

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="events")
    rule = models.ForeignKey(
        EventRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    kind = models.CharField(_("活动类型"), max_length=16, choices=EventKind.choices)
    date = models.DateField(_("日期"))
    starts_at = models.TimeField(_("开始时间"))
    place = models.CharField(_("地点"), max_length=200)
    topic = models.CharField(_("主题"), max_length=200, blank=True)
    # Moved from this day by the holiday rule (shown on the notice: "原定x月x日").
    moved_from = models.DateField(_("原定日期"), null=True, blank=True)
    on_duty = models.ManyToManyField(Person, verbose_name=_("值班人员"), related_name="+")
    state = models.CharField(
        _("状态"), max_length=12, choices=EventState.choices, default=EventState.PLANNED
    )
    attendance = models.PositiveIntegerField(_("参加群众人数"), default=0)
    record = models.TextField(_("活动记录"), blank=True)
    held_at = models.DateTimeField(_("记录时间"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = verbose_name_plural = _("联络站活动")
        indexes = [
            models.Index(fields=["date", "state"], name="stevent_date_idx"),
            models.Index(fields=["station", "-date"], name="stevent_station_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["station", "kind", "date"], name="stevent_once"),
            one_of("kind", EventKind, "stevent_kind_valid"),
            one_of("state", EventState, "stevent_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.get_kind_display()} {self.date:%Y-%m-%d}"


class Opinion(HasPage, Versioned):
    """A resident's opinion taken at an event, and what became of it."""

    page_name = "stations:opinion_detail"

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="opinions")
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="opinions")
    year = models.PositiveSmallIntegerField(_("年度"))
    topic = models.CharField(_("事项"), max_length=120)
    content = models.TextField(_("意见内容"))
    resident_name = models.CharField(_("群众姓名"), max_length=60, blank=True)
    resident_phone = EncryptedTextField(_("联系电话"), blank=True)
    consent = models.BooleanField(_("同意联系"), default=False)
    disposition = models.CharField(
        _("处理方式"), max_length=12, choices=Disposition.choices, default=Disposition.OPEN
    )
    answer = models.TextField(_("答复内容"), blank=True)
    department = models.ForeignKey(
        Organisation,
        verbose_name=_("转交部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="station_opinions",
    )
    handed_at = models.DateTimeField(_("转交时间"), null=True, blank=True)
    reply = models.TextField(_("部门答复"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    replied_on_time = models.BooleanField(_("按期答复"), null=True, blank=True)
    suggestion = models.ForeignKey(
        "suggestions.Suggestion",
        verbose_name=_("代表建议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="station_opinions",
    )
    elsewhere = models.CharField(
        _("引导途径"), max_length=20, choices=Elsewhere.choices, blank=True
    )
    search_tokens = models.TextField(blank=True, editable=False)
    recorded_by = protected_fk(_user)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = _("群众意见")
        indexes = [
            models.Index(fields=["station", "year", "disposition"], name="stopinion_station_idx"),
            models.Index(fields=["year", "disposition", "-id"], name="stopinion_year_idx"),
            models.Index(fields=["department", "disposition"], name="stopinion_dept_idx"),
        ]
        constraints = [
            one_of("disposition", Disposition, "stopinion_disposition_valid"),
            # No phone number kept without the resident's consent to be contacted.
            models.CheckConstraint(
                condition=Q(consent=True) | Q(resident_phone=""), name="stopinion_phone_consent"
            ),
        ]

    def __str__(self) -> str:
        return self.topic


class Observation(HasPage, models.Model):
    """An integrity monitor's observation of an official's conduct at a station: clue-grade —
    seen by the CDI's clue officers only (docs/adr/0027-stations.md)."""

    page_name = "stations:observation_detail"

    station = protected_fk(Station)
    event = optional_protected_fk(Event)
    receiving_org = protected_fk(Organisation, _("受理的纪委监委"))
    # Whom the concern is about and what was seen: clue-grade, encrypted at rest as a clue's
    # subject and content are (the service limits the lengths).
    subject_name = EncryptedTextField(_("反映对象"))
    subject_post = EncryptedTextField(_("职务"), blank=True)
    content = EncryptedTextField(_("观察到的情况"))
    observed_on = models.DateField(_("发现日期"))
    recorded_by = protected_fk(_user)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = _("清廉监督员观察")

    def __str__(self) -> str:
        return f"#{self.pk}"


class Tally(models.Model):
    """A station's year in figures, kept by the services in the same transaction as the change
    they count (the figures page reads 225 rows, not a million opinions)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="tallies")
    year = models.PositiveSmallIntegerField()
    events_held = models.PositiveIntegerField(default=0)
    attendance = models.PositiveIntegerField(default=0)
    opinions = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    handed = models.PositiveIntegerField(default=0)
    replied_on_time = models.PositiveIntegerField(default=0)
    replied_late = models.PositiveIntegerField(default=0)
    raised = models.PositiveIntegerField(default=0)
    declined = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["station", "year"], name="sttally_once"),
        ]

    def __str__(self) -> str:
        return f"{self.station_id}/{self.year}"
