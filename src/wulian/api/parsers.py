from __future__ import annotations

import codecs
import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with refusals a client can act on: malformed JSON, NaN/Infinity and
    absurd nesting are a 400 in the caller's language (DRF's says "JSON parse error - …" in
    English and lets a RecursionError through as a 500). The body size is bounded before
    this runs: DRF reads JSON through `request.body`, which enforces
    DATA_UPLOAD_MAX_MEMORY_SIZE (a 413, see `wulian.api.errors`)."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: dict[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        try:
            text = codecs.decode(stream.read(), encoding)
        except (ValueError, LookupError):
            raise exceptions.ParseError(_("请求体不是有效的 UTF-8 编码文本。")) from None
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            raise exceptions.ParseError(
                _("请求体不是有效的 JSON（第 %(line)d 行第 %(col)d 列附近）。")
                % {"line": exc.lineno, "col": exc.colno}
            ) from None
        except (ValueError, RecursionError):
            raise exceptions.ParseError(
                _("请求体不是有效的 JSON（含 NaN、Infinity 或嵌套过深）。")
            ) from None


def _refuse_constant(name: str) -> Any:
    """NaN and Infinity are not JSON."""
    raise ValueError(name)
