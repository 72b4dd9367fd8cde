"""`{% figure_unit_rows %}` (suggestion_ui.figure_unit_rows) draws the year's figures' unit
ranking as the template's loop did, byte for byte: numbers, a unit without a link or a due
count (None), suppressed satisfaction, markup in a unit's name, both languages (ADR 0018,
fifth round)."""

from __future__ import annotations

import pytest
from django.template import engines
from django.utils import translation

from wulian.suggestions.figures import UnitRow

OLD = (
    "{% load i18n %}{% translate '名次' as l_1 %}{% translate '承办单位' as l_2 %}"
    "{% translate '主办件数' as l_3 %}{% translate '已答复' as l_4 %}"
    "{% translate '已到期' as l_8 %}{% translate '按期答复率' as l_5 %}"
    "{% translate '满意率' as l_6 %}{% translate '按时联系率' as l_7 %}"
    "{% for u in units %}<tr>\n"
    '    <td data-label="{{ l_1 }}">{{ u.rank }}</td>\n'
    '    <td data-label="{{ l_2 }}">{{ u.unit }}</td>\n'
    '    <td data-label="{{ l_3 }}"><a href="{{ u.url }}">{{ u.assigned }}</a></td>\n'
    '    <td data-label="{{ l_4 }}">{{ u.answered }}</td>\n'
    '    <td data-label="{{ l_8 }}">{{ u.due }}</td>\n'
    '    <td data-label="{{ l_5 }}">{{ u.percents.on_time }}</td>\n'
    '    <td data-label="{{ l_6 }}">{{ u.percents.satisfaction }}</td>\n'
    '    <td data-label="{{ l_7 }}">{{ u.percents.contact }}</td>\n'
    "  </tr>{% endfor %}"
)
NEW = "{% load suggestion_ui %}{% figure_unit_rows units %}"

UNITS = [
    UnitRow(1, 7, "市住建局", 1234, 1000, 900, 850, 400, 380, "/suggestions/?lead_unit=7", 950),
    UnitRow(2, 8, "区<政府> & “办”", 3, 1, 0, 0, 0, None, None, None),
    UnitRow(2, 9, "Bureau 'x'", 0, 0, 0, 0, 0, 0, "/s/?a=1&b=2", 0),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_unit_rows_are_what_the_template_drew(language):
    engine = engines["django"]
    with translation.override(language):
        for units in (UNITS, UNITS[1:2], []):
            context = {"units": units}
            old = engine.from_string(OLD).render(context)
            assert engine.from_string(NEW).render(context) == old
        old = engine.from_string(OLD).render({"units": UNITS})
    assert "区&lt;政府&gt; &amp;" in old and "None" in old
