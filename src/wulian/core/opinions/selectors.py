"""Reads of opinion rounds: scoped in the database by the access rules, with the joins a page
needs (a list costs the same number of queries for 1 row as for 1,000); and the adoption
figures per round and per year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.opinions.choices import Disposition, RoundState
from wulian.core.opinions.models import Comment, DraftVersion, Invitee, OpinionRound
from wulian.core.opinions.policies import drafting_side, manager_org_ids


def round_ledger(*, actor: Actor, year: int | None = None, state: str = "") -> QuerySet:
    """征求意见台账: the rounds the actor sees, newest first, with the number of invitees and
    comments and of those still to dispose of, in one query."""
    qs = access.scope(actor, "opinions.round.view", OpinionRound.objects.all())
    if year:
        qs = qs.filter(year=year)
    if state in RoundState.values:
        qs = qs.filter(state=state)
    return (
        qs.select_related("drafter")
        .annotate(
            n_invitees=Count("invitees", distinct=True),
            n_comments=Count("comments", distinct=True),
            n_pending=Count("comments", filter=Q(comments__disposition=""), distinct=True),
        )
        .order_by("-id")
    )


def round_detail(*, actor: Actor, round_id: int) -> OpinionRound:
    round_ = (
        OpinionRound.objects.select_related("drafter", "created_by__person", "concluded_by__person")
        .prefetch_related(
            Prefetch(
                "invitees",
                queryset=Invitee.objects.select_related("organisation", "person").order_by("id"),
            ),
            Prefetch(
                "versions",
                queryset=DraftVersion.objects.prefetch_related("paragraphs").order_by("number"),
            ),
            Prefetch(
                "comments",
                queryset=Comment.objects.select_related(
                    "invitee__organisation",
                    "invitee__person",
                    "draft_version",
                    "paragraph",
                    "author__person",
                    "disposed_by__person",
                ).order_by("id"),
            ),
        )
        .get(pk=round_id)
    )
    access.require(actor, "opinions.round.view", round_)
    return round_


def mine_unanswered(actor: Actor, round_: OpinionRound) -> list[Invitee]:
    """The invitee rows the actor answers for that have not said 无意见 (they may comment)."""
    from wulian.core.opinions.policies import my_invitees

    return [i for i in my_invitees(actor, round_) if i.no_opinion_at is None]


def mine_silent(actor: Actor, round_: OpinionRound) -> list[Invitee]:
    """Those of them without a comment yet (they may still say 无意见)."""
    commented = {c.invitee_id for c in round_.comments.all()}
    return [i for i in mine_unanswered(actor, round_) if i.pk not in commented]


# --- Figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdoptionRow:
    key: Any  # the round's id, or the year
    label: str
    adopted: int
    partly: int
    declined: int
    pending: int
    commenters: int
    suppressed: bool  # too few commenters to show the split to this viewer

    @property
    def total(self) -> int:
        return self.adopted + self.partly + self.declined + self.pending

    @property
    def rate(self) -> str:
        """采纳率: (采纳 + 部分采纳) over the disposed comments, as "87.5%"."""
        disposed = self.adopted + self.partly + self.declined
        if self.suppressed or not disposed:
            return "—"
        return f"{(self.adopted + self.partly) * 100 / disposed:.1f}%"


def _agg() -> dict[str, Count]:
    return {
        "adopted": Count("id", filter=Q(disposition=Disposition.ADOPTED)),
        "partly": Count("id", filter=Q(disposition=Disposition.PARTLY)),
        "declined": Count("id", filter=Q(disposition=Disposition.DECLINED)),
        "pending": Count("id", filter=Q(disposition="")),
        "commenters": Count("invitee_id", distinct=True),
    }


def figures(*, actor: Actor, year: int | None = None) -> dict[str, list[AdoptionRow]]:
    """The adoption counts of the comments on the rounds the actor sees, per round and per
    year (two grouped queries). For a viewer outside the drafting side, a round's split over
    fewer than `OPINION_FIGURES_MIN_COMMENTERS` commenters is not shown (one commenter's split
    is that commenter's answer), and a year's likewise."""
    rounds = access.scope(actor, "opinions.round.view", OpinionRound.objects.all())
    qs = Comment.objects.filter(round__in=rounds.values("pk"))
    if year:
        qs = qs.filter(round__year=year)
    agg = _agg()
    least = settings.OPINION_FIGURES_MIN_COMMENTERS
    own = manager_org_ids(actor)

    def row(r: dict[str, Any], key: str, label: str, mine: bool) -> AdoptionRow:
        hidden = not mine and r["commenters"] < least
        return AdoptionRow(
            key=r[key],
            label=label,
            adopted=r["adopted"],
            partly=r["partly"],
            declined=r["declined"],
            pending=r["pending"],
            commenters=r["commenters"],
            suppressed=hidden,
        )

    by_round = [
        row(r, "round_id", r["round__title"], r["round__drafter_id"] in own)
        for r in qs.values("round_id", "round__title", "round__drafter_id", "round__year")
        .annotate(**agg)
        .order_by("-round__year", "-round_id")
    ]
    # A year's split is the drafting side's own only when every round of it is theirs.
    mixed = {
        r["round__year"]
        for r in qs.exclude(round__drafter_id__in=own).values("round__year").distinct()
    }
    by_year = [
        row(r, "round__year", str(r["round__year"]), r["round__year"] not in mixed)
        for r in qs.values("round__year").annotate(**agg).order_by("-round__year")
    ]
    return {"by_round": by_round, "by_year": by_year}


def explanation_rows(actor: Actor, round_: OpinionRound) -> list[Comment]:
    """The comments as the 意见采纳情况说明 lists them (every one, once concluded)."""
    del actor
    return list(round_.comments.all())


def timeline(actor: Actor, round_: OpinionRound) -> list[Any]:
    """The round's audit events in words. An invitee does not see who else was invited, nor,
    before the conclusion, who else commented or said 无意见 (the rule of the comments)."""
    from wulian.core.selectors import record_timeline

    events = record_timeline(target_type="opinions.opinionround", target_id=round_.pk)
    if drafting_side(actor, round_):
        return events
    events = [e for e in events if e.action != "opinions.round.invited"]
    if round_.state == RoundState.CONCLUDED:
        return events
    answers = {"opinions.round.commented", "opinions.round.no_opinion"}
    mine = actor.user.pk if actor.user is not None else None
    return [e for e in events if e.action not in answers or e.actor_id == mine]


def is_drafting(actor: Actor, round_: OpinionRound) -> bool:
    return drafting_side(actor, round_)
