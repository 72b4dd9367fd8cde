"""Secret ballots (issue 15): a poll of 600 voters × 30 items.

- casting over HTTP: gunicorn (BENCH_WORKERS workers, default 4) serving the product as in
  production, 8 clients each posting its share of the 600 printed slips' ballots to
  `POST /api/v1/polls/{id}/vote/` (a slip code and 30 choices; no account) — ballots/s;
- every ballot accounted for after the sealing (600 ballots stored, 600 slips used, 600
  receipts distinct): none lost, none counted twice;
- the sealing (open the urn, shuffle, write the ballots, tally, seal) and `wulian poll verify`.
Targets (issue 15): ≥ 50 ballots/s with 8 clients over HTTP on PostgreSQL; the sealing and the
verification under 1 s each. On SQLite the web workers' writes wait for each other.
"""

from __future__ import annotations

import os
import random
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.db import connection
from django.utils import timezone

VOTERS = 600
ITEMS = 30
CLIENTS = 8


def cast_over_http(poll, codes: list[str], ballots: list[dict]) -> list[str]:
    """Every ballot through gunicorn by CLIENTS clients at once; the receipts answered."""
    import requests

    from bench.bench_suggestions import Server

    workers = int(os.environ.get("BENCH_WORKERS", "4"))
    server = Server(workers)
    url = f"{server.base}/api/v1/polls/{poll.pk}/vote/"
    shares = [list(zip(codes, ballots, strict=True))[i::CLIENTS] for i in range(CLIENTS)]

    def client(share):
        session = requests.Session()
        receipts, errors = [], []
        for code, choices in share:
            body = {"slip": code, "choices": {str(k): v for k, v in choices.items()}}
            r = session.post(url, json=body, timeout=60)
            if r.status_code == 201:
                receipts.append(r.json()["receipt"])
            else:
                errors.append(f"{r.status_code} {r.text[:120]}")
        return receipts, errors

    try:
        # Each worker imports and connects first (not timed): one request per worker.
        warm = requests.get(f"{server.base}/healthz", timeout=10)
        assert warm.status_code == 200
        started = time.perf_counter()
        with ThreadPoolExecutor(CLIENTS) as pool:
            done = list(pool.map(client, shares))
        took = time.perf_counter() - started
    finally:
        server.stop()
    receipts = [r for rs, _e in done for r in rs]
    errors = [e for _r, es in done for e in es]
    rate = len(receipts) / took
    print(f"cast over HTTP (gunicorn ×{workers}, {CLIENTS} clients, {connection.vendor}): "
          f"{len(receipts)} ballots × {ITEMS} items in {took:.2f} s = {rate:,.0f} ballots/s "
          f"(target ≥ 50); errors: {len(errors)} {errors[:3]}")  # fmt: skip
    return receipts


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
    from wulian.core.polls.models import Ballot, Slip
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

    receipts = cast_over_http(poll, codes, ballots)
    services.poll_close(clerk, poll_id=poll.pk)
    started = time.perf_counter()
    poll = services.poll_seal(clerk, poll_id=poll.pk)
    seal = time.perf_counter() - started
    started = time.perf_counter()
    problems = results.verify(poll)
    verify = time.perf_counter() - started
    stored = Ballot.objects.filter(poll=poll).count()
    used = Slip.objects.filter(group__poll=poll, used=True).count()
    published = set(Ballot.objects.filter(poll=poll).values_list("receipt", flat=True))
    answered = {r.replace("-", "") for r in receipts}
    print(f"seal (open the urn, shuffle, write, tally, hash): {seal * 1000:.0f} ms; "
          f"verify: {verify * 1000:.0f} ms; ballots stored {stored} of {len(codes)}, slips used "
          f"{used}, receipts answered {len(answered)} all published: {answered == published}; "
          f"problems: {problems or 'none'}")  # fmt: skip
    ok = (
        stored == used == len(codes) == len(answered)
        and answered == published
        and not problems
        and seal < 1
        and verify < 1
    )
    print(f"polls: {'PASS' if ok else 'FAIL'} (seal and verify < 1 s, no ballot lost or doubled)")
