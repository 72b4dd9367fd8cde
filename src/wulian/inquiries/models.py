"""Special inquiries (专题询问): a topic, its question list, the answers given at the inquiry
meeting; commitments are rectifications raised on a question (core.rectification), the meeting,
research, 回头看 and 暗访 are activities (core.activities) — docs/adr/0027-stations.md."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wulian.core.choices import Sensitivity
from wulian.core.fields import optional_protected_fk, protected_fk
from wulian.core.modelkit import HasPage
from wulian.core.models import Organisation, Versioned, one_of
from wulian.inquiries.choices import AskerKind, InquiryState, TopicSource


class Inquiry(HasPage, Versioned):
    page_name = "inquiries:inquiry_detail"
    organiser = protected_fk(Organisation, _("组织单位"))
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("询问主题"), max_length=200)
    source = models.CharField(_("选题来源"), max_length=16, choices=TopicSource.choices)
    source_note = models.CharField(_("来源说明"), max_length=200, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=InquiryState.choices, default=InquiryState.PREPARING
    )
    meeting = optional_protected_fk("activities.Activity", _("询问会议"))
    held_on = models.DateField(_("询问日期"), null=True, blank=True)
    report_due = models.DateField(_("整改报告期限"), null=True, blank=True)
    look_back = optional_protected_fk("activities.Activity", _("回头看"))
    ballot = optional_protected_fk("polls.Poll", _("满意度测评"))
    look_back_findings = models.TextField(_("回头看情况"), blank=True)
    looked_back_at = models.DateTimeField(_("回头看记录时间"), null=True, blank=True)
    opinion_text = models.TextField(_("审议意见"), blank=True)
    opinion_sent_at = models.DateTimeField(_("审议意见送达时间"), null=True, blank=True)
    sensitivity = models.CharField(
        max_length=16, choices=Sensitivity.choices, default=Sensitivity.INTERNAL, editable=False
    )

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = verbose_name_plural = _("专题询问")
        constraints = [
            one_of("state", InquiryState, "inquiry_state_valid"),
            one_of("source", TopicSource, "inquiry_source_valid"),
        ]

    def __str__(self) -> str:
        return self.title


class Question(Versioned):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("序号"))
    asker_kind = models.CharField(_("提问人类别"), max_length=8, choices=AskerKind.choices)
    asker = models.CharField(_("提问人"), max_length=60)
    text = models.TextField(_("问题"))
    unit = protected_fk(Organisation, _("应询单位"))
    official = models.CharField(_("应询人"), max_length=100)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    sensitivity = models.CharField(
        max_length=16, choices=Sensitivity.choices, default=Sensitivity.INTERNAL, editable=False
    )

    class Meta:
        ordering = ["inquiry", "position"]
        verbose_name = verbose_name_plural = _("询问问题")
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "position"], name="question_position"),
            one_of("asker_kind", AskerKind, "question_asker_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.inquiry} #{self.position}"

    def get_absolute_url(self) -> str:
        return reverse("inquiries:inquiry_detail", args=[self.inquiry_id]) + f"#q{self.pk}"
