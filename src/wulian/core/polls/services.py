"""Writes of secret ballots (ADR 0022).

Each service checks access, validates, locks what it changes, writes one audit event and
leaves nothing half-done (one transaction). Casting a ballot writes the voter's "has voted"
mark (or the slip's "used") and an urn entry encrypted with the poll's urn key; the sealing
opens the urn, shuffles, writes the ballots in one transaction and destroys the key.
"""

from __future__ import annotations

import json
import math
import secrets
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, crypto
from wulian.core.access import Actor
from wulian.core.errors import (
    AccessDenied,
    ConcurrentEdit,
    DomainError,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import Organisation, Person
from wulian.core.polls import tally
from wulian.core.polls.choices import RULES_OF_KIND, PollKind, PollState, TallyRule
from wulian.core.polls.models import (
    Ballot,
    CodeFailure,
    PaperTally,
    Poll,
    PollItem,
    RaterGroup,
    RosterEntry,
    Slip,
    UrnEntry,
)
from wulian.core.servicekit import fail as _fail

MAX_ITEMS = 200
MAX_GROUPS = 10
MAX_SLIPS = 2000
# Receipt and slip codes: Crockford's base32 (no I, L, O, U), read aloud and typed easily.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH = 12
SLIP_LENGTH = 10
# One character per item in the urn, so that every urn entry of a poll has the same length.
OPTION_CODES = {
    tally.SATISFIED: "s",
    tally.BASIC: "b",
    tally.UNSATISFIED: "u",
    tally.FOR: "f",
    tally.AGAINST: "a",
    tally.ABSTAIN: "x",
    "": "-",
}
CODE_OPTIONS = {v: k for k, v in OPTION_CODES.items()}


def _code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(text: str) -> str:
    """What a person typed: spaces and dashes dropped, O as 0, I and L as 1, upper case."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch not in " -\u3000")
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def slip_digest(poll_id: int, code: str) -> str:
    return crypto.sm3_hex(f"wulian.polls.slip:{poll_id}:{normalise_code(code)}".encode())


def _urn_aad(poll: Poll) -> bytes:
    return f"polls.urn:{poll.pk}".encode()


def _key_aad(poll: Poll) -> bytes:
    return f"polls.urn_key:{poll.pk}".encode()


def _lock(poll_id: int, *, shared: bool = False) -> Poll:
    """The poll row: FOR UPDATE for a change of state, FOR SHARE for a cast (casts do not wait
    for each other, but a sealing waits for every cast in progress, and a cast after it sees
    the new state). SQLite serialises writers anyway."""
    if shared and connection.vendor == "postgresql":
        # One query: the row, read and locked FOR SHARE (Django has no select_for_share).
        table = Poll._meta.db_table
        poll = next(
            iter(Poll.objects.raw(f"SELECT * FROM {table} WHERE id = %s FOR SHARE", [poll_id])),  # noqa: S608
            None,
        )
    else:
        poll = Poll.objects.select_for_update().filter(pk=poll_id).first()
    if poll is None:
        raise _fail(_("找不到该测评（票决）。"))
    return poll


def _check_version(poll: Poll, version: int | None) -> None:
    if version is not None and int(version) != poll.version:
        raise ConcurrentEdit(_("该测评（票决）已被他人修改，请刷新页面后重试。"))


def _state(poll: Poll, *allowed: str, doing: str) -> None:
    if poll.state not in allowed:
        raise TransitionNotAllowed(
            _("该测评（票决）当前为“%(state)s”，不能%(doing)s。")
            % {"state": poll.get_state_display(), "doing": doing}
        )


def _bump(poll: Poll, *fields: str) -> None:
    poll.version += 1
    poll.save(update_fields=[*fields, "version", "updated_at"])


# --- Drafting ------------------------------------------------------------------------------


def poll_create(
    actor: Actor,
    *,
    title: str,
    kind: str,
    rule: str,
    organiser_id: int,
    witness_id: int,
    opens_at: datetime,
    closes_at: datetime,
    items: Sequence[str],
    groups: Sequence[tuple[str, int]],
    quorum: int = 0,
    places: int | None = None,
    points: Mapping[str, int] | None = None,
    threshold: int | None = None,
    subject: tuple[str, str] | None = None,
) -> Poll:
    """A poll in draft, with its items and rater groups (name, weight)."""
    organiser = Organisation.objects.filter(pk=organiser_id).first()
    witness = Organisation.objects.filter(pk=witness_id).first()
    if organiser is None or witness is None:
        raise _fail(
            _("请选择组织单位和见证单位。"), "organiser" if organiser is None else "witness"
        )
    draft = Poll(organiser=organiser, witness=witness)
    access.require(actor, "polls.poll.manage", draft)
    title = (title or "").strip()
    if not title:
        raise _fail(_("请填写测评（票决）名称。"), "title")
    if kind not in PollKind.values:
        raise _fail(_("请选择类型：满意度测评或票决。"), "kind")
    if rule not in RULES_OF_KIND[PollKind(kind)]:
        raise _fail(_("所选计票规则不适用于该类型。"), "rule")
    if witness_id == organiser_id:
        raise _fail(_("见证单位不能是组织单位本身。"), "witness")
    if closes_at <= opens_at:
        raise _fail(_("截止时间应晚于开始时间。"), "closes_at")
    labels = [label.strip() for label in items if label and label.strip()]
    if not labels:
        raise _fail(_("请至少列出一个测评（票决）对象。"), "items")
    if len(labels) > MAX_ITEMS:
        raise _fail(_("测评（票决）对象最多 %(n)d 个。") % {"n": MAX_ITEMS}, "items")
    if len(set(labels)) != len(labels):
        raise _fail(_("测评（票决）对象有重复，请合并。"), "items")
    cleaned_groups = [(name.strip(), int(weight)) for name, weight in groups if name.strip()]
    if not cleaned_groups or len(cleaned_groups) > MAX_GROUPS:
        raise _fail(_("请设置 1 至 %(n)d 个评议主体。") % {"n": MAX_GROUPS}, "groups")
    if len({name for name, _w in cleaned_groups}) != len(cleaned_groups):
        raise _fail(_("评议主体名称有重复。"), "groups")
    if any(weight < 1 for _n, weight in cleaned_groups):
        raise _fail(_("评议主体的权重应为正整数。"), "groups")
    if rule == TallyRule.TOP_N and not (places and 0 < places <= len(labels)):
        raise _fail(_("请填写应选名额（不多于候选项目数）。"), "places")
    points = dict(points or (tally.DEFAULT_POINTS if kind == PollKind.SATISFACTION else {}))
    if kind == PollKind.SATISFACTION and (
        set(points) != set(tally.OPTION_SETS["satisfaction"])
        or any(not 0 <= int(v) <= 100 for v in points.values())
    ):
        raise _fail(_("各选项分值应在 0 至 100 之间。"), "points")
    with transaction.atomic():
        poll = Poll.objects.create(
            title=title[:200],
            kind=kind,
            rule=rule,
            places=places if rule == TallyRule.TOP_N else None,
            points=points,
            threshold=threshold,
            quorum=max(int(quorum or 0), 0),
            organiser=organiser,
            witness=witness,
            opens_at=opens_at,
            closes_at=closes_at,
            subject_type=subject[0] if subject else "",
            subject_id=str(subject[1]) if subject else "",
            created_by=getattr(actor, "user", None),
        )
        PollItem.objects.bulk_create(
            [PollItem(poll=poll, position=i, label=label[:200]) for i, label in enumerate(labels)]
        )
        RaterGroup.objects.bulk_create(
            [
                RaterGroup(poll=poll, position=i, name=name[:60], weight=weight)
                for i, (name, weight) in enumerate(cleaned_groups)
            ]
        )
        audit.event(
            actor,
            "polls.poll.created",
            poll,
            organiser.pk,
            after={"items": len(labels), "groups": [n for n, _w in cleaned_groups]},
        )
    return poll


def _group(poll: Poll, group_id: int) -> RaterGroup:
    group = RaterGroup.objects.filter(poll=poll, pk=group_id).first()
    if group is None:
        raise _fail(_("该评议主体不属于本次测评（票决）。"), "group")
    return group


def roster_add(actor: Actor, *, poll_id: int, group_id: int, person_ids: Sequence[int]) -> int:
    """Put people on a group's roster (each person in one group of a poll). Returns how many
    were added."""
    with transaction.atomic():
        poll = _lock(poll_id)
        access.require(actor, "polls.poll.manage", poll)
        _state(poll, PollState.DRAFT, PollState.OPENING, doing=_("调整投票人员"))
        group = _group(poll, group_id)
        wanted = set(int(pk) for pk in person_ids)
        found = set(
            Person.objects.filter(pk__in=wanted, is_active=True).values_list("pk", flat=True)
        )
        if wanted - found:
            raise _fail(_("有人员不存在或已停用，请重新选择。"), "persons")
        elsewhere = set(
            RosterEntry.objects.filter(group__poll=poll, person_id__in=wanted)
            .exclude(group=group)
            .values_list("person_id", flat=True)
        )
        if elsewhere:
            names = "、".join(
                Person.objects.filter(pk__in=elsewhere).values_list("name", flat=True)
            )
            raise _fail(
                _("%(names)s 已在其他评议主体中，每人只能在一个评议主体中投票。")
                % {"names": names},
                "persons",
            )
        have = set(RosterEntry.objects.filter(group=group).values_list("person_id", flat=True))
        new = sorted(wanted - have)
        RosterEntry.objects.bulk_create([RosterEntry(group=group, person_id=pk) for pk in new])
        _bump(poll)
        audit.event(
            actor,
            "polls.roster.added",
            poll,
            poll.organiser_id,
            after={"group": group.name, "persons": new},
        )
    return len(new)


def slips_issue(actor: Actor, *, poll_id: int, group_id: int, count: int) -> list[str]:
    """Codes for printed slips of a group (shown once, for printing; only digests are kept)."""
    if not 1 <= int(count) <= MAX_SLIPS:
        raise _fail(_("一次可印制 1 至 %(n)d 张投票码。") % {"n": MAX_SLIPS}, "count")
    with transaction.atomic():
        poll = _lock(poll_id)
        access.require(actor, "polls.poll.manage", poll)
        _state(poll, PollState.DRAFT, PollState.OPENING, doing=_("印制投票码"))
        group = _group(poll, group_id)
        codes = [_code(SLIP_LENGTH) for _ in range(int(count))]
        Slip.objects.bulk_create(
            [Slip(group=group, digest=slip_digest(poll.pk, code)) for code in codes]
        )
        _bump(poll)
        audit.event(
            actor,
            "polls.slips.issued",
            poll,
            poll.organiser_id,
            after={"group": group.name, "count": len(codes)},
        )
    return [format_code(code) for code in codes]


# --- Guessing slip codes ----------------------------------------------------------------------


class CodeThrottled(DomainError):
    """Too many wrong slip codes from one address: answered 429 with Retry-After."""

    status = 429
    code = "code_throttled"

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class WrongCode(ValidationFailed):
    """A slip code that is no slip of the poll (counted against the address)."""


def code_throttle_wait(ip: str) -> int:
    """Seconds until this address may enter a slip code again (0: now): POLL_CODE_FAILURES
    wrong codes within POLL_CODE_WINDOW_SECONDS close it until the oldest leaves the window."""
    limit, window = settings.POLL_CODE_FAILURES, settings.POLL_CODE_WINDOW_SECONDS
    if not ip or limit <= 0:
        return 0
    now = timezone.now()
    recent = list(
        CodeFailure.objects.filter(ip=ip[:45], at__gt=now - timedelta(seconds=window))
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return 0
    return max(1, math.ceil((recent[-1] + timedelta(seconds=window) - now).total_seconds()))


def _throttled(wait: int) -> CodeThrottled:
    minutes = max(1, math.ceil(wait / 60))
    return CodeThrottled(
        _(
            "投票码输错次数过多，为防止猜测投票码，本设备所在网络暂停输入投票码。"
            "请 %(m)d 分钟后再试；如确认投票码无误，请向会场工作人员求助。"
        )
        % {"m": minutes},
        retry_after=wait,
    )


def _code_failure(ip: str) -> None:
    if not ip or settings.POLL_CODE_FAILURES <= 0:
        return
    now = timezone.now()
    CodeFailure.objects.filter(
        at__lte=now - timedelta(seconds=settings.POLL_CODE_WINDOW_SECONDS)
    ).delete()
    CodeFailure.objects.create(ip=ip[:45], at=now)


def slip_group(*, poll_id: int, code: str, ip: str = "") -> RaterGroup:
    """The group of an unused slip of the poll (the ballot form to show), without using it.
    A wrong code counts against the address; too many: CodeThrottled."""
    wait = code_throttle_wait(ip)
    if wait:
        raise _throttled(wait)
    poll = Poll.objects.filter(pk=poll_id).first()
    if poll is None:
        raise _fail(_("找不到该测评（票决）。"))
    if poll.state != PollState.OPEN:
        raise TransitionNotAllowed(_("本次投票当前不在投票时间内。"))
    found = (
        Slip.objects.filter(digest=slip_digest(poll.pk, code), group__poll=poll)
        .select_related("group")
        .first()
    )
    if found is None:
        _code_failure(ip)
        raise WrongCode(
            _("投票码不正确，请核对票面上的投票码。"), field_errors={"code": [_("投票码不正确。")]}
        )
    if found.used:
        raise TransitionNotAllowed(_("此投票码已经投过票，每个投票码只能投一次。"))
    return found.group


# --- Opening, casting, closing -------------------------------------------------------------


def open_request(actor: Actor, *, poll_id: int, version: int | None = None) -> Poll:
    with transaction.atomic():
        poll = _lock(poll_id)
        access.require(actor, "polls.poll.manage", poll)
        _check_version(poll, version)
        _state(poll, PollState.DRAFT, doing=_("提请开启"))
        if not (
            RosterEntry.objects.filter(group__poll=poll).exists()
            or Slip.objects.filter(group__poll=poll).exists()
        ):
            raise _fail(_("还没有投票人员：请添加投票人员名单或印制投票码。"))
        poll.state = PollState.OPENING
        _bump(poll, "state")
        audit.event(actor, "polls.poll.open_requested", poll, poll.organiser_id)
    return poll


def open_cosign(actor: Actor, *, poll_id: int, version: int | None = None) -> Poll:
    """The witness co-signs the opening; the poll's urn key is made (sealed by the field key)."""
    with transaction.atomic():
        poll = _lock(poll_id)
        access.require(actor, "polls.poll.witness", poll)
        _check_version(poll, version)
        _state(poll, PollState.OPENING, doing=_("见证开启"))
        key = secrets.token_bytes(16)
        poll.urn_key = crypto.sm4_encrypt(key.hex(), aad=_key_aad(poll))
        poll.state = PollState.OPEN
        _bump(poll, "state", "urn_key")
        audit.event(actor, "polls.poll.opened", poll, poll.witness_id)
    return poll


# A poll's items never change once it is made (poll_create writes them; nothing edits them):
# each process keeps them after the first cast, one query less per ballot (ADR 0022, bench).
# Keyed by the poll's id and its opening (the sealed urn key is new at every opening), so a
# poll id used again — SQLite can reuse the highest id after a rollback — never finds the
# items of another poll.
_items_cache: dict[tuple[int, int], list[PollItem]] = {}
_ITEMS_CACHED = 64


def poll_items(poll: Poll) -> list[PollItem]:
    key = (poll.pk, hash(poll.urn_key))
    items = _items_cache.get(key)
    if items is None:
        items = list(PollItem.objects.filter(poll_id=poll.pk).order_by("position", "id"))
        if len(_items_cache) >= _ITEMS_CACHED:
            _items_cache.clear()
        _items_cache[key] = items
    return items


@dataclass(frozen=True)
class CastReceipt:
    receipt: str  # in groups of four, as printed: 7K3M-Q9TX-2HBD
    poll_title: str


def _clean_choices(poll: Poll, items: list[PollItem], choices: Mapping[Any, Any]) -> str:
    """One code per item, in the items' order; unknown items and options refused."""
    options = tally.OPTION_SETS[poll.kind]
    by_id = {str(item.pk): item for item in items}
    unknown = [k for k in choices if str(k) not in by_id]
    if unknown:
        raise _fail(_("选票中有不属于本次测评（票决）的对象，请刷新页面后重新投票。"))
    codes = []
    for item in items:
        option = choices.get(item.pk, choices.get(str(item.pk), "")) or ""
        if option not in options:
            if option:
                raise _fail(_("“%(item)s”的选项无效。") % {"item": item.label})
            option = ""
        codes.append(OPTION_CODES[option])
    if all(code == "-" for code in codes):
        raise _fail(_("您还没有选择任何一项，请选择后再提交。"))
    return "".join(codes)


def ballot_cast(
    actor: Actor | None,
    *,
    poll_id: int,
    choices: Mapping[Any, str],
    slip: str = "",
    now: datetime | None = None,
    ip: str = "",
) -> CastReceipt:
    """Cast one ballot: with a slip code, or as a roster member with one's own account. A
    wrong slip code counts against the client's address `ip` (too many: CodeThrottled)."""
    if slip:
        wait = code_throttle_wait(ip)
        if wait:
            raise _throttled(wait)
    try:
        return _cast(actor, poll_id=poll_id, choices=choices, slip=slip, now=now)
    except WrongCode:
        _code_failure(ip)  # after the cast's transaction was rolled back
        raise


def _cast(
    actor: Actor | None,
    *,
    poll_id: int,
    choices: Mapping[Any, str],
    slip: str,
    now: datetime | None,
) -> CastReceipt:
    now = now or timezone.now()
    with transaction.atomic():
        poll = _lock(poll_id, shared=True)
        if poll.state != PollState.OPEN or not poll.opens_at <= now < poll.closes_at:
            if poll.state == PollState.OPEN and now < poll.opens_at:
                raise TransitionNotAllowed(
                    _("投票尚未开始，开始时间为 %(at)s。")
                    % {"at": timezone.localtime(poll.opens_at).strftime("%Y-%m-%d %H:%M")}
                )
            raise TransitionNotAllowed(_("本次投票已经结束，不能再投票。"))
        items = poll_items(poll)
        coded = _clean_choices(poll, items, choices)
        if slip:
            digest = slip_digest(poll.pk, slip)
            found = Slip.objects.filter(digest=digest, group__poll=poll).first()
            if found is None:
                raise WrongCode(
                    _("投票码不正确，请核对票面上的投票码。"),
                    field_errors={"slip": [_("投票码不正确。")]},
                )
            if not Slip.objects.filter(pk=found.pk, used=False).update(used=True):
                raise TransitionNotAllowed(_("此投票码已经投过票，每个投票码只能投一次。"))
            group_id = found.group_id
        else:
            person_id = getattr(actor, "person_id", None)
            entry = (
                RosterEntry.objects.filter(group__poll=poll, person_id=person_id).first()
                if person_id
                else None
            )
            if entry is None:
                raise AccessDenied(_("您不在本次投票人员名单中；如持有投票码，请输入投票码。"))
            if not RosterEntry.objects.filter(pk=entry.pk, has_voted=False).update(has_voted=True):
                raise TransitionNotAllowed(_("您已经投过票，每人只能投一次。"))
            group_id = entry.group_id
        receipt = _code(RECEIPT_LENGTH)
        key = bytes.fromhex(crypto.sm4_decrypt(poll.urn_key, aad=_key_aad(poll)))
        plaintext = f"{group_id:012d}{receipt}{coded}".encode()
        UrnEntry.objects.create(
            poll=poll, sealed=crypto.sm4_seal_with(key, plaintext, aad=_urn_aad(poll))
        )
        # Last: the audit chain's head stays locked from its append to the commit, and every
        # cast appends to it, so the shorter that stretch the more casts go through at once.
        audit.event(
            None if slip else actor,
            "polls.ballot.cast",
            poll,
            poll.organiser_id,
            after={"by": "slip"} if slip else None,
        )
    return CastReceipt(receipt=format_code(receipt), poll_title=poll.title)


def poll_close(actor: Actor, *, poll_id: int, version: int | None = None) -> Poll:
    with transaction.atomic():
        poll = _lock(poll_id)
        access.require(actor, "polls.poll.manage", poll)
        _check_version(poll, version)
        _state(poll, PollState.OPEN, doing=_("截止投票"))
        poll.state = PollState.CLOSED
        _bump(poll, "state")
        audit.event(actor, "polls.poll.closed", poll, poll.organiser_id)
    return poll


# --- Paper ballots, sealing, certification -------------------------------------------------


def paper_enter(
    actor: Actor,
    *,
    poll_id: int,
    group_id: int,
    ballots: int,
    counts: Mapping[Any, Mapping[str, int]],
) -> PaperTally:
    """A clerk's entry of a group's counted paper ballots. Two clerks enter the same sheet;
    the sealing needs both entries and that they agree."""
    with transaction.atomic():
        poll = _lock(poll_id)
        access.require(actor, "polls.poll.manage", poll)
        _state(poll, PollState.OPEN, PollState.CLOSED, doing=_("录入纸质票"))
        group = _group(poll, group_id)
        options = tally.OPTION_SETS[poll.kind]
        items = {str(item.pk): item for item in poll.items.all()}
        if int(ballots) < 0:
            raise _fail(_("纸质票张数不能为负数。"), "ballots")
        clean: dict[str, dict[str, int]] = {}
        for item_id, item in items.items():
            row = counts.get(item_id) or counts.get(int(item_id)) or {}
            if set(row) - set(options):
                raise _fail(_("“%(item)s”有无效的选项。") % {"item": item.label}, "counts")
            values = {o: int(row.get(o, 0) or 0) for o in options}
            if any(v < 0 for v in values.values()):
                raise _fail(_("票数不能为负数。"), "counts")
            if sum(values.values()) > int(ballots):
                raise _fail(
                    _("“%(item)s”的票数合计超过了纸质票张数，请核对。") % {"item": item.label},
                    "counts",
                )
            clean[item_id] = values
        entries = list(PaperTally.objects.filter(poll=poll, group=group))
        if len(entries) >= 2:
            raise TransitionNotAllowed(_("该评议主体的纸质票已由两人录入。"))
        if any(e.clerk_id == actor.user.pk for e in entries):
            raise _fail(_("纸质票须由两名工作人员分别录入，请另一名工作人员录入。"))
        tally_row = PaperTally.objects.create(
            poll=poll,
            group=group,
            entry=len(entries) + 1,
            clerk=actor.user,
            ballots=int(ballots),
            counts=clean,
        )
        audit.event(
            actor,
            "polls.paper.entered",
            poll,
            poll.organiser_id,
            after={"group": group.name, "entry": tally_row.entry, "ballots": int(ballots)},
        )
    return tally_row


def _paper_agreed(poll: Poll) -> dict[int, PaperTally]:
    """The agreed paper tallies; the sealing is refused while a group has one entry or two
    that differ."""
    from wulian.core.polls import results

    agreed = {}
    for group_id, pair in results.paper_entries(poll).items():
        name = pair[0].group.name
        if len(pair) < 2:
            raise _fail(
                _("“%(group)s”的纸质票只录入了一次，须由第二名工作人员再录入一次。")
                % {"group": name}
            )
        if not results.entries_agree(pair):
            raise _fail(
                _("“%(group)s”纸质票的两次录入不一致，请核对原始票后更正。") % {"group": name}
            )
        agreed[group_id] = pair[0]
    return agreed


def open_urn(poll: Poll) -> list[tuple[int, str, str]]:
    """(group id, receipt, coded choices) of every urn entry."""
    key = bytes.fromhex(crypto.sm4_decrypt(poll.urn_key, aad=_key_aad(poll)))
    out = []
    for sealed in UrnEntry.objects.filter(poll=poll).values_list("sealed", flat=True):
        text = crypto.sm4_open_with(key, sealed, aad=_urn_aad(poll)).decode()
        out.append((int(text[:12]), text[12 : 12 + RECEIPT_LENGTH], text[12 + RECEIPT_LENGTH :]))
    return out


def poll_seal(actor: Actor, *, poll_id: int, version: int | None = None) -> Poll:
    """Close the count: open the urn, write the ballots in a random order, destroy the urn key,
    tally, and seal the set by its hash (one audit event carries the hash)."""
    from wulian.core.polls import results

    with transaction.atomic():
        poll = _lock(poll_id)
        access.require(actor, "polls.poll.manage", poll)
        _check_version(poll, version)
        _state(poll, PollState.CLOSED, doing=_("计票封存"))
        paper = _paper_agreed(poll)
        items = list(poll.items.all())
        cast = open_urn(poll)
        secrets.SystemRandom().shuffle(cast)
        Ballot.objects.bulk_create(
            [
                Ballot(
                    id=uuid.UUID(bytes=secrets.token_bytes(16), version=4),
                    poll=poll,
                    group_id=group_id,
                    receipt=receipt,
                    choices={
                        str(item.pk): CODE_OPTIONS[code]
                        for item, code in zip(items, coded, strict=True)
                    },
                )
                for group_id, receipt, coded in cast
            ],
            batch_size=500,
        )
        UrnEntry.objects.filter(poll=poll).delete()
        poll.urn_key = ""
        poll.result = results.compute(poll)
        poll.seal = results.seal_hash(poll)
        poll.state = PollState.SEALED
        _bump(poll, "urn_key", "result", "seal", "state")
        audit.event(
            actor,
            "polls.poll.sealed",
            poll,
            poll.organiser_id,
            after={
                "ballots": len(cast),
                "paper": sum(row.ballots for row in paper.values()),
                "seal": poll.seal,
            },
        )
    return poll


# What a link does with a result below its threshold (e.g. open rectification): by subject type.
ResultHook = Callable[[Actor, Poll], None]
_hooks: dict[str, ResultHook] = {}


def on_result(subject_type: str, hook: ResultHook) -> None:
    _hooks[subject_type] = hook


def poll_certify(actor: Actor, *, poll_id: int, version: int | None = None) -> Poll:
    """The witness co-signs the tally: the result is confirmed and the owning link is told."""
    from wulian.core.polls import results

    with transaction.atomic():
        poll = _lock(poll_id)
        access.require(actor, "polls.poll.witness", poll)
        _check_version(poll, version)
        _state(poll, PollState.SEALED, doing=_("见证确认计票结果"))
        problems = results.verify(poll)
        if problems:
            raise _fail(_("计票结果核验未通过：%(p)s") % {"p": "；".join(problems)})
        poll.state = PollState.CERTIFIED
        _bump(poll, "state")
        audit.event(actor, "polls.poll.certified", poll, poll.witness_id, after={"seal": poll.seal})
        hook = _hooks.get(poll.subject_type)
        if hook is not None and results.below_threshold(poll):
            hook(actor, poll)
    return poll


def result_json(poll: Poll) -> str:
    return json.dumps(poll.result, ensure_ascii=False, sort_keys=True)
