"""`wulian figures stations --year 2023 [--format json|table]` (the suggestions app's command
finds this module: LINK, cli_figures, cli_table): the liaison stations' year by district, read
from the tallies over every station."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wulian.stations.selectors import FIGURE_FIELDS, tally_figures

LINK = "stations"

LABELS = {
    "events_held": "活动场次",
    "attendance": "参加人次",
    "opinions": "收集意见",
    "answered": "当场答复",
    "handed": "转交部门",
    "replied_on_time": "按期答复",
    "replied_late": "逾期答复",
    "raised": "形成代表建议",
    "declined": "不予受理",
}


@dataclass
class Figures:
    data: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        d = self.data
        return {
            "year": d["year"],
            "total": d["total"].values,
            "districts": [{"district": r.district, "values": r.values} for r in d["districts"]],
        }


def cli_figures(*, year: int) -> Figures:
    return Figures(tally_figures(year=year))


def cli_table(figures: Figures) -> list[tuple[str, str]]:
    d = figures.data
    lines = [("年度", str(d["year"]))]
    lines += [(LABELS[f], str(d["total"].values[f])) for f in FIGURE_FIELDS]
    for r in d["districts"]:
        lines.append(
            (f"  {r.label}", "；".join(f"{LABELS[f]} {r.values[f]}" for f in FIGURE_FIELDS))
        )
    return lines
