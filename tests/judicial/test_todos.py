"""我的待办 of the judicial link: the expert's invitation and cases to score, the organiser's
and the witness's draw steps, the court's suggestions and petitions to answer."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.judicial import helpers as h
from wulian.core import access, todos
from wulian.judicial import services
from wulian.judicial.choices import PetitionState, SuggestionState

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("judicial_env")]


def titles(user) -> list[str]:
    return [i.title for i in todos.todos_for(access.actor_for(user))]


def test_the_draw_steps_wait_on_the_organiser_and_the_witness(p):
    d = h.frozen_draw(p)
    assert any(d.code in t for t in titles(p.users["congress_clerk"]))
    assert not any(d.code in t for t in titles(p.users["stationed"]))
    d = services.draw_commit(actor=p.users["congress_clerk"], draw_id=d.pk, version=d.version)
    assert any(d.code in t for t in titles(p.users["stationed"]))
    services.draw_enter_input(actor=p.users["stationed"], draw_id=d.pk, value=h.DIGITS_WITNESS)
    assert not any(d.code in t for t in titles(p.users["stationed"]))
    assert not any(d.code in t for t in titles(p.users["cdi_officer"]))


def test_a_request_to_abort_waits_on_the_draws_witness_only(p):
    from tests.factories import account
    from wulian.core.choices import Role

    other = account(p.orgs["stationed_group"], Role.STAFF, name="同组干部")
    d = h.abort_requested(p, h.committed_draw(p))
    # Before the witness's dice: any desk member of the group; the organiser's steps wait.
    assert any(f"{d.code} 申请作废" in t for t in titles(p.users["stationed"]))
    assert any(f"{d.code} 申请作废" in t for t in titles(other))
    assert not any(d.code in t for t in titles(p.users["congress_clerk"]))
    d = services.draw_abort_refuse(
        actor=p.users["stationed"], draw_id=d.pk, version=d.version, note="继续"
    )
    services.draw_enter_input(actor=p.users["stationed"], draw_id=d.pk, value=h.DIGITS_WITNESS)
    d = h.abort_requested(p, d.__class__.objects.get(pk=d.pk))
    # Once his dice are in, the draw's own witness co-signs.
    assert any(f"{d.code} 申请作废" in t for t in titles(p.users["stationed"]))
    assert not any(d.code in t for t in titles(other))
    services.draw_abort_confirm(actor=p.users["stationed"], draw_id=d.pk, version=d.version)
    assert not any(d.code in t for t in titles(p.users["stationed"]))


def test_the_expert_is_asked_to_answer_then_to_score(p):
    d = h.sealed_draw(p)
    assert any("评查邀请待确认" in t for t in titles(p.users["expert"]))
    h.accept_all(d)
    assert not any("评查邀请" in t for t in titles(p.users["expert"]))
    batch = d.batch
    batch.refresh_from_db()
    services.batch_open_review(
        actor=p.users["congress_clerk"], batch_id=batch.pk, version=batch.version
    )
    case = batch.cases.get()
    assert any(case.number in t for t in titles(p.users["expert"]))


def test_the_court_answers_suggestions_and_petitions(p):
    batch = h.reviewing_batch(p)
    s = h.make_suggestion(p, batch, state=SuggestionState.SENT, sent_at=timezone.now())
    petition = h.make_petition(
        p, state=PetitionState.ROUTED, organisation=p.orgs["court"], routed_at=timezone.now()
    )
    got = titles(p.users["court_clerk"])
    assert any(s.title in t for t in got) and any(petition.number in t for t in got)
    assert not any(s.title in t for t in titles(p.users["unit_a"]))


def test_the_providers_cost_the_same_queries_for_1_and_5_items(p):
    batch = h.reviewing_batch(p)
    actor = access.actor_for(p.users["court_clerk"])
    h.make_suggestion(p, batch, state=SuggestionState.SENT, sent_at=timezone.now())
    h.make_petition(
        p, state=PetitionState.ROUTED, organisation=p.orgs["court"], routed_at=timezone.now()
    )
    todos.todos_for(actor)
    with CaptureQueriesContext(connection) as one:
        todos.todos_for(actor)
    for i in range(4):
        h.make_suggestion(
            p, batch, title=f"建议{i}", state=SuggestionState.SENT, sent_at=timezone.now()
        )
        h.make_petition(
            p, state=PetitionState.ROUTED, organisation=p.orgs["court"], routed_at=timezone.now()
        )
    with CaptureQueriesContext(connection) as five:
        todos.todos_for(actor)
    assert len(five) == len(one)
