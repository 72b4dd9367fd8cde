"""Reads of secret ballots for the pages and the API. A fixed number of queries each."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.polls import results
from wulian.core.polls.choices import OPTION_LABELS
from wulian.core.polls.models import Ballot, Poll, RaterGroup, RosterEntry
from wulian.core.polls.services import normalise_code


def poll_list(*, actor: Actor, limit: int = 200) -> QuerySet:
    qs = Poll.objects.select_related("organiser", "witness").order_by("-opens_at", "-id")
    return access.scope(actor, "polls.poll.see", qs)[:limit]


def group_rows(poll: Poll) -> list[dict[str, Any]]:
    """Each group with its roster (and how many of it voted), its slips (and how many used),
    its paper ballots once entered, and the turnout."""
    groups = RaterGroup.objects.filter(poll=poll).annotate(
        n_roster=Count("roster", distinct=True),
        n_voted=Count("roster", filter=Q(roster__has_voted=True), distinct=True),
        n_slips=Count("slips", distinct=True),
        n_used=Count("slips", filter=Q(slips__used=True), distinct=True),
    )
    paper = {g: pair[0].ballots for g, pair in results.paper_entries(poll).items() if pair}
    rows = []
    for g in groups:
        eligible = g.members or (g.n_roster + g.n_slips + paper.get(g.pk, 0))
        cast = g.n_voted + g.n_used + paper.get(g.pk, 0)
        rows.append(
            {
                "group": g,
                "roster": g.n_roster,
                "voted": g.n_voted,
                "slips": g.n_slips,
                "used": g.n_used,
                "paper": paper.get(g.pk),
                "eligible": eligible,
                "cast": cast,
                "turnout": f"{cast * 100 / eligible:.0f}%" if eligible else "—",
            }
        )
    return rows


def paper_rows(poll: Poll) -> list[dict[str, Any]]:
    """The paper entries per group: who entered (by entry number), and whether they agree."""
    rows = []
    for _group_id, pair in sorted(results.paper_entries(poll).items()):
        rows.append(
            {
                "group": pair[0].group.name,
                "entries": len(pair),
                "ballots": [row.ballots for row in pair],
                "agree": results.entries_agree(pair),
            }
        )
    return rows


def has_voted(actor: Actor, poll: Poll) -> bool:
    if actor.person_id is None:
        return False
    return RosterEntry.objects.filter(
        group__poll=poll, person_id=actor.person_id, has_voted=True
    ).exists()


def _choice_rows(poll: Poll, choices: dict[str, str]) -> list[tuple[str, str]]:
    return [
        (item.label, str(OPTION_LABELS[choices[str(item.pk)]]) if choices.get(str(item.pk)) else "")
        for item in poll.items.all()
    ]


def ballot_by_receipt(poll: Poll, text: str) -> dict[str, Any] | None:
    receipt = normalise_code(text)
    ballot = (
        Ballot.objects.filter(poll=poll, receipt=receipt).select_related("group").first()
        if receipt
        else None
    )
    if ballot is None:
        return None
    return {
        "receipt": ballot.receipt,
        "group": ballot.group.name,
        "choices": _choice_rows(poll, ballot.choices),
    }


def receipt_rows(poll: Poll, *, limit: int | None = None) -> list[tuple[str, str, str]]:
    """The published ballots sorted by receipt: (receipt, group, choices in short)."""
    if limit == 0:
        return []
    items = [str(pk) for pk in poll.items.values_list("pk", flat=True)]
    short = {k: str(v)[:1] for k, v in OPTION_LABELS.items()}
    qs = (
        Ballot.objects.filter(poll=poll)
        .select_related("group")
        .order_by("receipt")
        .only("receipt", "choices", "group__name")
    )
    if limit:
        qs = qs[:limit]
    return [
        (b.receipt, b.group.name, "".join(short.get(b.choices.get(i, ""), "·") for i in items))
        for b in qs
    ]
