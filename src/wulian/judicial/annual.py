"""联动's part of the annual 五联 report (wulian.reports.annual): the expert pool, the year's
case-quality reviews, the suggestions to the courts and procuratorates and what they brought —
the figures page's own counts (`selectors.count_figures`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from wulian.judicial import selectors
from wulian.judicial.models import Mechanism
from wulian.reports.annual import Part


def parts(year: int) -> list[Part]:
    f = selectors.count_figures(year)
    if not (f.cases_reviewed.value or f.suggestions.value):
        return []
    kinds = "、".join(e.label for e in f.experts_by_category if e.value)
    nums: dict[str, int | str] = {
        "judicial.experts": f.experts_total.value,
        "judicial.cases_reviewed": f.cases_reviewed.value,
        "judicial.suggestions": f.suggestions.value,
        "judicial.adopted": f.adopted.value,
        "judicial.cases_corrected": f.cases_corrected.value,
        "judicial.mechanisms": f.mechanisms.value,
    }
    text = _(
        "组建由%(k)s等%(e)d人组成的专家库，在派驻纪检监察组监督下随机抽取评查专家，"
        "%(y)d年评查案件%(c)d件。"
    ) % {"k": kinds, "e": f.experts_total.value, "y": year, "c": f.cases_reviewed.value}
    if f.suggestions.value:
        adopted = (
            _("均被采纳")
            if f.adopted.value == f.suggestions.value
            else _("已采纳%(a)d条") % {"a": f.adopted.value}
        )
        text += _("针对评查发现的问题向“两院”提出意见建议%(s)d条，%(a)s。") % {
            "s": f.suggestions.value,
            "a": adopted,
        }
    names = list(
        Mechanism.objects.filter(suggestion__batch__year=year)
        .order_by("pk")
        .values_list("name", flat=True)
    )
    if f.cases_corrected.value:
        text += _("督促依法纠正问题案件%(n)d件") % {"n": f.cases_corrected.value}
        text += "，" if names else "。"
    if names:
        text += _("推动建立健全%(m)s等制度机制%(n)d个。") % {
            "m": "、".join(names),
            "n": f.mechanisms.value,
        }
    return [Part("judicial", 10, [text], nums)]
