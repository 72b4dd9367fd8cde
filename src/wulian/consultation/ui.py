"""The rows of 联商's lists as Python (ADR 0018: no include inside a loop): each a `<tr>` of
cells with their column label, the labels translated once a page."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

Cell = tuple[Any, Callable[[Any], Any]]  # (column label, the cell's content from the record)


def link(url: str, text: Any) -> SafeString:
    return format_html('<a href="{}">{}</a>', url, text)


def rows_html(objects: Iterable[Any], cells: list[Cell]) -> SafeString:
    labels = [str(label) for label, _fn in cells]
    out = []
    for obj in objects:
        tds = format_html_join(
            "",
            '<td data-label="{}">{}</td>',
            ((label, fn(obj)) for label, (_l, fn) in zip(labels, cells, strict=True)),
        )
        out.append(format_html("<tr>{}</tr>", tds))
    return mark_safe("".join(out))  # noqa: S308 - every part escaped by format_html


def head_html(cells: list[Cell]) -> SafeString:
    return format_html_join("", "<th>{}</th>", ((str(label),) for label, _fn in cells))


def calendar_rows(months: Iterable[Any], month_label: str) -> SafeString:
    """The calendar's twelve rows (`month_label` a translated "%(m)s月"): each month's matters
    of the two sides as links, drawn here (ADR 0018: some hundreds of links a year)."""
    from django.urls import reverse

    url = reverse("consultation:matter_detail", args=[0])[:-2]  # ".../matters/" + id + "/"

    def links(matters: list[tuple[int, str]]) -> SafeString:
        return format_html_join(
            mark_safe("<br>"), '<a href="{}{}/">{}</a>', ((url, pk, t) for pk, t in matters)
        )

    return format_html_join(
        "\n",
        '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
        ((month_label % {"m": m.month}, links(m.congress), links(m.cdi)) for m in months),
    )
