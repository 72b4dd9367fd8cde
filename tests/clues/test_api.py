"""Clues through the API (issue 12): the same steps and the same confidentiality as the pages
(ADR 0007) — only clue officers read content, every read audited; the sending office sees
status and feedback; anyone else cannot tell a clue from one that does not exist."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.clues.helpers import make_clue
from tests.personas import PERSONA_NAMES
from wulian.core.clues.choices import ClueState
from wulian.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _post(client, name: str, pk: int, data: dict) -> object:
    return client.post(
        reverse(f"clues_api:clues-{name}", args=[pk]),
        json.dumps(data),
        content_type="application/json",
    )


def test_the_clue_officer_reads_content_and_each_read_is_audited(personas, client_of):
    clue = make_clue(personas, ClueState.TRANSFERRED)
    answer = client_of(personas.cdi_clue).get(reverse("clues_api:clues-detail", args=[clue.pk]))
    assert answer.status_code == 200
    body = answer.json()
    assert body["content"]["content"] == clue.content
    assert AuditEvent.objects.filter(action="clues.clue.viewed", target_id=str(clue.pk)).exists()


def test_the_sending_office_sees_the_status_never_the_content(personas, client_of):
    clue = make_clue(personas, ClueState.TRANSFERRED)
    answer = client_of(personas.congress_clerk).get(
        reverse("clues_api:clues-detail", args=[clue.pk])
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["content"] is None
    assert body["status"]["number"] == clue.number
    assert clue.content not in answer.content.decode()
    assert clue.subject_name not in answer.content.decode()


def test_nobody_else_can_tell_a_clue_from_one_that_does_not_exist(personas, client_of):
    clue = make_clue(personas, ClueState.TRANSFERRED)
    for name in PERSONA_NAMES:
        if name in {"congress_clerk", "cdi_clue"}:
            continue
        client = client_of(personas.users[name])
        for route, data in (("detail", None), ("receive", {"version": clue.version})):
            url_real = reverse(f"clues_api:clues-{route}", args=[clue.pk])
            url_none = reverse(f"clues_api:clues-{route}", args=[clue.pk + 1000])
            if data is None:
                real, none = client.get(url_real), client.get(url_none)
            else:
                real = _post(client, route, clue.pk, data)
                none = _post(client, route, clue.pk + 1000, data)
            assert real.status_code == none.status_code, (name, route)
            assert real.status_code in (403, 404), (name, route)


def test_the_clue_steps_through_the_api(personas, client_of):
    clue = make_clue(personas, ClueState.TRANSFERRED)
    officer = client_of(personas.cdi_clue)
    got = _post(officer, "receive", clue.pk, {"version": clue.version})
    assert got.status_code == 200, got.content
    assert got.json()["status"]["state"] == ClueState.RECEIVED
    proposed = _post(
        officer,
        "propose",
        clue.pk,
        {"version": got.json()["version"], "disposition": "", "note": "x"},
    )
    assert proposed.status_code == 400 and "disposition" in proposed.json()["errors"]
    # The sending office cannot take the CDI's steps.
    refused = _post(
        client_of(personas.congress_clerk), "receive", clue.pk, {"version": clue.version}
    )
    assert refused.status_code == 403
