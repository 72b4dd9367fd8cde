"""What a link counts about a department, for the reports across the links (issue 20).

A link (or a shared primitive) that has something to say about a department has a module
`<app>/profile.py` with `LINK`, `TITLE`, `ORDER`, `measures()` (a tuple of `Measure`),
`counts(*, actor, year, organisation_ids)` and `url(key, *, organisation_id, year)` — see
`wulian.reports.profile`, which finds those modules and builds each department's profile and
the ranking from them. This module holds only the one type they share, so that a link need not
import the reports app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Measure:
    key: str
    label: Any
    of: str | None = None  # the measure this one is a share of (its rate is shown)
    better: int = 1  # 1: more is better; -1: fewer is better (overdue, late); 0: not ranked
