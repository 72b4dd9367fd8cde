"""Organisations, people and memberships (Popolo's shape), and the profiles of deputies,
experts and integrity monitors. The audit chain lives in `audit.py`'s model below."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wulian.core.choices import (
    ADMIN_ROLES,
    DeputyLevel,
    ExpertCategory,
    Gender,
    OrgKind,
    Role,
)
from wulian.core.fields import optional_protected_fk, protected_fk


def one_of(field: str, choices: Any, name: str) -> models.CheckConstraint:
    """The database's check that `field` holds one of `choices`' values (a state, a kind)."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class Versioned(models.Model):
    """Optimistic concurrency: every edit states the version it read; a stale one is refused."""

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Organisation(Versioned):
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("类型"), max_length=32, choices=OrgKind.choices)
    code = models.CharField(_("单位代码"), max_length=32, unique=True)
    name = models.CharField(_("全称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    region = models.CharField(_("所在区县"), max_length=60, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = verbose_name_plural = _("单位")
        indexes = [models.Index(fields=["kind", "is_active"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="organisation_not_own_parent"
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Person(Versioned):
    name = models.CharField(_("姓名"), max_length=60)
    gender = models.CharField(
        _("性别"), max_length=8, choices=Gender.choices, blank=True, default=Gender.UNSTATED
    )
    title = models.CharField(_("职务"), max_length=120, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = verbose_name_plural = _("人员")
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in an organisation (Popolo membership)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    post = models.CharField(_("岗位"), max_length=120, blank=True)
    start_date = models.DateField(_("起始日期"), null=True, blank=True)
    end_date = models.DateField(_("终止日期"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__sort_order", "id"]
        verbose_name = verbose_name_plural = _("任职")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "role"],
                condition=Q(is_active=True),
                name="membership_unique_active_role",
            ),
            # 三员分立: at most one active administrator role per person, enforced by the
            # database as well as by the service.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(is_active=True, role__in=sorted(ADMIN_ROLES)),
                name="membership_one_admin_role",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "role", "is_active"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.organisation} · {self.get_role_display()}"


class GrantState(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REFUSED = "refused", _("未确认")


class RoleGrant(models.Model):
    """A role of the CDI side proposed by the security administrator and not yet confirmed by
    a CDI officer (docs/adr/0014). It gives no rights: the membership exists only once a
    second person confirms it. Who may propose, confirm and refuse: `core.membership.*` in
    `wulian.core.policies`."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_grants")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="role_grants"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    post = models.CharField(_("岗位"), max_length=120, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=GrantState.choices, default=GrantState.PENDING
    )
    requested_by = protected_fk(settings.AUTH_USER_MODEL)
    requested_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    decided_by = optional_protected_fk(settings.AUTH_USER_MODEL)
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    reason = models.CharField(_("不予确认的理由"), max_length=500, blank=True)
    membership = models.OneToOneField(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="grant"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = verbose_name_plural = _("待确认授权")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "role"],
                condition=Q(state="pending"),
                name="role_grant_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.organisation} · {self.get_role_display()}"


class DeputyProfile(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="deputy")
    certificate_no = models.CharField(_("代表证号"), max_length=32, unique=True)
    level = models.CharField(
        _("代表层级"), max_length=16, choices=DeputyLevel.choices, default=DeputyLevel.MUNICIPAL
    )
    delegation = models.CharField(_("代表团（选区）"), max_length=120, blank=True)
    liaison_station = models.ForeignKey(
        Organisation,
        verbose_name=_("所在联络站"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputies",
        limit_choices_to={"kind": OrgKind.LIAISON_STATION},
    )
    term = models.CharField(_("届次"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("代表信息")

    def __str__(self) -> str:
        return f"{self.person} ({self.certificate_no})"


class ExpertProfile(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="expert")
    category = models.CharField(_("专家类别"), max_length=16, choices=ExpertCategory.choices)
    specialties = models.JSONField(_("专业领域"), default=list, blank=True)
    employer = models.CharField(_("工作单位"), max_length=200, blank=True)
    law_firm = models.CharField(_("律师事务所"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在库"), default=True)

    class Meta:
        verbose_name = _("专家信息")

    def __str__(self) -> str:
        return f"{self.person} ({self.get_category_display()})"


class IntegrityMonitorProfile(models.Model):
    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="integrity_monitor"
    )
    appointed_by = models.ForeignKey(
        Organisation,
        verbose_name=_("聘任单位"),
        on_delete=models.PROTECT,
        related_name="integrity_monitors",
    )
    appointed_on = models.DateField(_("聘任日期"), null=True, blank=True)
    area = models.CharField(_("监督领域"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("清廉监督员信息")

    def __str__(self) -> str:
        return str(self.person)


class _FromBody(models.Func):
    """One top-level value of an audit event's canonical JSON, extracted by the database: the
    columns the product queries are generated from the hashed bytes and cannot differ from them.
    kind: text (strings; '' for null), int, json (a nested value as JSON text; '' for null),
    time (the ISO 8601 UTC time)."""

    output_field = models.TextField()

    def __init__(self, key: str, kind: str, output_field: models.Field) -> None:
        self.key, self.kind = key, kind
        super().__init__(models.F("body"), output_field=output_field)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        body, params = compiler.compile(self.source_expressions[0])
        value = f"json_extract({body}, '$.{self.key}')"
        if self.kind in ("text", "json"):
            value = f"coalesce({value}, '')"
        elif self.kind == "time":
            # Django's own text form of a UTC time on SQLite: '2025-01-28 08:00:00.000000'.
            value = f"replace(substr({value}, 1, 26), 'T', ' ')"
        return value, params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        body, params = compiler.compile(self.source_expressions[0])
        value = f"(({body})::jsonb ->> '{self.key}')"
        if self.kind == "text":
            value = f"coalesce({value}, '')"
        elif self.kind == "int":
            value = f"({value})::bigint"
        elif self.kind == "json":
            value = f"coalesce(nullif((({body})::jsonb -> '{self.key}')::text, 'null'), '')"
        elif self.kind == "time":
            # An IMMUTABLE wrapper (migration core.0003): the text always carries its offset.
            value = f"wulian_audit_time({value})"
        return value, params


def _generated(key: str, kind: str, field: models.Field, **options: Any) -> models.GeneratedField:
    return models.GeneratedField(
        expression=_FromBody(key, kind, field), output_field=field, db_persist=True, **options
    )


class AuditEvent(models.Model):
    """One link of the append-only audit chain: hash = SM3(prev_hash ‖ body).

    `body` is the event's canonical JSON (sorted keys, no spaces, NFC strings, UTC time with
    microseconds) — exactly the bytes that were hashed. Every other column is generated from it
    by the database, so an event cannot show one thing and hash another, and `wulian audit
    verify` reads four columns and hashes (docs/adr/0009)."""

    body = models.TextField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    seq = _generated("seq", "int", models.BigIntegerField(), unique=True)
    at = _generated("at", "time", models.DateTimeField(), db_index=True)
    actor_id = _generated("actor", "int", models.BigIntegerField(null=True))
    actor_label = _generated("actor_label", "text", models.CharField(max_length=150))
    organisation_id_at_time = _generated("org", "int", models.BigIntegerField(null=True))
    action = _generated("action", "text", models.CharField(max_length=100), db_index=True)
    outcome = _generated("outcome", "text", models.CharField(max_length=16))
    target_type = _generated("target_type", "text", models.CharField(max_length=60))
    target_id = _generated("target_id", "text", models.CharField(max_length=64))
    target_label = _generated("target_label", "text", models.CharField(max_length=200))
    before = _generated("before", "json", models.TextField())
    after = _generated("after", "json", models.TextField())
    request_id = _generated("request_id", "text", models.CharField(max_length=64))
    ip = _generated("ip", "text", models.CharField(max_length=45))

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "seq"], name="audit_target_seq")
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    @property
    def before_data(self) -> Any:
        return json.loads(self.before) if self.before else None

    @property
    def after_data(self) -> Any:
        return json.loads(self.after) if self.after else None


class AuditHead(models.Model):
    """A single row locked by each append so that concurrent writers never fork the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"head #{self.seq}"


class AuditCheckpoint(models.Model):
    """A signed statement of the chain head (seq, hash, time). The authoritative copy is the
    one exported outside the database; this row is for listing and scheduling."""

    seq = models.BigIntegerField()
    head_hash = models.CharField(max_length=64)
    at = models.DateTimeField()
    signature = models.TextField()
    public_key = models.CharField(max_length=130)
    exported_to = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=16, default="periodic")  # periodic | day_end | manual

    class Meta:
        ordering = ["-seq", "-at"]
        get_latest_by = "at"

    def __str__(self) -> str:
        return f"checkpoint #{self.seq}"


class TaskState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class BackgroundTask(models.Model):
    """A long export or import run by the worker rather than in the request
    (wulian.core.background): who asked, what (a registered kind and its parameters), how far
    it is, and its result (an export's file, kept for its requester only; an import's problems
    by row in `report`). An import's uploaded file waits in `upload` until the worker has read
    it, and is then dropped."""

    kind = models.CharField(_("类型"), max_length=64)
    title = models.CharField(_("名称"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    params = models.JSONField(_("参数"), default=dict)
    state = models.CharField(
        _("状态"), max_length=16, choices=TaskState.choices, default=TaskState.QUEUED
    )
    total = models.PositiveIntegerField(_("总行数"), default=0)
    done = models.PositiveIntegerField(_("已完成行数"), default=0)
    result = models.BinaryField(null=True, editable=False)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    message = models.CharField(_("说明"), max_length=1000, blank=True)
    upload = models.BinaryField(null=True, editable=False)
    # An import's problems: [{"sheet", "row", "column", "message"}], nothing imported.
    report = models.JSONField(_("问题清单"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = _("后台任务")
        indexes = [models.Index(fields=["state", "id"], name="task_state_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:task_detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        """The title in the reader's language (composed again from its msgid in English)."""
        from wulian.core.deadlines import titles

        return titles.display(self.title)

    @property
    def display_message(self) -> str:
        from wulian.core.deadlines import titles

        return titles.display(self.message)

    @property
    def percent(self) -> int:
        if self.state == TaskState.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0
