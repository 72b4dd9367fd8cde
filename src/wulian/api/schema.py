"""OpenAPI post-processing: the problem+json error responses of every operation."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
# An error response an operation declares (issue 12: each API module had its own copy).
PROBLEM_RESPONSE = OpenApiResponse(PROBLEM_REF, description="problem+json")


def problem_responses(*codes: int) -> dict[int, Any]:
    """`responses={201: Out, **problem_responses(400, 409)}`: the problem+json errors."""
    return {code: PROBLEM_RESPONSE for code in codes}


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details: the shape of every error of this API.",
    "properties": {
        "type": {"type": "string", "description": "Always `about:blank`."},
        "title": {
            "type": "string",
            "description": "The kind of problem, in the request's "
            "language (Chinese; English with `Accept-Language: en`).",
        },
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "What happened and what to do about it."},
        "code": {
            "type": "string",
            "description": "Stable machine-readable code: `invalid`, `parse_error`, "
            "`not_authenticated`, `authentication_failed`, `forbidden`, `not_found`, "
            "`method_not_allowed`, `unsupported_media_type`, `request_too_large`, "
            "`edit_conflict`, `wrong_state`, `rule_violation`, `server_error`, …",
        },
        "errors": {
            "type": "object",
            "description": "Messages per field name (`non_field_errors` for the request as a "
            "whole); empty when the problem is not about particular fields.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "request_id": {
            "type": "string",
            "description": "On server errors: the id to quote to the administrator.",
        },
    },
    "required": ["type", "title", "status", "detail", "code", "errors"],
}

DESCRIPTIONS = {
    "400": "Invalid input: `errors` holds the messages per field.",
    "401": "No credentials, or the token is unknown, expired or revoked.",
    "403": "The caller may not do this.",
    "404": "No such record, or it is outside what the caller may see.",
    "409": "Conflict: the record changed since the client read it (`edit_conflict`), or a "
    "business rule forbids the change.",
    "413": "The request body is too large.",
    "415": "The request body is not `application/json`.",
}
HTTP_METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}


def problem_response(status: int | str, description: str = "") -> dict[str, Any]:
    return {
        "description": description or DESCRIPTIONS.get(str(status), "problem+json"),
        "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}},
    }


def _wanted(path: str, op: dict[str, Any], security: list[dict[str, Any]]) -> list[str]:
    """The errors any operation of this shape can give."""
    params = op.get("parameters", [])
    body = bool(op.get("requestBody"))
    wanted = []
    if body or any(p.get("in") == "query" for p in params):
        wanted.append("400")  # field errors, or a filter value that is not valid
    if any(requirement for requirement in security):
        wanted += ["401", "403"]
    if "{" in path or any(p.get("name") == "page" for p in params):
        wanted.append("404")  # a record outside the caller's scope, or a page past the end
    if body:
        wanted += ["413", "415"]
    return wanted


def add_problem_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular POSTPROCESSING_HOOK: adds the Problem schema and, to each operation,
    the errors its shape implies (see `_wanted`); every error response, also those the views
    declare (409), is served as application/problem+json."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    global_security = result.get("security") or []
    for path, item in result.get("paths", {}).items():
        for method, op in item.items():
            if method not in HTTP_METHODS:
                continue
            if op.get("security"):  # the global SECURITY and the auth class both add it
                op["security"] = [
                    s for i, s in enumerate(op["security"]) if s not in op["security"][:i]
                ]
            responses = op.setdefault("responses", {})
            for status in _wanted(path, op, op.get("security", global_security) or []):
                responses.setdefault(status, problem_response(status))
            for status, response in responses.items():
                if str(status).startswith(("4", "5")):
                    response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}}
                    if response.get("description") in (None, "", "problem+json"):
                        response["description"] = DESCRIPTIONS.get(str(status), "problem+json")
            op["responses"] = dict(sorted(responses.items(), key=lambda kv: str(kv[0])))
    return result
