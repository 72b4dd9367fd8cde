"""Issue 13, item 13: stored Chinese deadline titles are composed again in English at display
time (old rows included), and dates follow the reader's language."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import translation

from wulian.core.deadlines import titles
from wulian.core.templatetags.ui import local_date_text

AT = dt.datetime(2026, 12, 6, 14, 7, tzinfo=dt.UTC)


def test_a_stored_title_reads_in_english_with_the_records_own_words():
    stored = "答复代表建议 十七届五次会议第3号《关于加装电梯的建议》"
    with translation.override("zh-hans"):
        assert titles.display(stored) == stored
    with translation.override("en"):
        shown = titles.display(stored)
    assert shown == "Reply to the deputy's suggestion 十七届五次会议 No. 3 “关于加装电梯的建议”"
    with translation.override("en"):
        assert (
            titles.display("完成整改：窗口服务不规范") == "Complete rectification: 窗口服务不规范"
        )
        # A title no template knows (or cut at 200 characters) is shown as stored.
        assert titles.display("某个旧的期限") == "某个旧的期限"


def test_dates_follow_the_readers_language():
    with translation.override("zh-hans"):
        assert local_date_text(AT) == "2026年12月6日 22:07"
        assert local_date_text(AT.date(), with_time=False) == "2026年12月6日"
    with translation.override("en"):
        assert local_date_text(AT) == "6 Dec 2026 22:07"
        assert local_date_text(AT.astimezone(ZoneInfo("UTC")).date()) == "6 Dec 2026"
    assert local_date_text(None) == ""
