"""An integrity monitor's observation into the clue ledger without a congress-side office
seeing it first (ADR 0027): the CDI's clue officer registers it as a clue of the CDI's own
intake (`clues.services.clue_intake`) — its clue office is both ends, 已签收 from the start, the
disposition limit running. Nobody but the clue officer sees it: not on the clue's page, the
clue list, the API, the clue export, nor the observation's page."""

from __future__ import annotations

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from openpyxl import load_workbook

from tests.personas import client_for
from tests.stations import helpers as h
from wulian.core import access
from wulian.core.clues import services as clue_services
from wulian.core.clues.choices import ClueState
from wulian.core.clues.models import Clue
from wulian.core.deadlines.models import Deadline
from wulian.core.errors import AccessDenied, ValidationFailed
from wulian.core.models import AuditEvent
from wulian.core.notifications.models import OutboxMessage
from wulian.stations import services
from wulian.stations.models import Observation

pytestmark = pytest.mark.django_db

SECRET = "收受摊贩财物"


def _observation(p) -> Observation:
    return services.observation_report(
        actor=h.monitor(p),
        event_id=h.event(p).pk,
        subject_name="王某",
        subject_post="街道城管科科长",
        content=SECRET,
    )


def _intake(p, ob: Observation) -> Clue:
    return services.observation_intake(
        actor=p.cdi_clue, observation_id=ob.pk, violation_type="integrity", evidence=""
    )


def test_the_clue_officer_registers_it_as_a_received_clue(p):
    ob = _observation(p)
    for who in ("cdi_officer", "congress_clerk", "stationed", "deputy"):
        with pytest.raises(AccessDenied):
            services.observation_intake(
                actor=p.users[who], observation_id=ob.pk, violation_type="integrity"
            )
    clue = _intake(p, ob)
    assert clue.state == ClueState.RECEIVED
    assert clue.sending_org_id == clue.receiving_org_id == ob.receiving_org_id
    assert clue.source == ob and clue.content == SECRET and clue.subject_name == "王某"
    assert clue.found_on == ob.observed_on and clue.received_by == p.cdi_clue
    limits = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Clue), object_id=clue.pk
    )
    assert list(limits.values_list("kind", flat=True)) == ["clue_disposition"]
    assert AuditEvent.objects.filter(action="clues.clue.taken_in").count() == 1
    # once per observation; and nobody may pause or cancel its limit afterwards
    with pytest.raises(ValidationFailed, match="已登记"):
        _intake(p, ob)
    assert Clue.objects.count() == 1
    assert not access.can(p.cdi_clue, "clues.clue.manage_deadlines", clue)
    # what the CDI does with it later is told to nobody as "the sending office" (the CDI
    # office's other staff would learn the clue exists)
    before = OutboxMessage.objects.count()
    clue_services._notify(clue, kind="clues.clue.feedback", to_cdi=False, title="x", occurrence="y")
    assert OutboxMessage.objects.count() == before


def test_a_bad_category_saves_nothing(p):
    ob = _observation(p)
    with pytest.raises(ValidationFailed):
        services.observation_intake(actor=p.cdi_clue, observation_id=ob.pk, violation_type="x")
    assert not Clue.objects.exists() and not Deadline.objects.exists()


def test_the_step_on_the_page_and_in_the_api(p):
    ob = _observation(p)
    officer = client_for(p.cdi_clue)
    page = officer.get(f"/stations/observations/{ob.pk}/").content.decode()
    assert f"/stations/observations/{ob.pk}/intake/" in page
    response = officer.post(f"/stations/observations/{ob.pk}/intake/", {"violation_type": "x"})
    assert response.status_code == 400 and not Clue.objects.exists()
    response = officer.post(
        f"/api/v1/stations/observations/{ob.pk}/intake/",
        {"violation_type": "integrity"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    clue = Clue.objects.get()
    assert response.json() == {"id": clue.pk, "number": clue.number}
    page = officer.get(f"/stations/observations/{ob.pk}/").content.decode()
    assert clue.number in page and "/intake/" not in page
    denied = client_for(p.cdi_officer).post(
        f"/api/v1/stations/observations/{ob.pk}/intake/",
        {"violation_type": "integrity"},
        content_type="application/json",
    )
    assert denied.status_code in (403, 404)


def test_nobody_but_the_clue_officer_sees_the_clue_on_any_door(p):
    ob = _observation(p)
    clue = _intake(p, ob)
    users = {**p.users, "monitor": h.monitor(p)}
    for name, user in users.items():
        client = client_for(user)
        page = client.get(f"/clues/{clue.pk}/")
        listing = client.get("/clues/")
        api = client.get(f"/api/v1/clues/{clue.pk}/", HTTP_ACCEPT="application/json")
        export = client.get("/clues/export.xlsx")
        exported = ""
        if export.status_code == 200:
            sheet = load_workbook(io.BytesIO(export.content)).active
            exported = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
        in_scope = access.scope(user, "clues.clue.view_status", Clue.objects.all()).exists()
        if name == "cdi_clue":
            assert page.status_code == 200 and SECRET in page.content.decode()
            assert clue.number in listing.content.decode() and api.status_code == 200
            assert clue.number in exported and in_scope
            continue
        assert page.status_code in (403, 404), name
        assert api.status_code in (403, 404), name
        assert not in_scope, name
        if listing.status_code == 200:
            assert clue.number not in listing.content.decode(), name
        assert clue.number not in exported and SECRET not in exported, name
