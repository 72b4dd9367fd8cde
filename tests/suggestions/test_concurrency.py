"""Two people acting on the same suggestion at the same moment, each on its own PostgreSQL
connection: exactly one wins; the other is told; nothing is half-saved (one batch, one set of
assignments, one reply, one audit event each)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from tests.factories import account
from tests.suggestions.helpers import walk
from wulian.core import audit
from wulian.core.choices import Role
from wulian.core.errors import ConcurrentEdit, RuleViolation, TransitionNotAllowed
from wulian.core.models import AuditEvent
from wulian.suggestions import services
from wulian.suggestions.choices import SuggestionStatus as S
from wulian.suggestions.models import Assignment, AssignmentBatch, Reply, Suggestion

REFUSALS = (ConcurrentEdit, TransitionNotAllowed, RuleViolation)


def _race(users: list[Any], act: Callable[[Any], Any]) -> dict[str, Any]:
    barrier = threading.Barrier(len(users))
    outcome: dict[str, Any] = {}
    unexpected: list[BaseException] = []

    def run(user: Any) -> None:
        try:
            barrier.wait(timeout=10)
            act(user)
            outcome[user.username] = "won"
        except REFUSALS as exc:
            outcome[user.username] = exc
        except BaseException as exc:  # pragma: no cover - reported below
            unexpected.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not unexpected, unexpected
    winners = [n for n, r in outcome.items() if r == "won"]
    assert len(winners) == 1 and len(outcome) == len(users), outcome
    return outcome


def _postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: an in-memory SQLite database is not shared by threads")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clerks_prepare_the_same_suggestion_at_once(personas):
    _postgres()
    p = personas
    second = account(p.orgs["congress_body"], Role.STAFF, username="congress_clerk_2")
    s = walk(p, S.ACCEPTED)
    item = {
        "suggestion_id": s.pk,
        "version": s.version,
        "lead_unit_id": p.orgs["unit_a"].pk,
        "co_unit_ids": [],
    }
    outcome = _race(
        [p.congress_clerk, second],
        lambda user: services.batch_propose(actor=user, items=[item]),
    )
    (loser,) = [r for r in outcome.values() if r != "won"]
    assert isinstance(loser, RuleViolation) and "待会签" in loser.message
    assert AssignmentBatch.objects.count() == 1
    assert AuditEvent.objects.filter(action="suggestions.batch.proposed").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_confirm_the_same_batch_at_once(personas):
    _postgres()
    p = personas
    second = account(p.orgs["gov_office"], Role.STAFF, username="gov_supervisor_2")
    s = walk(p, S.ACCEPTED)
    batch = services.batch_propose(
        actor=p.congress_clerk,
        items=[
            {
                "suggestion_id": s.pk,
                "version": s.version,
                "lead_unit_id": p.orgs["unit_a"].pk,
                "co_unit_ids": [p.orgs["unit_b"].pk],
            }
        ],
    )
    outcome = _race(
        [p.gov_supervisor, second],
        lambda user: services.batch_confirm(actor=user, batch_id=batch.pk, version=batch.version),
    )
    (loser,) = [r for r in outcome.values() if r != "won"]
    assert "刷新" in loser.message or "不能再会签" in loser.message
    assert Suggestion.objects.get(pk=s.pk).status == S.ASSIGNED
    assert Assignment.objects.filter(suggestion=s).count() == 2
    assert AuditEvent.objects.filter(action="suggestions.suggestion.assigned").count() == 1
    assert AuditEvent.objects.filter(action="suggestions.batch.issued").count() == 1
    assert audit.verify().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_of_the_lead_unit_reply_at_once(personas):
    _postgres()
    p = personas
    second = account(p.orgs["unit_a"], Role.LIAISON, username="unit_a_2")
    s = walk(p, S.HANDLING)
    version = Suggestion.objects.get(pk=s.pk).version
    outcome = _race(
        [p.unit_a, second],
        lambda user: services.reply_send(
            actor=user,
            suggestion_id=s.pk,
            version=version,
            category="A",
            signer="张局长",
            text=f"{user.username} 的答复",
        ),
    )
    (winner,) = [n for n, r in outcome.items() if r == "won"]
    (loser,) = [r for r in outcome.values() if r != "won"]
    assert isinstance(loser, ConcurrentEdit) and "刷新" in loser.message
    reply = Reply.objects.get(suggestion=s)
    assert reply.text == f"{winner} 的答复"
    saved = Suggestion.objects.get(pk=s.pk)
    assert saved.status == S.ANSWERED and saved.version == version + 1
    assert AuditEvent.objects.filter(action="suggestions.reply.sent").count() == 1
    assert audit.verify().ok
