"""On PostgreSQL, each thread on its own connection: two people of the drafting side dispose
of the same comment at once, both having read version 1 — one disposition is saved, the other
is refused as stale (nothing overwritten unseen)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.factories import account
from tests.opinions.helpers import comment, make_round
from wulian.core.access import actor_for
from wulian.core.choices import Role
from wulian.core.errors import ConcurrentEdit
from wulian.core.models import AuditEvent
from wulian.core.opinions import services
from wulian.core.opinions.models import Comment


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_dispositions_of_one_comment_at_once_save_one(personas):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: an in-memory SQLite database is not shared by threads")
    p = personas
    colleague = account(p.orgs["congress_body"], Role.LEADER, username="body_leader")
    r = make_round(p)
    c = comment(p, r)
    barrier = threading.Barrier(2)
    outcome: dict[str, object] = {}

    def run(name: str, user, disposition: str, reason: str) -> None:
        try:
            barrier.wait(timeout=10)
            services.comment_dispose(
                actor=actor_for(user),
                round_id=r.pk,
                comment=c.pk,
                version=1,
                disposition=disposition,
                reason=reason,
            )
            outcome[name] = "won"
        except ConcurrentEdit as exc:
            outcome[name] = exc
        except BaseException as exc:  # pragma: no cover - reported below
            outcome[name] = repr(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("a", p.congress_clerk, "adopted", "")),
        threading.Thread(target=run, args=("b", colleague, "declined", "与上位法不一致。")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(type(v).__name__ if v != "won" else "won" for v in outcome.values()) == [
        "ConcurrentEdit",
        "won",
    ], outcome
    saved = Comment.objects.get(pk=c.pk)
    assert saved.version == 2
    winner = "adopted" if outcome["a"] == "won" else "declined"
    assert saved.disposition == winner
    assert AuditEvent.objects.filter(action="opinions.round.disposed").count() == 1
