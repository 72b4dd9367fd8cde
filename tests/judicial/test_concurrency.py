"""The draw under concurrency, each side on its own PostgreSQL connection:

- two experts decline at the same moment: both are replaced — the draw row is locked, the
  second decline substitutes on the result the first one left (no substitution is lost, the
  record still verifies);
- the witness and a second witness-desk colleague enter the witness's dice at the same
  moment: exactly one input is recorded;
- two clicks on "抽取" at once: exactly one run, one seal, one set of invitations.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from tests.factories import account
from tests.judicial import helpers as h
from wulian.core.choices import ExpertCategory, Role
from wulian.core.errors import ConcurrentEdit, TransitionNotAllowed
from wulian.core.models import AuditEvent
from wulian.judicial import draw as engine
from wulian.judicial import services
from wulian.judicial.choices import InvitationState
from wulian.judicial.models import Draw, Invitation, WitnessInput

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("judicial_env")]


def at_once(calls: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: an in-memory SQLite database is not shared by threads")
    barrier = threading.Barrier(len(calls))
    outcome: dict[str, Any] = {}

    def run(name: str, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            outcome[name] = call()
        except (ConcurrentEdit, TransitionNotAllowed) as exc:
            outcome[name] = exc
        except BaseException as exc:  # pragma: no cover - reported by the assertions
            outcome[name] = ("unexpected", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not [v for v in outcome.values() if isinstance(v, tuple)], outcome
    return outcome


def pool_with_accounts(p) -> None:
    body = p.orgs["congress_body"]
    for i in range(4):
        h.make_expert(
            person=account(body, Role.EXPERT, name=f"律师{i}").person,
            category=ExpertCategory.LAWYER,
        )
        h.make_expert(
            person=account(body, Role.EXPERT, name=f"教授{i}").person,
            category=ExpertCategory.PROFESSOR,
            employer=f"大学{i}",
        )


@pytest.mark.django_db(transaction=True)
def test_two_declines_at_once_both_substitute(personas):
    p = personas
    pool_with_accounts(p)
    d = h.sealed_draw(p, batch=h.make_batch(p, cases=1, reviewers_per_case=2))
    invitations = list(
        Invitation.objects.filter(draw=d).select_related("expert__profile__person__user")
    )
    assert len(invitations) == 2
    outcome = at_once(
        {
            inv.expert.ref: (
                lambda inv=inv: services.invitation_decline(
                    actor=inv.expert.profile.person.user,
                    invitation_id=inv.pk,
                    version=inv.version,
                )
            )
            for inv in invitations
        }
    )
    assert all(isinstance(v, Invitation) for v in outcome.values()), outcome
    saved = Draw.objects.get(pk=d.pk)
    result = engine.Result.from_json(saved.result)
    assert len(result.substitutions) == 2
    assert {s.declined for s in result.substitutions} == set(outcome)
    assert not set(outcome) & set(result.panels[0].members)
    assert services.draw_verify_record(saved).ok
    assert Invitation.objects.filter(draw=d, state=InvitationState.DECLINED).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_witness_inputs_at_once_one_is_recorded(personas):
    p = personas
    colleague = account(p.orgs["stationed_group"], Role.STAFF, username="stationed_2")
    d = h.committed_draw(p)
    outcome = at_once(
        {
            "stationed": lambda: services.draw_enter_input(
                actor=p.users["stationed"], draw_id=d.pk, value="314159265358"
            ),
            "stationed_2": lambda: services.draw_enter_input(
                actor=colleague, draw_id=d.pk, value="271828182845"
            ),
        }
    )
    assert sum(isinstance(v, WitnessInput) for v in outcome.values()) == 1, outcome
    assert WitnessInput.objects.filter(draw=d).count() == 1
    assert AuditEvent.objects.filter(action="judicial.draw.input_entered").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_seal_once(personas):
    p = personas
    colleague = account(p.orgs["congress_body"], Role.STAFF, username="congress_clerk_2")
    d = h.witnessed_draw(p)
    outcome = at_once(
        {
            who.username: (
                lambda who=who: services.draw_run(actor=who, draw_id=d.pk, version=d.version)
            )
            for who in (p.users["congress_clerk"], colleague)
        }
    )
    assert sum(isinstance(v, Draw) for v in outcome.values()) == 1, outcome
    assert AuditEvent.objects.filter(action="judicial.draw.sealed").count() == 1
    assert Invitation.objects.filter(draw=d).count() == 3
