"""Charts drawn on the server as SVG (ADR 0020): one component for every link's figures.

No JavaScript, no library: a chart is a `<figure>` holding an inline `<svg>` written with
`format_html` (ADR 0018), so it obeys the Content-Security-Policy (no script, no inline style:
geometry is in attributes, colours in `app.css` classes), prints as vectors, costs well under a
millisecond and reaches an intranet with nothing to download.

- `bar_chart(...)`: horizontal bars, one per `Point` (a count or a share); a long label is cut
  with an ellipsis and given whole in the bar's tooltip.
- `column_chart(...)`: grouped columns, one group per category (a year) and one column per
  `Series` (received, answered …), with a legend.

Each bar is a link to the records behind it (the ledger filtered accordingly) for the pointer;
the chart is one image to assistive technology (`role="img"` and a label naming what it
shows), its links out of the tab order: **the table printed beside every chart** holds the same
numbers and the same links for the keyboard, screen readers and the .docx. A value that is
suppressed (too few verdicts, ADR 0012) or not applicable is drawn as no bar and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from wulian.core import punctuation

WIDTH = 640
ROW = 26  # height of one bar's row
LABEL_WIDTH = 200
LABEL_CHARS = 14  # a label wider than this many Chinese characters is cut (whole in the tooltip)
VALUE_WIDTH = 72
PAD = 6


@dataclass(frozen=True)
class Point:
    """One bar: its label, its value (None: not shown), the text printed at its end and the
    URL of the records behind it."""

    label: str
    value: float | None
    text: str = ""
    url: str | None = None


@dataclass(frozen=True)
class Series:
    """One column per category: `values` and `urls` follow the chart's categories."""

    label: str
    values: Sequence[float | None]
    urls: Sequence[str | None] = ()


def _fmt(v: float) -> str:
    """A coordinate, short (no trailing zeros)."""
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _width(text: str) -> float:
    """The width of `text` in Chinese characters (a Latin letter or digit is about half)."""
    return sum(1.0 if ord(c) >= 0x2E80 else 0.55 for c in text)


def _cut(label: str) -> str:
    if _width(label) <= LABEL_CHARS:
        return label
    out = ""
    for c in label:
        if _width(out + c) > LABEL_CHARS - 1:
            break
        out += c
    return out + "…"


def _link(url: str | None, inner: SafeString) -> SafeString:
    """A bar wrapped in a link to its records, out of the tab order (the table has it)."""
    if not url:
        return inner
    return format_html('<a href="{}" tabindex="-1">{}</a>', url, inner)


def _figure(
    *, key: str, title: str, summary: str, height: float, body: SafeString, note: str = ""
) -> SafeString:
    n = key
    return format_html(
        '<figure class="chart" data-chart="{key}">'
        '<figcaption id="chart-{n}">{title}</figcaption>'
        '<svg class="chart-svg" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-labelledby="chart-{n}" aria-describedby="chart-{n}-d" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        '<desc id="chart-{n}-d">{summary}</desc>{body}</svg>{note}</figure>\n',
        key=key,
        n=n,
        title=title,
        w=WIDTH,
        h=_fmt(height),
        summary=summary,
        body=body,
        note=format_html('<p class="help chart-note">{}</p>', note) if note else "",
    )


def bar_chart(
    *,
    key: str,
    title: str,
    points: Sequence[Point],
    percent: bool = False,
    note: str = "",
) -> SafeString:
    """Horizontal bars. `percent`: values are shares between 0 and 1 (the axis ends at 100 %);
    otherwise counts (the axis ends at the largest)."""
    top = 1.0 if percent else max([p.value or 0 for p in points] + [0])
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH - PAD
    rows = []
    for i, p in enumerate(points):
        y = PAD + i * ROW
        text = p.text or ("—" if p.value is None else _fmt(p.value))
        label = format_html(
            '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>',
            LABEL_WIDTH - PAD,
            _fmt(y + ROW * 0.62),
            _cut(p.label),
        )
        ok = p.value is not None and top > 0
        length = span * min(1.0, max(0.0, p.value / top)) if ok else 0.0
        tip = punctuation.labelled(p.label, text)
        bar = format_html(
            '<g class="chart-bar"><title>{tip}</title>'
            '<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="2"></rect>'
            '<text class="chart-value" x="{tx}" y="{ty}">{text}</text></g>',
            tip=tip,
            x=LABEL_WIDTH,
            y=_fmt(y + 3),
            # A zero still shows a hairline, so that "0" reads as a bar of nothing.
            w=_fmt(max(length, 1.0 if p.value is not None else 0.0)),
            h=ROW - 6,
            tx=_fmt(LABEL_WIDTH + length + 4),
            ty=_fmt(y + ROW * 0.62),
            text=text,
        )
        rows.append(format_html("{}{}", label, _link(p.url, bar)))
    height = PAD * 2 + max(1, len(points)) * ROW
    axis = format_html(
        '<line class="chart-axis" x1="{x}" y1="{y1}" x2="{x}" y2="{y2}"></line>',
        x=LABEL_WIDTH,
        y1=PAD,
        y2=_fmt(height - PAD),
    )
    summary = punctuation.join(
        (f"{p.label} {p.text or ('—' if p.value is None else _fmt(p.value))}" for p in points),
        sep="；",
    )
    return _figure(
        key=key,
        title=title,
        summary=summary or _("没有数据"),
        height=height,
        body=format_html("{}{}", axis, format_html_join("", "{}", ((r,) for r in rows))),
        note=note,
    )


COLUMN_AREA = 180  # height of the columns' area
LEGEND = 26


def column_chart(
    *,
    key: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    note: str = "",
) -> SafeString:
    """Grouped columns: one group per category (e.g. a year), one column per series."""
    top = max([v or 0 for s in series for v in s.values] + [0])
    left, bottom = 36, LEGEND + 16 + COLUMN_AREA  # room for the tallest value
    n_cat = max(1, len(categories))
    group = (WIDTH - left - PAD) / n_cat
    col = min(36.0, group * 0.8 / max(1, len(series)))
    parts = []
    x = float(left)
    for si, s in enumerate(series):
        parts.append(
            format_html(
                '<g class="chart-legend chart-s{i}"><rect x="{x}" y="6" width="12" height="12">'
                '</rect><text x="{tx}" y="16">{label}</text></g>',
                i=si % 4,
                x=_fmt(x),
                tx=_fmt(x + 16),
                label=s.label,
            )
        )
        x += 16 + _width(s.label) * 12 + 20
    for ci, cat in enumerate(categories):
        x0 = left + ci * group + (group - col * len(series)) / 2
        for si, s in enumerate(series):
            v = s.values[ci] if ci < len(s.values) else None
            h = 0.0 if not v or top <= 0 else COLUMN_AREA * v / top
            url = s.urls[ci] if ci < len(s.urls) else None
            shown = "—" if v is None else _fmt(v)
            bar = format_html(
                '<g class="chart-bar chart-s{i}"><title>{tip}</title>'
                '<rect x="{x}" y="{y}" width="{w}" height="{h}"></rect>'
                '<text class="chart-value" x="{tx}" y="{ty}" text-anchor="middle">{v}</text></g>',
                i=si % 4,
                tip=punctuation.labelled(f"{cat} {s.label}", shown),
                x=_fmt(x0 + si * col),
                y=_fmt(bottom - max(h, 1.0)),
                w=_fmt(col - 2),
                h=_fmt(max(h, 1.0)),
                tx=_fmt(x0 + si * col + (col - 2) / 2),
                ty=_fmt(bottom - max(h, 1.0) - 3),
                v=shown,
            )
            parts.append(_link(url, bar))
        parts.append(
            format_html(
                '<text class="chart-label" x="{x}" y="{y}" text-anchor="middle">{cat}</text>',
                x=_fmt(left + ci * group + group / 2),
                y=bottom + 16,
                cat=cat,
            )
        )
    axis = format_html(
        '<line class="chart-axis" x1="{l}" y1="{b}" x2="{r}" y2="{b}"></line>',
        l=left,
        b=bottom,
        r=WIDTH - PAD,
    )
    summary = punctuation.join(
        (
            punctuation.labelled(
                cat, punctuation.join((f"{s.label} {_value(s, ci)}" for s in series), sep="，")
            )
            for ci, cat in enumerate(categories)
        ),
        sep="；",
    )
    return _figure(
        key=key,
        title=title,
        summary=summary or _("没有数据"),
        height=bottom + 24,
        body=format_html(
            "{}{}",
            axis,
            format_html_join("", "{}", ((p,) for p in parts)),
        ),
        note=note,
    )


def _value(s: Series, i: int) -> str:
    v = s.values[i] if i < len(s.values) else None
    return "—" if v is None else _fmt(v)
