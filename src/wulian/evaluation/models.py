"""联评: an evaluation of a government department for a year (ADR 0028)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wulian.core.choices import Sensitivity
from wulian.core.fields import EncryptedTextField, optional_protected_fk, protected_fk
from wulian.core.modelkit import HasPage, Owned
from wulian.core.models import Organisation, Person, Versioned
from wulian.evaluation.choices import (
    DEFAULT_DIMENSIONS,
    Consequence,
    DossierKind,
    DossierUse,
    Stage,
    TeamRole,
)


def default_dimensions() -> list[str]:
    return list(DEFAULT_DIMENSIONS)


class Evaluation(HasPage, Versioned):
    page_name = "evaluation:detail"
    year = models.PositiveIntegerField(_("评议年度"))
    department = protected_fk(Organisation, _("被评议部门"))
    title = models.CharField(_("评议名称"), max_length=200)
    # The 主任会议 that chose it (an activity of kind DIRECTORS_MEETING) and its decision.
    decision = protected_fk("activities.Decision", _("主任会议决定"))
    working_body = protected_fk(Organisation, _("工作机构"))
    stationed_group = protected_fk(Organisation, _("派驻纪检监察组"))
    cdi = protected_fk(Organisation, _("纪委监委"))
    stage = models.CharField(
        _("阶段"), max_length=16, choices=Stage.choices, default=Stage.APPROVED
    )
    dimensions = models.JSONField(_("评议内容"), default=default_dimensions)
    dimension_scores = models.JSONField(_("各项评议得分"), default=dict, blank=True)
    dossier_delivered_at = models.DateTimeField(_("参考材料提交时间"), null=True, blank=True)
    # The satisfaction vote (wulian.core.polls) and what it gave for this department.
    poll = optional_protected_fk("polls.Poll", _("满意度测评"))
    poll_item_id = models.PositiveIntegerField(null=True, blank=True)
    grade = models.CharField(_("测评结果"), max_length=16, blank=True)
    score = models.CharField(_("加权得分"), max_length=16, blank=True)
    consequence = models.CharField(
        _("后果"), max_length=16, choices=Consequence.choices, blank=True, default=""
    )
    consequence_reason = models.CharField(_("触发原因"), max_length=300, blank=True)
    talk = optional_protected_fk("activities.Activity", _("约谈"))
    opinion = models.TextField(_("评议意见"), blank=True)
    opinion_sent_at = models.DateTimeField(_("评议意见书送达时间"), null=True, blank=True)
    report_heard_at = models.DateTimeField(_("整改报告审议时间"), null=True, blank=True)
    report_note = models.TextField(_("审议情况"), blank=True)
    bulletin = optional_protected_fk("bulletins.Bulletin", _("结果通报"))
    conduct_grade = models.CharField(_("行风政风评议等次"), max_length=16, blank=True)
    conduct_source = models.CharField(_("行风政风评议来源"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_by = protected_fk(settings.AUTH_USER_MODEL)

    class Meta:
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "year"], name="evaluation_one_per_department_year"
            )
        ]
        indexes = [models.Index(fields=["year", "stage"], name="evaluation_year_stage_idx")]

    def __str__(self) -> str:
        return self.title


class TeamMember(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="team")
    role = models.CharField(_("身份"), max_length=16, choices=TeamRole.choices)
    organisation = optional_protected_fk(Organisation, _("单位"))
    person = optional_protected_fk(Person, _("人员"))

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_role_display()


class DossierItem(Owned, Versioned):
    """The CDI's reference material on the department (confidential: the team and the CDI)."""

    owner_attr = "evaluation.cdi_id"

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="dossier")
    kind = models.CharField(_("材料类型"), max_length=16, choices=DossierKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    # The CDI's inspection findings and daily-supervision information: encrypted at rest, as
    # a clue's content is (they may implicate persons).
    body = EncryptedTextField(_("内容"))
    uploaded_by = protected_fk(settings.AUTH_USER_MODEL)
    uploaded_at = models.DateTimeField(_("提交时间"))
    use = models.CharField(
        _("使用情况"), max_length=16, choices=DossierUse.choices, blank=True, default=""
    )
    use_note = models.CharField(_("使用说明"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluation:dossier", args=[self.evaluation_id]) + f"#item-{self.pk}"

    # Its files (wulian.core.attachments) are confidential, whatever the uploader chose:
    # each download is an audit event; the CDI owns them.
    @property
    def sensitivity(self) -> str:
        return Sensitivity.CONFIDENTIAL


class EvaluationClue(models.Model):
    """A clue referred from an evaluation, tagged with the CDI campaign it feeds."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="clues")
    clue = models.OneToOneField("clues.Clue", on_delete=models.PROTECT, related_name="+")
    campaign = models.CharField(_("专项整治"), max_length=100)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.campaign
