"""Concurrent voting on PostgreSQL: no ballot lost, none counted twice."""

from __future__ import annotations

import threading

import pytest
import time_machine
from django.db import connection

from tests.polls.helpers import DURING, ids, make_poll, open_poll
from wulian.core.access import actor_for
from wulian.core.errors import TransitionNotAllowed
from wulian.core.polls import services
from wulian.core.polls.models import Ballot
from wulian.core.polls.tally import SATISFIED

THREADS = 8


def _run(target, args_list):
    outcomes: list = []
    barrier = threading.Barrier(len(args_list))

    def work(*args):
        try:
            barrier.wait()
            with time_machine.travel(DURING, tick=True):
                outcomes.append(target(*args))
        except Exception as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=args) for args in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_many_voters_at_once_and_one_slip_tried_by_many(personas):
    if connection.vendor != "postgresql":
        pytest.skip("an in-memory SQLite database is not shared by threads")
    with time_machine.travel(DURING, tick=True):
        poll = make_poll(personas)
        codes = open_poll(personas, poll, slips_by_group={0: THREADS * 5 + 1})[0]
    item = ids(poll)[0]

    def cast_five(chunk):
        for code in chunk:
            services.ballot_cast(None, poll_id=poll.pk, choices={item: SATISFIED}, slip=code)
        return len(chunk)

    chunks = [(codes[i * 5 : i * 5 + 5],) for i in range(THREADS)]
    assert _run(cast_five, chunks) == [5] * THREADS

    shared = codes[-1]
    outcomes = _run(
        lambda: services.ballot_cast(None, poll_id=poll.pk, choices={item: SATISFIED}, slip=shared),
        [()] * THREADS,
    )
    assert sum(isinstance(o, services.CastReceipt) for o in outcomes) == 1
    assert all(
        isinstance(o, TransitionNotAllowed)
        for o in outcomes
        if not isinstance(o, services.CastReceipt)
    )

    clerk = actor_for(personas.congress_clerk)
    with time_machine.travel(DURING, tick=True):
        services.poll_close(clerk, poll_id=poll.pk)
        poll = services.poll_seal(clerk, poll_id=poll.pk)
    assert Ballot.objects.filter(poll=poll).count() == THREADS * 5 + 1
    assert poll.result["items"][0]["counts"][SATISFIED] == THREADS * 5 + 1
    assert len(set(Ballot.objects.values_list("receipt", flat=True))) == THREADS * 5 + 1


@pytest.mark.django_db(transaction=True)
def test_a_sealing_waits_for_the_casts_in_progress_and_none_slips_in_after(personas):
    if connection.vendor != "postgresql":
        pytest.skip("an in-memory SQLite database is not shared by threads")
    with time_machine.travel(DURING, tick=True):
        poll = make_poll(personas)
        codes = open_poll(personas, poll, slips_by_group={0: 40})[0]
    item = ids(poll)[0]
    clerk = actor_for(personas.congress_clerk)

    def cast(code):
        return services.ballot_cast(None, poll_id=poll.pk, choices={item: SATISFIED}, slip=code)

    def close_and_seal():
        services.poll_close(clerk, poll_id=poll.pk)
        return services.poll_seal(clerk, poll_id=poll.pk)

    jobs = [(cast, code) for code in codes] + [(close_and_seal, None)]
    outcomes = _run(lambda fn, arg: fn(arg) if arg else fn(), jobs)
    accepted = sum(isinstance(o, services.CastReceipt) for o in outcomes)
    refused = [o for o in outcomes if isinstance(o, TransitionNotAllowed)]
    assert accepted + len(refused) == 40, [o for o in outcomes if isinstance(o, Exception)]
    # Every ballot accepted before the sealing is in the sealed set; none came after.
    assert Ballot.objects.filter(poll=poll).count() == accepted
