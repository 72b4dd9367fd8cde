"""Extensions that belong to the record's own app (`services.own_extensions`): the generic
services refuse them unless the owning app's service calls them (`owner=True`), and the
deadline panel offers no generic extension form for them. Other kinds are unaffected."""

from __future__ import annotations

from datetime import timedelta

import pytest

from wulian.core.deadlines import services
from wulian.core.deadlines.choices import Decision
from wulian.core.deadlines.models import ExtensionRequest
from wulian.core.errors import RuleViolation
from wulian.core.models import AuditEvent

pytestmark = pytest.mark.django_db

OWNED = "tests_owned_answer"
services.own_extensions(OWNED)


def test_an_owned_kind_is_refused_on_the_generic_path_and_points_to_the_record(
    personas, open_deadline
):
    d = open_deadline(kind=OWNED)
    assert services.extensions_owned(d)
    with pytest.raises(RuleViolation) as info:
        services.extension_request(
            actor=personas.unit_a,
            deadline_id=d.pk,
            new_due=d.due_at + timedelta(days=3),
            reason="x",
        )
    assert d.link in info.value.message
    assert not ExtensionRequest.objects.filter(deadline=d).exists()
    assert not AuditEvent.objects.filter(action="deadlines.deadline.extension_requested").exists()
    # The owning app's service goes through; deciding it generically is refused as well.
    req = services.extension_request(
        actor=personas.unit_a,
        deadline_id=d.pk,
        new_due=d.due_at + timedelta(days=3),
        reason="x",
        owner=True,
    )
    for decide in (services.extension_approve, services.extension_refuse):
        with pytest.raises(RuleViolation):
            decide(actor=personas.congress_clerk, extension_id=req.pk, note="n")
    req.refresh_from_db()
    assert req.decision == Decision.PENDING
    d.refresh_from_db()
    assert d.due_at == d.original_due_at
    req = services.extension_approve(
        actor=personas.congress_clerk, extension_id=req.pk, note="同意", owner=True
    )
    assert req.decision == Decision.APPROVED


def test_other_kinds_keep_the_generic_path(personas, open_deadline):
    d = open_deadline(kind="answer")
    assert not services.extensions_owned(d)
    req = services.extension_request(
        actor=personas.unit_a, deadline_id=d.pk, new_due=d.due_at + timedelta(days=3), reason="x"
    )
    services.extension_refuse(actor=personas.congress_clerk, extension_id=req.pk, note="不同意")


def test_the_panel_offers_no_generic_extension_form_for_an_owned_kind(personas, open_deadline):
    from django.template import Context, Template
    from django.test import RequestFactory
    from django.urls import reverse

    owned = open_deadline(kind=OWNED)
    generic = open_deadline(kind="answer")
    request = RequestFactory().get("/")
    request.user = personas.unit_a
    html = Template("{% load deadlines %}{% deadline_panel record %}").render(
        Context({"request": request, "record": personas.orgs["unit_a"]})
    )
    assert reverse("deadlines:extension_request", args=[generic.pk]) in html
    assert reverse("deadlines:extension_request", args=[owned.pk]) not in html
