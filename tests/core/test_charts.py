"""The SVG chart component (ADR 0020): escaped, no script or inline style, links out of the
tab order (the table beside each chart has them), suppressed values drawn as no bar."""

from __future__ import annotations

import re

from wulian.core.charts import Point, Series, bar_chart, column_chart


def test_a_bar_chart_escapes_links_and_draws_no_bar_for_a_hidden_value():
    html = bar_chart(
        key="k",
        title="标题<b>",
        points=[
            Point("满意<script>", 3, "3", "/suggestions/?verdict=satisfied&year=2023"),
            Point("不满意", None, "不公开"),
            Point("一个非常非常非常非常长的承办单位名称", 0, "0"),
        ],
    )
    assert "<script>" not in html and "&lt;script&gt;" in html and "标题&lt;b&gt;" in html
    assert "style=" not in html
    assert '<a href="/suggestions/?verdict=satisfied&amp;year=2023" tabindex="-1">' in html
    assert html.count("<a ") == 1
    assert re.search(r'width="0"', html)  # the hidden value: no bar
    assert "一个非常非常非常非常长的承…" in html  # cut, whole in the tooltip
    assert "<title>一个非常非常非常非常长的承办单位名称：0</title>" in html
    assert 'role="img"' in html and 'aria-labelledby="chart-k"' in html


def test_a_share_chart_ends_at_100_percent():
    html = bar_chart(key="p", title="t", points=[Point("a", 0.5, "50.0%")], percent=True)
    width = float(re.search(r'<rect x="200" y="[\d.]+" width="([\d.]+)"', html).group(1))
    assert 180 < width < 190  # half of the 368 px span


def test_a_column_chart_has_a_legend_and_a_link_per_column():
    html = column_chart(
        key="trend",
        title="历年",
        categories=["2022", "2023"],
        series=[
            Series("收到", [1, 187], ["/l?year=2022", "/l?year=2023"]),
            Series("答复", [1, None]),
        ],
    )
    assert html.count('tabindex="-1"') == 2
    assert "2023 收到：187" in html and "2023 答复：—" in html
    assert html.count('class="chart-legend') == 2
