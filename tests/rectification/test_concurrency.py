"""Two staff of the raising organisation verify the same rectification at once — one closes
it, the other reopens it — each on its own PostgreSQL connection: exactly one wins, the
other gets a clear message, nothing is half-saved."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.factories import account
from tests.rectification.helpers import make_rectification
from wulian.core import audit
from wulian.core.choices import Role
from wulian.core.errors import ConcurrentEdit, TransitionNotAllowed
from wulian.core.models import AuditEvent
from wulian.core.rectification import services
from wulian.core.rectification.choices import RectificationState
from wulian.core.rectification.models import Rectification


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_close_and_reopen_at_once_exactly_one_wins(personas):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: an in-memory SQLite database is not shared by threads")
    p = personas
    colleague = account(p.orgs["congress_body"], Role.LEADER, username="congress_leader")
    rect = make_rectification(p, state=RectificationState.SUBMITTED)
    barrier = threading.Barrier(2)
    outcome: dict[str, object] = {}
    unexpected: list[BaseException] = []

    def close() -> None:
        services.rectification_close(
            actor=p.congress_clerk, rectification_id=rect.pk, version=1, note="核验通过"
        )

    def reopen() -> None:
        services.rectification_reopen(
            actor=colleague, rectification_id=rect.pk, version=1, reason="台账不完整", months=1
        )

    def run(name: str, call) -> None:
        try:
            barrier.wait(timeout=10)
            call()
            outcome[name] = "won"
        except (ConcurrentEdit, TransitionNotAllowed) as exc:
            outcome[name] = exc
        except BaseException as exc:  # pragma: no cover - reported below
            unexpected.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("close", close)),
        threading.Thread(target=run, args=("reopen", reopen)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert not unexpected, unexpected
    winners = [n for n, r in outcome.items() if r == "won"]
    assert len(winners) == 1, outcome
    saved = Rectification.objects.get(pk=rect.pk)
    assert saved.version == 2
    codes = list(
        AuditEvent.objects.filter(action__startswith="rectification.").values_list(
            "action", flat=True
        )
    )
    if winners == ["close"]:
        assert saved.state == RectificationState.CLOSED
        assert codes == ["rectification.rectification.verified_closed"]
    else:
        assert saved.state == RectificationState.REOPENED and saved.reopen_count == 1
        assert codes == ["rectification.rectification.reopened"]
    assert audit.verify().ok
