"""`wulian figures evaluation --year 2023 [--format json|table]` (the suggestions app's
command finds this module): the year's evaluations, grades, dimension means, rectification
closed on time and clues per campaign, counted on the server."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LINK = "evaluation"


@dataclass
class Figures:
    data: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return self.data


def cli_figures(*, year: int) -> Figures:
    from wulian.evaluation.api import figures_json

    return Figures(figures_json(None, year, everything=True))


def cli_table(figures: Figures) -> list[tuple[str, str]]:
    """The table a person reads: grades by their names (满意, 基本满意, 不满意), not their
    codes; the JSON keeps the codes."""
    from wulian.evaluation.services import grade_label

    d = figures.data
    lines = [("年度", str(d["year"])), ("评议部门", str(d["total"]))]
    for row in d["rows"]:
        lines.append(
            (
                f"  {row['department']}",
                f"{grade_label(row['grade']) if row['grade'] else '—'} {row['score'] or '—'}"
                f"；行风政风 {row['conduct_grade'] or '—'}"
                f"；整改按期销号 {row['closed_on_time']}/{row['rectifications']}",
            )
        )
    for name, mean in d["dimensions"].items():
        lines.append((f"  {name}", str(mean)))
    for campaign, n in d["campaigns"].items():
        lines.append((f"线索：{campaign}", str(n)))
    return lines
