"""A record's history in words: its audit events as a reader says them.

"12月6日 22:07 市民政局 王芳 签收" — local time, the person's name and organisation, the action's
label and the described fields of the event with their values in words (core.actions: names
instead of ids, choice labels instead of codes). The raw chained events stay on the audit
trail and behind 技术详情 for those whom `core.audit.details` allows.

Names are read in one or two queries whatever the number of events: the people (actors by
account, deputies by id) with their current seats and those seats' organisations (for an actor
whose event names no organisation), then the organisations named that no seat named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.dates import MONTHS_3
from django.utils.encoding import force_str
from django.utils.translation import get_language, gettext

from wulian.core import actions, compiled, punctuation

_EMPTY = (None, "", [], {})


@dataclass
class Entry:
    """One event in words."""

    at: dt.datetime
    when: str  # local time in the reader's language
    who: str  # the person's name, or 系统
    org: str  # the person's organisation at the time, or ""
    action: str  # the action's label
    details: list[tuple[str, str]] = field(default_factory=list)
    event: Any = None  # the raw event (技术详情)


def _when(value: dt.datetime | dt.date, *, today: dt.date | None = None) -> str:
    """A time or a date in the reader's language: 12月6日 22:07 (the year when not this year).

    Written out (ADR 0018, third round) as `dateformat.format` would with "n月j日 H:i",
    "Y年n月j日 H:i", "j M H:i", "j M Y H:i" (the same text, without a formatter object and
    its per-character dispatch: a history of 20 events formats ~40 of them)."""
    with_time = isinstance(value, dt.datetime)
    if with_time:
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    today = today or timezone.localdate()
    this_year = value.year == today.year
    if (get_language() or "").startswith("en"):
        text = f"{value.day} {MONTHS_3[value.month].title()}"
        if not this_year:
            text += f" {value.year:04d}"
    elif this_year:
        text = f"{value.month}月{value.day}日"
    else:
        text = f"{value.year:04d}年{value.month}月{value.day}日"
    if with_time:
        text += f" {value.hour:02d}:{value.minute:02d}"
    return text


def when_text(value: Any) -> str:
    """A stored time or date (an object or its ISO text) in the reader's words."""
    if isinstance(value, dt.datetime | dt.date):
        return _when(value)
    if isinstance(value, str):
        parsed: Any = None
        try:
            parsed = parse_datetime(value) or parse_date(value)
        except ValueError:
            parsed = None
        if parsed is not None:
            return _when(parsed)
    return force_str(value)


class _Names:
    """Names of the people and organisations a set of events mentions, read at once."""

    def __init__(self, events: list[Any]) -> None:
        from wulian.core.models import Organisation, Person

        user_ids: set[int] = set()
        person_ids: set[int] = set()
        org_ids: set[int] = set()
        for ev in events:
            if _actor_id(ev) is not None:
                user_ids.add(ev.actor_id)
            if _org_id(ev) is not None:
                org_ids.add(ev.organisation_id_at_time)
            after = ev.after_data if ev.after else None
            if not isinstance(after, dict):
                continue
            for key, value in after.items():
                f = actions.field_for(ev.action, key)
                if f is None:
                    continue
                if f.kind in (actions.ORG, actions.ORGS):
                    org_ids.update(_ids(value))
                elif f.kind in (actions.PERSON, actions.PERSONS):
                    person_ids.update(_ids(value))
        self.person: dict[int, str] = {}
        self.user: dict[int, tuple[int, str]] = {}
        # The actor's organisation: the event's when he holds a seat there (a deadline's event
        # names the assigning body, not the person's unit), else the first of his seats.
        self.seats: dict[int, list[int]] = {}
        self.org: dict[int, str] = {}
        if user_ids or person_ids:
            from django.db.models import FilteredRelation, Q

            # The people with their active seats and the seats' organisations in one read (a
            # person without one: a row with no seat).
            # (The statement is built once per process and number of ids: core.compiled.)
            def build(users: list[int], people: list[int]) -> Any:
                return (
                    Person.objects.filter(Q(user_id__in=users) | Q(pk__in=people))
                    .annotate(
                        seat=FilteredRelation(
                            "memberships", condition=Q(memberships__is_active=True)
                        )
                    )
                    .order_by("pk", "seat__pk")
                    .values_list(
                        "pk",
                        "user_id",
                        "name",
                        "seat__organisation_id",
                        "seat__organisation__name",
                        "seat__organisation__short_name",
                    )
                )

            rows = compiled.rows(
                "core.history.people", build, users=sorted(user_ids), people=sorted(person_ids)
            )
            seats: dict[int, list[int]] = {}
            for pk, user_id, name, org_id, org_name, org_short in rows:
                self.person[pk] = name
                if user_id is not None:
                    self.user[user_id] = (pk, name)
                if org_id is not None:
                    seats.setdefault(pk, []).append(org_id)
                    self.org[org_id] = org_short or org_name
            actors = {self.user[u][0] for u in user_ids if u in self.user}
            self.seats = {pk: orgs for pk, orgs in seats.items() if pk in actors}
        # The organisations the events name that no seat above named.
        missing = org_ids - self.org.keys()
        if missing:
            for pk, name, short in compiled.rows(
                "core.history.organisations",
                lambda ids: Organisation.objects.filter(pk__in=ids).values_list(
                    "pk", "name", "short_name"
                ),
                ids=sorted(missing),
            ):
                self.org[pk] = short or name

    def actor(self, ev: Any) -> tuple[str, str]:
        if _actor_id(ev) is None:
            return (ev.actor_label or gettext("系统")), ""
        person = self.user.get(ev.actor_id)
        name = person[1] if person else ev.actor_label
        org_id = _org_id(ev)
        seats = self.seats.get(person[0], []) if person is not None else []
        if seats and org_id not in seats:
            org_id = seats[0]
        return name, self.org.get(org_id, "") if org_id is not None else ""


def _actor_id(ev: Any) -> int | None:
    return getattr(ev, "actor_id", None)


def _org_id(ev: Any) -> int | None:
    return getattr(ev, "organisation_id_at_time", None)


def _ids(value: Any) -> list[int]:
    values = value if isinstance(value, list | tuple) else [value]
    out = []
    for v in values:
        try:
            out.append(int(v))
        except (TypeError, ValueError):
            continue
    return out


def _value(f: actions.Field, value: Any, names: _Names) -> str:
    kind = f.kind
    if kind == actions.BOOL:
        return gettext("是") if value else gettext("否")
    if kind == actions.CHOICE and f.choices is not None:
        return force_str(f.choices.get(value, value))
    if kind in (actions.WHEN, actions.DATE):
        return when_text(value)
    if kind == actions.DEADLINE_KIND:
        return force_str(actions.DEADLINE_KINDS.get(value, value))
    if kind in (actions.ORG, actions.ORGS):
        return punctuation.join(names.org.get(i, "—") for i in _ids(value))
    if kind in (actions.PERSON, actions.PERSONS):
        return punctuation.join(names.person.get(i, "—") for i in _ids(value))
    if kind == actions.COUNT:
        return force_str(len(value) if isinstance(value, list | tuple | dict) else value)
    if isinstance(value, list | tuple):
        return punctuation.join(force_str(v) for v in value)
    return force_str(value)


def entries(events: Iterable[Any]) -> list[Entry]:
    """The events in words, in the order given."""
    events = list(events or ())
    if not events:
        return []
    names = _Names(events)
    out = []
    # Each label translated once a call (the same fields and actions recur event after event).
    labels: dict[Any, str] = {}
    today = timezone.localdate()
    for ev in events:
        who, org = names.actor(ev)
        action = labels.get(ev.action)
        if action is None:
            action = labels[ev.action] = force_str(actions.label_for(ev.action))
        details = []
        after = ev.after_data if ev.after else None
        if isinstance(after, dict):
            for key in sorted(after):
                f = actions.field_for(ev.action, key)
                value = after[key]
                if f is None or value in _EMPTY:
                    continue
                text = _value(f, value, names)
                if text:
                    label = labels.get(id(f))
                    if label is None:
                        label = labels[id(f)] = force_str(f.label)
                    details.append((label, text))
        out.append(
            Entry(
                at=ev.at,
                when=_when(ev.at, today=today)
                if isinstance(ev.at, dt.datetime | dt.date)
                else when_text(ev.at),
                who=who,
                org=org,
                action=action,
                details=details,
                event=ev,
            )
        )
    return out
