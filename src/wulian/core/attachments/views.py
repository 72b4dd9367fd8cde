"""The attachments panel's three actions: upload, remove (both POST, back to the record page)
and download. Each checks the record's own rules (see `policies.py`)."""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wulian.core import access
from wulian.core.attachments import selectors, services
from wulian.core.attachments.forms import UploadForm
from wulian.core.attachments.models import Attachment
from wulian.core.errors import DomainError
from wulian.core.viewpolicy import policy

logger = logging.getLogger(__name__)

_PLAIN_NAME = re.compile(r"[A-Za-z0-9._()\[\] -]{1,150}")


def content_disposition(name: str, *, fallback: str) -> str:
    """`attachment` with the name twice: a plain ASCII `filename` for old clients and the
    exact name, Chinese included, as RFC 5987/6266 `filename*` (UTF-8, percent-encoded)."""
    plain = name if _PLAIN_NAME.fullmatch(name) else fallback
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def _back(request: HttpRequest, record: Any) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target + "#attachments")
    get_url = getattr(record, "get_absolute_url", None)
    return redirect((get_url() + "#attachments") if get_url else "core:home")


def _record_or_404(record_type: str, record_id: int) -> Any:
    try:
        return selectors.record_for(record_type, record_id)
    except LookupError:
        raise Http404 from None


@policy("attachments.attachment.add", per_record=True)
@require_POST
def upload(request: HttpRequest, record_type: str, record_id: int) -> HttpResponse:
    record = _record_or_404(record_type, record_id)
    access.require(request.actor, "attachments.attachment.add", record)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        if "file" in form.errors:
            messages.error(request, _("请选择要上传的文件。"))
        for name, errors in form.errors.items():
            if name != "file":
                messages.error(request, f"{form.fields[name].label}：{errors[0]}")
        return _back(request, record)
    try:
        att = services.attachment_add(
            actor=request.actor,
            record=record,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data.get("description", ""),
            sensitivity=form.cleaned_data.get("sensitivity") or None,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已上传附件「%(name)s」。") % {"name": att.original_name})
    return _back(request, record)


# remove: the declared step (attachments/steps.py).


def _error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    return render(
        request,
        "attachments/unavailable.html",
        {"status": status, "message": message},
        status=status,
    )


@policy("attachments.attachment.view", per_record=True)
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        att, fh = services.attachment_open(actor=request.actor, attachment_id=pk)
    except Attachment.DoesNotExist:
        raise Http404 from None
    except services.AttachmentGone:
        return _error(request, 410, _("该附件已被移除，不再提供下载。"))
    except FileNotFoundError:
        logger.error("attachment %s: stored file is missing", pk)
        return _error(
            request,
            500,
            _("附件文件在存储中缺失，请联系系统管理员（附件编号 %(pk)s）。") % {"pk": pk},
        )
    return file_response(att, fh)


def file_response(att: Attachment, fh: Any) -> FileResponse:
    """An attachment's bytes as a download (the page's and the API's): its exact name, its
    sniffed type, never cached, never sniffed again by the browser."""
    response = FileResponse(fh, content_type=att.media_type)
    response["Content-Length"] = str(att.size)
    response["Content-Disposition"] = content_disposition(
        att.original_name, fallback=f"attachment-{att.pk}.{att.storage_name.rsplit('.', 1)[-1]}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
