"""/api/v1/schema/: a valid OpenAPI 3 document with the bearer scheme, every endpoint and
the problem+json error responses."""

from __future__ import annotations

import json

import pytest
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
OPERATIONS = {
    ("get", "/api/v1/me/"),
    ("get", "/api/v1/organisations/"),
    ("post", "/api/v1/organisations/"),
    ("get", "/api/v1/organisations/{id}/"),
    ("patch", "/api/v1/organisations/{id}/"),
    ("get", "/api/v1/people/"),
    ("post", "/api/v1/people/"),
    ("get", "/api/v1/people/{id}/"),
    ("patch", "/api/v1/people/{id}/"),
    ("post", "/api/v1/memberships/"),
    ("post", "/api/v1/memberships/{id}/end/"),
}


@pytest.fixture
def schema(client) -> dict:
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, op in item.items():
            yield method, path, op


def test_the_schema_is_valid_openapi_3_and_served_without_sign_in(schema):
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")


def test_it_describes_every_endpoint(schema):
    assert {(m, p) for m, p, _op in _operations(schema)} >= OPERATIONS


def test_it_describes_the_bearer_token_scheme(schema):
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    for _method, _path, op in _operations(schema):
        assert op["security"] == [{"bearerAuth": []}]


def test_every_operation_describes_its_problem_responses(schema):
    problem = schema["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "code", "errors"}
    for method, path, op in _operations(schema):
        codes = set(op["responses"])
        assert {"401", "403"} <= codes, (method, path)
        if "{id}" in path:
            assert "404" in codes, (method, path)
        if "requestBody" in op:
            assert {"400", "415"} <= codes, (method, path)
        if method == "patch" and (method, path) in OPERATIONS:
            assert "409" in codes, (method, path)
        for code, response in op["responses"].items():
            if code.startswith(("4", "5")):
                assert response["content"] == {
                    PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}
                }, (method, path, code)


def test_request_and_response_schemas(schema):
    components = schema["components"]["schemas"]
    assert components["OrganisationUpdateRequest"]["required"] == ["version"]
    assert components["PersonUpdateRequest"]["required"] == ["version"]
    assert set(components["OrganisationCreateRequest"]["required"]) >= {"kind", "code", "name"}
    assert set(components["MembershipCreateRequest"]["required"]) == {
        "person",
        "organisation",
        "role",
    }
    patch = schema["paths"]["/api/v1/people/{id}/"]["patch"]
    assert patch["requestBody"]["required"] is True
    list_params = {p["name"] for p in schema["paths"]["/api/v1/people/"]["get"]["parameters"]}
    assert list_params == {"q", "organisation", "role", "page", "page_size"}
