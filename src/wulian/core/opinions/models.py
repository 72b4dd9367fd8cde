"""Opinion rounds on drafts (征求意见): docs/adr/0024-opinion-rounds.md.

- `OpinionRound`: a draft document of a drafting organisation (起草单位) on which opinions are
  sought from invited organisations and named people, from its opening until its closing time
  (working days through the deadlines app); 准备中 → 征求中 → 已截止 → 已办结.
- `DraftVersion` / `DraftParagraph`: the draft in versions (pasted or uploaded as .docx), each
  stored as numbered paragraphs; a new version leaves the old ones readable.
- `Invitee`: one invited organisation or one named person; 无意见 said explicitly is kept here.
- `Comment`: an opinion anchored to a paragraph of the version it was made on (or to the whole
  draft), and its disposition by the drafting side: 采纳 / 部分采纳 / 未采纳 with the reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wulian.core.fields import optional_protected_fk, protected_fk
from wulian.core.modelkit import HasPage, Owned
from wulian.core.models import Organisation, Person, Versioned
from wulian.core.opinions.choices import Disposition, RoundState, Source


class OpinionRound(HasPage, Owned, Versioned):
    page_name = "opinions:round_detail"
    owner_attr = "drafter_id"
    drafter = protected_fk(Organisation, _("起草单位"))
    title = models.CharField(_("征求意见稿名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    state = models.CharField(
        _("状态"), max_length=16, choices=RoundState.choices, default=RoundState.DRAFT
    )
    working_days = models.PositiveSmallIntegerField(_("征求期限（工作日）"))
    opened_at = models.DateTimeField(_("发出时间"), null=True, blank=True)
    closes_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("实际截止时间"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    concluded_by = optional_protected_fk(settings.AUTH_USER_MODEL)
    created_by = protected_fk(settings.AUTH_USER_MODEL)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = _("征求意见")
        indexes = [
            models.Index(fields=["drafter", "-id"], name="oround_drafter_idx"),
            models.Index(fields=["year", "-id"], name="oround_year_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=RoundState.values), name="oround_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state=RoundState.DRAFT)
                | Q(opened_at__isnull=False, closes_at__isnull=False),
                name="oround_open_has_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DraftVersion(models.Model):
    round = models.ForeignKey(OpinionRound, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("稿次"))
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    note = models.CharField(_("修改说明"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = protected_fk(settings.AUTH_USER_MODEL)

    class Meta:
        ordering = ["round_id", "number"]
        verbose_name = verbose_name_plural = _("征求意见稿稿次")
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="dversion_once_per_number"),
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="dversion_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return _("第%(n)s稿") % {"n": self.number}


class DraftParagraph(models.Model):
    version = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="paragraphs")
    number = models.PositiveIntegerField(_("段号"))
    text = models.TextField(_("内容"))

    class Meta:
        ordering = ["version_id", "number"]
        verbose_name = verbose_name_plural = _("征求意见稿段落")
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="dparagraph_once"),
        ]

    def __str__(self) -> str:
        return _("第%(n)s段") % {"n": self.number}


class Invitee(Owned, models.Model):
    owner_attr = "round.drafter_id"
    round = models.ForeignKey(OpinionRound, on_delete=models.PROTECT, related_name="invitees")
    organisation = optional_protected_fk(Organisation, _("受邀单位"))
    person = optional_protected_fk(Person, _("受邀人员"))
    due_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    no_opinion_at = models.DateTimeField(_("表示无意见时间"), null=True, blank=True)
    no_opinion_by = optional_protected_fk(settings.AUTH_USER_MODEL)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("受邀单位或人员")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True, person__isnull=False)
                | Q(organisation__isnull=False, person__isnull=True),
                name="invitee_org_or_person",
            ),
            models.UniqueConstraint(
                fields=["round", "organisation"],
                condition=Q(organisation__isnull=False),
                name="invitee_org_once",
            ),
            models.UniqueConstraint(
                fields=["round", "person"],
                condition=Q(person__isnull=False),
                name="invitee_person_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("opinions:round_detail", args=[self.round_id]) + f"#invitee-{self.pk}"

    @property
    def name(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        return self.person.name


class Comment(Versioned):
    round = models.ForeignKey(OpinionRound, on_delete=models.PROTECT, related_name="comments")
    invitee = models.ForeignKey(Invitee, on_delete=models.PROTECT, related_name="comments")
    draft_version = models.ForeignKey(
        DraftVersion, verbose_name=_("稿次"), on_delete=models.PROTECT, related_name="comments"
    )
    # None: on the whole draft (总体意见).
    paragraph = models.ForeignKey(
        DraftParagraph,
        verbose_name=_("段落"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
    )
    text = models.TextField(_("意见内容"))
    author = protected_fk(settings.AUTH_USER_MODEL)
    disposition = models.CharField(
        _("处理结果"), max_length=16, choices=Disposition.choices, blank=True
    )
    reason = models.TextField(_("理由"), blank=True)
    disposed_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    disposed_by = optional_protected_fk(settings.AUTH_USER_MODEL)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("意见")
        indexes = [models.Index(fields=["round", "disposition"], name="ocomment_round_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(disposition="") | Q(disposition__in=Disposition.values),
                name="ocomment_disposition_valid",
            ),
            # A disposition other than 采纳 carries its reason.
            models.CheckConstraint(
                condition=Q(disposition__in=["", Disposition.ADOPTED]) | ~Q(reason=""),
                name="ocomment_reason_unless_adopted",
            ),
        ]

    def __str__(self) -> str:
        return _("意见%(n)s") % {"n": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("opinions:round_detail", args=[self.round_id]) + f"#comment-{self.pk}"

    @property
    def anchor_label(self) -> str:
        if self.paragraph_id is None:
            return str(_("总体意见"))
        return _("第%(v)s稿第%(p)s段") % {
            "v": self.draft_version.number,
            "p": self.paragraph.number,
        }
