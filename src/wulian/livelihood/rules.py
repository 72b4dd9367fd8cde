"""The livelihood link's rules as pure functions (property-tested): the deviation warning and
the roll-up of an indicator, a project and a cycle."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

ZERO = Decimal(0)


def planned_at(plan: Mapping[str, object], month: int) -> Decimal | None:
    """The cumulative planned value at the end of `month` (the last planned month before it,
    when the curve skips months; None before the curve starts)."""
    months = [int(key) for key in plan if int(key) <= month]
    if not months:
        return None
    return Decimal(str(plan[str(max(months))]))


def gap(planned: Decimal | None, actual: Decimal) -> Decimal:
    """How far the actual trails the plan, as a share of the plan (0 when ahead or no plan)."""
    if planned is None or planned <= 0 or actual >= planned:
        return ZERO
    return ((planned - actual) / planned).quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class Verdict:
    fire: bool  # a warning is sent now (department and group told, shown red)
    standing: Decimal | None  # the gap of the warning left standing (None: none)


def deviation(standing: Decimal | None, current_gap: Decimal, share: Decimal) -> Verdict:
    """Fires once when the gap passes `share`; again only when it worsens beyond the gap of the
    warning standing; a gap back within `share` clears the standing warning."""
    if current_gap <= share:
        return Verdict(False, None)
    if standing is None or current_gap > standing:
        return Verdict(True, current_gap)
    return Verdict(False, standing)


@dataclass(frozen=True)
class Progress:
    target: Decimal
    actual: Decimal
    in_use: Decimal | None  # the second stage of a 建成并投用 indicator
    done: bool
    over: bool
    share: Decimal  # actual / target, 0 … (capped at nothing: over-fulfilment shows)


def progress(target: Decimal, actual: Decimal, in_use: Decimal | None = None) -> Progress:
    """An indicator is done when its actual (and, for a two-stage one, its in-use figure) has
    reached the target; over-fulfilled when the actual exceeds it."""
    reached = actual >= target and (in_use is None or in_use >= target)
    share = (actual / target) if target > 0 else Decimal(1)
    return Progress(target, actual, in_use, reached, reached and actual > target, share)


def number(value: Decimal) -> str:
    """6256.00 → "6,256"; 612.50 → "612.5"."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text


def rollup_text(p: Progress, unit: str) -> str:
    """ "600 公里，完成 612 公里，超额完成" — the words the article uses."""
    values = {"t": number(p.target), "a": number(p.actual), "u": unit}
    if p.in_use is not None:
        head = _("%(t)s %(u)s，建成 %(a)s %(u)s，投用 %(i)s %(u)s") % {
            **values,
            "i": number(p.in_use),
        }
    else:
        head = _("%(t)s %(u)s，完成 %(a)s %(u)s") % values
    if p.over:
        return head + _("，超额完成")
    if p.done:
        return head + (_("，全部建成并投用") if p.in_use is not None else _("，全部完成"))
    return head + _("，完成 %(p)d%%") % {"p": int(p.share * 100)}
