"""Raising and correcting a finding through the API (issue 12): the finding pages' forms,
policies and refusals."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.rectification.helpers import make_finding
from wulian.core.rectification.models import Finding

pytestmark = pytest.mark.django_db


def _post(client, url: str, data: dict):
    return client.post(url, json.dumps(data), content_type="application/json")


def _raise_url(record_type: str, record_id: int) -> str:
    return reverse("rectification_api:finding-raise", args=[record_type, record_id])


def _body(p, **overrides):
    data = {
        "title": "窗口服务不规范",
        "description": "群众反映办事排队时间长。",
        "severity": "general",
        "found_at": "2026-06-12",
        "sensitivity": "internal",
        "about_organisation": p.orgs["unit_a"].pk,
        "found_by_org": p.orgs["congress_body"].pk,
        "responsible_orgs": [p.orgs["unit_a"].pk],
        "rectification_months": 2,
    }
    data.update(overrides)
    return data


def test_raising_a_finding(personas, client_of):
    client = client_of(personas.congress_clerk)
    url = _raise_url("core.organisation", personas.orgs["unit_a"].pk)
    answer = _post(client, url, _body(personas))
    assert answer.status_code == 201, answer.content
    finding = Finding.objects.get()
    assert answer.json()["id"] == finding.pk and len(answer.json()["rectifications"]) == 1

    bad = _post(client, url, _body(personas, title="", responsible_orgs="x"))
    assert bad.status_code == 400
    bad = _post(client, url, _body(personas, rectification_months=0))
    assert bad.status_code == 400 and "rectification_months" in bad.json()["errors"]
    assert Finding.objects.count() == 1
    # A record type that takes no findings, or no such record: 404.
    assert _post(client, _raise_url("core.auditevent", 1), _body(personas)).status_code == 404
    assert _post(client, _raise_url("core.organisation", 999999), _body(personas)).status_code == (
        404
    )


def test_raising_needs_the_pages_right(personas, client_of):
    url = _raise_url("core.organisation", personas.orgs["unit_a"].pk)
    refused = _post(client_of(personas.unit_a), url, _body(personas))
    assert refused.status_code in (403, 404)
    assert not Finding.objects.exists()


def test_correcting_a_finding(personas, client_of):
    finding = make_finding(personas)
    client = client_of(personas.congress_clerk)
    url = reverse("rectification_api:finding-edit", args=[finding.pk])
    body = {
        "title": "补贴发放延迟",
        "description": finding.description,
        "severity": finding.severity,
        "found_at": finding.found_at.isoformat(),
        "sensitivity": finding.sensitivity,
    }
    changed = _post(client, url, {**body, "version": finding.version})
    assert changed.status_code == 200, changed.content
    assert changed.json()["title"] == "补贴发放延迟"
    stale = _post(client, url, {**body, "title": "别的", "version": finding.version})
    assert stale.status_code == 409
    missing = _post(client, url, {**body, "title": "", "version": finding.version + 1})
    assert missing.status_code == 400 and "title" in missing.json()["errors"]
    finding.refresh_from_db()
    assert finding.title == "补贴发放延迟"


def test_correcting_needs_the_pages_right(personas, client_of):
    finding = make_finding(personas)
    url = reverse("rectification_api:finding-edit", args=[finding.pk])
    body = {
        "title": "x",
        "description": "x",
        "severity": finding.severity,
        "found_at": "2026-06-01",
        "sensitivity": finding.sensitivity,
        "version": finding.version,
    }
    # unit A sees the finding (it is about unit A) but may not correct it; unit B may not see it.
    assert _post(client_of(personas.unit_a), url, body).status_code == 403
    assert _post(client_of(personas.unit_b), url, body).status_code in (403, 404)
    finding.refresh_from_db()
    assert finding.title != "x"
