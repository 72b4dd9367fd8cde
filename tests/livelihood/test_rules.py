"""The deviation warning and the roll-up, stated as properties."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wulian.livelihood import rules

SHARE = Decimal("0.2")
# A loaded machine can stall one draw for seconds; the inputs are small.
relaxed = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
gaps = st.decimals(min_value=0, max_value=1, places=4)


def run(sequence: list[Decimal], share: Decimal = SHARE) -> list[bool]:
    standing = None
    fired = []
    for gap in sequence:
        verdict = rules.deviation(standing, gap, share)
        standing = verdict.standing
        fired.append(verdict.fire)
    return fired


@relaxed
@given(st.lists(gaps, max_size=24))
def test_a_warning_fires_only_beyond_the_share_and_only_when_it_worsens(sequence):
    fired = run(sequence)
    standing = None
    for gap, fire in zip(sequence, fired, strict=True):
        if gap <= SHARE:
            assert not fire
            standing = None
        else:
            assert fire == (standing is None or gap > standing)
            if fire:
                standing = gap


@given(st.decimals(min_value=Decimal("0.21"), max_value=1, places=4), st.integers(1, 12))
def test_a_steady_lag_warns_once(gap, months):
    assert run([gap] * months) == [True] + [False] * (months - 1)


@relaxed
@given(
    st.lists(st.decimals(min_value=Decimal("0.21"), max_value=1, places=4), min_size=1, max_size=24)
)
def test_while_behind_it_warns_exactly_at_each_new_worst(sequence):
    fired = run(sequence)
    worst = Decimal(-1)
    expected = []
    for gap in sequence:
        expected.append(gap > worst)
        worst = max(worst, gap)
    assert fired == expected


def test_the_share_itself_is_not_beyond_it():
    assert run([SHARE, Decimal("0.2001")]) == [False, True]


@given(
    st.decimals(min_value=1, max_value=10_000, places=2),
    st.decimals(min_value=0, max_value=20_000, places=2),
)
def test_the_gap_is_the_share_of_the_plan_not_reached(planned, actual):
    gap = rules.gap(planned, actual)
    if actual >= planned:
        assert gap == 0
    else:
        assert 0 < gap <= 1
        assert abs(gap - (planned - actual) / planned) < Decimal("0.0001")


@given(
    st.decimals(min_value=1, max_value=10_000, places=2),
    st.decimals(min_value=0, max_value=20_000, places=2),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=20_000, places=2)),
)
def test_an_indicator_is_done_when_every_stage_reached_the_target(target, actual, in_use):
    p = rules.progress(target, actual, in_use)
    assert p.done == (actual >= target and (in_use is None or in_use >= target))
    assert p.over == (p.done and actual > target)
    text = rules.rollup_text(p, "公里")
    assert text.startswith(f"{rules.number(target)} 公里")
    assert ("超额完成" in text) == p.over


def test_the_article_s_words():
    assert (
        rules.rollup_text(rules.progress(Decimal(600), Decimal("612.5")), "公里")
        == "600 公里，完成 612.5 公里，超额完成"
    )
    assert (
        rules.rollup_text(rules.progress(Decimal(50), Decimal(50), Decimal(50)), "个")
        == "50 个，建成 50 个，投用 50 个，全部建成并投用"
    )
    assert rules.rollup_text(rules.progress(Decimal(50), Decimal(50), Decimal(40)), "个").endswith(
        "完成 100%"
    )
    assert rules.number(Decimal(6256)) == "6,256"


@given(
    st.dictionaries(st.integers(1, 12).map(str), st.integers(0, 1000), min_size=1),
    st.integers(1, 12),
)
def test_the_planned_value_is_the_last_point_of_the_curve_up_to_the_month(plan, month):
    before = [int(m) for m in plan if int(m) <= month]
    expected = Decimal(plan[str(max(before))]) if before else None
    assert rules.planned_at(plan, month) == expected
