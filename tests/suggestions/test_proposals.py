"""Proposing the handling unit from past assignments, and measuring it on held-out history."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.suggestions import corpus
from wulian.suggestions.proposals import UnitProposer, evaluate
from wulian.suggestions.similarity import document_tokens


def sentences(content: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。；])", content) if s]


def past_years(n_per_item: int = 6, seed: int = 7) -> list[tuple[list[str], str]]:
    """Several years of suggestions on the corpus' matters, worded differently each time (one
    sentence of the circumstances left out, one sentence copied from another matter), oldest
    first, as the app indexes them (`document_tokens`: the title counts twice)."""
    rng = random.Random(seed)
    history = []
    for _ in range(n_per_item):
        for _k, title, content, unit in corpus.SUGGESTIONS:
            parts = sentences(content)
            kept = rng.sample(parts, k=max(1, len(parts) - 1))
            noise = rng.choice(sentences(rng.choice(corpus.SUGGESTIONS)[2]))
            history.append((document_tokens(title, "".join(kept) + noise), unit))
    rng.shuffle(history)
    return history


def test_a_new_suggestion_goes_to_the_unit_that_handled_its_like():
    proposer = UnitProposer().fit(corpus.history())
    best = proposer.propose("老楼没有电梯老人下楼难，建议简化加装电梯审批，给补贴")
    assert best[0].unit == "市住建局"
    assert best[0].confidence > 0.5


def test_top_three_with_confidences_that_share_the_votes():
    proposer = UnitProposer().fit(corpus.history())
    found = proposer.propose("学校门口上下学接送车辆乱停，交通拥堵，食品摊点多")
    assert 1 <= len(found) <= 3
    assert [p.confidence for p in found] == sorted((p.confidence for p in found), reverse=True)
    assert sum(p.confidence for p in found) <= 1.0 + 1e-9
    assert found[0].unit == "市公安局交警支队"
    assert "市市场监管局" in {p.unit for p in found}  # 校园食品安全 is the runner-up's matter


def test_examples_name_the_past_suggestions_behind_a_proposal():
    proposer = UnitProposer()
    for key, title, content, unit in corpus.SUGGESTIONS:
        proposer.add(f"{title}{content}", unit, ref=key)
    best = proposer.propose("社区老年食堂太少，高龄独居老人吃饭难")[0]
    assert best.unit == "市民政局"
    assert set(best.examples[:2]) == {"elder-meal-1", "elder-meal-2"}


def test_nothing_is_proposed_for_a_matter_never_seen():
    proposer = UnitProposer().fit(corpus.history())
    assert proposer.propose("量子通信卫星地面站") == []
    assert UnitProposer().propose("加装电梯") == []


def test_leave_one_out_on_matters_raised_twice():
    """Each suggestion whose matter was raised by another deputy is proposed that unit first."""
    items = corpus.SUGGESTIONS
    for i, (key, title, content, unit) in enumerate(items):
        if not any(key in g for g in corpus.SAME_MATTER):
            continue
        rest = [(f"{t}{c}", u) for j, (_k, t, c, u) in enumerate(items) if j != i]
        found = UnitProposer().fit(rest).propose(f"{title}{content}")
        assert found[0].unit == unit, key


def test_evaluate_on_held_out_history():
    history = past_years()
    result = evaluate(history, 0.2)
    assert result.held_out == round(len(history) * 0.2)
    assert result.trained_on + result.held_out == len(history)
    # A fifth to a third of each held-out text is a sentence copied from another matter.
    assert result.top1 >= 0.8
    assert result.top3 >= result.top1
    assert result.top3 >= 0.95
    assert result.no_proposal == 0.0
    assert set(result.as_dict()) == {"trained_on", "held_out", "top1", "top3", "no_proposal"}


def test_evaluate_holds_out_the_newest_part():
    """A unit seen only at the end of history cannot be proposed for its own items."""
    history = [(text, unit) for text, unit in corpus.history()]
    history += [("关于消防救援站建设的建议，消防车进不去老城区", "新设的应急管理局")] * 5
    result = evaluate(history, 5 / len(history))
    assert result.held_out == 5
    assert result.top3 == 0.0


@pytest.mark.parametrize("fraction", [0, 1, -0.1, 1.5])
def test_evaluate_refuses_a_fraction_outside_zero_to_one(fraction):
    with pytest.raises(ValueError):
        evaluate(corpus.history(), fraction)


def test_evaluate_needs_something_to_train_on():
    with pytest.raises(ValueError):
        evaluate(corpus.history()[:1], 0.5)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(["电梯", "道路", "学校", "养老", "积水", "公交"]), min_size=1),
            st.sampled_from(["甲局", "乙局", "丙局", "丁局", "戊局"]),
        ),
        min_size=1,
        max_size=30,
    ),
    st.lists(st.sampled_from(["电梯", "道路", "学校", "养老", "积水", "公交"]), min_size=1),
    st.integers(min_value=1, max_value=5),
)
def test_proposals_are_distinct_ranked_and_at_most_k(history, query, k):
    found = UnitProposer().fit(history).propose(query, k)
    assert len(found) <= k
    assert len({p.unit for p in found}) == len(found)
    assert all(0 < p.confidence <= 1 for p in found)
    assert [p.confidence for p in found] == sorted((p.confidence for p in found), reverse=True)
    assert {p.unit for p in found} <= {u for _, u in history}
