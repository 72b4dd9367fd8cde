"""The written forms of a case's people (one per line in the forms, in one cell in imports)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wulian.judicial import parsing
from wulian.judicial.choices import PartyRole

NAME = st.text(
    alphabet=st.characters(whitelist_categories=("Lo",), max_codepoint=0x9FFF),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(NAME, st.sampled_from(PartyRole.values), st.booleans()),
        min_size=1,
        max_size=6,
        unique_by=lambda t: t[0],
    )
)
def test_parties_written_and_read_back_are_the_same(items):
    parties = [{"name": n, "role": r, "enterprise": e} for n, r, e in items]
    assert parsing.parse_parties(parsing.format_parties(parties)) == parties


def test_items_split_on_lines_and_commas_outside_brackets():
    assert parsing.split_items("甲公司（被告，企业）、张三（原告）\n李四,王五") == [
        "甲公司（被告，企业）",
        "张三（原告）",
        "李四",
        "王五",
    ]


def test_lawyers_need_their_firm_and_may_name_their_party():
    assert parsing.parse_lawyers("李四（湖北某所，代理甲公司）") == [
        {"name": "李四", "firm": "湖北某所", "party": "甲公司"}
    ]
    with pytest.raises(parsing.ListError):
        parsing.parse_lawyers("李四")


def test_an_unknown_role_is_named_in_the_message():
    with pytest.raises(parsing.ListError) as exc:
        parsing.parse_parties("张三（证人）")
    assert "证人" in str(exc.value)
