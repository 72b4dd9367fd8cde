"""What a satisfaction result means for an evaluation: pure functions (ADR 0028).

An overall 不满意 (the majority rule of wulian.core.polls.tally), or 不满意 above a share
(default one third) of the valid votes of any rater group, makes the evaluation's consequence
mandatory: a rectification, a 约谈 of the department head and a re-evaluation next year. Both
thresholds are settings (`EVALUATION_OVERALL_UNSATISFIED`, `EVALUATION_GROUP_UNSATISFIED_SHARE`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from wulian.core.polls import tally


@dataclass(frozen=True)
class Thresholds:
    overall_unsatisfied: bool = True  # an overall 不满意 triggers
    group_share: Fraction = Fraction(1, 3)  # 不满意 strictly above this share in any group


def thresholds() -> Thresholds:
    share = getattr(settings, "EVALUATION_GROUP_UNSATISFIED_SHARE", "1/3")
    return Thresholds(
        overall_unsatisfied=bool(getattr(settings, "EVALUATION_OVERALL_UNSATISFIED", True)),
        group_share=Fraction(str(share)),
    )


def above_share(unsatisfied: int, valid: int, share: Fraction) -> bool:
    """unsatisfied / valid > share, exactly (a third is not above a third)."""
    return valid > 0 and Fraction(unsatisfied, valid) > share


@dataclass(frozen=True)
class Assessment:
    mandatory: bool
    reasons: tuple[str, ...]


def assess(
    item: Mapping[str, Any], group_names: Mapping[str, str], limits: Thresholds
) -> Assessment:
    """`item`: one item of a sealed poll's result (grade, by_group counts); `group_names`: the
    rater groups' names by id (as strings)."""
    reasons = []
    if limits.overall_unsatisfied and item.get("grade") == tally.UNSATISFIED:
        reasons.append(_("总体测评结果为不满意"))
    for group_id, counts in sorted((item.get("by_group") or {}).items()):
        valid = sum(int(counts.get(o, 0)) for o in tally.OPTION_SETS["satisfaction"])
        bad = int(counts.get(tally.UNSATISFIED, 0))
        if above_share(bad, valid, limits.group_share):
            reasons.append(
                _("%(g)s中不满意票（%(b)d/%(v)d）超过%(s)s")
                % {
                    "g": group_names.get(str(group_id), group_id),
                    "b": bad,
                    "v": valid,
                    "s": share_text(limits.group_share),
                }
            )
    return Assessment(mandatory=bool(reasons), reasons=tuple(reasons))


def share_text(share: Fraction) -> str:
    if share == Fraction(1, 3):
        return _("三分之一")
    if share == Fraction(1, 2):
        return _("二分之一")
    return f"{share.numerator}/{share.denominator}"
