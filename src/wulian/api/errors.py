"""Errors as RFC 9457 problem+json, in the caller's language, never a stack trace.

Every error under /api/ has the same shape::

    {"type": "about:blank", "title": "编辑冲突", "status": 409,
     "detail": "该记录已被他人修改…", "code": "edit_conflict", "errors": {}}

`title` names the kind of problem, `detail` says what happened and what to do, `code` is a
stable machine-readable code and `errors` maps field names to their messages (empty when the
problem is not about particular fields; `non_field_errors` for the request as a whole).

Three places produce it: `problem_exception_handler` for exceptions raised in API views (DRF's
EXCEPTION_HANDLER), `not_found` for unknown routes under /api/v1/, and
`wulian.api.middleware.ProblemJsonMiddleware` for whatever else answers an /api/ request with
an error (Django's 404/500 handlers, a failing middleware).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from wulian.core.errors import AccessDenied, DomainError

PROBLEM = "application/problem+json"
NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY  # "non_field_errors"


def title_for(status_code: int, code: str = "") -> str:
    """A short name of the problem kind, in the active language."""
    by_code = {
        "edit_conflict": _("编辑冲突"),
        "wrong_state": _("当前状态不允许此操作"),
        "rule_violation": _("违反业务规则"),
        "parse_error": _("请求体无法解析"),
    }
    if code in by_code:
        return by_code[code]
    by_status = {
        400: _("请求有误"),
        401: _("未认证"),
        403: _("无权访问"),
        404: _("未找到"),
        405: _("不支持该请求方法"),
        406: _("无法提供所要求的响应格式"),
        409: _("与当前状态冲突"),
        413: _("请求体过大"),
        415: _("不支持该请求体格式"),
        429: _("请求过于频繁"),
        500: _("服务器内部错误"),
    }
    if status_code in by_status:
        return by_status[status_code]
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return _("请求失败")


def default_code(status_code: int) -> str:
    return {
        400: "invalid",
        401: "not_authenticated",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        406: "not_acceptable",
        409: "conflict",
        413: "request_too_large",
        415: "unsupported_media_type",
        429: "throttled",
    }.get(status_code, "server_error" if status_code >= 500 else "error")


def default_detail(status_code: int) -> str:
    if status_code == 404:
        return _("请求的地址或记录不存在，或您无权查看。")
    if status_code >= 500:
        return _("服务器处理请求时出错，请稍后重试；如问题持续，请联系系统管理员。")
    return title_for(status_code)


def problem_body(
    status_code: int,
    *,
    detail: str = "",
    code: str = "",
    errors: Mapping[str, list[str]] | None = None,
    title: str = "",
    **extra: Any,
) -> dict[str, Any]:
    code = code or default_code(status_code)
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or title_for(status_code, code),
        "status": status_code,
        "detail": detail or default_detail(status_code),
        "code": code,
        "errors": dict(errors or {}),
    }
    body.update(extra)
    return body


def problem(status_code: int, **kwargs: Any) -> Response:
    """A DRF response with a problem body (rendered by the view's JSON renderer)."""
    return Response(problem_body(status_code, **kwargs), status=status_code, content_type=PROBLEM)


def problem_response(status_code: int, **kwargs: Any) -> HttpResponse:
    """A plain Django response with a problem body, for code outside DRF views."""
    body = json.dumps(
        problem_body(status_code, **kwargs), ensure_ascii=False, separators=(",", ":")
    )
    return HttpResponse(body, status=status_code, content_type=f"{PROBLEM}; charset=utf-8")


def flatten_errors(data: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's and Django's error structures as {field: [message, …]}.

    Nested fields become dotted names (`memberships.0.role`); errors about the whole request
    (`__all__` from Django's full_clean, a bare list from DRF) go under `non_field_errors`.
    """
    out: dict[str, list[str]] = {}

    def add(key: str, message: Any) -> None:
        out.setdefault(key or NON_FIELD, []).append(str(message))

    def walk(value: Any, key: str) -> None:
        if isinstance(value, Mapping):
            for name, inner in value.items():
                name = NON_FIELD if name == "__all__" else str(name)
                walk(inner, f"{key}.{name}" if key else name)
        elif isinstance(value, list | tuple):
            if all(not isinstance(v, Mapping | list | tuple) for v in value):
                for v in value:
                    add(key, v)
            else:
                for i, v in enumerate(value):
                    if v:
                        walk(v, f"{key}.{i}" if key else str(i))
        else:
            add(key, value)

    walk(data, prefix)
    return out


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER. Unknown exceptions return None: DRF re-raises them, Django
    logs them with the stack trace and the middleware answers with a 500 problem."""
    if isinstance(exc, DomainError):
        return problem(
            exc.status, detail=exc.message, code=exc.code, errors=flatten_errors(exc.field_errors)
        )
    if isinstance(exc, AccessDenied):
        return problem(
            status.HTTP_403_FORBIDDEN,
            detail=exc.message or _("您没有权限执行此操作或查看此记录。"),
            code="forbidden",
        )
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        return problem(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            detail=_("请求体超过 %(kb)d KB 的上限。") % {"kb": limit // 1024},
            code="request_too_large",
        )
    if isinstance(exc, ObjectDoesNotExist | Http404):
        exc = exceptions.NotFound()  # Django's message names the model, in English
    if isinstance(exc, DjangoPermissionDenied) and getattr(exc, "message", ""):
        return problem(status.HTTP_403_FORBIDDEN, detail=exc.message, code="forbidden")
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            response.status_code,
            detail=_("提交的数据有误，请按提示更正。"),
            code="invalid",
            errors=flatten_errors(response.data),
        )
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    code = str(getattr(detail, "code", "") or default_code(response.status_code))
    if isinstance(exc, exceptions.NotFound) and str(detail) == str(
        exceptions.NotFound.default_detail
    ):
        detail = ""  # DRF's "Not found." says less than our default
    resp = problem(response.status_code, detail=str(detail), code=code)
    for header in ("WWW-Authenticate", "Allow", "Retry-After"):
        if header in response:
            resp[header] = response[header]
    return resp


def _slash_hint(path: str) -> str:
    """The same path with a trailing slash, when that one is a real API route."""
    if path.endswith("/"):
        return ""
    try:
        match = resolve(path + "/")
    except Resolver404:
        return ""
    return "" if match.url_name == "not_found" else path + "/"


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """The end of /api/v1/: any other path, with any method, is a 404 problem."""
    hint = _slash_hint(request.path_info)
    detail = (
        _("没有这个 API 地址。您是否要访问 %(path)s（以 / 结尾）？") % {"path": hint}
        if hint
        else _("没有这个 API 地址。可用的地址见 /api/v1/schema/。")
    )
    return problem_response(404, detail=detail, code="not_found")


not_found.wulian_policy = "public"  # type: ignore[attr-defined]
