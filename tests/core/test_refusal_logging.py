"""A refused request is logged as one line with its request id, never a traceback (issue 22:
the load test wrote 602 tracebacks in five minutes)."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _refusals(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "django.request"]


def _formatted(record: logging.LogRecord) -> str:
    return logging.Formatter("%(levelname)s %(name)s %(message)s").format(record)


def test_a_forbidden_page_is_one_line_with_the_request_id(personas, client_of, caplog):
    client = client_of(personas.unit_a)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("core:audit_list"), HTTP_X_REQUEST_ID="refused-req-0001")
    assert response.status_code == 403
    (record,) = _refusals(caplog)
    line = _formatted(record)
    assert "\n" not in line and "Traceback" not in line
    assert "Forbidden" in line and "/audit/" in line
    assert "request_id=refused-req-0001" in line
    assert "AccessDenied" in line


def test_a_missing_page_is_one_line_with_the_request_id(personas, client_of, caplog):
    client = client_of(personas.unit_a)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="refused-req-0002")
    assert response.status_code == 404
    (record,) = _refusals(caplog)
    line = _formatted(record)
    assert "\n" not in line and "request_id=refused-req-0002" in line


def test_a_server_error_keeps_its_traceback():
    from wulian.core.logfilters import RefusalsOnOneLine

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            ("/x",),
            sys.exc_info(),
        )
    record.status_code = 500
    assert RefusalsOnOneLine().filter(record)
    assert "Traceback" in _formatted(record)
