"""The portal's rows, drawn in Python (ADR 0018: a list's rows are a function, not a loop of
includes)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from wulian.core.templatetags.ui import badge_html
from wulian.portal.selectors import Commitment

ROW = (
    '<tr><td data-label="{}">{}</td><td data-label="{}">{}</td>'
    '<td data-label="{}">{}</td><td data-label="{}">{}</td></tr>'
)


def _day(d: date | None) -> str:
    return date_format(d, "Y-m-d") if d else "—"


def commitment_rows(commitments: Iterable[Commitment]) -> SafeString:
    """The rows of an inquiry's commitments: what was promised, by which unit, by when, and
    whether it was kept (已兑现, on the day its rectification was closed)."""
    labels = (_("承诺事项"), _("承诺单位"), _("计划完成"), _("落实情况"))
    kept = _("已兑现（%(d)s）")
    return format_html_join(
        "",
        ROW,
        (
            (
                labels[0],
                c.title,
                labels[1],
                c.unit,
                labels[2],
                _day(c.planned),
                labels[3],
                badge_html(kept % {"d": _day(c.closed)}, "ok")
                if c.kept
                else badge_html(c.state_label, "info"),
            )
            for c in commitments
        ),
    )
