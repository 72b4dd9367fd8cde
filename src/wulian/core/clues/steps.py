"""The steps of a clue (问题线索), declared once: the clue page's forms and
`POST /api/v1/clues/{id}/<step>/` are made from them (wulian.core.steps, ADR 0017).

Confidentiality holds through both doors (ADR 0007): a clue outside the caller's view is a 404
on its page and in the API alike (nobody else learns it exists); the API's answer is the
status view (no content: number, state, disposition, feedback, time limits) for the sending
office, and the content only for those who may read it — each such read an audit event, as on
the page."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from wulian.core import access, steps
from wulian.core.clues import services
from wulian.core.clues.forms import (
    ApproveForm,
    ConcludeForm,
    FeedbackForm,
    ProposeForm,
    ReturnForm,
    StepForm,
)
from wulian.core.clues.models import CONTENT_FIELDS, Clue
from wulian.core.steps import RecordBinding, Step

_STATUS_FIELDS = {
    "pk": serializers.IntegerField(),
    "number": serializers.CharField(),
    "state": serializers.CharField(),
    "state_label": serializers.CharField(),
    "sending_org": serializers.CharField(),
    "receiving_org": serializers.CharField(),
    "transferred_at": serializers.DateTimeField(allow_null=True),
    "received_at": serializers.DateTimeField(allow_null=True),
    "disposed_at": serializers.DateTimeField(allow_null=True),
    "disposition": serializers.CharField(),
    "disposition_label": serializers.CharField(),
    "feedback": serializers.CharField(),
    "feedback_at": serializers.DateTimeField(allow_null=True),
    "receipt_due": serializers.DateTimeField(allow_null=True),
    "disposition_due": serializers.DateTimeField(allow_null=True),
    "url": serializers.CharField(),
    "outcome": serializers.CharField(),
    "outcome_label": serializers.CharField(),
    "concluded_at": serializers.DateTimeField(allow_null=True),
    "found_on": serializers.DateField(allow_null=True),
    "transfer_due": serializers.DateTimeField(allow_null=True),
}
ClueOut = inline_serializer(
    "ClueOut",
    {
        "status": inline_serializer("ClueStatusOut", _STATUS_FIELDS),
        "content": inline_serializer(
            "ClueContentOut",
            {
                "subject_name": serializers.CharField(),
                "subject_post": serializers.CharField(),
                "subject_organisation": serializers.IntegerField(allow_null=True),
                "violation_type": serializers.CharField(),
                "content": serializers.CharField(),
                "evidence": serializers.CharField(),
                "disposition_note": serializers.CharField(),
                "proposed_disposition": serializers.CharField(),
                "proposal_note": serializers.CharField(),
                "approval_note": serializers.CharField(),
                "outcome_note": serializers.CharField(),
            },
            allow_null=True,
            help_text="Only for those who may read the clue (each read is audited); null for "
            "the sending office, which follows the status only.",
        ),
        "version": serializers.IntegerField(),
    },
)


def _out(clue: Clue, actor: access.Actor) -> dict[str, Any]:
    """The clue as this person may see it: the status for everyone who may follow it, the
    content (an audited read) only for those who may read it."""
    if access.can(actor, "clues.clue.view", clue):
        full = services.clue_open(actor=actor, clue_id=clue.pk, via="api")
        status = services.clue_statuses(actor=actor, clues=[full])[0]
        content: dict[str, Any] | None = {
            "subject_name": full.subject_name,
            "subject_post": full.subject_post,
            "subject_organisation": full.subject_organisation_id,
            "violation_type": full.violation_type,
            "content": full.content,
            "evidence": full.evidence,
            "disposition_note": full.disposition_note,
            "proposed_disposition": full.proposed_disposition,
            "proposal_note": full.proposal_note,
            "approval_note": full.approval_note,
            "outcome_note": full.outcome_note,
        }
    else:
        status = services.clue_open_status(actor=actor, clue_id=clue.pk)
        content = None
    return {"status": dataclasses.asdict(status), "content": content, "version": clue.version}


def _invalid(request: Any, clue: Clue, step: Step, form: Any, **kw: Any) -> Any:
    from wulian.core.clues.views import _page

    return _page(request, clue.pk, forms={step.name: form}, status=kw["status"])


steps.record(
    RecordBinding(
        model=Clue,
        queryset=lambda: Clue.objects.defer(*CONTENT_FIELDS, "feedback"),
        view_action="clues.clue.view_status",
        hidden=True,
        url=lambda c: reverse("clues:clue_detail", args=[c.pk]),
        invalid=_invalid,
        api_path="clues",
        serialize=_out,
        response=ClueOut,
    )
)

clue = steps.on(Clue, url_prefix="clue_")

steps.declare(
    clue(
        "transfer",
        action="clues.clue.transfer",
        form=StepForm,
        service=services.clue_transfer,
        done=_("线索已移送纪委监委，由其线索管理人员签收。移送后您只能查看办理状态和反馈。"),
        confirm=_(
            "移送后不能撤回：线索即交纪委监委签收，本单位不能再修改线索，也不能再查看线索内容，"
            "只能查看办理状态和反馈。"
        ),
        summary="The sending office transfers the clue to the CDI (移送); its clue officers "
        "receive it",
    ),
    clue(
        "receive",
        action="clues.clue.receive",
        form=StepForm,
        service=services.clue_receive,
        done=_("已签收。请在处置期限内提出处置意见；移送单位可看到签收状态。"),
        summary="A CDI clue officer receives the clue (签收)",
    ),
    # The CDI's triage: proposed by one clue officer, approved or returned by another (the
    # responsible leader), never recorded by one person (docs/adr/0019).
    clue(
        "propose",
        action="clues.clue.propose",
        form=ProposeForm,
        service=services.clue_propose,
        done=_("处置意见已提出，待其他负责同志审批；审批后才记录为处置结果。"),
        summary="The case-management office proposes a disposition (拟办); a leader who is not "
        "the proposer approves or returns it",
    ),
    clue(
        "approve",
        action="clues.clue.approve",
        form=ApproveForm,
        service=services.clue_approve,
        done=_("处置意见已审批，处置方式已记录；移送单位只看到处置方式。"),
        summary="A leader other than the proposer approves the proposed disposition (审批); it "
        "is recorded",
    ),
    clue(
        "return",
        action="clues.clue.approve",
        form=ReturnForm,
        service=services.clue_return,
        done=_("处置意见已退回，请线索管理人员重新拟办。"),
        summary="The leader returns the proposal with the reason (退回); nothing is recorded",
    ),
    clue(
        "reactivate",
        action="clues.clue.reactivate",
        form=StepForm,
        service=services.clue_reactivate,
        done=_("线索已启用，请重新提出处置意见并报审批。"),
        summary="A clue put on hold (暂存待查) is taken up again and goes back to triage",
    ),
    clue(
        "conclude",
        action="clues.clue.conclude",
        form=ConcludeForm,
        service=services.clue_conclude,
        done=_("办理结果已登记，移送单位可看到结果类别；请向移送单位反馈。"),
        summary="The outcome of 谈话函询 or 初步核实 (了结, 立案, 移送 …) is recorded; the "
        "sending office sees its kind",
    ),
    clue(
        "feedback",
        action="clues.clue.feedback",
        form=FeedbackForm,
        service=services.clue_give_feedback,
        done=_("已向移送单位反馈，移送单位将收到通知。"),
        summary="The CDI gives the sending office its feedback (反馈)",
    ),
)
