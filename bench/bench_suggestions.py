"""Deputies' suggestions at province scale: a generated data set, then the product served by
its production server (gunicorn) on 127.0.0.1 and measured with real HTTP requests as a signed-in
congress clerk, plus the in-process figures (deadline sweep, similarity, unit proposals).

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/wulian_bench python -m bench \\
        --only suggestions --scale 1000000
    python -m bench --only suggestions --scale 100000          # SQLite

The data set (scale N; the issue's province: N = 1,000,000 from 20,000 deputies across 3,000
units — deputies and units scale with N, at least 200 and 54): one congress per region (20 at
1,000,000, a session a year each, 2017–2026: about 5,000 suggestions a session), every
suggestion with the columns, assignments, co-signers, contacts, replies, verdicts, audit events
and — for the current year's open items — the deadlines the services would have written.
Written with COPY on PostgreSQL (executemany on SQLite), in chunks.

The texts come from 42 real-looking suggestions (tests/suggestions/corpus.py) placed in the
generated districts; the lead unit is the district's department for the matter (80 %), another
district's (10 %) or another department of the district (10 %): the unit proposal learns that
from the history and is measured on its newest tenth.

Prints one table at the end (measure, result, the issue's target).
"""

from __future__ import annotations

import json
import os
import random
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
TZ = ZoneInfo("Asia/Shanghai")
CHUNK = 20_000
YEARS = list(range(2017, 2027))
PASSWORD = "Bench-Clerk-2026x"  # noqa: S105 (a throwaway bench database)

RESULTS: list[tuple[str, str, str]] = []


def report(measure: str, result: str, target: str = "") -> None:
    RESULTS.append((measure, result, target))
    print(f"  {measure}: {result}" + (f"   (target {target})" if target else ""), flush=True)


# --- writing rows fast ----------------------------------------------------------------------------


class Table:
    """Rows of one model written with COPY (PostgreSQL) or executemany (SQLite). Values are
    given per field attname; the others take the field's default."""

    def __init__(self, model: Any, now: datetime) -> None:
        self.model = model
        self.table = model._meta.db_table
        # Generated columns (the audit event's, from its body) are the database's to fill.
        self.fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
        self.names = [f.attname for f in self.fields]
        self.defaults: dict[str, Any] = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif f.has_default():
                self.defaults[f.attname] = f.get_default()
            elif f.null:
                self.defaults[f.attname] = None
            elif f.empty_strings_allowed and f.blank:
                self.defaults[f.attname] = ""
        self.json = {f.attname for f in self.fields if f.get_internal_type() == "JSONField"}
        self.rows: list[tuple] = []
        self.written = 0

    def add(self, **values: Any) -> None:
        row = []
        for name in self.names:
            if name in values:
                v = values[name]
            else:
                try:
                    v = self.defaults[name]
                except KeyError:
                    raise KeyError(f"{self.table}.{name} needs a value") from None
            if name in self.json:
                v = json.dumps(v, ensure_ascii=False)
            row.append(v)
        self.rows.append(tuple(row))

    def flush(self) -> None:
        if not self.rows:
            return
        quote = connection.ops.quote_name
        cols = ", ".join(quote(f.column) for f in self.fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = cursor.cursor
                with raw.copy(f"COPY {quote(self.table)} ({cols}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(
                    f"INSERT INTO {quote(self.table)} ({cols}) VALUES ({marks})",  # noqa: S608
                    [tuple(_sqlite(v) for v in row) for row in self.rows],
                )
        self.written += len(self.rows)
        self.rows.clear()


def _sqlite(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, timedelta):
        return int(v.total_seconds() * 1_000_000)
    return v


def next_id(model: Any) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def reset_sequences(models: Sequence[Any]) -> None:
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


# --- the generated world --------------------------------------------------------------------------

ROOTS = (
    "磁湖",
    "铁山",
    "下陆",
    "西塞",
    "港湾",
    "黄荆",
    "花湖",
    "团城",
    "胜阳",
    "颐阳",
    "青山",
    "大箕",
    "金山",
    "四棵",
    "汪仁",
    "章山",
    "陈家",
    "罗家",
    "保安",
    "刘仁",
    "还地",
    "灵乡",
    "金湖",
    "殷祖",
    "大冶",
    "阳新",
    "富池",
    "排市",
    "龙港",
    "白沙",
    "浮屠",
    "三溪",
    "枫林",
    "王英",
    "太子",
    "兴国",
    "陶港",
    "木港",
    "洋港",
    "军垦",
)
SUFFIXES = ["区", "县", "镇"]
STREETS = ["社区", "村", "小区", "片区"]
STREET_NAMES = ["幸福", "和平", "建设", "人民", "胜利", "光明", "团结", "新华", "解放", "红旗"]


def _departments() -> list[str]:
    from tests.suggestions import corpus

    seen: dict[str, None] = {}
    for *_x, unit in corpus.SUGGESTIONS:
        seen.setdefault(unit.removeprefix("市"), None)
    return list(seen)


class World:
    def __init__(self, scale: int, seed: int = 20261125) -> None:
        from tests.suggestions import corpus

        self.scale = scale
        self.rng = random.Random(seed)
        self.deps = _departments()
        self.n_units = max(54, round(3000 * scale / 1_000_000))
        self.n_districts = max(3, self.n_units // len(self.deps))
        self.n_deputies = max(200, round(20_000 * scale / 1_000_000))
        self.n_regions = max(1, round(20 * scale / 1_000_000))
        # Two characters and a suffix, each name different (磁铁区, 港陈县 …).
        chars = "".join(dict.fromkeys("".join(ROOTS)))
        names = [
            a + b + SUFFIXES[(i + j) % 3] for i, a in enumerate(chars) for j, b in enumerate(chars)
        ]
        self.rng.shuffle(names)
        self.districts = names[: self.n_districts]
        self.topics = [
            (key, title, content, unit.removeprefix("市"))
            for key, title, content, unit in corpus.SUGGESTIONS
        ]


def _sentences(text: str) -> list[str]:
    import re

    return [s for s in re.split(r"(?<=[。；])", text) if s]


def generate(scale: int) -> dict[str, Any]:
    """Write the data set; return what the measurements need (ids, names, the clerk)."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType

    from wulian.accounts.models import User
    from wulian.core import audit, dbprotect
    from wulian.core.choices import OrgKind, Role
    from wulian.core.deadlines import rules, workcalendar
    from wulian.core.deadlines.choices import PointOutcome
    from wulian.core.deadlines.models import Deadline, DeadlinePoint
    from wulian.core.models import AuditEvent, AuditHead, Membership, Organisation, Person
    from wulian.suggestions import choices as C
    from wulian.suggestions.models import (
        Assignment,
        AssignmentBatch,
        CongressSession,
        Contact,
        CoSigner,
        Reply,
        Suggestion,
        Verdict,
    )
    from wulian.suggestions.similarity import tokens

    world = World(scale)
    rng = world.rng
    now = timezone.now()
    started = time.perf_counter()

    # Organisations, the clerk and the deputies (ORM: a few thousand rows).
    # get_or_create: a benchmark that ran before (stations) may have written the same body.
    office, _new = Organisation.objects.get_or_create(
        code="B-DBGW",
        defaults={"kind": OrgKind.CONGRESS_BODY, "name": "市人大常委会代表工作委员会"},
    )
    gov, _new = Organisation.objects.get_or_create(
        code="B-ZF", defaults={"kind": OrgKind.GOVERNMENT, "name": "市人民政府"}
    )
    gov_office, _new = Organisation.objects.get_or_create(
        code="B-DCS",
        defaults={"kind": OrgKind.GOV_SUPERVISION_OFFICE, "name": "市政府督查室", "parent": gov},
    )
    unit_names = [f"{d}{dep}" for d in world.districts for dep in world.deps]
    units = Organisation.objects.bulk_create(
        Organisation(kind=OrgKind.HANDLING_UNIT, code=f"B-U{i:05d}", name=name[:200], parent=gov)
        for i, name in enumerate(unit_names)
    )
    unit_of = {(u.name): u.pk for u in units}
    clerk = User.objects.create(
        username="bench_clerk", password=make_password(PASSWORD), password_changed_at=now
    )
    clerk_person = Person.objects.create(name="基准办事员", user=clerk)
    Membership.objects.create(person=clerk_person, organisation=office, role=Role.STAFF)
    supervisor = User.objects.create(
        username="bench_gov", password=make_password(None), password_changed_at=now
    )
    Membership.objects.create(
        person=Person.objects.create(name="督查室人员", user=supervisor),
        organisation=gov_office,
        role=Role.STAFF,
    )
    deputies = Person.objects.bulk_create(
        Person(name=f"代表{i:05d}") for i in range(world.n_deputies)
    )
    deputy_ids = [p.pk for p in deputies]
    by_district = {
        d: deputy_ids[i :: len(world.districts)] or deputy_ids
        for i, d in enumerate(world.districts)
    }
    # A province: one congress per region (20 at 1,000,000), a session a year each; a
    # district belongs to one region. (Only one session can be the current one.)
    regions = world.n_regions
    region_of = {d: i % regions for i, d in enumerate(world.districts)}
    sessions = {
        (y, r): CongressSession.objects.create(
            name=f"第{r + 1:02d}市人大第{y - 2016}次会议",
            year=y,
            opens_on=date(y, 1, 10),
            closes_on=date(y, 1, 14),
            office=office,
            is_current=(y == YEARS[-1] and r == 0),
        )
        for y in YEARS
        for r in range(regions)
    }
    setup_s = time.perf_counter() - started

    # Token cache: titles per (district, topic), sentences, places.
    sentence_tokens: dict[str, list[str]] = {}
    title_cache: dict[tuple[str, int], tuple[str, list[str]]] = {}

    def sentence(s: str) -> list[str]:
        if s not in sentence_tokens:
            sentence_tokens[s] = tokens(s)
        return sentence_tokens[s]

    def titled(district: str, t: int) -> tuple[str, list[str]]:
        key = (district, t)
        if key not in title_cache:
            base = world.topics[t][1]
            title = f"关于{district}{base.removeprefix('关于')}"[:200]
            title_cache[key] = (title, tokens(title))
        return title_cache[key]

    tables = {
        m: Table(m, now)
        for m in (
            Suggestion,
            CoSigner,
            AssignmentBatch,
            Assignment,
            Contact,
            Reply,
            Verdict,
            AuditEvent,
            Deadline,
            DeadlinePoint,
        )
    }
    ids = {m: next_id(m) for m in tables}
    dropped = _drop_indexes([m._meta.db_table for m in tables])
    head = AuditHead.objects.get(id=1)
    prev_hash, seq = head.hash, head.seq
    ctype = ContentType.objects.get_for_model(Suggestion)
    workcalendar.snapshot()
    schedule_cache: dict[tuple, tuple] = {}
    counters = {"audit": 0, "open": 0, "deadlines": 0}
    per_year = scale // len(YEARS)
    numbers = dict.fromkeys(sessions, 0)
    gap = timedelta(hours=24)

    def event(at: datetime, action: str, sid: int, label: str, org: int | None, after: dict):
        nonlocal prev_hash, seq
        seq += 1
        body = audit.canonical(
            seq,
            audit.at_text(at),
            clerk.pk,
            "bench_clerk",
            org,
            action,
            "success",
            "suggestions.suggestion",
            str(sid),
            label,
            "",
            audit.canonical_json(after),
            "",
            "10.0.0.1",
        ).decode()
        digest = audit.chain_hash(prev_hash, body)
        tables[AuditEvent].add(id=ids[AuditEvent], body=body, prev_hash=prev_hash, hash=digest)
        prev_hash = digest
        ids[AuditEvent] += 1
        counters["audit"] += 1

    def deadline(sid: int, title: str, kind: str, rule: Any, start: datetime, unit: int):
        start = start.replace(second=0, microsecond=0)
        key = (rule.kind, rule.amount, start)
        if key not in schedule_cache:
            due = rules.due_at(rule, start)
            esc = rules.escalate_at(due, 0, "hours")
            points = rules.schedule(
                rule=rule,
                start=start,
                original_due=due,
                due=due,
                reminder_points=[50, 80],
                escalate=esc,
                generation=0,
            )
            schedule_cache[key] = (due, esc, points, rules.stored(points))
        due, esc, points, stored = schedule_cache[key]
        pending = [p for p in points if p["at"] > now - gap]
        did = ids[Deadline]
        ids[Deadline] += 1
        tables[Deadline].add(
            id=did,
            content_type_id=ctype.pk,
            object_id=sid,
            kind=kind,
            title=title[:200],
            url=f"/suggestions/{sid}/",
            manage_action="suggestions.suggestion.manage",
            assigner_org_id=office.pk,
            responsible_org_id=unit,
            rule_kind=rule.kind,
            rule_amount=rule.amount,
            start=start,
            due_at=due,
            original_due_at=due,
            escalate_at=esc,
            schedule=stored,
            next_point=pending[0]["point"] if pending else "",
            next_point_at=pending[0]["at"] if pending else None,
            opened_by_id=clerk.pk,
        )
        for p in points:
            if p["at"] <= now - gap:
                tables[DeadlinePoint].add(
                    id=ids[DeadlinePoint],
                    deadline_id=did,
                    point=p["point"],
                    scheduled_at=p["at"],
                    outcome=PointOutcome.SENT,
                )
                ids[DeadlinePoint] += 1
        counters["deadlines"] += 1

    batch_of: dict[tuple[int, int], int] = {}

    def batch(year: int, day: int, at: datetime) -> int:
        key = (year, day)
        if key not in batch_of:
            batch_of[key] = ids[AssignmentBatch]
            ids[AssignmentBatch] += 1
            tables[AssignmentBatch].add(
                id=batch_of[key],
                state=C.BatchState.ISSUED,
                proposed_org_id=office.pk,
                proposed_by_id=clerk.pk,
                proposed_at=at - timedelta(days=1),
                items=[],
                confirmed_org_id=gov_office.pk,
                confirmed_by_id=supervisor.pk,
                confirmed_at=at,
            )
        return batch_of[key]

    S = C.SuggestionStatus
    categories = list(C.Category.values)
    methods = list(C.ContactMethod.values)
    ratings = list(C.Satisfaction.values)
    for i in range(scale):
        if i and i % CHUNK == 0:
            _flush(tables)
        year = YEARS[min(len(YEARS) - 1, i // per_year)] if per_year else YEARS[-1]
        current = year == YEARS[-1]
        t = rng.randrange(len(world.topics))
        _key, _title, content, dep = world.topics[t]
        district = rng.choice(world.districts)
        session_key = (year, region_of[district])
        numbers[session_key] += 1
        number = numbers[session_key]
        sid = ids[Suggestion]
        ids[Suggestion] += 1
        title, title_words = titled(district, t)
        place = f"{district}{rng.choice(STREET_NAMES)}{rng.choice(STREETS)}"
        parts = _sentences(content)
        kept = rng.sample(parts, k=max(1, len(parts) - 1))
        body = place + "群众反映：" + "".join(kept)
        words = title_words + sentence(place) + [w for s in kept for w in sentence(s)]
        in_session = rng.random() < 0.7
        submitted = datetime(year, 1, 12, 9, tzinfo=TZ) + (
            timedelta(hours=rng.randrange(72))
            if in_session
            else timedelta(days=rng.randrange(20, 320))
        )
        if current and submitted > now - timedelta(days=3):
            submitted = now - timedelta(days=rng.randrange(3, 300))
        lead_deputy = rng.choice(by_district[district])
        row: dict[str, Any] = {
            "id": sid,
            "session_id": sessions[session_key].pk,
            "number": number,
            "title": title,
            "content": body,
            "category": rng.choice(categories),
            "raised_during": (C.RaisedDuring.SESSION if in_session else C.RaisedDuring.RECESS),
            "lead_deputy_id": lead_deputy,
            "office_id": office.pk,
            "submitted_by_id": clerk.pk,
            "submitted_at": submitted,
            "search_tokens": " ".join(words),
            "status": S.SUBMITTED,
            "created_at": submitted,
            "updated_at": submitted,
        }
        label = f"第{number}号 {title}"[:200]
        event(submitted, "suggestions.suggestion.submitted", sid, label, office.pk, {"n": sid})
        if rng.random() < 0.2:
            tables[CoSigner].add(
                id=ids[CoSigner],
                suggestion_id=sid,
                person_id=rng.choice(by_district[district]),
                position=1,
            )
            ids[CoSigner] += 1
        # How far it got: older years finished; the current year spread over every stage.
        r = rng.random()
        if current:
            stage = (
                "submitted" if r < 0.03 else "not_accepted" if r < 0.05 else "accepted"
                if r < 0.08 else "assigned" if r < 0.13 else "received" if r < 0.20
                else "contacted" if r < 0.35 else "answered" if r < 0.65 else "rated"
            )  # fmt: skip
        else:
            stage = "not_accepted" if r < 0.03 else "answered" if r < 0.10 else "rated"
        if stage == "submitted":
            tables[Suggestion].add(**row)
            continue
        reviewed = submitted + timedelta(days=rng.randrange(2, 10))
        row.update(reviewed_at=reviewed, reviewed_by_id=clerk.pk, updated_at=reviewed)
        if stage == "not_accepted":
            row.update(
                status=S.NOT_ACCEPTED,
                not_accepted_reason=C.NotAcceptedReason.PERSONAL_MATTER,
                not_accepted_note="属于代表本人的个人事务。",
            )
            event(reviewed, "suggestions.suggestion.not_accepted", sid, label, office.pk, {})
            tables[Suggestion].add(**row)
            continue
        row["status"] = S.ACCEPTED
        event(reviewed, "suggestions.suggestion.accepted", sid, label, office.pk, {})
        if stage == "accepted":
            tables[Suggestion].add(**row)
            continue
        # Lead unit: the district's department (80 %), another district's (10 %), another
        # department of the district (10 %).
        r = rng.random()
        if r < 0.8:
            lead_name = f"{district}{dep}"
        elif r < 0.9:
            lead_name = f"{rng.choice(world.districts)}{dep}"
        else:
            lead_name = f"{district}{rng.choice(world.deps)}"
        lead_unit = unit_of[lead_name]
        assigned = reviewed + timedelta(days=rng.randrange(1, 6), hours=rng.randrange(8))
        if current and assigned > now:
            assigned = now - timedelta(hours=rng.randrange(2, 48))
        bid = batch(year, (assigned - datetime(year, 1, 1, tzinfo=TZ)).days, assigned)
        reply_due = assigned + timedelta(days=91)
        row.update(
            status=S.ASSIGNED,
            assigned_at=assigned,
            lead_unit_id=lead_unit,
            reply_due_at=reply_due,
            updated_at=assigned,
        )
        lead_aid = ids[Assignment]
        ids[Assignment] += 1
        lead_row: dict[str, Any] = {
            "id": lead_aid,
            "suggestion_id": sid,
            "unit_id": lead_unit,
            "role": C.AssignmentRole.LEAD,
            "batch_id": bid,
            "status": C.AssignmentStatus.ASSIGNED,
            "assigned_at": assigned,
            "assigned_by_id": supervisor.pk,
            "respond_by": assigned + timedelta(days=7),
            "created_at": assigned,
            "updated_at": assigned,
        }
        co = unit_of[f"{district}{rng.choice([d for d in world.deps if d != dep])}"]
        if rng.random() < 0.3 and co != lead_unit:
            tables[Assignment].add(
                id=ids[Assignment],
                suggestion_id=sid,
                unit_id=co,
                role=C.AssignmentRole.CO,
                batch_id=bid,
                status=C.AssignmentStatus.ASSIGNED
                if stage == "assigned"
                else C.AssignmentStatus.RECEIVED,
                assigned_at=assigned,
                assigned_by_id=supervisor.pk,
                respond_by=assigned + timedelta(days=7),
                received_at=None if stage == "assigned" else assigned + timedelta(days=1),
                received_by_id=None if stage == "assigned" else clerk.pk,
                created_at=assigned,
                updated_at=assigned,
            )
            ids[Assignment] += 1
        event(assigned, "suggestions.suggestion.assigned", sid, label, office.pk, {"u": lead_unit})
        if stage == "assigned":
            tables[Assignment].add(**lead_row)
            tables[Suggestion].add(**row)
            deadline(
                sid, title, C.DEADLINE_RECEIPT, rules.Rule("working_days", 5), assigned, lead_unit
            )
            counters["open"] += 1
            continue
        received = assigned + timedelta(hours=rng.randrange(2, 96))
        if current and received > now:
            received = now - timedelta(hours=1)
        contact_due = received + timedelta(hours=48)
        lead_row.update(
            status=C.AssignmentStatus.RECEIVED, received_at=received, received_by_id=clerk.pk
        )
        tables[Assignment].add(**lead_row)
        row.update(
            status=S.HANDLING, received_at=received, contact_due_at=contact_due, updated_at=received
        )
        event(received, "suggestions.assignment.received", sid, label, lead_unit, {})
        if stage == "received":
            tables[Suggestion].add(**row)
            deadline(sid, title, C.DEADLINE_CONTACT, rules.Rule("hours", 48), received, lead_unit)
            deadline(sid, title, C.DEADLINE_REPLY, rules.Rule("months", 3), assigned, lead_unit)
            counters["open"] += 1
            continue
        contacted = received + timedelta(hours=rng.choice([2, 5, 20, 30, 44, 47, 60, 80]))
        if current and contacted > now:
            contacted = now - timedelta(minutes=30)
        tables[Contact].add(
            id=ids[Contact],
            suggestion_id=sid,
            assignment_id=lead_aid,
            method=rng.choice(methods),
            contacted_at=contacted,
            deputy_id=lead_deputy,
            agreed="与代表电话沟通，介绍了办理思路，代表同意分步实施。",
            recorded_by_id=clerk.pk,
            recorded_at=contacted,
        )
        ids[Contact] += 1
        row.update(first_contact_at=contacted, updated_at=contacted)
        event(contacted, "suggestions.contact.recorded", sid, label, lead_unit, {})
        if stage == "contacted":
            tables[Suggestion].add(**row)
            deadline(sid, title, C.DEADLINE_REPLY, rules.Rule("months", 3), assigned, lead_unit)
            counters["open"] += 1
            continue
        on_time = rng.random() < 0.92
        replied = assigned + timedelta(
            days=rng.randrange(20, 88) if on_time else rng.randrange(92, 150)
        )
        if current and replied > now:
            replied = now - timedelta(hours=rng.randrange(1, 200))
            on_time = replied <= reply_due
        category = rng.choices("ABC", weights=[55, 35, 10])[0]
        rid = ids[Reply]
        ids[Reply] += 1
        tables[Reply].add(
            id=rid,
            suggestion_id=sid,
            round=1,
            unit_id=lead_unit,
            category=category,
            signer="局长",
            text="经研究，已将该事项列入年度工作计划，分步实施。" + kept[0],
            public_text="已列入年度工作计划。",
            face_to_face=rng.random() < 0.3,
            sent_at=replied,
            sent_by_id=clerk.pk,
            on_time=on_time,
        )
        row.update(
            status=S.ANSWERED,
            replied_at=replied,
            reply_round=1,
            reply_category=category,
            first_reply_on_time=on_time,
            updated_at=replied,
        )
        event(replied, "suggestions.reply.sent", sid, label, lead_unit, {"c": category})
        if stage == "answered":
            tables[Suggestion].add(**row)
            continue
        verdict = rng.choices(ratings, weights=[80, 16, 4])[0]
        given = replied + timedelta(days=rng.randrange(3, 20))
        if current and given > now:
            given = now - timedelta(minutes=10)
        tables[Verdict].add(
            id=ids[Verdict],
            suggestion_id=sid,
            reply_id=rid,
            deputy_id=lead_deputy,
            on_attitude=verdict,
            on_result=verdict,
            overall=verdict,
            given_at=given,
            recorded_by_id=clerk.pk,
        )
        ids[Verdict] += 1
        unhappy = verdict == C.Satisfaction.UNSATISFIED
        row.update(
            verdict=verdict,
            verdict_at=given,
            status=S.REOPENED if unhappy else S.CLOSED,
            closed_at=None if unhappy else given,
            updated_at=given,
        )
        event(given, "suggestions.verdict.given", sid, label, None, {})
        tables[Suggestion].add(**row)
        if unhappy and current:
            deadline(sid, title, C.DEADLINE_REREPLY, rules.Rule("months", 1), given, lead_unit)
            counters["open"] += 1
    _flush(tables)
    _create_indexes(dropped)
    with transaction.atomic(), dbprotect.head_set_aside(connection):
        # The head moves by the whole load at once (the guard lets it move one append at a
        # time): as `wulian audit repair-head` does, inside this transaction.
        AuditHead.objects.filter(id=1).update(seq=seq, hash=prev_hash)
    reset_sequences(list(tables))
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        # What autovacuum does on its own after a load; the planner needs the statistics.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    analyzed = time.perf_counter() - started
    written = {m._meta.model_name: t.written for m, t in tables.items()}
    return {
        "world": world,
        "clerk": clerk,
        "office": office,
        "sessions": sessions,
        "written": written,
        "seconds": elapsed,
        "setup_seconds": setup_s,
        "analyzed_seconds": analyzed,
        "open": counters["open"],
        "deadlines": counters["deadlines"],
    }


def _drop_indexes(tables: Sequence[str]) -> list[str]:
    """PostgreSQL: drop the secondary indexes of the tables about to be loaded (not those
    behind a primary key or a unique constraint) and return their definitions: building an
    index once after a bulk load is much cheaper than keeping it up to date row by row."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname
              )
            """,
            [list(tables)],
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [definition for _name, definition in found]


def _create_indexes(definitions: Sequence[str]) -> None:
    if not definitions:
        return
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for definition in definitions:
            cursor.execute(definition)


def _flush(tables: dict[Any, Table]) -> None:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # As a restore does: the audit chain's append trigger checks each row against the
            # head row and moves the head — per row, in one transaction, that is quadratic
            # (20,000 suggestions' events took over 20 minutes). The events written here are
            # chained already (`event` above) and the head is set once at the end.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        for table in tables.values():  # parents before children (dict order above)
            table.flush()


# --- in-process measurements ------------------------------------------------------------------


def _pcts(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return p50 * 1000, p95 * 1000


def _rss_mb() -> float:
    """The process's resident memory now (VmRSS)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_similarity(scale: int) -> None:
    from wulian.suggestions.models import Suggestion
    from wulian.suggestions.similarity import SimilarityIndex

    rss_before = _rss_mb()
    started = time.perf_counter()
    index = SimilarityIndex()
    rows = Suggestion.objects.order_by("id").values_list("id", "search_tokens")
    sample: list[tuple[int, list[str]]] = []
    rng = random.Random(7)
    for pk, words in rows.iterator(chunk_size=5000):
        tokens = words.split()
        index.add(pk, tokens)
        if rng.random() < 200 / max(scale, 200):
            sample.append((pk, tokens))
    loaded = time.perf_counter() - started
    index.similar(sample[0][1], 5)  # norms
    built = time.perf_counter() - started
    times = []
    for pk, tokens in sample[:200]:
        t0 = time.perf_counter()
        index.similar(tokens, 10, exclude=[pk])
        times.append(time.perf_counter() - t0)
    p50, p95 = _pcts(times)
    report(
        f"similar suggestions among {len(index):,} (TF-IDF index, in memory)",
        f"query p50 {p50:.0f} ms, p95 {p95:.0f} ms; index built in {built:.0f} s "
        f"(reading {loaded:.0f} s), +{_rss_mb() - rss_before:,.0f} MB",
        "well under 1 s per query",
    )
    del index


def measure_proposals() -> None:
    from django.conf import settings

    from wulian.suggestions import analytics

    window = int(getattr(settings, "SUGGESTION_PROPOSAL_HISTORY", 20_000))
    held = max(100, window // 9)
    started = time.perf_counter()
    result = analytics.evaluate_held_out(held)
    elapsed = time.perf_counter() - started
    report(
        f"lead-unit proposal on held-out history (the newest {result.held_out:,} received lead "
        f"assignments; {result.trained_on:,} before them in memory, older ones through the "
        "search index)",
        f"top-1 {result.top1:.1%}, top-3 {result.top3:.1%}, none {result.no_proposal:.1%} "
        f"({elapsed / result.held_out * 1000:.0f} ms a proposal)",
    )


def measure_sweep() -> None:
    from wulian.core.deadlines.models import Deadline
    from wulian.core.deadlines.sweep import sweep

    open_count = Deadline.objects.filter(state="open").count()
    started = time.perf_counter()
    result = sweep()
    elapsed = time.perf_counter() - started
    sent = result["reminded"] + result["escalated"]
    report(
        f"deadline sweep over every open item ({open_count:,} open deadlines)",
        f"{elapsed:.1f} s (sent {sent:,} reminders and escalations due in the last day)",
        "≤ 5 s",
    )
    started = time.perf_counter()
    sweep()
    report(
        "deadline sweep again (steady state, each minute)",
        f"{(time.perf_counter() - started) * 1000:.0f} ms",
    )


def _ledger_filters(data: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    """One value for each filter of the ledger's FilterSet (whatever the lifecycle defines)."""
    from wulian.suggestions.models import Suggestion

    try:
        from wulian.suggestions.filters import SuggestionFilter
    except ImportError:
        return []
    busy_unit = (
        Suggestion.objects.filter(lead_unit__isnull=False)
        .order_by("-id")
        .values_list("lead_unit_id", flat=True)
        .first()
    )
    deputy = Suggestion.objects.order_by("-id").values_list("lead_deputy_id", flat=True).first()
    from wulian.suggestions.models import CongressSession

    current = CongressSession.objects.filter(is_current=True).values_list("pk", flat=True).first()
    by_name = {
        "session": str(current),
        "year": str(YEARS[-1]),
        "unit": str(busy_unit),
        "lead_unit": str(busy_unit),
        "deputy": str(deputy),
        "lead_deputy": str(deputy),
        "q": "加装电梯",
        "overdue": "yes",
        "stage": "answered_on_time",
    }
    found = []
    for name, flt in SuggestionFilter.base_filters.items():
        value = by_name.get(name)
        if value is None:
            choices = getattr(flt, "extra", {}).get("choices", []) or []
            choices = list(choices() if callable(choices) else choices)  # a configured list
            if choices:
                value = str(choices[min(len(choices) - 1, 3)][0])
            elif "Boolean" in type(flt).__name__:
                value = "true"
        if value is not None:
            found.append((name, {name: value}))
    return found


def measure_query_counts(data: dict[str, Any]) -> None:
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("suggestions:suggestion_list")
    except NoReverseMatch:
        report("queries for a ledger page of 20 and of 100 rows", "no ledger route yet")
        return
    counts = {}
    with override_settings(ALLOWED_HOSTS=["testserver", "127.0.0.1"]):
        client = Client()
        client.force_login(data["clerk"])
        client.get(url)  # once, for what a process loads on its first request
        for size in (20, 100):
            with override_settings(UI_PAGE_SIZE=size), CaptureQueriesContext(connection) as q:
                response = client.get(url)
            counts[size] = (len(q.captured_queries), response.status_code)
    report(
        "queries for a ledger page of 20 and of 100 rows",
        f"{counts[20][0]} and {counts[100][0]} (HTTP {counts[20][1]})",
        "the same",
    )


def measure_in_process(data: dict[str, Any], samples: int) -> None:
    """The key pages' server time without HTTP (Django's test Client in this process, signed in
    as the clerk): median and min of many requests — the machine may be shared, the min is the
    floor — with their SQL time and query count. `make profile URL=…` says where it goes."""
    from urllib.parse import urlencode

    from bench import profile
    from wulian.suggestions.models import Suggestion

    ledger = _url("suggestions:suggestion_list")
    if not ledger:
        report("pages in process", "no ledger route yet")
        return
    client = profile.client_for(data["clerk"].username)
    n = max(20, samples)
    total = Suggestion.objects.count()
    deep = Suggestion.objects.order_by("-id").values_list("id", flat=True)[total // 2]
    filters = dict(_ledger_filters(data))
    filtered = filters.get("lead_unit") or filters.get("unit") or next(iter(filters.values()))
    pages = [
        ("ledger first page", ledger),
        (f"ledger deep page (after {total // 2:,} rows)", f"{ledger}?after={deep}"),
        (f"ledger filtered ({urlencode(filtered)})", f"{ledger}?{urlencode(filtered)}"),
        ("ledger search (q=加装电梯)", f"{ledger}?{urlencode({'q': '加装电梯'})}"),
    ]
    for label, url in pages:
        report(f"in process: {label}", _in_process(profile, client, url, n), "≤ 5 ms")
    ids = list(Suggestion.objects.order_by("?").values_list("id", flat=True)[:10])
    results = [
        profile.timed(client, _url("suggestions:suggestion_detail", pk), max(5, n // 10))
        for pk in ids
    ]
    report(
        "in process: a suggestion's page (10 random suggestions)",
        f"median {statistics.median(r['median_ms'] for r in results):.1f} ms, min "
        f"{min(r['min_ms'] for r in results):.1f} ms (CPU "
        f"{statistics.median(r['cpu_ms'] for r in results):.1f} ms); SQL "
        f"{statistics.median(r['sql_ms'] for r in results):.2f} ms in "
        f"{statistics.median_low(r['queries'] for r in results)} queries",
        "≤ 8 ms",
    )
    from wulian.judicial.models import Case

    case = Case.objects.order_by("pk").values_list("pk", flat=True).first()
    if case:
        url = _url("judicial:case_detail", case)
        report("in process: a judicial case page", _in_process(profile, client, url, n), "≤ 8 ms")
    else:
        report("in process: a judicial case page", "no cases in this data set (make profile)")
    figures = _url("suggestions:figures")
    report(
        f"in process: the year's figures ({YEARS[-1]})",
        _in_process(profile, client, f"{figures}?year={YEARS[-1]}", max(10, n // 4)),
        "≤ 30 ms",
    )


def _in_process(profile: Any, client: Any, url: str, n: int) -> str:
    r = profile.timed(client, url, n)
    return (
        f"median {r['median_ms']:.1f} ms, min {r['min_ms']:.1f} ms (CPU {r['cpu_ms']:.1f} ms); "
        f"SQL {r['sql_ms']:.2f} ms "
        f"in {r['queries']} queries (HTTP {r['status']})"
    )


# --- the product over HTTP ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving wulian.wsgi on 127.0.0.1, as in production (no debug, no reloader)."""

    def __init__(self, workers: int) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "WULIAN_HTTPS": "false",
            "DEBUG": "false",
        }
        if connection.vendor == "postgresql":
            env["DATABASE_URL"] = os.environ["DATABASE_URL"]
            env.setdefault("DB_CONN_MAX_AGE", "60")
        self.proc = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "wulian.wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--access-logfile",
                "/dev/null",
                "--error-logfile",
                "-",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        import requests

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def worker_rss_mb(self) -> float:
        out = subprocess.run(  # noqa: S603
            ["/usr/bin/ps", "-o", "rss=", "--ppid", str(self.proc.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        return max((int(x) for x in out), default=0) / 1024

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def _sign_in(base: str) -> Any:
    import re

    import requests

    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "username": "bench_clerk",
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
        allow_redirects=False,
    )
    if response.status_code not in (302, 303):
        raise RuntimeError(f"sign-in failed: HTTP {response.status_code}")
    return session


def _warm_requests() -> int:
    """Requests before timing one URL: enough for each web worker to have served it once (a
    worker's first request loads templates, the tokenizer …; that is start-up, not the page)."""
    return 3 * int(os.environ.get("BENCH_WORKERS", "4"))


def _timed(session: Any, url: str, n: int, warm: int | None = None) -> tuple[list[float], int]:
    status = 0
    for _ in range(_warm_requests() if warm is None else warm):
        status = session.get(url, timeout=60).status_code
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = session.get(url, timeout=60)
        times.append(time.perf_counter() - t0)
        status = response.status_code
    return times, status


def _timed_many(session: Any, urls: Sequence[str]) -> tuple[list[float], int]:
    times, status = [], 0
    for url in urls:
        t0 = time.perf_counter()
        response = session.get(url, timeout=60)
        times.append(time.perf_counter() - t0)
        status = response.status_code
    return times, status


def _throughput(cookies: Any, base: str, urls: Sequence[str], clients: int, seconds: float):
    import requests

    stop = time.monotonic() + seconds
    done = [0] * clients
    errors = [0] * clients

    def client(k: int) -> None:
        s = requests.Session()
        s.cookies.update(cookies)
        i = k
        while time.monotonic() < stop:
            r = s.get(urls[i % len(urls)], timeout=60)
            if r.status_code == 200:
                done[k] += 1
            else:
                errors[k] += 1
            i += clients

    started = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    elapsed = time.monotonic() - started
    return sum(done) / elapsed, sum(errors)


def _url(name: str, *args: Any) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def measure_http(data: dict[str, Any], workers: int, samples: int) -> None:
    from urllib.parse import urlencode

    from wulian.suggestions.models import Suggestion

    server = Server(workers)
    try:
        base = server.base
        session = _sign_in(base)
        ledger = _url("suggestions:suggestion_list")
        if ledger:
            # Every worker serves a few pages first (one client's requests may all go to the
            # same idle worker and leave another cold for the timed ones).
            _throughput(session.cookies, base, [base + ledger], 2 * workers, 3)
            times, status = _timed(session, base + ledger, samples)
            p50, p95 = _pcts(times)
            report(
                "ledger first page, no filter (1 client)",
                f"p50 {p50:.0f} ms, p95 {p95:.0f} ms (HTTP {status})",
                "p95 ≤ 50 ms",
            )
            for name, params in _ledger_filters(data):
                times, status = _timed(session, f"{base}{ledger}?{urlencode(params)}", samples)
                p50, p95 = _pcts(times)
                report(
                    f"ledger first page, filter {name}={params[name]} (1 client)",
                    f"p50 {p50:.0f} ms, p95 {p95:.0f} ms (HTTP {status})",
                    "p95 ≤ 50 ms",
                )
            urls = [base + ledger] + [
                f"{base}{ledger}?{urlencode(p)}" for _n, p in _ledger_filters(data)
            ]
            rate, errors = _throughput(session.cookies, base, urls, 8, 15)
            report(
                "ledger first pages under each filter, 8 clients",
                f"{rate:.0f} pages/s ({errors} errors)",
                "≥ 50 pages/s",
            )
            total = Suggestion.objects.count()
            deep = (
                Suggestion.objects.order_by("-id").values_list("id", flat=True)[total // 2]
                if total > 2
                else None
            )
            if deep:
                times, status = _timed(session, f"{base}{ledger}?after={deep}", samples)
                p50, p95 = _pcts(times)
                report(
                    f"ledger page deep in the list (after {total // 2:,} rows)",
                    f"p50 {p50:.0f} ms, p95 {p95:.0f} ms (HTTP {status})",
                    "as fast as the first",
                )
            queries = ["加装电梯", "背街小巷 路灯", "老年食堂", "农村公路", "积水", "幼儿园 学位"]
            urls = [f"{base}{ledger}?{urlencode({'q': q})}" for q in queries] * (
                samples // len(queries) + 1
            )
            _timed_many(session, urls[: max(len(queries), _warm_requests())])
            times, status = _timed_many(session, urls[:samples])
            p50, p95 = _pcts(times)
            report(
                "full-text search (ledger ?q=, six queries)",
                f"p50 {p50:.0f} ms, p95 {p95:.0f} ms (HTTP {status})",
                "p95 ≤ 100 ms",
            )
        else:
            report("ledger", "no ledger route yet")
        ids = list(Suggestion.objects.order_by("?").values_list("id", flat=True)[:samples])
        if _url("suggestions:suggestion_detail", 1) and ids:
            urls = [base + _url("suggestions:suggestion_detail", pk) for pk in ids]
            _timed_many(session, urls[: _warm_requests()])
            times, status = _timed_many(session, urls)
            p50, p95 = _pcts(times)
            report(
                "a suggestion's page (random suggestions)",
                f"p50 {p50:.0f} ms, p95 {p95:.0f} ms (HTTP {status})",
                "p95 ≤ 50 ms",
            )
        figures = _url("suggestions:figures")
        for year in (YEARS[-1], YEARS[-4]):
            times, status = _timed(session, f"{base}{figures}?year={year}", samples // 2)
            p50, p95 = _pcts(times)
            report(
                f"the year's figures page ({year}, {Suggestion.objects.filter(session__year=year).count():,} suggestions)",  # noqa: E501
                f"p50 {p50:.0f} ms, p95 {p95:.0f} ms (HTTP {status})",
                "p95 ≤ 300 ms",
            )
        api_figures = _url("suggestions_api:figures")
        times, status = _timed(session, f"{base}{api_figures}?year={YEARS[-1]}", samples // 2)
        p50, p95 = _pcts(times)
        report(
            "the year's figures through the API",
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms (HTTP {status})",
            "p95 ≤ 300 ms",
        )
        api_list = _url("suggestions_api:suggestion-list")
        if api_list:
            times, status = _timed(session, base + api_list, samples)
            p50, p95 = _pcts(times)
            report(
                "API list, first page",
                f"p50 {p50:.0f} ms, p95 {p95:.0f} ms (HTTP {status})",
                "as fast as the HTML ledger",
            )
        else:
            report("API list", "no API list route yet")
        report(
            "one web worker's memory after the runs (RSS)",
            f"{server.worker_rss_mb():.0f} MB",
            "< 250 MB",
        )
    finally:
        server.stop()


def measure_pages_http(data: dict[str, Any], workers: int, samples: int, seconds: float) -> None:
    """The issue-21 pages over HTTP (gunicorn, `workers` workers, on this data set): one
    client's p50/p95 for the ledger's first, deep, filtered and searched pages and a
    suggestion's page, then 1, 2, 4 and 8 clients on the ledger's first page (pages/s), and a
    worker's memory. On a shared machine the figures move with the other processes' load:
    read the in-process CPU times beside them (`python -m bench.profile --db bench --pages`)."""
    from urllib.parse import urlencode

    from wulian.suggestions.models import Suggestion

    ledger = _url("suggestions:suggestion_list")
    total = Suggestion.objects.count()
    deep = Suggestion.objects.order_by("-id").values_list("id", flat=True)[total // 2]
    filtered = dict(_ledger_filters(data))
    filtered = filtered.get("lead_unit") or next(iter(filtered.values()))
    ids = list(Suggestion.objects.order_by("?").values_list("id", flat=True)[:samples])
    server = Server(workers)
    try:
        base = server.base
        session = _sign_in(base)
        _throughput(session.cookies, base, [base + ledger], 2 * workers, 3)  # warm every worker
        pages = [
            ("ledger first page", [base + ledger]),
            (f"ledger deep page (after {total // 2:,} rows)", [f"{base}{ledger}?after={deep}"]),
            (f"ledger filtered ({urlencode(filtered)})", [f"{base}{ledger}?{urlencode(filtered)}"]),
            ("ledger search (q=加装电梯)", [f"{base}{ledger}?{urlencode({'q': '加装电梯'})}"]),
            (
                "a suggestion's page (random suggestions)",
                [base + _url("suggestions:suggestion_detail", pk) for pk in ids],
            ),
        ]
        for label, urls in pages:
            many = (urls * (samples // len(urls) + 1))[:samples]
            _timed_many(session, many[: _warm_requests()])
            times, status = _timed_many(session, many)
            p50, p95 = _pcts(times)
            report(
                f"HTTP ×{workers} workers, 1 client: {label}",
                f"p50 {p50:.1f} ms, p95 {p95:.1f} ms (HTTP {status})",
                "p50 ≤ 8 ms" if label.startswith("ledger") else "",
            )
        for clients in (1, 2, 4, 8):
            rate, errors = _throughput(session.cookies, base, [base + ledger], clients, seconds)
            report(
                f"HTTP ×{workers} workers, {clients} clients on the ledger's first page",
                f"{rate:.0f} pages/s ({errors} errors; {os.cpu_count()} cores, shared)",
                "≥ 200 pages/s with 8 clients on 2 cores" if clients == 8 else "",
            )
        report("one web worker's memory after the runs (RSS)", f"{server.worker_rss_mb():.0f} MB")
    finally:
        server.stop()


def run(args: Any) -> None:
    scale = getattr(args, "scale", None) or (
        1_000_000 if connection.vendor == "postgresql" else 100_000
    )
    samples = int(os.environ.get("BENCH_SAMPLES", "60"))
    workers = int(os.environ.get("BENCH_WORKERS", "4"))
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)  # as a deployment does
    print(f"generating {scale:,} suggestions …", flush=True)
    data = generate(scale)
    world = data["world"]
    written = data["written"]
    report(
        f"generate {scale:,} suggestions ({world.n_deputies:,} deputies, {world.n_units:,} "
        f"units) with {written['assignment']:,} assignments, {written['cosigner']:,} "
        f"co-signers, {written['contact']:,} contacts, {written['reply']:,} replies, "
        f"{written['verdict']:,} verdicts, {written['auditevent']:,} audit events, "
        f"{written['deadline']:,} open deadlines",
        f"{data['seconds']:.0f} s ({scale / data['seconds']:,.0f} suggestions/s; "
        f"{'VACUUM ANALYZE' if connection.vendor == 'postgresql' else 'ANALYZE'} "
        f"{data['analyzed_seconds'] - data['seconds']:.0f} s more)",
    )
    measure(data, scale, workers, samples)


def measure(data: dict[str, Any], scale: int, workers: int, samples: int) -> None:
    measure_query_counts(data)
    measure_in_process(data, samples)
    measure_http(data, workers, samples)
    measure_sweep()
    measure_proposals()
    measure_similarity(scale)
    print()
    print(f"### Suggestions at {scale:,} on {connection.vendor} ({os.cpu_count()} cores)")
    print()
    print("| measure | result | target |")
    print("|---|---|---|")
    for measure_name, result, target in RESULTS:
        print(f"| {measure_name} | {result} | {target} |")


def main() -> None:
    """`DATABASE_URL=… python -m bench.bench_suggestions --reuse`: measure again a data set
    generated before (e.g. at 1,000,000, when the machine is quiet), without generating it."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.bench_suggestions")
    parser.add_argument("--reuse", action="store_true", required=True)
    parser.parse_args()
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnop")
    os.environ.setdefault("WULIAN_VAR_DIR", str(ROOT / "var" / "bench_reuse"))
    os.environ.setdefault("WULIAN_HTTPS", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wulian.settings")
    Path(os.environ["WULIAN_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    from wulian.accounts.models import User
    from wulian.suggestions.models import Suggestion

    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    scale = Suggestion.objects.count()
    data = {"clerk": User.objects.get(username="bench_clerk")}
    report(f"reusing {scale:,} generated suggestions", "(not generated in this run)")
    measure(
        data,
        scale,
        int(os.environ.get("BENCH_WORKERS", "4")),
        int(os.environ.get("BENCH_SAMPLES", "60")),
    )


if __name__ == "__main__":
    main()
