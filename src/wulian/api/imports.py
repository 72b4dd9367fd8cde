"""The API doors of the .xlsx imports (`POST …/import/`, multipart) and of their templates
(`GET …/import/template/`): the page's upload form validates the body (the same field names),
the page's service imports the file under the page's policy, all or nothing.

The answers say what the page says after an import: 201 with the counts and the page's
summary line; a file with problems imports nothing and is a 400 problem+json that names the
`file` field and lists each problem with its row (`rows`: sheet, row, column, message; row 1
is the header row). A file that cannot be read at all (not a workbook, too big, empty) is a
400 naming `file`, as the page shows it on the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.utils.translation import ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.api.errors import problem
from wulian.api.schema import PROBLEM_REF, PROBLEM_RESPONSE
from wulian.core import access, pages
from wulian.core.imports import XLSX_CONTENT_TYPE
from wulian.core.steps import api_form, request_schema


class ImportOut(serializers.Serializer):
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="What was imported, by kind."
    )
    summary = serializers.CharField(help_text="The page's message after the import.")


ROWS_PROBLEM = OpenApiResponse(
    PROBLEM_REF,
    description="problem+json; a file with problems imports nothing and its problems are "
    "listed in `rows` ([{sheet, row, column, message}], row 1 being the header row) and, as "
    "text, under `errors.file`.",
)


def rejected(errors: list[Any]) -> Response:
    """The 400 of a file with problems: nothing was imported; each problem with its row."""
    n = len(errors)
    messages = [str(e) for e in errors]
    return problem(
        400,
        detail=ngettext(
            "发现 %(n)d 处问题，未导入任何数据。请按提示更正后重新上传。",
            "发现 %(n)d 处问题，未导入任何数据。请按提示更正后重新上传。",
            n,
        )
        % {"n": n},
        code="import_rejected",
        errors={"file": messages},
        rows=[
            {"sheet": e.sheet, "row": e.row, "column": e.column, "message": str(e.message)}
            for e in errors
        ],
    )


def upload_view(
    *,
    name: str,
    policy: str,
    form: type,
    run: Callable[[Any, Any], Any],
    summary: Callable[[Any], str],
    title: str,
    tag: str,
    form_kwargs: Callable[[Any], dict[str, Any]] = lambda actor: {},
) -> type[APIView]:
    """`POST` (multipart) importing a workbook: `form` (the page's upload form) reads the body,
    `run(actor, cleaned_data)` is the page's service (its ImportResult), `summary(result)` the
    page's message after a clean import."""

    @extend_schema(
        operation_id=f"{name}_import",
        summary=title,
        tags=[tag],
        request={"multipart/form-data": request_schema(form)},
        responses={201: ImportOut, 400: ROWS_PROBLEM, 401: PROBLEM_RESPONSE, 403: PROBLEM_RESPONSE},
    )
    def post(self: Any, request: Request) -> Response:
        actor = access.actor_for(request.user)
        kwargs = form_kwargs(actor)
        bound = api_form(lambda data: form(data, request.FILES, **kwargs), request.data)
        result = run(actor, bound.cleaned_data)
        if not result.ok:
            return rejected(result.errors)
        return Response({"counts": result.counts, "summary": summary(result)}, status=201)

    return type(
        f"{name.title().replace('_', '')}Import",
        (APIView,),
        {
            "post": post,
            "parser_classes": [MultiPartParser],
            "wulian_policy": policy,
            "__doc__": title,
        },
    )


def template_view(
    *, name: str, policy: str, body: Callable[[], bytes], filename: Callable[[], str], tag: str
) -> type[APIView]:
    """`GET` the import's template workbook, as the page's download link serves it."""

    @extend_schema(
        operation_id=f"{name}_import_template",
        summary="Download the import's template workbook (下载导入模板)",
        tags=[tag],
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description="The template (.xlsx)."
            ),
            401: PROBLEM_RESPONSE,
            403: PROBLEM_RESPONSE,
        },
    )
    def get(self: Any, request: Request) -> HttpResponse:
        return pages.download(body(), filename())

    return type(
        f"{name.title().replace('_', '')}ImportTemplate",
        (APIView,),
        {"get": get, "wulian_policy": policy, "__doc__": "The import's template workbook."},
    )
