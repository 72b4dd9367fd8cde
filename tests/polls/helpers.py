from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.factories import account
from wulian.core.access import actor_for
from wulian.core.choices import Role
from wulian.core.polls import services
from wulian.core.polls.choices import PollKind, TallyRule
from wulian.core.polls.models import Poll

TZ = ZoneInfo("Asia/Shanghai")
OPENS = datetime(2026, 3, 10, 9, 0, tzinfo=TZ)
CLOSES = datetime(2026, 3, 10, 11, 0, tzinfo=TZ)
DURING = datetime(2026, 3, 10, 9, 30, tzinfo=TZ)


def make_poll(personas, *, kind=PollKind.SATISFACTION, rule=TallyRule.MAJORITY_OF_VALID, **kw):
    clerk = actor_for(personas.congress_clerk)
    defaults = dict(
        title="2023年度部门工作满意度测评",
        kind=kind,
        rule=rule,
        organiser_id=personas.orgs["congress_body"].pk,
        witness_id=personas.orgs["stationed_group"].pk,
        opens_at=OPENS,
        closes_at=CLOSES,
        items=["市民政局", "市司法局", "市统计局"],
        groups=[("常委会组成人员", 50), ("人大代表", 30), ("社会各界代表", 20)],
    )
    defaults.update(kw)
    return services.poll_create(clerk, **defaults)


def voters(personas, n: int, *, prefix: str = "voter"):
    return [
        account(personas.orgs["station"], Role.DEPUTY, username=f"{prefix}{i}", name=f"代表{i}")
        for i in range(n)
    ]


def open_poll(personas, poll: Poll, *, voters_by_group=None, slips_by_group=None):
    clerk = actor_for(personas.congress_clerk)
    groups = list(poll.groups.all())
    codes: dict[int, list[str]] = {}
    for index, users in (voters_by_group or {}).items():
        services.roster_add(
            clerk,
            poll_id=poll.pk,
            group_id=groups[index].pk,
            person_ids=[u.person.pk for u in users],
        )
    for index, count in (slips_by_group or {}).items():
        codes[index] = services.slips_issue(
            clerk, poll_id=poll.pk, group_id=groups[index].pk, count=count
        )
    services.open_request(clerk, poll_id=poll.pk)
    services.open_cosign(actor_for(personas.stationed), poll_id=poll.pk)
    return codes


def ids(poll: Poll) -> list[int]:
    return list(poll.items.values_list("pk", flat=True))


def open_with_deputy(personas, **kw) -> Poll:
    """An open poll (its window around the real now) with the deputy persona on the 人大代表
    roster and five slips for the other groups."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    poll = make_poll(
        personas, opens_at=now - timedelta(hours=1), closes_at=now + timedelta(hours=1), **kw
    )
    clerk = actor_for(personas.congress_clerk)
    group = poll.groups.get(name="人大代表")
    services.roster_add(
        clerk, poll_id=poll.pk, group_id=group.pk, person_ids=[personas.deputy.person.pk]
    )
    poll.slip_codes = services.slips_issue(
        clerk, poll_id=poll.pk, group_id=poll.groups.get(name="常委会组成人员").pk, count=6
    )
    services.open_request(clerk, poll_id=poll.pk)
    services.open_cosign(actor_for(personas.stationed), poll_id=poll.pk)
    poll.refresh_from_db()
    return poll


def certified_with_deputy(personas) -> Poll:
    """open_with_deputy, the deputy and five slips voted, closed, sealed and certified."""
    poll = open_with_deputy(personas)
    clerk = actor_for(personas.congress_clerk)
    choices = {pk: "satisfied" for pk in ids(poll)}
    services.ballot_cast(actor_for(personas.deputy), poll_id=poll.pk, choices=choices)
    for code in poll.slip_codes[:5]:
        services.ballot_cast(None, poll_id=poll.pk, choices=choices, slip=code)
    services.poll_close(clerk, poll_id=poll.pk)
    services.poll_seal(clerk, poll_id=poll.pk)
    return services.poll_certify(actor_for(personas.stationed), poll_id=poll.pk)


def draft_kwargs(p) -> dict:
    return {"pk": make_poll(p).pk}


def open_kwargs(p) -> dict:
    return {"pk": open_with_deputy(p).pk}


def certified_kwargs(p) -> dict:
    return {"pk": certified_with_deputy(p).pk}
