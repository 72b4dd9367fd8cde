"""Attachments through the pages and the API alike (wulian.core.steps, ADR 0017).

- Removing an attachment (with a reason) is a declared step: the panel's form and
  `POST /api/v1/attachments/{id}/remove/`.
- Adding one is not a step on an attachment but on its record; the panel posts to
  `attachments:upload` and the API takes the same form as multipart at
  `POST /api/v1/attachments/` (`AttachmentUpload`), with the record named by its type and id.
- Reading: `GET /api/v1/attachments/{id}/` (what is known of it) and
  `GET /api/v1/attachments/{id}/file/` (the bytes, audited as the page's download is).
Whoever may see the record may see its attachments; anyone else gets a 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.api.schema import PROBLEM_RESPONSE
from wulian.core import access, records, steps
from wulian.core.attachments import selectors, services
from wulian.core.attachments.forms import RemoveForm, UploadForm
from wulian.core.attachments.models import Attachment
from wulian.core.errors import ValidationFailed
from wulian.core.steps import RecordBinding, form_errors, request_schema


class AttachmentOut(serializers.ModelSerializer):
    record_type = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "record_type",
            "object_id",
            "original_name",
            "size",
            "media_type",
            "file_type",
            "sm3",
            "description",
            "sensitivity",
            "uploaded_at",
            "removed_at",
            "removal_reason",
            "file_url",
        ]
        read_only_fields = fields

    def get_record_type(self, att: Attachment) -> str:
        return f"{att.content_type.app_label}.{att.content_type.model}"

    def get_file_url(self, att: Attachment) -> str | None:
        from django.urls import reverse

        if att.removed_at is not None:
            return None
        return reverse("attachments_api:attachment-file", args=[att.pk])


def _back_url(att: Attachment) -> str:
    get_url = getattr(att.record, "get_absolute_url", None)
    return (get_url() + "#attachments") if get_url else "/"


def _back(request: HttpRequest, att: Attachment) -> str:
    """The page the panel was on (its `next`), else the record's page — at its attachments."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target + "#attachments"
    return _back_url(att)


steps.record(
    RecordBinding(
        model=Attachment,
        queryset=lambda: Attachment.objects.select_related("content_type"),
        view_action="attachments.attachment.view",
        url=_back_url,
        back=_back,
        api_path="attachments",
        response=AttachmentOut,
    )
)


attachment = steps.on(Attachment)

steps.declare(
    attachment(
        "remove",
        action="attachments.attachment.remove",
        form=RemoveForm,
        service=services.attachment_remove,
        done=lambda att: (
            _g("已移除附件「%(name)s」。文件和移除原因仍保留，审计可查。")
            % {"name": att.original_name}
        ),
        summary="Remove an attachment from its record, with a reason (移除附件); the file and "
        "the reason are kept for auditors",
    ),
)


class UploadIn(UploadForm):
    """The API's upload: the panel's form and the record it goes to."""

    record_type = forms.CharField(
        label=_("记录类型"), max_length=100, help_text=_("例如 suggestions.suggestion")
    )
    record_id = forms.IntegerField(label=_("记录编号"), min_value=1, max_value=10**18 - 1)


class AttachmentUpload(APIView):
    """`POST /api/v1/attachments/` (multipart): attach a file to a record the caller may add
    files to — the same service, checks and limits as the record page's panel."""

    wulian_policy = "attachments.attachment.add"
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="attachments_upload",
        summary="Attach a file to a record (上传附件)",
        tags=["attachments"],
        request={"multipart/form-data": request_schema(UploadIn)},
        responses={
            201: AttachmentOut,
            400: PROBLEM_RESPONSE,
            401: PROBLEM_RESPONSE,
            403: PROBLEM_RESPONSE,
            404: PROBLEM_RESPONSE,
        },
    )
    def post(self, request: Request) -> Response:
        form = UploadIn(request.data, request.FILES)
        if not form.is_valid():
            raise ValidationFailed(_g("请求有误，请按提示更正。"), field_errors=form_errors(form))
        actor = access.actor_for(request.user)
        try:
            record = selectors.record_for(
                form.cleaned_data["record_type"], form.cleaned_data["record_id"]
            )
        except LookupError:
            raise Http404 from None
        if not records.can_view(actor, record):
            raise Http404  # a record the caller may not see: as if it did not exist
        att = services.attachment_add(
            actor=actor,
            record=record,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data.get("description", ""),
            sensitivity=form.cleaned_data.get("sensitivity") or None,
        )
        fresh = Attachment.objects.select_related("content_type").get(pk=att.pk)
        return Response(AttachmentOut(fresh).data, status=201)


class AttachmentFile(APIView):
    """`GET /api/v1/attachments/{id}/file/`: the file, as the page's download serves it."""

    wulian_policy = "attachments.attachment.view"

    @extend_schema(
        operation_id="attachments_file",
        summary="Download an attachment's file (下载附件)",
        tags=["attachments"],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(description="the file"),
            404: PROBLEM_RESPONSE,
            410: PROBLEM_RESPONSE,
        },
    )
    def get(self, request: Request, pk: int) -> Any:
        from wulian.core.attachments.views import file_response
        from wulian.core.errors import DomainError

        actor = access.actor_for(request.user)
        att = Attachment.objects.select_related("content_type").filter(pk=pk).first()
        if att is None or not access.can(actor, "attachments.attachment.view", att):
            raise Http404
        try:
            att, fh = services.attachment_open(actor=actor, attachment_id=att.pk)
        except services.AttachmentGone:
            error = DomainError(_g("该附件已被移除，不再提供下载。"))
            error.status, error.code = 410, "gone"
            raise error from None
        return file_response(att, fh)
