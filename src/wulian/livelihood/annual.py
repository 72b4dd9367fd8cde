"""联督's part of the annual 五联 report for the livelihood projects (wulian.reports.annual):
the year's 民生实事 and each indicator's roll-up — the figures page's own count
(`figures.cli_figures`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from wulian.livelihood import figures, rules
from wulian.livelihood.choices import Satisfaction
from wulian.reports.annual import Part


def _verdict(p: rules.Progress) -> str:
    if p.over:
        return _("超额完成")
    if p.done:
        return _("全部建成并投入使用") if p.in_use is not None else _("全部完成")
    return _("完成%(p)d%%") % {"p": int(p.share * 100)}


def parts(year: int) -> list[Part]:
    data = figures.cli_figures(year=year)
    if not data.projects:
        return []
    nums: dict[str, int | str] = {
        "livelihood.projects": len(data.projects),
        "livelihood.done": data.done,
    }
    rows: list[list[str]] = []
    phrases: list[str] = []
    for p in data.projects:
        for i in p.indicators:
            target, actual = rules.number(i.progress.target), rules.number(i.progress.actual)
            nums[f"livelihood.{p.number}.{i.name}.target"] = target
            nums[f"livelihood.{p.number}.{i.name}.actual"] = actual
            phrase = _("%(i)s%(t)s%(u)s，完成%(a)s%(u)s") % {
                "i": i.name,
                "t": target,
                "a": actual,
                "u": i.unit,
            }
            if i.progress.in_use is not None:
                in_use = rules.number(i.progress.in_use)
                nums[f"livelihood.{p.number}.{i.name}.in_use"] = in_use
                phrase += _("、投入使用%(n)s%(u)s") % {"n": in_use, "u": i.unit}
            phrases.append(f"{phrase}，{_verdict(i.progress)}")
            rows.append(
                [
                    f"{p.number}. {p.title}",
                    i.name,
                    f"{target}{i.unit}",
                    f"{actual}{i.unit}",
                    _verdict(i.progress),
                ]
            )
    text = _(
        "聚焦%(y)d年度政府民生实事项目%(n)d项，通过听取汇报、联合调研、集中视察、现场督办等方式"
        "开展联合监督，推动%(list)s。"
    ) % {"y": year, "n": len(data.projects), "list": "；".join(phrases)}
    if data.done == len(data.projects):
        text += _("%(n)d项民生实事全部完成。") % {"n": data.done}
    else:
        text += _("%(n)d项民生实事中已完成%(d)d项。") % {"n": len(data.projects), "d": data.done}
    paragraphs = [text]
    rated = {k: v for k, v in data.satisfaction.items() if v}
    if rated:
        labels = dict(Satisfaction.choices)
        nums.update({f"livelihood.satisfaction.{k}": v for k, v in rated.items()})
        paragraphs.append(
            _("在人民代表大会会议上对项目实施情况进行满意度测评：%(r)s。")
            % {"r": "，".join(f"{labels.get(k, k)}{v}项" for k, v in rated.items())}
        )
    headers = [_("项目"), _("指标"), _("目标"), _("完成"), _("情况")]
    return [Part("livelihood", 10, paragraphs, nums, table=(headers, rows))]
