"""Two CDI clue officers dispose of the same clue at the same moment, each on its own
PostgreSQL connection: exactly one wins; the other is told the clue was handled meanwhile;
nothing is half-saved (one disposition, one audit event, the deadline closed once)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.clues.helpers import make_clue, proposer
from tests.factories import account
from wulian.core import records
from wulian.core.choices import Role
from wulian.core.clues import services
from wulian.core.clues.choices import DEADLINE_DISPOSITION, ClueState, Disposition
from wulian.core.clues.models import Clue
from wulian.core.deadlines.choices import DeadlineState
from wulian.core.deadlines.models import Deadline
from wulian.core.errors import ConcurrentEdit, TransitionNotAllowed
from wulian.core.models import AuditEvent
from wulian.core.notifications.models import OutboxMessage


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_leaders_approve_at_once_exactly_one_wins(personas):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: an in-memory SQLite database is not shared by threads")
    p = personas
    second = account(p.orgs["cdi"], Role.CLUE_OFFICER, username="cdi_clue_2")
    clue = make_clue(p, ClueState.DRAFT)
    services.clue_transfer(actor=p.congress_clerk, clue_id=clue.pk, version=1)
    services.clue_receive(actor=p.cdi_clue, clue_id=clue.pk, version=2)
    # Proposed by a third officer; the two leaders race to approve it (ADR 0019).
    services.clue_propose(
        actor=proposer(p),
        clue_id=clue.pk,
        version=3,
        disposition=Disposition.TALK_OR_LETTER,
        note="拟谈话函询",
    )
    version = Clue.objects.get(pk=clue.pk).version
    barrier = threading.Barrier(2)
    outcome: dict[str, object] = {}
    unexpected: list[BaseException] = []

    def dispose(user) -> None:
        try:
            barrier.wait(timeout=10)
            services.clue_approve(
                actor=user, clue_id=clue.pk, version=version, note=f"{user.username} 的审批意见"
            )
            outcome[user.username] = "won"
        except (ConcurrentEdit, TransitionNotAllowed) as exc:
            outcome[user.username] = exc
        except BaseException as exc:  # pragma: no cover - reported below
            unexpected.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispose, args=(u,)) for u in (p.cdi_clue, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert not unexpected, unexpected
    winners = [name for name, result in outcome.items() if result == "won"]
    losers = [result for result in outcome.values() if result != "won"]
    assert len(winners) == 1 and len(losers) == 1, outcome
    (loser,) = losers
    assert "刷新" in loser.message or "不能审批" in loser.message
    saved = Clue.objects.get(pk=clue.pk)
    assert saved.state == ClueState.DISPOSED
    assert saved.disposition == Disposition.TALK_OR_LETTER
    assert saved.disposition_note == "拟谈话函询"
    assert saved.approval_note == f"{winners[0]} 的审批意见"
    assert saved.version == version + 1
    assert AuditEvent.objects.filter(action="clues.clue.disposed").count() == 1
    deadline = Deadline.objects.get(**records.reference(saved), kind=DEADLINE_DISPOSITION)
    assert deadline.state == DeadlineState.MET
    assert AuditEvent.objects.filter(action="deadlines.deadline.met").count() == 2  # receipt too
    assert OutboxMessage.objects.filter(kind="clues.clue.disposed").count() == 1
    from wulian.core import audit

    assert audit.verify().ok
