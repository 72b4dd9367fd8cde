"""The steps a person takes on a deadline, declared once: the deadline panel's forms and
`POST /api/v1/deadlines/{id}/<step>/` are made from them (wulian.core.steps, ADR 0017)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wulian.api.readonly import read_only
from wulian.core import steps
from wulian.core.deadlines import services
from wulian.core.deadlines.forms import (
    ExtensionDecisionForm,
    ExtensionRequestForm,
    PauseForm,
    VersionForm,
)
from wulian.core.deadlines.models import Deadline, ExtensionRequest
from wulian.core.steps import RecordBinding

ExtensionOut = read_only(
    "ExtensionOut",
    ExtensionRequest,
    [
        "id",
        "requested_at",
        "due_before",
        "new_due_at",
        "reason",
        "decision",
        "decided_at",
        "decision_note",
    ],
)


class DeadlineOut(serializers.ModelSerializer):
    """A deadline as the API shows it: `provisional` when its due date was counted on a year
    the holiday calendar does not yet hold (暂定, recounted when it does)."""

    extensions = ExtensionOut(many=True, read_only=True)

    class Meta:
        model = Deadline
        fields = [
            "id",
            "kind",
            "title",
            "state",
            "rule_kind",
            "rule_amount",
            "start",
            "due_at",
            "original_due_at",
            "provisional",
            "escalate_at",
            "paused_at",
            "responsible_org",
            "assigner_org",
            "closed_at",
            "extensions",
            "version",
        ]
        read_only_fields = fields


def _deadlines():
    return Deadline.objects.prefetch_related("extensions")


def _back(request: HttpRequest, deadline: Deadline) -> str:
    """The page the panel was on (its `next`), else the deadline's own page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("deadlines:detail", args=[deadline.pk])


steps.record(
    RecordBinding(
        model=Deadline,
        queryset=_deadlines,
        view_action="deadlines.deadline.view",
        url=lambda d: reverse("deadlines:detail", args=[d.pk]),
        back=_back,
        api_path="deadlines",
        response=DeadlineOut,
    )
)
steps.record(
    RecordBinding(
        model=ExtensionRequest,
        queryset=lambda: ExtensionRequest.objects.select_related("deadline"),
        view_action="deadlines.deadline.view",
        guard=lambda e: e.deadline,
        url=lambda e: reverse("deadlines:detail", args=[e.deadline_id]),
        back=lambda request, e: _back(request, e.deadline),
        api_path="deadline-extensions",
        response=ExtensionOut,
    )
)


def _decide(actor: Any, e: ExtensionRequest, data: dict[str, Any]) -> ExtensionRequest:
    if data["decision"] == "approve":
        return services.extension_approve(actor=actor, extension_id=e.pk, note=data["note"])
    return services.extension_refuse(actor=actor, extension_id=e.pk, note=data["note"])


deadline = steps.on(Deadline)
extension_request = steps.on(ExtensionRequest, url_prefix="extension_")

steps.declare(
    deadline(
        "pause",
        action="deadlines.deadline.manage",
        form=PauseForm,
        service=services.deadline_pause,
        done=_("已暂停计时。恢复计时后，截止时间将顺延暂停的时间。"),
        summary="Pause the clock (暂停计时); resuming moves the due date by the paused time",
    ),
    deadline(
        "resume",
        action="deadlines.deadline.manage",
        form=VersionForm,
        service=services.deadline_resume,
        done=_("已恢复计时，截止时间已顺延。"),
        summary="Resume the clock (恢复计时); the due date moves by the paused time",
    ),
    deadline(
        "extension_request",
        page_path="<int:pk>/extension/",
        action="deadlines.extension.request",
        form=ExtensionRequestForm,
        service=services.extension_request,
        done=_("延期申请已提交，等待交办单位审批。"),
        summary="The handler asks for a later due date (申请延期); the assigner decides",
    ),
    extension_request(
        "decide",
        page_path="extensions/<int:pk>/decide/",
        action="deadlines.extension.decide",
        form=ExtensionDecisionForm,
        call=_decide,
        done=lambda e: (
            _("已同意延期，截止时间已更新。")
            if e.decision == "approved"
            else _("已退回延期申请，截止时间不变，已通知申请人。")
        ),
        summary="The assigner approves or refuses an extension request (审批延期申请)",
    ),
)
