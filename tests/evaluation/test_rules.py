"""The consequence rule at its boundaries: an overall 不满意, or 不满意 strictly above a third of
a group's valid votes, makes rectification mandatory; exactly a third does not."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wulian.evaluation import rules

LIMITS = rules.Thresholds()
NAMES = {"1": "常委会组成人员", "2": "人大代表", "3": "社会各界代表"}


def item(grade="satisfied", **groups):
    return {"grade": grade, "by_group": groups}


def counts(s=0, b=0, u=0):
    return {"satisfied": s, "basic": b, "unsatisfied": u}


def test_an_overall_unsatisfied_is_mandatory():
    verdict = rules.assess(item("unsatisfied"), NAMES, LIMITS)
    assert verdict.mandatory and "总体测评结果为不满意" in verdict.reasons[0]


def test_exactly_a_third_is_not_above_a_third():
    assert not rules.assess(item(**{"2": counts(s=4, u=2)}), NAMES, LIMITS).mandatory
    verdict = rules.assess(item(**{"2": counts(s=3, b=0, u=2)}), NAMES, LIMITS)
    assert verdict.mandatory and "人大代表" in verdict.reasons[0]


def test_the_thresholds_are_configurable(settings):
    settings.EVALUATION_GROUP_UNSATISFIED_SHARE = "1/2"
    settings.EVALUATION_OVERALL_UNSATISFIED = False
    limits = rules.thresholds()
    assert not rules.assess(item("unsatisfied", **{"1": counts(s=3, u=2)}), NAMES, limits).mandatory
    assert rules.assess(item(**{"1": counts(s=2, u=3)}), NAMES, limits).mandatory


# The machine running the suite may be loaded: no timing health check, no deadline.
RELAXED = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


@RELAXED
@given(
    st.lists(
        st.tuples(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60)),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from(["satisfied", "basic", "unsatisfied", None]),
)
def test_mandatory_exactly_when_a_rule_fires(groups, grade):
    by_group = {str(i + 1): counts(*g) for i, g in enumerate(groups)}
    verdict = rules.assess(item(grade, **by_group), NAMES, LIMITS)
    fires = grade == "unsatisfied" or any(
        sum(g) > 0 and Fraction(g[2], sum(g)) > Fraction(1, 3) for g in groups
    )
    assert verdict.mandatory == fires
    # One more 满意 vote in every group never makes a result worse.
    better = {k: {**v, "satisfied": v["satisfied"] + 1} for k, v in by_group.items()}
    if grade != "unsatisfied":
        assert rules.assess(item(grade, **better), NAMES, LIMITS).mandatory <= verdict.mandatory


@RELAXED
@given(st.integers(1, 300))
def test_the_boundary_for_every_group_size(valid):
    third = Fraction(valid, 3)
    at = int(third)  # the largest count not above a third
    assert not rules.above_share(at, valid, Fraction(1, 3))
    assert rules.above_share(at + 1, valid, Fraction(1, 3)) == (at + 1 <= valid)
