"""联评's part of the annual 五联 report (wulian.reports.annual): the departments evaluated in
the year, the CDI's part in it, and the rectification the evaluations opened — the evaluation
figures' own count (`selectors.figures(everything=True)`). Grades and clues stay out: a
department's result is told to it in the 评议意见书, and clues are the CDI's."""

from __future__ import annotations

from django.utils.translation import gettext as _

from wulian.evaluation import selectors
from wulian.reports.annual import Part


def parts(year: int) -> list[Part]:
    data = selectors.figures(actor=None, year=year, everything=True)
    rows = data["rows"]
    if not rows:
        return []
    names = "、".join(r["evaluation"].department.name for r in rows)
    rect_total = sum(r["rect_total"] for r in rows)
    rect_closed = sum(r["rect_closed"] for r in rows)
    text = _(
        "%(y)d年，常委会对%(names)s等%(n)d个政府部门的工作开展评议，评议前由市纪委监委提供"
        "被评议部门的参考材料，派驻纪检监察组全程参与调研座谈、听取汇报和满意度测评。"
    ) % {"y": year, "names": names, "n": len(rows)}
    nums: dict[str, int | str] = {"evaluation.departments": len(rows)}
    if rect_total:
        nums["evaluation.rectifications"] = rect_total
        nums["evaluation.rectifications_closed"] = rect_closed
        text += _("评议发现的问题列入整改%(t)d项，已整改销号%(c)d项。") % {
            "t": rect_total,
            "c": rect_closed,
        }
    return [Part("evaluation", 10, [text], nums)]
