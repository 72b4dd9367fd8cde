"""Secrecy that holds against the operator (issue 15, ADR 0022): with the database, the logs and
the audit chain in hand, no link from a person to their ballot. Twelve voters cast twelve
different ballots in a known order; each way one could try to put them side by side is tried
and must fail."""

from __future__ import annotations

import itertools
import json
import logging

import pytest
import time_machine
from django.db import connection

from tests.polls.helpers import DURING, ids, make_poll, open_poll, voters
from wulian.core import context
from wulian.core.access import actor_for
from wulian.core.models import AuditEvent
from wulian.core.polls import services
from wulian.core.polls.models import Ballot, RosterEntry, Slip, UrnEntry
from wulian.core.polls.tally import BASIC, SATISFIED, UNSATISFIED

pytestmark = pytest.mark.django_db

N = 12


def _patterns(items: list[int]) -> list[dict[str, str]]:
    combos = itertools.product([SATISFIED, BASIC, UNSATISFIED], repeat=len(items))
    return [dict(zip(map(str, items), combo, strict=True)) for combo in itertools.islice(combos, N)]


def _follows(sequence: list, order: list) -> bool:
    return sequence == order or sequence == list(reversed(order))


@pytest.fixture
def cast(personas, caplog):
    """The poll after twelve voters voted in order (each under a request id) and it was sealed;
    returns what an operator would hold and what we know."""
    caplog.set_level(logging.DEBUG)
    with time_machine.travel(DURING, tick=True):
        poll = make_poll(personas)
        people = voters(personas, N)
        open_poll(personas, poll, voters_by_group={1: people})
        patterns = _patterns(ids(poll))
        receipts, request_ids = [], []
        for index, (person, pattern) in enumerate(zip(people, patterns, strict=True)):
            request_id = f"req-cast-{index:04d}"
            token = context.bind(context.RequestContext(request_id=request_id, ip="10.1.1.1"))
            try:
                receipt = services.ballot_cast(actor_for(person), poll_id=poll.pk, choices=pattern)
            finally:
                context.unbind(token)
            receipts.append(receipt.receipt.replace("-", ""))
            request_ids.append(request_id)
        urn_lengths = {len(s) for s in UrnEntry.objects.values_list("sealed", flat=True)}
        urn_text = " ".join(UrnEntry.objects.values_list("sealed", flat=True))
        clerk = actor_for(personas.congress_clerk)
        services.poll_close(clerk, poll_id=poll.pk)
        poll = services.poll_seal(clerk, poll_id=poll.pk)
    return {
        "poll": poll,
        "people": people,
        "patterns": patterns,
        "receipts": receipts,
        "request_ids": request_ids,
        "urn_lengths": urn_lengths,
        "urn_text": urn_text,
        "log": caplog.text,
    }


def test_a_ballot_row_holds_nothing_but_its_group_receipt_and_choices():
    assert {f.name for f in Ballot._meta.get_fields()} == {
        "id",
        "poll",
        "group",
        "receipt",
        "choices",
    }
    # The roster and the slips say only whether someone voted: no time, no ballot.
    assert {f.name for f in RosterEntry._meta.get_fields()} == {
        "id",
        "group",
        "person",
        "has_voted",
    }
    assert {f.name for f in Slip._meta.get_fields()} == {"id", "group", "digest", "used"}


def test_no_order_of_the_ballots_follows_the_order_of_voting(cast):
    order = cast["patterns"]
    by_id = [b.choices for b in Ballot.objects.order_by("id")]
    by_receipt = [b.choices for b in Ballot.objects.order_by("receipt")]
    stored = [b.choices for b in Ballot.objects.all().order_by()]  # as the table returns them
    assert sorted(map(json.dumps, by_id)) == sorted(map(json.dumps, order))  # all counted
    for name, sequence in (("id", by_id), ("receipt", by_receipt), ("storage", stored)):
        assert not _follows(sequence, order), f"the ballots' {name} order follows the voting"


def test_on_postgresql_the_rows_carry_one_transaction_and_a_random_physical_order(cast):
    if connection.vendor != "postgresql":
        pytest.skip("transaction ids and physical row positions are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(DISTINCT xmin::text) FROM polls_ballot")
        assert cursor.fetchone()[0] == 1  # written together at the sealing
        cursor.execute("SELECT choices FROM polls_ballot ORDER BY ctid")
        physical = [json.loads(c) if isinstance(c, str) else c for (c,) in cursor.fetchall()]
    assert not _follows(physical, cast["patterns"])


def test_the_audit_chain_says_who_voted_never_how(cast):
    events = list(AuditEvent.objects.filter(target_type="polls.poll").order_by("seq"))
    casts = [e for e in events if e.action == "polls.ballot.cast"]
    assert [e.actor_id for e in casts] == [p.pk for p in cast["people"]]
    chain = " ".join(e.body for e in events)
    for receipt in cast["receipts"]:
        assert receipt not in chain
    for ballot in Ballot.objects.all():
        assert str(ballot.id) not in chain and ballot.id.hex not in chain
    for e in casts:
        assert e.after in ("", "null", "{}") and e.before in ("", "null", "{}")
    # One event seals the whole set, by its hash.
    [sealed] = [e for e in events if e.action == "polls.poll.sealed"]
    assert sealed.after_data == {"ballots": N, "paper": 0, "seal": cast["poll"].seal}


def test_nothing_of_a_request_is_kept_with_a_ballot(cast):
    stored = json.dumps(list(Ballot.objects.values("id", "receipt", "choices")), default=str)
    for request_id in cast["request_ids"]:
        assert request_id not in stored
    assert "10.1.1.1" not in stored


def test_the_urn_cannot_be_read_while_open_and_is_gone_after_the_sealing(cast):
    # Every urn entry had the same length (a choice's length cannot be read off it) and no
    # receipt or choice in clear.
    assert len(cast["urn_lengths"]) == 1
    for receipt in cast["receipts"]:
        assert receipt not in cast["urn_text"]
    for word in (SATISFIED, BASIC, UNSATISFIED):
        assert word not in cast["urn_text"]
    assert not UrnEntry.objects.exists()
    assert cast["poll"].urn_key == ""  # the key that could open a copy of the urn is destroyed


def test_the_logs_never_put_a_voter_beside_a_ballot(cast):
    """Whatever the application logs while voting and sealing (every logger at DEBUG) holds no
    receipt and no ballot's choices."""
    log = cast["log"]
    for receipt in cast["receipts"]:
        assert receipt not in log
    for pattern in cast["patterns"]:
        assert json.dumps(pattern) not in log and json.dumps(pattern, ensure_ascii=False) not in log


def test_the_receipts_let_each_voter_find_their_ballot_as_cast(cast):
    published = {b.receipt: b.choices for b in Ballot.objects.all()}
    for receipt, pattern in zip(cast["receipts"], cast["patterns"], strict=True):
        assert published[receipt] == pattern
