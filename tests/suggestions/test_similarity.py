"""Segmentation and the similar-suggestion index, on real-looking suggestions."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.suggestions import corpus
from wulian.suggestions import similarity
from wulian.suggestions.similarity import SimilarityIndex, document_tokens, groups, tokens


def doc_items() -> list[tuple[str, list[str]]]:
    return [(k, document_tokens(t, c)) for k, t, c, _u in corpus.SUGGESTIONS]


@pytest.fixture(scope="module")
def index() -> SimilarityIndex:
    idx = SimilarityIndex()
    idx.add_many(doc_items())
    return idx


# ---- tokens


def test_domain_words_stay_whole_and_their_parts_are_searchable():
    words = tokens("关于市住建局推进老旧小区改造和背街小巷整治的建议")
    assert "老旧小区" in words and "小区" in words  # a search for 小区 finds 老旧小区
    assert "背街小巷" in words
    assert "市住建局" in words and "市住" not in words  # not cut into 市住 / 建局


def test_stop_words_numbers_and_punctuation_are_dropped():
    words = tokens("关于进一步加强2023年第12号建议办理工作的意见：3.5%、１２３，我市的问题！")
    assert not {"关于", "进一步", "加强", "建议", "工作", "的", "我市", "问题"} & set(words)
    assert not any(w.strip("0123456789.%％１２３") == "" for w in words)
    assert "：" not in words and "！" not in words


def test_meaningful_single_characters_are_kept_grammar_is_not():
    words = tokens("建议修好村口的路和桥")
    assert {"路", "桥"} <= set(words)
    assert "的" not in words and "和" not in words


def test_latin_is_lower_cased():
    assert "5g" in tokens("建议加快5G基站建设")


def test_empty_text_has_no_tokens():
    assert tokens("") == []
    assert tokens("，。！？") == []


def test_search_text_is_the_tokens_space_joined():
    text = corpus.text("lift-1")
    assert similarity.search_text(text) == " ".join(tokens(text))


def test_the_tokenizer_loads_quietly_and_once(caplog):
    caplog.set_level(logging.DEBUG)
    first = similarity._jieba()
    tokens("加装电梯")
    assert similarity._jieba() is first
    assert not [r for r in caplog.records if r.name == "jieba" and r.levelno < logging.WARNING]


def test_the_dictionary_is_the_wheels_own():
    # None: jieba reads dict.txt from its own package directory (nothing is downloaded).
    assert similarity._jieba().dictionary is None


# ---- the index


def test_each_suggestion_finds_the_ones_that_say_the_same_thing_first(index):
    for group in corpus.SAME_MATTER:
        for key in group:
            best, score = index.similar_to(key, 1)[0]
            assert best in group, (key, best, score)


def test_same_matter_scores_clear_the_default_threshold_and_other_matters_do_not(index):
    same, other = [], []
    for key, *_ in corpus.SUGGESTIONS:
        for near, score in index.similar_to(key, 5):
            together = any(key in g and near in g for g in corpus.SAME_MATTER)
            (same if together else other).append(score)
    assert min(same) >= 0.3
    assert max(other) < 0.3


def test_a_new_text_in_other_words_finds_its_matter(index):
    found = index.similar("老旧小区没有电梯，老人上下楼难，建议给老楼加装电梯并给予补贴", 3)
    assert {k for k, _ in found} <= {"lift-1", "lift-2", "lift-3"}
    assert [s for _, s in found] == sorted((s for _, s in found), reverse=True)


def test_an_unrelated_or_empty_text_finds_nothing(index):
    assert index.similar("", 5) == []
    assert index.similar("量子计算", 5) == []


def test_scores_are_cosines_identical_text_scores_one():
    idx = SimilarityIndex()
    idx.add_many(doc_items())
    idx.add("copy", document_tokens(*corpus.SUGGESTIONS[0][1:3]))
    best = idx.similar(document_tokens(*corpus.SUGGESTIONS[0][1:3]), 2)
    assert {k for k, _ in best} == {"lift-1", "copy"}
    assert all(s == pytest.approx(1.0) for _, s in best)


def test_exclude_and_k():
    idx = SimilarityIndex()
    idx.add_many(doc_items())
    found = idx.similar(corpus.text("lift-1"), 2, exclude=["lift-1"])
    assert len(found) == 2 and "lift-1" not in {k for k, _ in found}
    assert idx.similar(corpus.text("lift-1"), 0) == []


def test_an_id_is_added_once():
    idx = SimilarityIndex()
    idx.add(1, "加装电梯")
    with pytest.raises(ValueError):
        idx.add(1, "加装电梯")
    assert 1 in idx and len(idx) == 1


def test_documents_added_after_a_query_are_found():
    idx = SimilarityIndex()
    idx.add("a", "背街小巷路面破损")
    assert idx.similar("加装电梯") == []
    idx.add("b", "老旧小区加装电梯")
    assert idx.similar("加装电梯")[0][0] == "b"


def test_words_in_most_documents_do_not_make_candidates():
    idx = SimilarityIndex(max_df=0.1)
    for i in range(100):
        idx.add(i, ["小区", f"词{i}"])
    # 小区 is in every document: on its own it tells nothing apart.
    assert idx.similar(["小区"], 5) == []
    assert idx.similar(["小区", "词7"], 1)[0][0] == 7


def test_candidates_beyond_the_cap_still_get_the_common_words_scores():
    """Once the cap is reached, later (commoner) words only add to the candidates held — the
    best match still wins on all the words it shares."""
    idx = SimilarityIndex(max_candidates=10, max_df=1.0)
    for i in range(300):
        idx.add(i, ["稀有"] if i < 20 else ["常见"])
    idx.add("target", ["稀有", "常见", "另一个"])
    assert idx.similar(["稀有", "常见", "另一个"], 1)[0][0] == "target"


vocab = st.sampled_from(["老旧小区", "电梯", "道路", "学校", "养老", "医保", "公交", "积水"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(vocab, min_size=1, max_size=8), min_size=2, max_size=12))
def test_cosine_properties(docs):
    idx = SimilarityIndex(max_df=1.0)
    for i, words in enumerate(docs):
        idx.add(i, words)
    for i, words in enumerate(docs):
        found = dict(idx.similar(words, len(docs)))
        assert all(0.0 <= s <= 1.0 for s in found.values())
        assert found[i] == pytest.approx(1.0)  # a document is most like itself
        for j, s in found.items():  # symmetric
            assert dict(idx.similar(docs[j], len(docs)))[i] == pytest.approx(s, abs=1e-5)


# ---- merge groups


def test_groups_propose_the_same_matters_and_nothing_else():
    found = groups(doc_items(), threshold=0.3)
    proposed = [set(g.ids) for g in found]
    for group in proposed:  # precision: every proposal is one matter
        assert any(group <= same for same in corpus.SAME_MATTER), group
    assert sorted(map(sorted, proposed)) == sorted(map(sorted, corpus.SAME_MATTER))


def test_a_group_is_seeded_by_the_earliest_and_each_member_is_like_the_seed():
    found = {g.seed: g for g in groups(doc_items(), threshold=0.3)}
    lift = found["lift-1"]
    assert {m for m, _ in lift.members} == {"lift-2", "lift-3"}
    assert all(s >= 0.3 for _, s in lift.members)


def test_groups_never_chain_through_a_middle_item():
    # a~b and b~c, but a and c share nothing: b joins a, and c stays alone.
    items = [("a", ["甲", "乙"]), ("b", ["乙", "丙"]), ("c", ["丙", "丁"])]
    found = groups(items, threshold=0.3)
    assert [g.ids for g in found] == [("a", "b")]


def test_a_high_threshold_proposes_nothing_and_an_item_is_in_one_group_only():
    assert groups(doc_items(), threshold=0.99) == []
    seen: list[str] = []
    for g in groups(doc_items(), threshold=0.1):
        seen.extend(g.ids)
    assert len(seen) == len(set(seen))


def test_a_very_long_run_is_cut_without_slicing_every_part():
    """20,000 digits in a suggestion's content once took four minutes (every slice of the run
    looked up): parts are only as long as the dictionary's longest word."""
    from wulian.suggestions import similarity

    assert similarity.tokens("0" * 20_000) == []
    assert "小区" in similarity.tokens("老旧小区改造" + "改" * 5_000)
