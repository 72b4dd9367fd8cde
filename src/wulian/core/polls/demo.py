"""The polls' demo data (issue 15), through the services with the demo accounts as actors:

- **2023年度政府工作评议满意度测评** — the six government work areas the 市人大常委会 evaluated
  in 2023 (民政、司法、自然资源和规划、卫生健康、统计、政务服务和大数据管理, with the stationed
  group present at every step: the article), three rater groups weighted 50 / 30 / 20, voted
  with printed slips, sealed and certified by the stationed group;
- **2025年市级民生实事项目代表票决** — open now: the demo deputy (张卫东) is on the 人大代表
  roster and may vote (我的待办: 请投票);
- **2025年度专题询问应询部门满意度测评** — asked to open: the stationed group's demo account
  (何志远) has the opening to co-sign.

Called by `PollsConfig.demo_seed()` after the core demo data."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from wulian.core.access import actor_for
from wulian.core.choices import Role
from wulian.core.models import Membership, Person
from wulian.core.polls import services, tally
from wulian.core.polls.choices import PollKind, TallyRule

SH = ZoneInfo("Asia/Shanghai")
AREAS_2023 = [
    "市民政局",
    "市司法局",
    "市自然资源和规划局",
    "市卫健委",
    "市统计局",
    "市政务服务和大数据管理局",
]
# Ballots cast per group (常委会组成人员, 人大代表, 社会各界代表), and the share of 满意 and
# 基本满意 of each area: every area rated 满意 by a majority, 市统计局 the lowest (its 统计造假
# rectification was under way).
CAST_2023 = (32, 45, 28)
SHARES = {
    "市民政局": (0.82, 0.15),
    "市司法局": (0.78, 0.18),
    "市自然资源和规划局": (0.70, 0.24),
    "市卫健委": (0.66, 0.26),
    "市统计局": (0.58, 0.30),
    "市政务服务和大数据管理局": (0.80, 0.17),
}
PROJECTS_2025 = [
    "城区老旧小区改造（30个）",
    "新建幸福食堂（20家）",
    "中小学校园食堂“明厨亮灶”全覆盖",
    "农村公路提档升级（200公里）",
    "城区智慧停车泊位（3000个）",
    "社区嵌入式托育点（15个）",
    "黄荆山步道提升",
]


def _choice(rng: random.Random, shares: tuple[float, float]) -> str:
    x = rng.random()
    if x < shares[0]:
        return tally.SATISFIED
    if x < shares[0] + shares[1]:
        return tally.BASIC
    return tally.UNSATISFIED


def seed() -> dict[str, int]:
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["congress_clerk", "stationed", "deputy"]
        )
    }
    if len(users) < 3:
        return {"polls": 0}
    clerk, witness = actor_for(users["congress_clerk"]), actor_for(users["stationed"])
    organiser = Membership.objects.filter(
        person__user=users["congress_clerk"], role=Role.STAFF
    ).values_list("organisation_id", flat=True)[0]
    group_org = Membership.objects.filter(person__user=users["stationed"]).values_list(
        "organisation_id", flat=True
    )[0]
    rng = random.Random(2023)  # noqa: S311 - the demo's made-up votes, repeatable

    # 2023: sealed and certified.
    opens = datetime(2023, 11, 28, 9, 30, tzinfo=SH)
    poll = services.poll_create(
        clerk,
        title="2023年度政府工作评议满意度测评",
        kind=PollKind.SATISFACTION,
        rule=TallyRule.WEIGHTED,
        organiser_id=organiser,
        witness_id=group_org,
        opens_at=opens,
        closes_at=opens + timedelta(hours=2),
        items=AREAS_2023,
        groups=[("常委会组成人员", 50), ("人大代表", 30), ("社会各界代表", 20)],
        quorum=60,
        threshold=80,
    )
    groups = list(poll.groups.all())
    codes = [
        services.slips_issue(clerk, poll_id=poll.pk, group_id=g.pk, count=n + 3)
        for g, n in zip(groups, CAST_2023, strict=True)
    ]
    services.open_request(clerk, poll_id=poll.pk)
    services.open_cosign(witness, poll_id=poll.pk)
    items = list(poll.items.all())
    during = opens + timedelta(minutes=20)
    for slips, n in zip(codes, CAST_2023, strict=True):
        for code in slips[:n]:
            services.ballot_cast(
                None,
                poll_id=poll.pk,
                choices={item.pk: _choice(rng, SHARES[item.label]) for item in items},
                slip=code,
                now=during,
            )
    services.poll_close(clerk, poll_id=poll.pk)
    services.poll_seal(clerk, poll_id=poll.pk)
    services.poll_certify(witness, poll_id=poll.pk)

    # 2025: open, the demo deputy on the 人大代表 roster.
    now = timezone.now()
    vote = services.poll_create(
        clerk,
        title="2025年市级民生实事项目代表票决",
        kind=PollKind.APPROVAL,
        rule=TallyRule.TOP_N,
        places=5,
        organiser_id=organiser,
        witness_id=group_org,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=30),
        items=PROJECTS_2025,
        groups=[("人大代表", 1)],
    )
    deputies = list(
        Person.objects.filter(
            memberships__role=Role.DEPUTY, memberships__is_active=True, is_active=True
        )
        .distinct()
        .values_list("pk", flat=True)[:40]
    )
    services.roster_add(clerk, poll_id=vote.pk, group_id=vote.groups.get().pk, person_ids=deputies)
    services.slips_issue(clerk, poll_id=vote.pk, group_id=vote.groups.get().pk, count=20)
    services.open_request(clerk, poll_id=vote.pk)
    services.open_cosign(witness, poll_id=vote.pk)

    # 2025: asked to open, the stationed group to co-sign.
    asking = services.poll_create(
        clerk,
        title="2025年度专题询问应询部门满意度测评",
        kind=PollKind.SATISFACTION,
        rule=TallyRule.MAJORITY_OF_VALID,
        organiser_id=organiser,
        witness_id=group_org,
        opens_at=now + timedelta(days=7),
        closes_at=now + timedelta(days=7, hours=2),
        items=["市住建局", "市城管执法委", "市交通运输局"],
        groups=[("常委会组成人员", 1)],
    )
    services.slips_issue(clerk, poll_id=asking.pk, group_id=asking.groups.get().pk, count=35)
    services.open_request(clerk, poll_id=asking.pk)
    return {"polls": 3, "ballots": sum(CAST_2023)}
