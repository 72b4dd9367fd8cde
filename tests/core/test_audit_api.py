"""The audit trail through the API: the audit administrator only (三员分立), filtered like the
console's export, the .xlsx the console writes."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.personas import PERSONA_NAMES
from wulian.core import audit
from wulian.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_only_the_audit_administrator_reads_the_trail(personas, client_of):
    audit.record(
        action="core.organisation.updated",
        actor=personas.sysadmin,
        target=personas.orgs["unit_a"],
        after={"name": "市民政局"},
    )
    for name in PERSONA_NAMES:
        answer = client_of(personas.users[name]).get(reverse("api:audit-event-list"))
        assert answer.status_code == (200 if name == "auditadmin" else 403), name
    body = (
        client_of(personas.auditadmin)
        .get(reverse("api:audit-event-list"), {"action": "core.organisation"})
        .json()
    )
    (event,) = body["results"]
    assert event["after"] == {"name": "市民政局"} and event["action_label"]
    assert event["hash"] == AuditEvent.objects.get(seq=event["seq"]).hash


def test_filters_and_the_xlsx_export(personas, client_of):
    org = personas.orgs["unit_a"]
    audit.record(action="core.organisation.updated", actor=personas.sysadmin, target=org)
    client = client_of(personas.auditadmin)
    listed = client.get(
        reverse("api:audit-event-list"),
        {"target_type": "core.organisation", "target_id": str(org.pk)},
    ).json()["results"]
    assert listed and all(e["target_id"] == str(org.pk) for e in listed)
    bad = client.get(reverse("api:audit-event-list"), {"date_from": "昨天"})
    assert bad.status_code == 400 and "date_from" in bad.json()["errors"]
    export = client.get(
        reverse("api:audit-event-export"),
        {"target_type": "core.organisation", "target_id": str(org.pk)},
    )
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + len(listed)
