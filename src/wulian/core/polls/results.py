"""The result of a sealed poll: computed from the published ballots and the agreed paper
tallies only, so that anyone holding the published set computes the same (`wulian poll
verify`)."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _

from wulian.core.crypto import sm3_hex
from wulian.core.models import AuditEvent
from wulian.core.polls import tally
from wulian.core.polls.choices import PollKind, PollState, TallyRule
from wulian.core.polls.models import Ballot, PaperTally, Poll, RosterEntry, Slip

MIN_GROUP_REPORT = 5


def paper_entries(poll: Poll) -> dict[int, list[PaperTally]]:
    """Each group's paper entries (the first clerk's, then the second's)."""
    rows: dict[int, list[PaperTally]] = {}
    for row in PaperTally.objects.filter(poll=poll).select_related("group").order_by("entry"):
        rows.setdefault(row.group_id, []).append(row)
    return rows


def entries_agree(pair: list[PaperTally]) -> bool:
    return len(pair) == 2 and (pair[0].ballots, pair[0].counts) == (
        pair[1].ballots,
        pair[1].counts,
    )


def _paper(poll: Poll) -> dict[int, PaperTally]:
    """The first entry of each group whose two entries agree (the sealing refused others)."""
    return {g: pair[0] for g, pair in paper_entries(poll).items() if entries_agree(pair)}


def _ballots(poll: Poll) -> list[tuple[int, str, dict[str, str]]]:
    return list(Ballot.objects.filter(poll=poll).values_list("group_id", "receipt", "choices"))


def compute(poll: Poll) -> dict[str, Any]:
    items = list(poll.items.all())
    groups = list(poll.groups.all())
    options = tally.OPTION_SETS[poll.kind]
    zero = {o: 0 for o in options}
    counts = {str(i.pk): {g.pk: dict(zero) for g in groups} for i in items}
    blank = {str(i.pk): 0 for i in items}
    ballots_of = {g.pk: 0 for g in groups}
    electronic = 0
    for group_id, _receipt, choices in _ballots(poll):
        electronic += 1
        ballots_of[group_id] += 1
        for item_id in counts:
            option = choices.get(item_id, "")
            if option:
                counts[item_id][group_id][option] += 1
            else:
                blank[item_id] += 1
    paper = _paper(poll)
    for group_id, row in paper.items():
        ballots_of[group_id] += row.ballots
        for item_id in counts:
            got = row.counts.get(item_id, {})
            for option in options:
                counts[item_id][group_id][option] += int(got.get(option, 0))
            blank[item_id] += row.ballots - sum(int(got.get(o, 0)) for o in options)
    roster = {g.pk: 0 for g in groups}
    for group_id in RosterEntry.objects.filter(group__poll=poll).values_list("group_id", flat=True):
        roster[group_id] += 1
    for group_id in Slip.objects.filter(group__poll=poll).values_list("group_id", flat=True):
        roster[group_id] += 1
    members_of = {
        g.pk: g.members or (roster[g.pk] + (paper[g.pk].ballots if g.pk in paper else 0))
        for g in groups
    }
    members = sum(members_of.values())
    total = electronic + sum(row.ballots for row in paper.values())
    shown = {g.pk for g in groups if ballots_of[g.pk] >= MIN_GROUP_REPORT}
    out_items = []
    for item in items:
        key = str(item.pk)
        overall = {o: sum(counts[key][g.pk][o] for g in groups) for o in options}
        valid = sum(overall.values())
        row: dict[str, Any] = {
            "id": item.pk,
            "label": item.label,
            "counts": overall,
            "blank": blank[key],
            "valid": valid,
            "by_group": {str(g): counts[key][g] for g in sorted(shown)},
        }
        if poll.kind == PollKind.SATISFACTION:
            base = members if poll.rule == TallyRule.MAJORITY_OF_MEMBERS else valid
            grade = tally.majority_grade(overall, base=base)
            row["grade"] = grade.grade
            row["base"] = base
            score = tally.weighted_score(
                {g.pk: counts[key][g.pk] for g in groups},
                weights={g.pk: g.weight for g in groups},
                points=poll.points or tally.DEFAULT_POINTS,
            )
            row["score"] = None if score is None else tally.score_text(score)
        out_items.append(row)
    result: dict[str, Any] = {
        "ballots": {"electronic": electronic, "paper": total - electronic, "total": total},
        "members": members,
        "quorum": poll.quorum,
        "quorate": total >= poll.quorum,
        "groups": [
            {
                "id": g.pk,
                "name": g.name,
                "weight": g.weight,
                "ballots": ballots_of[g.pk],
                "members": members_of[g.pk],
                "shown": g.pk in shown,
            }
            for g in groups
        ],
        "items": out_items,
    }
    if poll.rule == TallyRule.TOP_N:
        election = tally.top_n(
            {str(r["id"]): r["counts"][tally.FOR] for r in out_items},
            members=members,
            places=poll.places or 0,
        )
        result["election"] = {
            "elected": [int(i) for i in election.elected],
            "runoff": [int(i) for i in election.runoff],
            "short_of_majority": [int(i) for i in election.short_of_majority],
            "places_left": election.places_left,
        }
    return result


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def seal_text(poll: Poll) -> str:
    """What the seal covers: the poll's rule and items, every ballot (sorted by receipt, so the
    order they are stored in does not matter) and the agreed paper tallies."""
    lines = [
        f"poll {poll.pk} {poll.kind} {poll.rule} {poll.places or 0}",
        "items " + _canonical([[i.pk, i.label] for i in poll.items.all()]),
        "groups " + _canonical([[g.pk, g.name, g.weight, g.members] for g in poll.groups.all()]),
    ]
    for group_id, receipt, choices in sorted(_ballots(poll), key=lambda b: b[1]):
        lines.append(f"B {receipt} {group_id} {_canonical(choices)}")
    for group_id, row in sorted(_paper(poll).items()):
        lines.append(f"P {group_id} {row.ballots} {_canonical(row.counts)}")
    return "\n".join(lines) + "\n"


def seal_hash(poll: Poll) -> str:
    return sm3_hex(seal_text(poll).encode())


def sealed_in_chain(poll: Poll) -> str | None:
    """The seal the audit chain recorded at the sealing."""
    event = (
        AuditEvent.objects.filter(
            action="polls.poll.sealed", target_type="polls.poll", target_id=str(poll.pk)
        )
        .order_by("-seq")
        .first()
    )
    return None if event is None else (event.after_data or {}).get("seal")


def verify(poll: Poll) -> list[str]:
    """Problems found recomputing the tally and the seal from the published set (none: good)."""
    if poll.state not in (PollState.SEALED, PollState.CERTIFIED):
        return [_("该测评（票决）尚未计票封存。")]
    problems = []
    if compute(poll) != poll.result:
        problems.append(_("由公布的选票重新计票，结果与已公布的结果不一致。"))
    digest = seal_hash(poll)
    if digest != poll.seal:
        problems.append(_("公布的选票集合与封存摘要不一致（选票被增删或改动）。"))
    if sealed_in_chain(poll) != poll.seal:
        problems.append(_("审计链中记录的封存摘要与本次测评（票决）的封存摘要不一致。"))
    return problems


def below_threshold(poll: Poll) -> bool:
    """A satisfaction result that calls the owning link: not quorate results never do."""
    if poll.kind != PollKind.SATISFACTION or not poll.result.get("quorate"):
        return False
    for row in poll.result.get("items", []):
        if row.get("grade") == tally.UNSATISFIED:
            return True
        score = row.get("score")
        if poll.threshold is not None and score is not None and float(score) < poll.threshold:
            return True
    return False


def view(poll: Poll) -> dict[str, Any]:
    """The stored result in words, for the results page and its .docx and .xlsx: per item the
    counts by option, blank, valid, grade or election, score; per group shown (at least
    MIN_GROUP_REPORT ballots) the same counts; the groups below it named as counted only in
    the total."""
    from wulian.core.polls.choices import OPTION_LABELS

    result = poll.result or {}
    options = tally.OPTION_SETS[poll.kind]
    option_labels = [str(OPTION_LABELS[o]) for o in options]
    election = result.get("election") or {}
    elected = set(election.get("elected", []))
    runoff = set(election.get("runoff", []))

    def outcome(row: dict[str, Any]) -> str:
        if "grade" in row:
            return str(OPTION_LABELS[row["grade"]])
        if row["id"] in elected:
            return _("当选")
        if row["id"] in runoff:
            return _("得票相同，须再次投票")
        return _("未当选")

    items = [
        {
            "label": row["label"],
            "counts": [row["counts"][o] for o in options],
            "blank": row["blank"],
            "valid": row["valid"],
            "outcome": outcome(row),
            "score": row.get("score") or "—",
        }
        for row in result.get("items", [])
    ]
    groups = []
    for g in result.get("groups", []):
        if not g["shown"]:
            continue
        groups.append(
            {
                "name": g["name"],
                "ballots": g["ballots"],
                "members": g["members"],
                "rows": [
                    (row["label"], [row["by_group"][str(g["id"])][o] for o in options])
                    for row in result.get("items", [])
                ],
            }
        )
    hidden = [g["name"] for g in result.get("groups", []) if not g["shown"]]
    return {
        "options": option_labels,
        "items": items,
        "groups": groups,
        "hidden": hidden,
        "all_groups": result.get("groups", []),
        "ballots": result.get("ballots", {}),
        "members": result.get("members", 0),
        "quorum": result.get("quorum", 0),
        "quorate": result.get("quorate", False),
        "weighted": poll.kind == PollKind.SATISFACTION,
        "places_left": election.get("places_left"),
    }
