"""`/api/v1/audit-events/`: the audit trail for the audit administrator only (三员分立) — read,
filtered by action, target and dates, newest first, and exported as the same .xlsx the console
writes (`wulian audit export`). The same selector and rule (`core.audit.view`) as the page."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from wulian.api.schema import PROBLEM_RESPONSE
from wulian.core import access, pages, selectors
from wulian.core.actions import label_for
from wulian.core.errors import ValidationFailed
from wulian.core.exports import audit_trail_workbook
from wulian.core.models import AuditEvent
from wulian.core.steps import form_errors


class TrailFilter(forms.Form):
    action = forms.CharField(label=gettext_lazy("操作代码（前缀）"), max_length=100, required=False)
    target_type = forms.CharField(label=gettext_lazy("对象类型"), max_length=60, required=False)
    target_id = forms.CharField(label=gettext_lazy("对象编号"), max_length=64, required=False)
    date_from = forms.DateField(label=gettext_lazy("起始日期"), required=False)
    date_to = forms.DateField(label=gettext_lazy("截止日期"), required=False)


def _filters(request: Request) -> dict[str, Any]:
    form = TrailFilter(request.query_params)
    if not form.is_valid():
        raise ValidationFailed(_("查询条件有误，请按提示更正。"), field_errors=form_errors(form))
    return form.cleaned_data


def _parameters() -> list[OpenApiParameter]:
    return [
        OpenApiParameter("action", str, description="Action code prefix"),
        OpenApiParameter("target_type", str, description="e.g. core.person"),
        OpenApiParameter("target_id", str),
        OpenApiParameter("date_from", date),
        OpenApiParameter("date_to", date),
    ]


class AuditEventOut(serializers.ModelSerializer):
    action_label = serializers.SerializerMethodField()
    before = serializers.SerializerMethodField()
    after = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = [
            "seq",
            "at",
            "actor_id",
            "actor_label",
            "action",
            "action_label",
            "outcome",
            "target_type",
            "target_id",
            "target_label",
            "before",
            "after",
            "request_id",
            "ip",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields

    def get_action_label(self, ev: AuditEvent) -> str:
        return str(label_for(ev.action))

    def get_before(self, ev: AuditEvent) -> Any:
        return json.loads(ev.before) if ev.before else None

    def get_after(self, ev: AuditEvent) -> Any:
        return json.loads(ev.after) if ev.after else None


class AuditEventList(generics.ListAPIView):
    """The chained events, newest first (what the audit page lists)."""

    serializer_class = AuditEventOut
    wulian_policy = "core.audit.view"
    queryset = AuditEvent.objects.none()

    @extend_schema(
        operation_id="audit_events_list",
        summary="The audit trail (审计轨迹), newest first — the audit administrator only",
        tags=["audit-events"],
        parameters=_parameters(),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        actor = access.actor_for(self.request.user)
        f = _filters(self.request)
        qs = selectors.audit_events(actor=actor, action_prefix=f["action"] or "")
        if f["target_type"]:
            qs = qs.filter(target_type=f["target_type"])
        if f["target_id"]:
            qs = qs.filter(target_id=f["target_id"])
        tz = timezone.get_current_timezone()
        if f["date_from"]:
            qs = qs.filter(at__gte=datetime.combine(f["date_from"], time.min, tzinfo=tz))
        if f["date_to"]:
            qs = qs.filter(at__lte=datetime.combine(f["date_to"], time.max, tzinfo=tz))
        return qs


class AuditEventExport(APIView):
    """The trail as the .xlsx the console writes (`wulian audit export`)."""

    wulian_policy = "core.audit.view"

    @extend_schema(
        operation_id="audit_events_export",
        summary="Export the audit trail as .xlsx (导出审计轨迹) — the audit administrator only",
        tags=["audit-events"],
        parameters=[p for p in _parameters() if p.name != "action"],
        responses={
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiResponse(description="the workbook"),
            400: PROBLEM_RESPONSE,
            403: PROBLEM_RESPONSE,
        },
    )
    def get(self, request: Request) -> HttpResponse:
        access.require(access.actor_for(request.user), "core.audit.view")
        f = _filters(request)
        buffer = io.BytesIO()
        audit_trail_workbook(
            path=buffer,
            target_type=f["target_type"] or "",
            target_id=f["target_id"] or "",
            date_from=f["date_from"],
            date_to=f["date_to"],
        )
        return pages.download(buffer.getvalue(), "audit-trail.xlsx")
