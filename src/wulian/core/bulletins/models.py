"""Bulletins (定期通报 / 工作通报) with receipts: docs/adr/0021-bulletins.md.

- `BulletinSeries`: a periodic series of one issuing organisation (monthly or quarterly); its
  bulletins are numbered per year (〔2026〕第3期). A bulletin without a series is ad hoc and is
  numbered among the issuer's ad hoc bulletins of the year.
- `Bulletin`: drafted and edited by the issuer (with a version check), then issued to its
  distribution list; optionally about another record of the platform (`linked_record`: a
  suggestion, an evaluation …). The number is given at issue.
- `BulletinRecipient`: one organisation on the distribution list: its receipt (签收) with the
  due time and whether it was late, and its feedback (反馈意见) with the same. The receipt
  deadline (deadlines app) is opened on this row, one per recipient.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wulian.core.bulletins.choices import BulletinSensitivity, BulletinState, Cadence
from wulian.core.fields import optional_protected_fk, protected_fk
from wulian.core.modelkit import HasPage, Owned
from wulian.core.models import Organisation, Versioned


class BulletinSeries(Owned, Versioned):
    owner_attr = "issuer_id"
    issuer = protected_fk(Organisation, _("印发单位"))
    name = models.CharField(_("通报名称"), max_length=100)
    cadence = models.CharField(_("周期"), max_length=16, choices=Cadence.choices)
    is_active = models.BooleanField(_("在用"), default=True)
    created_by = protected_fk(settings.AUTH_USER_MODEL)

    class Meta:
        ordering = ["issuer_id", "name"]
        verbose_name = verbose_name_plural = _("定期通报")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "name"], name="bseries_unique_name"),
            models.CheckConstraint(
                condition=Q(cadence__in=Cadence.values), name="bseries_cadence_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Bulletin(HasPage, Owned, Versioned):
    page_name = "bulletins:bulletin_detail"
    owner_attr = "issuer_id"
    issuer = models.ForeignKey(
        Organisation,
        verbose_name=_("印发单位"),
        on_delete=models.PROTECT,
        related_name="bulletins_issued",
    )
    series = models.ForeignKey(
        BulletinSeries,
        verbose_name=_("定期通报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bulletins",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("期号"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    sensitivity = models.CharField(
        _("敏感程度"),
        max_length=16,
        choices=BulletinSensitivity.choices,
        default=BulletinSensitivity.ORDINARY,
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=BulletinState.choices, default=BulletinState.DRAFT
    )
    receipt_working_days = models.PositiveSmallIntegerField(_("签收期限（工作日）"))
    feedback_working_days = models.PositiveSmallIntegerField(_("反馈期限（工作日）"))
    # The record the bulletin reports on (optional): any record of the platform.
    linked_type = optional_protected_fk(ContentType)
    linked_id = models.PositiveBigIntegerField(null=True, blank=True)
    linked_record = GenericForeignKey("linked_type", "linked_id")
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    issued_by = optional_protected_fk(settings.AUTH_USER_MODEL)
    created_by = protected_fk(settings.AUTH_USER_MODEL)

    class Meta:
        ordering = ["-id"]
        verbose_name = pgettext_lazy("bulletin", "通报")
        verbose_name_plural = pgettext_lazy("bulletins", "通报")
        indexes = [
            models.Index(fields=["issuer", "-id"], name="bulletin_issuer_idx"),
            models.Index(fields=["year", "-id"], name="bulletin_year_idx"),
            models.Index(fields=["series", "year"], name="bulletin_series_idx"),
            models.Index(fields=["linked_type", "linked_id"], name="bulletin_linked_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "number"],
                condition=Q(series__isnull=False, number__isnull=False),
                name="bulletin_series_number_unique",
            ),
            models.UniqueConstraint(
                fields=["issuer", "year", "number"],
                condition=Q(series__isnull=True, number__isnull=False),
                name="bulletin_adhoc_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(state__in=BulletinState.values), name="bulletin_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(sensitivity__in=BulletinSensitivity.values),
                name="bulletin_sensitivity_valid",
            ),
            models.CheckConstraint(
                condition=Q(state=BulletinState.DRAFT)
                | Q(issued_at__isnull=False, number__isnull=False),
                name="bulletin_issued_numbered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_periodic(self) -> bool:
        return self.series_id is not None

    @property
    def number_label(self) -> str:
        """〔2026〕第3期 (the series' name before it for a periodic bulletin); "" for a draft."""
        if self.number is None:
            return ""
        return _("〔%(year)s〕第%(n)s期") % {"year": self.year, "n": self.number}

    @property
    def hides_title(self) -> bool:
        """Notifications, reminders and lists outside the bulletin page do not carry the title
        of a sensitive or clue-grade bulletin."""
        return self.sensitivity != BulletinSensitivity.ORDINARY


class BulletinRecipient(Owned, models.Model):
    owner_attr = "organisation_id"
    bulletin = models.ForeignKey(Bulletin, on_delete=models.PROTECT, related_name="recipients")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("接收单位"),
        on_delete=models.PROTECT,
        related_name="bulletins_received",
    )
    receipt_due_at = models.DateTimeField(_("签收截止"), null=True, blank=True)
    feedback_due_at = models.DateTimeField(_("反馈截止"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    signed_by = optional_protected_fk(settings.AUTH_USER_MODEL)
    signed_late = models.BooleanField(_("逾期签收"), default=False)
    feedback = models.TextField(_("反馈意见"), blank=True)
    feedback_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    feedback_by = optional_protected_fk(settings.AUTH_USER_MODEL)
    feedback_late = models.BooleanField(_("逾期反馈"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("通报接收单位")
        indexes = [
            models.Index(fields=["organisation", "signed_at"], name="brecipient_org_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["bulletin", "organisation"], name="brecipient_once_per_bulletin"
            ),
            models.CheckConstraint(
                condition=Q(feedback_at__isnull=True) | Q(signed_at__isnull=False),
                name="brecipient_feedback_after_receipt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bulletin}（{self.organisation.display_name}）"

    def get_absolute_url(self) -> str:
        return reverse("bulletins:bulletin_detail", args=[self.bulletin_id]) + (
            f"#recipient-{self.pk}"
        )

    @property
    def sensitivity(self) -> str:
        return self.bulletin.sensitivity
