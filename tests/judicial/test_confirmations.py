"""Issue 13, item 10: irreversible one-click steps are confirmed first (`Step.confirm`, one
declaration in core/steps.py): the page answers a POST without the confirmation with a page
that says what cannot be undone, whose button posts the same input again confirmed (no
JavaScript); the API needs `"confirm": true` (400, code `confirmation_needed`, without it).
Running a draw and declining an invitation are the judicial ones."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from tests.judicial import helpers as h
from tests.judicial.test_draw_services import bigger_pool
from tests.personas import client_for
from wulian.core import steps
from wulian.judicial.choices import InvitationState
from wulian.judicial.models import Draw, Invitation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("judicial_env")]


def test_the_irreversible_steps_declare_what_cannot_be_undone():
    import wulian.core.clues.steps
    import wulian.judicial.steps
    import wulian.suggestions.steps  # noqa: F401  (their declarations)

    confirmed = {s.label for s in steps.declared() if s.confirm}
    assert {
        "judicial.draw.run",
        "judicial.invitation.decline",
        "judicial.problem.refer",
        "clues.clue.transfer",
        "suggestions.assignmentbatch.confirm",
    } <= confirmed


def test_running_a_draw_on_the_page_asks_first_and_goes_on_when_confirmed(p):
    d = h.witnessed_draw(p)
    client = client_for(p.users["congress_clerk"])
    url = reverse("judicial:draw_run", args=[d.pk])
    asked = client.post(url, {"version": d.version})
    page = asked.content.decode()
    assert asked.status_code == 200 and "抽取不能重做" in page
    assert not Draw.objects.get(pk=d.pk).seed  # nothing happened yet
    # The confirmation page carries the input and the "yes"; its way back is the draw's page.
    form = re.search(r'<form method="post" action="([^"]+)"', page).group(1)
    assert form == url and d.get_absolute_url() in page
    assert f'name="version" value="{d.version}"' in page and 'name="confirm" value="on"' in page
    done = client.post(url, {"version": d.version, "confirm": "on"})
    assert done.status_code == 302 and Draw.objects.get(pk=d.pk).seed


def test_input_to_correct_comes_before_the_confirmation(p):
    """A field to correct is shown first on its form, not the confirmation page."""
    d = h.sealed_draw(p)
    inv = Invitation.objects.filter(draw=d).first()
    client = client_for(p.users["congress_clerk"])
    url = reverse("judicial:invitation_decline", args=[inv.pk])
    refused = client.post(url, {"version": inv.version, "reason": "长" * 501}, follow=True)
    page = refused.content.decode()
    assert "谢绝后不能撤回" not in page and "谢绝理由" in page
    assert Invitation.objects.get(pk=inv.pk).state == InvitationState.INVITED


def test_running_a_draw_through_the_api_needs_confirm_true(p):
    d = h.witnessed_draw(p)
    client = client_for(p.users["congress_clerk"])
    url = reverse("judicial_api:draw-run", args=[d.pk])

    def post(body):
        return client.post(
            url, json.dumps(body), content_type="application/json", HTTP_ACCEPT="application/json"
        )

    refused = post({"version": d.version})
    assert refused.status_code == 400 and refused.json()["code"] == "confirmation_needed"
    assert "confirm" in refused.json()["errors"] and "抽取不能重做" in refused.json()["detail"]
    assert post({"version": d.version, "confirm": "yes"}).status_code == 400
    assert not Draw.objects.get(pk=d.pk).seed
    assert post({"version": d.version, "confirm": True}).status_code == 200
    assert Draw.objects.get(pk=d.pk).seed


def test_the_schema_says_the_api_confirms(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    body = schema["paths"]["/api/v1/judicial/draws/{id}/run/"]["post"]["requestBody"]
    props = body["content"]["application/json"]["schema"]
    assert props["properties"]["confirm"]["type"] == "boolean"
    assert "confirm" in props["required"]


def test_declining_an_invitation_asks_first(p):
    bigger_pool(p)
    d = h.sealed_draw(p, batch=h.make_batch(p))
    inv = Invitation.objects.filter(draw=d).first()
    client = client_for(p.users["congress_clerk"])  # an answer given by telephone
    url = reverse("judicial:invitation_decline", args=[inv.pk])
    asked = client.post(url, {"version": inv.version, "reason": "出差"})
    assert asked.status_code == 200 and "谢绝后不能撤回" in asked.content.decode()
    assert Invitation.objects.get(pk=inv.pk).state == InvitationState.INVITED
    done = client.post(url, {"version": inv.version, "reason": "出差", "confirm": "on"})
    assert done.status_code == 302
    assert Invitation.objects.get(pk=inv.pk).state == InvitationState.DECLINED
