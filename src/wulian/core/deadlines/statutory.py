"""The statutory holidays that can be known before the State Council publishes a year.

A year the administrator has not yet marked complete is still counted on — provisionally — with
the days off that 《全国年节及纪念日放假办法》 fixes by date or by the lunar calendar (as amended by
国务院令第 795 号 of 12 November 2024, in force from 1 January 2025):

    第二条  全体公民放假的节日：元旦 1 天（1 月 1 日）；春节 4 天（农历除夕、正月初一至初三）；
    清明节 1 天（农历清明当日）；劳动节 2 天（5 月 1 日、2 日）；端午节 1 天（农历端午当日）；
    中秋节 1 天（农历中秋当日）；国庆节 3 天（10 月 1 日至 3 日）。
    第六条  全体公民放假的假日，如果适逢星期六、星期日，应当在工作日补假。

What cannot be known in advance is left out: the make-up working days (调休上班) and the bridge
days the annual notice adds to make longer breaks. A provisional count therefore never counts a
weekend as a working day, and may count as working a weekday the notice will later give off —
the due date moves once the year is complete (ADR 0016).

Lunar dates (除夕, 端午, 中秋) and the solar term 清明 come from `lunar_python` (6tail's lunar
library, MIT; tables and astronomical solar terms for 1900–2100), chosen in ADR 0016.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

SOURCE = "《全国年节及纪念日放假办法》（国务院令第795号修订，2025年1月1日起施行）第二条、第六条"
FIRST_YEAR = 2025  # the amended rules (four days of 春节, two of 劳动节) apply from 2025
LAST_YEAR = 2099


@lru_cache(maxsize=64)
def holidays(year: int) -> dict[date, str]:
    """{date: Chinese name} of the year's statutory days off, 补假 included, as far as the law
    fixes them. Years before FIRST_YEAR or after LAST_YEAR give an empty dict (the first are
    always in the calendar table; the last are out of the lunar tables' reach)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return {}
    from lunar_python import Lunar

    def solar(lunar_year: int, month: int, day: int) -> date:
        s = Lunar.fromYmd(lunar_year, month, day).getSolar()
        return date(s.getYear(), s.getMonth(), s.getDay())

    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    # 春节: 除夕 is the day before 正月初一 (the 29th or 30th of the twelfth month).
    new_year = solar(year, 1, 1)
    for offset in range(-1, 3):
        days[new_year + timedelta(days=offset)] = "春节"
    qingming = Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"]
    days[date(qingming.getYear(), qingming.getMonth(), qingming.getDay())] = "清明节"
    days[date(year, 5, 1)] = "劳动节"
    days[date(year, 5, 2)] = "劳动节"
    days[solar(year, 5, 5)] = "端午节"
    days[solar(year, 8, 15)] = "中秋节"
    for d in (1, 2, 3):
        days[date(year, 10, d)] = "国庆节"
    # A year's 除夕 can fall in the year before (春节 on 1 January never happens, but keep the
    # table to the year asked for).
    days = {d: n for d, n in days.items() if d.year == year}
    return _with_days_in_lieu(days)


def _with_days_in_lieu(days: dict[date, str]) -> dict[date, str]:
    """第六条: a holiday on a Saturday or Sunday is made up on the next working day that is not
    itself a holiday (after the run of holidays it belongs to)."""
    result = dict(days)
    for day in sorted(days):
        if day.weekday() < 5:
            continue
        candidate = day + timedelta(days=1)
        while candidate.weekday() >= 5 or candidate in result:
            candidate += timedelta(days=1)
        if candidate.year == day.year:
            result[candidate] = f"{days[day]}（补假）"
    return result
