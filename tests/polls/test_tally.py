"""The tally rules at their boundaries, and as properties (ADR 0022 for the sources)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from wulian.core.polls import tally
from wulian.core.polls.tally import BASIC, SATISFIED, UNSATISFIED


def counts(s: int, b: int, u: int) -> dict[str, int]:
    return {SATISFIED: s, BASIC: b, UNSATISFIED: u}


def test_exactly_half_is_not_a_majority():
    # 10 of 20 满意 is not more than half; with one 基本满意 the two together are.
    assert tally.majority_grade(counts(10, 0, 10), base=20).grade == UNSATISFIED
    assert tally.majority_grade(counts(10, 1, 9), base=20).grade == BASIC
    assert tally.majority_grade(counts(11, 0, 9), base=20).grade == SATISFIED
    assert tally.majority_grade(counts(5, 5, 10), base=20).grade == UNSATISFIED
    assert tally.majority_grade(counts(5, 6, 9), base=20).grade == BASIC


def test_the_base_of_all_members_counts_those_who_did_not_vote():
    # 12 of 15 valid votes are 满意, but the committee has 30 members: not more than half.
    assert tally.majority_grade(counts(12, 2, 1), base=15).grade == SATISFIED
    assert tally.majority_grade(counts(12, 2, 1), base=30).grade == UNSATISFIED
    assert tally.majority_grade(counts(12, 4, 1), base=30).grade == BASIC


def test_no_valid_vote_no_grade():
    assert tally.majority_grade(counts(0, 0, 0), base=0).grade is None


@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60))
def test_grade_follows_the_rule(s, b, u):
    base = s + b + u
    grade = tally.majority_grade(counts(s, b, u), base=base).grade
    if base == 0:
        assert grade is None
    elif 2 * s > base:
        assert grade == SATISFIED
    elif 2 * (s + b) > base:
        assert grade == BASIC
    else:
        assert grade == UNSATISFIED
    # More 满意 (taken from 不满意) never lowers the grade.
    if u:
        better = tally.majority_grade(counts(s + 1, b, u - 1), base=base).grade
        order = [UNSATISFIED, BASIC, SATISFIED]
        assert order.index(better) >= order.index(grade)


def test_weighted_score_by_groups():
    # 常委会组成人员 50: all 满意 → 100; 人大代表 30: half 满意, half 基本满意 → 85;
    # 社会各界 20: all 不满意 → 30. (50×100 + 30×85 + 20×30) / 100 = 81.5
    score = tally.weighted_score(
        {"c": counts(10, 0, 0), "d": counts(5, 5, 0), "s": counts(0, 0, 8)},
        weights={"c": 50, "d": 30, "s": 20},
    )
    assert score == Fraction(163, 2)
    assert tally.score_text(score) == "81.50"


def test_a_group_without_votes_leaves_its_weight_to_the_others():
    score = tally.weighted_score(
        {"c": counts(1, 0, 0), "d": counts(0, 0, 0)}, weights={"c": 50, "d": 50}
    )
    assert score == 100
    assert tally.weighted_score({"c": counts(0, 0, 0)}, weights={"c": 1}) is None


def test_scores_round_half_up_to_two_decimals():
    assert tally.score_text(Fraction(8005, 100)) == "80.05"
    assert tally.score_text(Fraction(80005, 1000)) == "80.01"  # 80.005 → 80.01
    assert tally.score_text(Fraction(200, 3)) == "66.67"
    assert tally.score_text(Fraction(100)) == "100.00"
    assert tally.score_text(None) == "—"


@given(
    st.dictionaries(
        st.sampled_from("abcd"),
        st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30)),
        min_size=1,
    ),
    st.dictionaries(st.sampled_from("abcd"), st.integers(1, 100)),
)
def test_weighted_score_lies_between_the_lowest_and_highest_points(by_group, weights):
    score = tally.weighted_score({g: counts(*c) for g, c in by_group.items()}, weights=weights)
    if score is not None:
        assert 30 <= score <= 100


def test_top_n_elects_within_places_those_above_half_of_all_members():
    # 15 candidates, 10 places, 100 members: above 50 needed.
    approvals = {f"p{i}": 90 - i * 3 for i in range(15)}  # 90, 87, … 48
    result = tally.top_n(approvals, members=100, places=10)
    assert result.elected == [f"p{i}" for i in range(10)]
    assert result.runoff == [] and result.places_left == 0
    assert set(result.short_of_majority) == {"p14"}  # 48 is not more than 50


def test_exactly_half_of_members_is_not_elected():
    result = tally.top_n({"a": 50, "b": 51}, members=100, places=2)
    assert result.elected == ["b"] and result.short_of_majority == ["a"]
    assert result.places_left == 1


def test_a_tie_across_the_last_place_goes_to_a_further_vote():
    result = tally.top_n({"a": 80, "b": 70, "c": 70, "d": 60}, members=100, places=2)
    assert result.elected == ["a"]
    assert sorted(result.runoff) == ["b", "c"]
    assert result.places_left == 1
    # A tie that fits within the places elects both.
    assert sorted(tally.top_n({"a": 80, "b": 70, "c": 70}, members=100, places=3).elected) == [
        "a",
        "b",
        "c",
    ]


@given(
    st.dictionaries(st.text("abcdefgh", min_size=1, max_size=2), st.integers(0, 100), min_size=1),
    st.integers(1, 100),
    st.integers(1, 8),
)
def test_top_n_never_elects_more_than_the_places_nor_a_minority(approvals, members, places):
    result = tally.top_n(approvals, members=members, places=places)
    assert len(result.elected) <= places
    assert all(2 * approvals[c] > members for c in result.elected + result.runoff)
    assert not set(result.elected) & set(result.runoff)
    # Everyone elected has at least as many 赞成 as anyone not elected who has a majority.
    if result.elected:
        lowest = min(approvals[c] for c in result.elected)
        others = [c for c in approvals if c not in result.elected and 2 * approvals[c] > members]
        assert all(approvals[c] <= lowest for c in others)
    assert result.places_left == places - len(result.elected)
