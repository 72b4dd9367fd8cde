"""`wulian figures inquiries --year 2023 [--format json|table]` (the suggestions app's command
finds this module: LINK, cli_figures, cli_table): the year's special inquiries, counted on the
server over every record."""

from __future__ import annotations

from typing import Any

from wulian.inquiries.selectors import Figures, figures

LINK = "inquiries"

LABELS = {
    "questions": "询问问题",
    "answered": "已答复",
    "commitments": "承诺事项",
    "rectifications": "整改任务",
    "rectifications_closed": "已销号",
    "opinion_on_time": "审议意见按期送达",
    "looked_back": "已回头看",
}


def cli_figures(*, year: int) -> Figures:
    return figures(actor=None, year=year)


def cli_table(data: Any) -> list[tuple[str, str]]:
    lines = [("年度", str(data.year)), ("专题询问", str(len(data.rows)))]
    lines += [(label, str(data.total[key])) for key, label in LABELS.items()]
    for r in data.rows:
        lines.append((f"  {r.title}", "；".join(f"{LABELS[k]} {v}" for k, v in r.values.items())))
    return lines
