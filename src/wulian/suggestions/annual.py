"""联办's part of the annual 五联 report (wulian.reports.annual): the year's deputies'
suggestions — received, answered, answered on time, the deputies' satisfaction — and the
campaigns' opinions collected and completed, from the figures page's own count."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from wulian.reports.annual import Part
from wulian.suggestions import figures


def parts(year: int) -> list[Part]:
    data = figures.compute(year=year, links=False)
    received = data.figure("received").value or 0
    out: list[Part] = []
    if received:
        answered = data.figure("answered").value or 0
        due = data.figure("due").value or 0
        on_time = data.figure("answered_on_time").value or 0
        nums: dict[str, int | str] = {
            "suggestions.received": received,
            "suggestions.answered": answered,
            "suggestions.answered_on_time": on_time,
        }
        if answered == received:
            lead = _("%(y)d年，%(n)d件代表建议全部办结并答复代表") % {"y": year, "n": received}
        else:
            lead = _("%(y)d年，收到代表建议%(n)d件，已答复%(a)d件") % {
                "y": year,
                "n": received,
                "a": answered,
            }
        text = lead + (
            _("，其中按期答复%(o)d件（占已到期的%(p)s）") % {"o": on_time, "p": _pct(on_time, due)}
            if due
            else ""
        )
        rated = sum(f.value or 0 for f in data.satisfaction)
        if rated and rated >= settings.SUGGESTION_FIGURES_MIN_VERDICTS:
            good = rated - (data.figure("verdict_unsatisfied").value or 0)
            nums["suggestions.rated"] = rated
            nums["suggestions.satisfied"] = good
            text += _("；代表评价%(r)d件，满意和基本满意%(g)d件，满意率%(p)s") % {
                "r": rated,
                "g": good,
                "p": _pct(good, rated),
            }
        solved = data.figure("category_A").value if _has(data, "category_A") else None
        if solved:
            nums["suggestions.category_a"] = solved
            text += _("；%(n)d件所提问题已解决或基本解决") % {"n": solved}
        out.append(Part("suggestions", 10, [text + "。"], nums))
    for n, c in enumerate(data.campaigns):
        if not c.collected:
            continue
        out.append(
            Part(
                "suggestions",
                20 + n,
                [
                    _("“%(c)s”代表行动中收集意见、建议%(n)d件，办结%(d)d件。")
                    % {"c": c.name.strip("“”"), "n": c.collected, "d": c.completed}
                ],
                {
                    f"suggestions.campaign.{c.campaign_id}.collected": c.collected,
                    f"suggestions.campaign.{c.campaign_id}.completed": c.completed,
                },
            )
        )
    return out


def _has(data: figures.YearFigures, key: str) -> bool:
    try:
        data.figure(key)
    except KeyError:
        return False
    return True


def _pct(part: int, whole: int) -> str:
    return f"{part / whole * 100:.1f}%" if whole else "—"
