"""Errors as RFC 9457 problem+json, in the caller's language, never a stack trace."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from wulian.core.errors import DomainError

PROBLEM = "application/problem+json"


def problem(status_code: int, title: str, detail: str = "", **extra: Any) -> Response:
    body = {"type": "about:blank", "title": title, "status": status_code}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return Response(body, status=status_code, content_type=PROBLEM)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return problem(exc.status, exc.message, code=exc.code, errors=exc.field_errors or None)
    if isinstance(exc, ObjectDoesNotExist):
        exc = Http404()
    if isinstance(exc, DjangoPermissionDenied) and getattr(exc, "message", ""):
        return problem(status.HTTP_403_FORBIDDEN, exc.message, code="forbidden")
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            response.status_code,
            _("提交的数据有误，请按提示更正。"),
            code="invalid",
            errors=response.data,
        )
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    code = getattr(detail, "code", "error")
    resp = problem(response.status_code, str(detail) or _("请求失败。"), code=code)
    for header in ("WWW-Authenticate", "Allow", "Retry-After"):
        if header in response:
            resp[header] = response[header]
    return resp
