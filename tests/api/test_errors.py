"""Every error under /api/ is problem+json: unknown routes, 405, 415, malformed JSON, too
large bodies, and unhandled server errors (without the stack trace)."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import ApiClient, assert_problem
from wulian.api.errors import flatten_errors

pytestmark = pytest.mark.django_db

ORGS = "/api/v1/organisations/"


@pytest.fixture
def admin(personas, api) -> ApiClient:
    return api(personas.sysadmin)


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options"])
def test_an_unknown_route_is_a_404_problem_whatever_the_method(admin, method):
    response = getattr(admin, method)("/api/v1/no-such-thing/")
    body = assert_problem(response, 404, "not_found")
    assert "/api/v1/schema/" in body["detail"]


def test_an_unknown_route_is_a_404_problem_without_credentials_too(personas):
    assert_problem(ApiClient().post("/api/v1/no-such-thing/"), 404, "not_found")


def test_a_missing_trailing_slash_gets_a_hint(admin):
    body = assert_problem(admin.get("/api/v1/organisations"), 404, "not_found")
    assert "/api/v1/organisations/" in body["detail"]


@pytest.mark.parametrize(
    "path", ["/api/v1/organisations/abc/", "/api/v1/organisations/-1/", "/api/v1/people/1.5/"]
)
def test_an_id_that_is_not_a_number_is_an_unknown_route(admin, path):
    assert_problem(admin.get(path), 404, "not_found")


def test_a_record_that_does_not_exist_is_a_404_problem(admin):
    body = assert_problem(admin.get(f"{ORGS}999999999999999999/"), 404, "not_found")
    assert body["detail"] == "请求的地址或记录不存在，或您无权查看。"


@pytest.mark.parametrize("path", ["/api/", "/api/v2/organisations/", "/api/v1x"])
def test_paths_under_api_outside_v1_are_problems_too(admin, path):
    assert_problem(admin.get(path), 404, "not_found")


def test_pages_outside_the_api_keep_their_html_error_page(admin):
    response = admin.get("/no-such-page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/problem+json")


def test_a_method_the_route_does_not_support_is_a_405_problem(admin, personas):
    url = f"{ORGS}{personas.orgs['unit_a'].pk}/"
    for response in (admin.put(url), admin.delete(url), admin.get("/api/v1/memberships/")):
        assert_problem(response, 405, "method_not_allowed")
        assert "Allow" in response


def test_a_body_that_is_not_json_is_a_415_problem(admin):
    response = admin.post(ORGS, {"code": "X"})  # multipart/form-data
    assert_problem(response, 415, "unsupported_media_type")


@pytest.mark.parametrize(
    "body",
    [
        b"{bad",
        b'{"name": NaN}',
        b'{"name": Infinity}',
        b"[" * 100_000 + b"]" * 100_000,
        b"\xff\xfe{}",
    ],
)
def test_malformed_json_is_a_400_problem(admin, body):
    response = admin.post(ORGS, body, content_type="application/json")
    problem = assert_problem(response, 400, "parse_error")
    assert "JSON" in problem["detail"] or "UTF-8" in problem["detail"]


def test_a_body_over_the_upload_limit_is_a_413_problem(admin, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"name": "长" * 2000})
    response = admin.post(ORGS, body, content_type="application/json")
    assert_problem(response, 413, "request_too_large")


def test_json_that_is_not_an_object_is_a_field_error(admin):
    response = admin.post(ORGS, "[1, 2]", content_type="application/json")
    body = assert_problem(response, 400, "invalid")
    assert "non_field_errors" in body["errors"]


def test_an_unhandled_error_is_a_500_problem_without_the_stack_trace(admin, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("secret internals: /srv/wulian/settings.py")

    monkeypatch.setattr("wulian.core.selectors.organisation_list", broken)
    response = admin.get(ORGS)
    body = assert_problem(response, 500, "server_error")
    assert "secret" not in response.content.decode()
    assert body["request_id"] == response["X-Request-ID"]


def test_an_error_outside_the_views_is_a_500_problem_too(admin, monkeypatch):
    from django.contrib.sessions.middleware import SessionMiddleware

    def broken(self, request):
        raise RuntimeError("session store is down")

    monkeypatch.setattr(SessionMiddleware, "process_request", broken)
    response = admin.get(ORGS)
    assert_problem(response, 500, "server_error")
    assert "session store" not in response.content.decode()


def test_problems_are_in_english_on_request(personas, api):
    client = api(personas.sysadmin, language="en")
    body = assert_problem(client.get("/api/v1/no-such-thing/"), 404)
    assert body["title"] == "Not found"
    assert "/api/v1/schema/" in body["detail"] and "没有" not in body["detail"]
    body = assert_problem(client.post(ORGS, "{bad", content_type="application/json"), 400)
    assert body["title"] == "Request body cannot be parsed"
    body = assert_problem(client.post_json(ORGS, {}), 400)
    assert body["detail"] == "The data submitted has errors; please correct them as shown."
    assert body["errors"]["code"] == ["This field is required."]


def test_problems_are_in_chinese_by_default(personas, api):
    body = assert_problem(api(personas.sysadmin).post_json(ORGS, {}), 400)
    assert body["title"] == "请求有误"
    assert body["errors"]["code"] == ["该字段是必填项。"]


def test_error_structures_are_flattened_to_fields():
    assert flatten_errors({"__all__": ["a"], "name": ["b", "c"]}) == {
        "non_field_errors": ["a"],
        "name": ["b", "c"],
    }
    assert flatten_errors(["whole"]) == {"non_field_errors": ["whole"]}
    assert flatten_errors({"items": [{}, {"role": ["bad"]}]}) == {"items.1.role": ["bad"]}
    assert flatten_errors({}) == {}


def test_a_500_is_a_problem_even_when_the_error_page_itself_fails(admin, monkeypatch):
    def broken_view(**kwargs):
        raise RuntimeError("first failure")

    def broken_handler(request, resolver, exc_info):
        raise RuntimeError("the error page failed too")

    monkeypatch.setattr("wulian.core.selectors.organisation_list", broken_view)
    monkeypatch.setattr("django.core.handlers.exception.handle_uncaught_exception", broken_handler)
    response = admin.get(ORGS)
    body = assert_problem(response, 500, "server_error")
    assert body["request_id"]
    assert "failed" not in response.content.decode()
