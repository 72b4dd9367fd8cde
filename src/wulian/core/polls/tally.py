"""The tally rules of secret ballots: pure functions on counts, exact arithmetic, ties explained.

Sources (see ADR 0022):
- **Satisfaction by majority** (满意度测评; the 镇海 rule for livelihood projects, reused for
  work evaluations — reference/remaining-links.md §4.2): 满意 when 满意 votes exceed half of the
  base; else 基本满意 when 满意 + 基本满意 exceed half; else 不满意. The base is the valid votes
  of the item, or all members of the electorate, as the poll is configured.
- **Weighted score** (工作评议 across rater groups): each group's mean of the option points
  (default 满意 100 / 基本满意 70 / 不满意 30) over its valid votes, combined by the groups'
  weights (default 常委会组成人员 50 / 人大代表 30 / 社会各界 20); a group without a valid vote
  is left out and the other weights carry the score.
- **票决 with more candidates than places** (差额票决, 民生实事): candidates are ranked by 赞成;
  one is elected when its 赞成 exceed half of all members of the electorate and it is within
  the places; candidates tied across the last place are not elected and a further vote among
  them is needed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

SATISFIED, BASIC, UNSATISFIED = "satisfied", "basic", "unsatisfied"
FOR, AGAINST, ABSTAIN = "for", "against", "abstain"

OPTION_SETS: dict[str, tuple[str, ...]] = {
    "satisfaction": (SATISFIED, BASIC, UNSATISFIED),
    "approval": (FOR, AGAINST, ABSTAIN),
}
DEFAULT_POINTS = {SATISFIED: 100, BASIC: 70, UNSATISFIED: 30}

Counts = Mapping[str, int]


def more_than_half(part: int, whole: int) -> bool:
    """part > whole / 2, in integers (exactly half is not a majority)."""
    return 2 * part > whole


@dataclass(frozen=True)
class Grade:
    grade: str | None  # None: no valid vote, no grade
    base: int
    satisfied: int
    satisfied_or_basic: int


def majority_grade(counts: Counts, *, base: int) -> Grade:
    s = int(counts.get(SATISFIED, 0))
    sb = s + int(counts.get(BASIC, 0))
    if base <= 0:
        return Grade(None, base, s, sb)
    if more_than_half(s, base):
        return Grade(SATISFIED, base, s, sb)
    if more_than_half(sb, base):
        return Grade(BASIC, base, s, sb)
    return Grade(UNSATISFIED, base, s, sb)


def valid_votes(counts: Counts, options: Sequence[str]) -> int:
    return sum(int(counts.get(o, 0)) for o in options)


def group_mean(counts: Counts, points: Mapping[str, int]) -> Fraction | None:
    valid = sum(int(counts.get(o, 0)) for o in points)
    if valid == 0:
        return None
    return Fraction(sum(int(counts.get(o, 0)) * int(p) for o, p in points.items()), valid)


def weighted_score(
    by_group: Mapping[str, Counts],
    *,
    weights: Mapping[str, int],
    points: Mapping[str, int] = DEFAULT_POINTS,
) -> Fraction | None:
    """Σ weight × group mean / Σ weight over the groups with a valid vote."""
    total = Fraction(0)
    weight_sum = 0
    for group, counts in by_group.items():
        mean = group_mean(counts, points)
        weight = int(weights.get(group, 0))
        if mean is None or weight <= 0:
            continue
        total += weight * mean
        weight_sum += weight
    if weight_sum == 0:
        return None
    return total / weight_sum


def score_text(score: Fraction | None) -> str:
    """Two decimals, half up (the way a score sheet is rounded by hand)."""
    if score is None:
        return "—"
    hundredths = (score * 100 * 2 + 1) // 2  # floor(x + 1/2) for x ≥ 0
    return f"{hundredths // 100}.{hundredths % 100:02d}"


@dataclass
class Election:
    elected: list[str] = field(default_factory=list)
    # Tied across the last place: none of them is elected; a further vote decides.
    runoff: list[str] = field(default_factory=list)
    # Ranked by 赞成 but without a majority of all members.
    short_of_majority: list[str] = field(default_factory=list)
    places_left: int = 0


def top_n(approvals: Mapping[str, int], *, members: int, places: int) -> Election:
    """票决: rank by 赞成; elect within the places those above half of all members."""
    result = Election()
    eligible = []
    for item, votes in approvals.items():
        if members > 0 and more_than_half(int(votes), members):
            eligible.append((int(votes), item))
        else:
            result.short_of_majority.append(item)
    eligible.sort(key=lambda pair: (-pair[0], pair[1]))
    if len(eligible) <= places:
        result.elected = [item for _v, item in eligible]
    else:
        boundary = eligible[places - 1][0] if places > 0 else None
        above = [item for v, item in eligible if boundary is not None and v > boundary]
        at = [item for v, item in eligible if v == boundary]
        if len(above) + len(at) <= places:
            result.elected = above + at
        else:
            result.elected = above
            result.runoff = at
    result.places_left = places - len(result.elected)
    return result
