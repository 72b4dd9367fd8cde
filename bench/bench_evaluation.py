"""联评 (issue 18): 10 years × 60 departments with activities, votes and rectifications; the
evaluation page and the year's figures, in process (Django's test Client, signed in as the
working body's clerk): p50 and p95 of BENCH_EVALUATION_SAMPLES requests (default 60).
Target: p95 ≤ 100 ms each. `BENCH_EVALUATION_YEARS` / `BENCH_EVALUATION_DEPARTMENTS` scale
it down for a quick run (defaults 10 and 60).

The evaluations, their team, dossier, linked activities (three each, held with the stationed
group), findings and rectifications are written in bulk (not through the services: 600
evaluations × their steps would take the whole run); the pages read them as the services
would have left them."""

from __future__ import annotations

import os
import statistics
import time
from datetime import timedelta

from django.utils import timezone


def _env(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _world():
    from wulian.accounts.models import User
    from wulian.core.choices import OrgKind, Role
    from wulian.core.models import Membership, Organisation, Person

    body = Organisation.objects.create(
        kind=OrgKind.CONGRESS_BODY, code="E-RD", name="监察和司法工委"
    )
    cdi = Organisation.objects.create(kind=OrgKind.CDI, code="E-JW", name="市纪委监委")
    group = Organisation.objects.create(
        kind=OrgKind.STATIONED_GROUP, code="E-PZ", name="派驻纪检监察组", parent=cdi
    )
    user = User.objects.create(username="bench_eval_clerk")
    person = Person.objects.create(name="评议工作人员", user=user)
    Membership.objects.create(person=person, organisation=body, role=Role.STAFF)
    return body, cdi, group, user


def _generate(years: int, departments: int):
    from django.contrib.contenttypes.models import ContentType

    from wulian.core.activities.models import (
        Activity,
        ActivityParticipant,
        ActivityRecordLink,
        Decision,
        Meeting,
    )
    from wulian.core.choices import OrgKind
    from wulian.core.models import Organisation
    from wulian.core.rectification.models import Finding, Rectification
    from wulian.evaluation.choices import DEFAULT_DIMENSIONS, Stage
    from wulian.evaluation.models import DossierItem, Evaluation, TeamMember

    body, cdi, group, user = _world()
    now = timezone.now()
    meeting_act = Activity.objects.create(
        kind="directors_meeting",
        title="主任会议",
        starts_at=now,
        organiser=body,
        state="held",
        created_by=user,
    )
    meeting = Meeting.objects.create(activity=meeting_act)
    decision = Decision.objects.create(
        meeting=meeting, position=1, text="确定评议对象", created_by=user
    )
    depts = Organisation.objects.bulk_create(
        [
            Organisation(kind=OrgKind.HANDLING_UNIT, code=f"E-D{i:03d}", name=f"市第{i + 1}局")
            for i in range(departments)
        ]
    )
    first = now.year - years + 1
    evaluations = Evaluation.objects.bulk_create(
        [
            Evaluation(
                year=year,
                department=d,
                title=f"{year}年度{d.name}工作评议",
                decision=decision,
                working_body=body,
                stationed_group=group,
                cdi=cdi,
                stage=Stage.CLOSED if year < now.year else Stage.RECTIFYING,
                grade="satisfied",
                score=f"{80 + (i * 7 + year) % 20}.0",
                dimension_scores={
                    dim: 70 + (i + j + year) % 30 for j, dim in enumerate(DEFAULT_DIMENSIONS)
                },
                conduct_grade="良好",
                created_by=user,
            )
            for year in range(first, now.year + 1)
            for i, d in enumerate(depts)
        ],
        batch_size=500,
    )
    TeamMember.objects.bulk_create(
        [
            TeamMember(evaluation=e, role=r, organisation=o)
            for e in evaluations
            for r, o in (("working_body", body), ("stationed", group))
        ],
        batch_size=1000,
    )
    DossierItem.objects.bulk_create(
        [
            DossierItem(
                evaluation=e,
                kind="inspection",
                title="巡察发现问题",
                body="问题描述",
                uploaded_by=user,
                uploaded_at=now,
            )
            for e in evaluations
        ],
        batch_size=1000,
    )
    ct = ContentType.objects.get_for_model(Evaluation)
    acts = Activity.objects.bulk_create(
        [
            Activity(
                kind=k,
                title=f"{e.title}{k}",
                starts_at=now - timedelta(days=30),
                organiser=body,
                state="held",
                created_by=user,
            )
            for e in evaluations
            for k in ("research_visit", "symposium", "report_hearing")
        ],
        batch_size=1000,
    )
    ActivityParticipant.objects.bulk_create(
        [
            ActivityParticipant(activity=a, organisation=o, role=r, attended=True)
            for a in acts
            for o, r in ((body, "organiser"), (group, "invited_witness"))
        ],
        batch_size=2000,
    )
    ActivityRecordLink.objects.bulk_create(
        [
            ActivityRecordLink(
                activity=a,
                content_type=ct,
                object_id=evaluations[i // 3].pk,
                linked_by=user,
                linked_at=now,
            )
            for i, a in enumerate(acts)
        ],
        batch_size=2000,
    )
    findings = Finding.objects.bulk_create(
        [
            Finding(
                content_type=ct,
                object_id=e.pk,
                title="评议发现问题",
                description="描述",
                severity="general",
                found_at=now.date(),
                about_organisation=e.department,
                found_by_org=body,
                raised_by=user,
            )
            for e in evaluations
        ],
        batch_size=1000,
    )
    Rectification.objects.bulk_create(
        [
            Rectification(
                finding=f,
                responsible_org=f.about_organisation,
                raising_org=body,
                year=e.year,
                state="closed" if e.year < now.year else "in_progress",
                closed_at=now if e.year < now.year else None,
            )
            for f, e in zip(findings, evaluations, strict=True)
        ],
        batch_size=1000,
    )
    return user, evaluations


def _pcts(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _measure(client, urls: list[str], n: int) -> tuple[float, float, int]:
    from django.test import override_settings

    walls = []
    status = 0
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for url in urls[:3]:
            client.get(url)
        for i in range(n):
            t = time.perf_counter()
            status = client.get(urls[i % len(urls)]).status_code
            walls.append(time.perf_counter() - t)
    p50, p95 = _pcts(walls)
    return p50, p95, status


def run(args) -> None:
    from django.core.management import call_command

    from bench import profile

    call_command("collectstatic", "--noinput", verbosity=0)  # the manifest the pages name
    years = _env("BENCH_EVALUATION_YEARS", 10)
    departments = _env("BENCH_EVALUATION_DEPARTMENTS", 60)
    n = _env("BENCH_EVALUATION_SAMPLES", 60)
    started = time.perf_counter()
    user, evaluations = _generate(years, departments)
    print(f"generated {len(evaluations)} evaluations ({years} years × {departments} departments) "
          f"with 3 activities, a dossier item and a rectification each in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    client = profile.client_for(user.username)
    picks = evaluations[:: max(1, len(evaluations) // 20)]
    for label, urls in (
        ("evaluation page", [e.get_absolute_url() for e in picks]),
        ("the year's figures", [f"/evaluation/figures/?year={e.year}" for e in picks]),
        ("evaluation list", ["/evaluation/"]),
    ):
        p50, p95, status = _measure(client, urls, n)
        verdict = "ok" if p95 <= 100 else "ABOVE TARGET"
        print(f"in process: {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {n} requests "
              f"(HTTP {status}; target p95 ≤ 100 ms: {verdict})")  # fmt: skip
