"""联督's part of the annual 五联 report for the liaison stations (wulian.reports.annual): the
stations, and the year's events and residents' opinions — the stations' figures' own total
(`selectors.tally_figures`, the yearly tallies)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from wulian.reports.annual import Part
from wulian.stations.models import Station
from wulian.stations.selectors import FIGURE_FIELDS, tally_figures


def parts(year: int) -> list[Part]:
    stations = Station.objects.count()
    if not stations:
        return []
    t = tally_figures(year=year)["total"].values
    nums: dict[str, int | str] = {"stations.stations": stations}
    text = _(
        "依托全市%(s)d个代表联络站，统筹人大代表和纪委清廉监督员力量，常态化开展"
        "“选民接待日”“相约星期二”等活动"
    ) % {"s": stations}
    if t["events_held"]:
        nums.update({f"stations.{f}": t[f] for f in FIGURE_FIELDS})
        text += _(
            "，%(y)d年开展活动%(e)d场，接待群众%(a)d人次，收集意见%(o)d条，其中当场答复%(an)d条、"
            "转交有关部门办理%(h)d条、转为代表建议%(r)d条"
        ) % {
            "y": year,
            "e": t["events_held"],
            "a": t["attendance"],
            "o": t["opinions"],
            "an": t["answered"],
            "h": t["handed"],
            "r": t["raised"],
        }
    return [Part("livelihood", 20, [text + "。"], nums)]
