"""Clues (问题线索): a possible violation by an official, drafted by congress-side staff and
transferred (移送) to the CDI, which acknowledges receipt, disposes of it and gives feedback.

The content — who the official is, what happened, the evidence — and the CDI's own notes are
`EncryptedTextField`s: SM4-GCM tokens in the database, decrypted only when a person allowed to
read them opens the clue (and that reading is an audit event). The columns that stay in clear
are the ones lists and the sending side's status view need: number, violation type, states,
dates, organisations, the disposition kind.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wulian.core.choices import Sensitivity
from wulian.core.clues.choices import ClueState, Disposition, Outcome, ViolationType
from wulian.core.fields import (
    EncryptedTextField,
    optional_protected_fk,
    protected_fk,
    sensitivity_field,
)
from wulian.core.modelkit import HasPage
from wulian.core.models import Organisation, Versioned, one_of

# Columns that hold confidential text; lists and the status view never load them.
CONTENT_FIELDS = (
    "subject_name",
    "subject_post",
    "content",
    "evidence",
    "disposition_note",
    "proposal_note",
    "approval_note",
    "outcome_note",
)


class Clue(HasPage, Versioned):
    page_name = "clues:clue_detail"
    sending_org = models.ForeignKey(
        Organisation,
        verbose_name=_("移送单位"),
        on_delete=models.PROTECT,
        related_name="clues_sent",
    )
    receiving_org = models.ForeignKey(
        Organisation,
        verbose_name=_("受理机关"),
        on_delete=models.PROTECT,
        related_name="clues_received",
    )
    drafted_by = protected_fk(settings.AUTH_USER_MODEL)
    # The official concerned and the matter: encrypted at rest.
    subject_name = EncryptedTextField(_("反映对象姓名"))
    subject_post = EncryptedTextField(_("反映对象职务"), blank=True)
    subject_organisation = optional_protected_fk(Organisation, _("反映对象所在单位"))
    violation_type = models.CharField(_("问题类别"), max_length=32, choices=ViolationType.choices)
    # The day the sending office found the matter: its own time limit to transfer runs from it
    # (settings.CLUE_TRANSFER_WORKING_DAYS, local practice; docs/adr/0019).
    found_on = models.DateField(_("发现日期"), null=True, blank=True)
    content = EncryptedTextField(_("主要问题"))
    evidence = EncryptedTextField(_("证据材料说明"), blank=True)
    # The record the clue came from (a suggestion, a case review, a petition …), if any.
    source_type = optional_protected_fk(ContentType)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    sensitivity = sensitivity_field(Sensitivity.CONFIDENTIAL, editable=False)
    state = models.CharField(
        _("状态"), max_length=16, choices=ClueState.choices, default=ClueState.DRAFT
    )
    transferred_at = models.DateTimeField(_("移送时间"), null=True, blank=True)
    transferred_by = optional_protected_fk(settings.AUTH_USER_MODEL)
    received_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    received_by = optional_protected_fk(settings.AUTH_USER_MODEL)
    # The case-management office's proposal (拟办意见), approved or returned by a leader who
    # is not its author (docs/adr/0019); the note is the CDI's own, encrypted like the content.
    proposed_disposition = models.CharField(
        _("拟处置方式"), max_length=32, choices=Disposition.choices, blank=True
    )
    proposal_note = EncryptedTextField(_("拟办意见"), blank=True)
    proposed_at = models.DateTimeField(_("拟办时间"), null=True, blank=True)
    proposed_by = optional_protected_fk(settings.AUTH_USER_MODEL)
    approval_note = EncryptedTextField(_("审批意见"), blank=True)
    disposition = models.CharField(
        _("处置方式"), max_length=32, choices=Disposition.choices, blank=True
    )
    disposition_note = EncryptedTextField(_("处置说明"), blank=True)
    disposed_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    disposed_by = optional_protected_fk(settings.AUTH_USER_MODEL)
    # Where 谈话函询 or 初步核实 led: the kind is shown to the sending office, the note is not.
    outcome = models.CharField(_("办理结果"), max_length=32, choices=Outcome.choices, blank=True)
    outcome_note = EncryptedTextField(_("办理结果说明"), blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    concluded_by = optional_protected_fk(settings.AUTH_USER_MODEL)
    # What the sending side is told; encrypted at rest, shown in the status view.
    feedback = EncryptedTextField(_("反馈意见"), blank=True)
    feedback_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    feedback_by = optional_protected_fk(settings.AUTH_USER_MODEL)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = _("问题线索")
        indexes = [
            models.Index(fields=["sending_org", "-id"], name="clue_sender_idx"),
            models.Index(fields=["receiving_org", "state", "-id"], name="clue_receiver_idx"),
            models.Index(fields=["source_type", "source_id"], name="clue_source_idx"),
        ]
        constraints = [
            one_of("state", ClueState, "clue_state_valid"),
            models.CheckConstraint(
                condition=Q(disposition="") | Q(disposition__in=Disposition.values),
                name="clue_disposition_valid",
            ),
            models.CheckConstraint(
                condition=~Q(
                    state__in=[ClueState.DISPOSED, ClueState.FEEDBACK_GIVEN, ClueState.CONCLUDED]
                )
                | ~Q(disposition=""),
                name="clue_disposed_has_disposition",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=Outcome.values),
                name="clue_outcome_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state=ClueState.PROPOSED) | ~Q(proposed_disposition=""),
                name="clue_proposed_has_proposal",
            ),
            models.CheckConstraint(
                condition=Q(source_type__isnull=True, source_id__isnull=True)
                | Q(source_type__isnull=False, source_id__isnull=False),
                name="clue_source_complete",
            ),
        ]

    def __str__(self) -> str:
        # Never the content: this label goes into audit events and lists.
        return self.number

    @property
    def number(self) -> str:
        year = self.created_at.year if self.created_at else ""
        return f"XS{year}-{self.pk or 0:06d}"

    # No `owning_organisation_id` and no attach rule: the attachments app refuses files on a
    # clue (files are not encrypted at rest); evidence is described in the encrypted text.
