"""Drafting and correcting a clue through the API (issue 12) under ADR 0007: the drafting
office only, content reads audited, and for everyone else a clue does not exist (404)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.clues.helpers import EVIDENCE, POST, SECRET, SUBJECT, make_clue, use_test_keyring
from wulian.core.clues.choices import ClueState
from wulian.core.clues.models import Clue
from wulian.core.models import AuditEvent

pytestmark = pytest.mark.django_db

CREATE = "/api/v1/clues/"


def _post(client, url: str, data: dict):
    return client.post(url, json.dumps(data), content_type="application/json")


def _body(p, **over):
    return {
        "sending_org": p.orgs["congress_body"].pk,
        "receiving_org": p.orgs["cdi"].pk,
        "subject_name": SUBJECT,
        "subject_post": POST,
        "subject_organisation": p.orgs["unit_a"].pk,
        "violation_type": "integrity",
        "content": SECRET,
        "evidence": EVIDENCE,
        **over,
    }


def test_the_drafting_office_drafts_a_clue(personas, client_of):
    use_test_keyring()
    client = client_of(personas.congress_clerk)
    answer = _post(client, CREATE, _body(personas))
    assert answer.status_code == 201, answer.content
    clue = Clue.objects.get()
    assert clue.state == ClueState.DRAFT and answer.json()["status"]["pk"] == clue.pk
    # The answer is the clue as its detail shows it to this person; any content read audited.
    if SECRET in answer.content.decode():
        assert AuditEvent.objects.filter(
            action="clues.clue.viewed", target_id=str(clue.pk)
        ).exists()

    bad = _post(client, CREATE, _body(personas, subject_name=""))
    assert bad.status_code == 400 and "subject_name" in bad.json()["errors"]
    source = _post(client, CREATE, _body(personas, source="core.organisation:999999"))
    assert source.status_code == 400 and "source" in source.json()["errors"]
    assert Clue.objects.count() == 1


def test_nobody_else_drafts_a_clue(personas, client_of):
    for persona in (personas.unit_a, personas.cdi_officer, personas.sysadmin):
        refused = _post(client_of(persona), CREATE, _body(personas))
        assert refused.status_code == 403
    assert not Clue.objects.exists()


def test_correcting_a_draft(personas, client_of):
    clue = make_clue(personas, ClueState.DRAFT)
    client = client_of(personas.congress_clerk)
    url = reverse("clues_api:clues-edit", args=[clue.pk])
    body = _body(personas, subject_post="市民政局局长")
    body.pop("sending_org")
    no_version = _post(client, url, body)
    assert no_version.status_code == 400 and "version" in no_version.json()["errors"]
    changed = _post(client, url, {**body, "version": clue.version})
    assert changed.status_code == 200, changed.content
    stale = _post(client, url, {**body, "version": clue.version})
    assert stale.status_code == 409
    clue.refresh_from_db()
    assert clue.subject_post == "市民政局局长"


def test_a_transferred_clue_is_no_longer_corrected(personas, client_of):
    clue = make_clue(personas, ClueState.TRANSFERRED)
    body = _body(personas, version=clue.version)
    body.pop("sending_org")
    answer = _post(
        client_of(personas.congress_clerk), reverse("clues_api:clues-edit", args=[clue.pk]), body
    )
    assert answer.status_code == 409
    assert not AuditEvent.objects.filter(action="clues.clue.viewed").exists()


def test_nobody_else_learns_a_draft_exists(personas, client_of):
    clue = make_clue(personas, ClueState.DRAFT)
    body = _body(personas, version=clue.version, subject_post="x")
    body.pop("sending_org")
    url = reverse("clues_api:clues-edit", args=[clue.pk])
    for persona in (personas.unit_a, personas.cdi_clue, personas.sysadmin):
        answer = _post(client_of(persona), url, body)
        assert answer.status_code in (403, 404)
        assert SECRET not in answer.content.decode()
    clue.refresh_from_db()
    assert clue.subject_post != "x"
