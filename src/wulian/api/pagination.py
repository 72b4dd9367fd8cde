"""The API's pages: numbered pages for short lists, keyset pages for the long ones."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from wulian.core import keyset


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class KeysetPagination(BasePagination):
    """Keyset pages (`?after=<last id>`), as the HTML ledger: a deep page costs what the first
    does, and there is no COUNT(*) over millions of rows."""

    page_size = 50
    max_page_size = 100

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list:
        try:
            size = int(request.query_params.get("page_size") or self.page_size)
        except ValueError:
            size = self.page_size
        size = max(1, min(size, self.max_page_size))
        self.request = request
        self.page = keyset.keyset_page(
            queryset, after=keyset.parse_after(request.query_params.get("after")), per_page=size
        )
        return self.page.object_list

    def get_paginated_response(self, data: Any) -> Response:
        next_url = None
        if self.page.has_next:
            next_url = replace_query_param(
                self.request.build_absolute_uri(), "after", self.page.next_after
            )
        return Response({"next": next_url, "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "after",
                "in": "query",
                "required": False,
                "description": "The id of the last row of the previous page.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "page_size",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
