"""Secret ballots (issue 15): a poll of 600 voters × 30 items.

- casting: 600 ballots through `ballot_cast` with printed slips — serially, and on PostgreSQL
  with 8 threads at once (SQLite serialises writers, so threads add nothing there); every
  ballot accounted for afterwards (no ballot lost or counted twice);
- the sealing (open the urn, shuffle, write the ballots, tally, seal) and `wulian poll verify`.
Target (issue 15): 50 ballots/s with 8 clients over HTTP (measured here in process, the
pages being still to come); the sealing and the verification under 1 s each.
"""

from __future__ import annotations

import random
import threading
import time
from datetime import timedelta

from django.db import connection
from django.utils import timezone

VOTERS = 600
ITEMS = 30
THREADS = 8


def _people():
    from wulian.accounts.models import User
    from wulian.core.access import actor_for
    from wulian.core.choices import OrgKind, Role
    from wulian.core.models import Membership, Organisation, Person

    body = Organisation.objects.create(kind=OrgKind.CONGRESS_BODY, code="B-RD", name="人大工委")
    group = Organisation.objects.create(
        kind=OrgKind.STATIONED_GROUP, code="B-PZ", name="派驻纪检监察组"
    )
    actors = []
    for name, org in (("bench_poll_clerk", body), ("bench_poll_witness", group)):
        user = User.objects.create(username=name)
        person = Person.objects.create(name=name, user=user)
        Membership.objects.create(person=person, organisation=org, role=Role.STAFF)
        actors.append(actor_for(user))
    return body, group, *actors


def run(args) -> None:
    from pathlib import Path

    from django.conf import settings

    from wulian.core import crypto
    from wulian.core.polls import results, services
    from wulian.core.polls.choices import PollKind, TallyRule
    from wulian.core.polls.models import Ballot
    from wulian.core.polls.tally import OPTION_SETS

    if not Path(settings.FIELD_KEY_FILE).exists():  # a fresh bench directory has no key yet
        crypto.write_field_key_file(settings.FIELD_KEY_FILE)
        crypto.reset_field_keyring(None)
    body, group, clerk, witness = _people()
    now = timezone.now()
    poll = services.poll_create(
        clerk,
        title="基准测评",
        kind=PollKind.SATISFACTION,
        rule=TallyRule.WEIGHTED,
        organiser_id=body.pk,
        witness_id=group.pk,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(hours=2),
        items=[f"被评议部门{i + 1}" for i in range(ITEMS)],
        groups=[("常委会组成人员", 50), ("人大代表", 30), ("社会各界代表", 20)],
    )
    groups = list(poll.groups.all())
    codes = []
    for index, g in enumerate(groups):
        codes += services.slips_issue(
            clerk, poll_id=poll.pk, group_id=g.pk, count=VOTERS // len(groups) + (index == 0)
        )[: VOTERS // len(groups)]
    services.open_request(clerk, poll_id=poll.pk)
    services.open_cosign(witness, poll_id=poll.pk)
    items = list(poll.items.values_list("pk", flat=True))
    options = OPTION_SETS["satisfaction"]
    rng = random.Random(15)
    ballots = [{item: rng.choice(options) for item in items} for _ in codes]

    serial = 100 if connection.vendor == "postgresql" else len(codes)
    started = time.perf_counter()
    for code, choices in zip(codes[:serial], ballots[:serial], strict=True):
        services.ballot_cast(None, poll_id=poll.pk, choices=choices, slip=code)
    took = time.perf_counter() - started
    print(f"cast, 1 client: {serial} ballots × {ITEMS} items in {took:.2f} s "
          f"({serial / took:,.0f} ballots/s)")  # fmt: skip

    if connection.vendor == "postgresql":
        rest = list(zip(codes[serial:], ballots[serial:], strict=True))
        shares = [rest[i::THREADS] for i in range(THREADS)]
        errors: list[Exception] = []

        def work(share):
            try:
                for code, choices in share:
                    services.ballot_cast(None, poll_id=poll.pk, choices=choices, slip=code)
            except Exception as exc:
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=work, args=(s,)) for s in shares]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.perf_counter() - started
        print(f"cast, {THREADS} threads: {len(rest)} ballots in {took:.2f} s "
              f"({len(rest) / took:,.0f} ballots/s); errors: {len(errors)}")  # fmt: skip

    services.poll_close(clerk, poll_id=poll.pk)
    started = time.perf_counter()
    poll = services.poll_seal(clerk, poll_id=poll.pk)
    seal = time.perf_counter() - started
    started = time.perf_counter()
    problems = results.verify(poll)
    verify = time.perf_counter() - started
    stored = Ballot.objects.filter(poll=poll).count()
    print(f"seal (open the urn, shuffle, write, tally, hash): {seal * 1000:.0f} ms; "
          f"verify: {verify * 1000:.0f} ms; ballots stored {stored} of {len(codes)}; "
          f"problems: {problems or 'none'}")  # fmt: skip
    ok = stored == len(codes) and not problems and seal < 1 and verify < 1
    print(f"polls: {'PASS' if ok else 'FAIL'} (seal and verify < 1 s, every ballot counted)")
