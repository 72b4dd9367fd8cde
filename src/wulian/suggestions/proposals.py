"""Which unit is likely to handle a new suggestion, learnt from past assignments (pure: no Django).

k nearest neighbours over the similarity index: the past suggestions most like the new one
vote for the units that led them, each vote weighted by its similarity. A unit's confidence is
its share of those votes. Chosen over naive Bayes because
- a city has hundreds of units (a province 3,000) and most receive a handful of suggestions a
  year: per-unit word statistics are too thin for naive Bayes, whose posteriors are then close
  to 0 or 1 whatever the evidence; a vote share is honest about a split;
- the reason can be shown: "these past suggestions, led by this unit" (`Proposal.examples`);
- it needs no training step: adding a past assignment is adding a document.

Staff decide; a proposal is never applied by itself.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from wulian.suggestions.similarity import SimilarityIndex, TextOrTokens, _as_tokens


@dataclass(frozen=True)
class Proposal:
    unit: Hashable
    confidence: float  # share of the neighbours' similarity-weighted votes, 0…1
    examples: tuple[Hashable, ...]  # the past suggestions behind it, most similar first


@dataclass(frozen=True)
class Evaluation:
    trained_on: int
    held_out: int
    top1: float  # share of held-out items whose actual unit was the first proposal
    top3: float  # … among the first three
    no_proposal: float  # share of held-out items with no proposal at all

    def as_dict(self) -> dict[str, float | int]:
        return {
            "trained_on": self.trained_on,
            "held_out": self.held_out,
            "top1": self.top1,
            "top3": self.top3,
            "no_proposal": self.no_proposal,
        }


class UnitProposer:
    """`add(text_or_tokens, unit, ref)` past assignments (oldest first), then `propose(text)`."""

    def __init__(self, *, neighbours: int = 15, min_similarity: float = 0.05) -> None:
        self.neighbours = neighbours
        self.min_similarity = min_similarity
        self._index = SimilarityIndex()
        self._units: list[Hashable] = []
        self._refs: list[Hashable] = []

    def __len__(self) -> int:
        return len(self._units)

    def add(self, value: TextOrTokens, unit: Hashable, ref: Hashable | None = None) -> None:
        ordinal = len(self._units)
        self._index.add(ordinal, _as_tokens(value))
        self._units.append(unit)
        self._refs.append(ordinal if ref is None else ref)

    def fit(self, history: Iterable[tuple[TextOrTokens, Hashable]]) -> UnitProposer:
        for value, unit in history:
            self.add(value, unit)
        return self

    def rarest(self, value: TextOrTokens, n: int) -> list[str]:
        """The `n` words of `value` in the fewest past suggestions (to look further back)."""
        return self._index.rarest(value, n)

    def propose(
        self,
        value: TextOrTokens,
        k: int = 3,
        *,
        more: Iterable[tuple[Hashable, Hashable, TextOrTokens]] = (),
    ) -> list[Proposal]:
        """Up to `k` units, likeliest first; empty when no past suggestion is like this one.

        `more`: past suggestions found elsewhere (ref, unit, words) — e.g. older history found by
        the search index — scored with the same weights and voting alongside the index's own
        nearest ones."""
        words = list(_as_tokens(value))
        candidates: dict[Hashable, tuple[float, Hashable]] = {}
        for ordinal, score in self._index.similar(words, self.neighbours):
            candidates[self._refs[ordinal]] = (score, self._units[ordinal])
        for ref, unit, other in more:
            if ref not in candidates:
                candidates[ref] = (self._index.cosine(words, other), unit)
        near = sorted(
            ((score, ref, unit) for ref, (score, unit) in candidates.items()),
            key=lambda x: (-x[0], str(x[1])),
        )[: self.neighbours]
        near = [x for x in near if x[0] >= self.min_similarity]
        if not near:
            return []
        votes: dict[Hashable, float] = defaultdict(float)
        examples: dict[Hashable, list[Hashable]] = defaultdict(list)
        for score, ref, unit in near:
            votes[unit] += score
            examples[unit].append(ref)
        total = math.fsum(votes.values())
        ranked = sorted(votes.items(), key=lambda uv: (-uv[1], str(uv[0])))[:k]
        return [
            Proposal(unit=unit, confidence=round(v / total, 4), examples=tuple(examples[unit]))
            for unit, v in ranked
        ]


def evaluate(
    history: Sequence[tuple[TextOrTokens, Hashable]],
    holdout_fraction: float = 0.2,
    *,
    neighbours: int = 15,
) -> Evaluation:
    """Top-1 and top-3 accuracy on the newest `holdout_fraction` of `history` (oldest first),
    proposing from the older part only — as the proposal works in use: from the past."""
    if not 0 < holdout_fraction < 1:
        raise ValueError("holdout_fraction is between 0 and 1")
    split = len(history) - max(1, round(len(history) * holdout_fraction))
    if split < 1:
        raise ValueError("too little history to hold part of it out")
    proposer = UnitProposer(neighbours=neighbours).fit(history[:split])
    return score(
        [([p.unit for p in proposer.propose(value, 3)], unit) for value, unit in history[split:]],
        trained_on=split,
    )


def score(
    outcomes: Sequence[tuple[Sequence[Hashable], Hashable]], *, trained_on: int
) -> Evaluation:
    """Top-1 / top-3 accuracy of proposals: each outcome is (the proposed units, best first;
    the unit that actually received it)."""
    top1 = top3 = none = 0
    for units, unit in outcomes:
        if not units:
            none += 1
        elif units[0] == unit:
            top1 += 1
        if unit in units[:3]:
            top3 += 1
    n = len(outcomes)
    return Evaluation(
        trained_on=trained_on,
        held_out=n,
        top1=round(top1 / n, 4),
        top3=round(top3 / n, 4),
        no_proposal=round(none / n, 4),
    )
