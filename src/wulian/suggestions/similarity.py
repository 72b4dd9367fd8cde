"""Chinese text → tokens, and an index that finds similar suggestions (pure: no Django).

`tokens(text)` is the one tokenizer of the suggestions app: the search-token column (full-text
search on PostgreSQL's `simple` tsvector or SQLite FTS5) is filled with it, search queries are
cut with it, and the similarity index below reads it. jieba's default dictionary is loaded from
its wheel (never downloaded) once per process, quietly, with the domain words of the congress
and of municipal work added (老旧小区, 背街小巷, 政务督查室 …).

Why TF-IDF cosine over an inverted index, not MinHash-LSH:
- suggestions about the same matter rarely share most of their words (one deputy writes
  "加装电梯", another "老楼装电梯难"); MinHash estimates Jaccard overlap of whole token sets and
  needs a high overlap to collide in its LSH bands, while TF-IDF cosine ranks by the rare words
  two texts share (老旧小区, 加装电梯 weigh far more than 推进, 问题) and gives a graded score;
- it is exact for the candidates it scores, deterministic and explainable (the shared words);
- MinHash needs ~128 hash permutations per document: without numpy (not a dependency) that is
  tens of minutes of pure Python at 1,000,000 documents, while the inverted index costs one pass
  over the tokens;
- a query touches only the posting lists of its own rarer words: it reads the rarest ones
  fully, and the common ones only for the candidates it already holds, so one query among
  1,000,000 suggestions costs milliseconds, not a scan (the bench measures it).
"""

from __future__ import annotations

import gc
import heapq
import logging
import math
import re
import threading
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

# Words of the domain jieba's dictionary lacks or cuts apart (市住建局 → 市住 / 建局).
DOMAIN_WORDS: tuple[str, ...] = (
    # places and works
    "老旧小区", "老旧小区改造", "背街小巷", "加装电梯", "断头路", "雨污分流", "海绵城市",
    "城中村", "棚户区", "农村公路", "四好农村路", "乡村振兴", "人居环境", "黑臭水体",
    "停车位", "停车难", "充电桩", "公交线路", "公交站点", "红绿灯", "人行道", "斑马线",
    "积水点", "内涝", "燃气管道", "供水管网", "二次供水", "物业管理", "垃圾分类", "公厕",
    "口袋公园", "健身步道", "文体设施", "农贸市场", "菜市场", "消防通道",
    # people and services
    "居家养老", "社区养老", "养老服务", "养老机构", "老年食堂", "社区食堂", "助餐点",
    "学前教育", "义务教育", "校园周边", "课后服务", "学位", "普惠性幼儿园", "家庭医生",
    "医保报销", "异地就医", "村卫生室", "基层医疗", "灵活就业", "稳岗", "营商环境",
    "小微企业", "食品安全", "电动自行车", "非机动车",
    # institutions
    "人大代表", "代表建议", "民生实事", "三进三促", "政务督查室", "纪检监察组", "纪委监委",
    "住建局", "市住建局", "教育局", "市教育局", "民政局", "市民政局", "卫健委", "市卫健委",
    "交通运输局", "市交通运输局", "城管局", "市城管局", "医保局", "人社局", "公安局",
    "交警支队", "自然资源和规划局", "生态环境局", "农业农村局", "水利和湖泊局", "文旅局",
    "市场监管局", "发改委", "财政局", "园林局", "供电公司", "水务集团", "燃气集团",
)  # fmt: skip

# Function words and the boilerplate of every suggestion ("关于…的建议", "进一步加强…工作").
_STOP_WORDS_TEXT = """
    的 了 和 与 及 或 等 对 在 是 有 为 把 被 让 向 从 到 以 于 由 将 就 也 都 而 并 且 但 又 还
    这 那 其 之 所 个 些 该 此 各 每 本 我 你 他 她 它 们 我们 你们 他们 我市 本市 全市 我区 我县
    关于 建议 意见 议案 提案 批评 进一步 加强 加快 推进 推动 做好 切实 积极 不断 持续 全面
    有效 相关 有关 部门 单位 工作 问题 情况 方面 目前 当前 现在 存在 一些 一个 许多 很多
    需要 希望 要求 进行 开展 实施 落实 解决 提高 提升 完善 健全 建立 促进 实现 保障 确保
    如何 怎样 是否 能够 可以 应该 应当 已经 正在 没有 不是 不能 不够 比较 非常 十分 特别
    由于 因为 所以 因此 但是 然而 同时 另外 此外 以及 还是 或者 而且 并且 通过 根据 按照
    随着 对于 针对 其中 一是 二是 三是 四是 五是 首先 其次 最后 主要 重要 严重 较大 较多
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split())

# One-character words worth keeping (most one-character tokens are grammar: 的, 在, 个, 年).
KEEP_SINGLE: frozenset[str] = frozenset("路桥村河湖水电气房车药医校园厕灯井堤")

_NUMBER = re.compile(r"^[\d.,%％．０-９]+$|^第?[\d０-９]+[号年月日个条项户座所人万亿元]*$")
_WORDLIKE = re.compile(r"\w", re.UNICODE)

_lock = threading.Lock()
_tokenizer: Any = None


def _jieba():
    """The process's jieba tokenizer: the wheel's own dictionary plus DOMAIN_WORDS, built once."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict…" on stderr
                tk = jieba.Tokenizer()  # dictionary: jieba/dict.txt inside the wheel
                tk.initialize()
                for word in DOMAIN_WORDS:
                    tk.add_word(word, freq=200_000)
                _tokenizer = tk
                # The dictionary (~350,000 words) lives as long as the process; left to the
                # collector, each full pass walked it: a 60 ms pause every ~50 requests of a
                # web worker (p95 of the search page 35 → 101 ms at 1,000,000). Frozen, the
                # passes skip it (and whatever else is alive now, which is mostly start-up).
                gc.freeze()
    return _tokenizer


def tokens(text: str) -> list[str]:
    """The words of `text` for search and similarity, in order.

    Search mode (a long word and its in-dictionary parts: 老旧小区改造 → 老旧, 小区, 改造,
    老旧小区, 老旧小区改造)
    so that a search for 小区 finds 老旧小区; Latin letters lower-cased; punctuation, numbers,
    stop words and grammatical one-character words dropped.
    """
    return _kept(_search_words(_jieba(), text)) if text else []


def query_tokens(text: str) -> list[str]:
    """The words of a search query: the same cut and the same words dropped as `tokens`, but
    not each long word's parts — a stored text holding 老旧小区改造 holds its parts as well, so
    asking for the parts too matches nothing more, and makes PostgreSQL's planner multiply
    their frequencies as if they were independent (a common phrase then looks rare, and it
    fetches every match instead of walking the newest rows)."""
    return _kept(_jieba().cut(text, HMM=True)) if text else []


def _kept(words: Iterable[str]) -> list[str]:
    out: list[str] = []
    for raw in words:
        word = raw.strip().lower()
        if not word or not _WORDLIKE.search(word) or word in STOP_WORDS:
            continue
        if _NUMBER.match(word):
            continue
        if len(word) == 1 and word not in KEEP_SINGLE:
            continue
        out.append(word)
    return out


_longest: dict[int, int] = {}


def _longest_entry(tk: Any) -> int:
    """The longest word of the tokenizer's dictionary: no part of a word is longer."""
    key = id(tk.FREQ)
    if key not in _longest:
        _longest[key] = max((len(w) for w in tk.FREQ), default=0)
    return _longest[key]


def _search_words(tk: Any, text: str) -> Iterable[str]:
    """jieba's search mode for words of any length: each word's in-dictionary parts (two
    characters or more, and no longer than the dictionary's longest word: a run of 20,000
    digits once took four minutes of cubic slicing), then the word (jieba's own stops at
    parts of two and three)."""
    freq = tk.FREQ
    longest = _longest_entry(tk)
    for word in tk.cut(text, HMM=True):
        n = len(word)
        if n > 2:
            for size in range(2, min(n, longest + 1)):
                for start in range(n - size + 1):
                    part = word[start : start + size]
                    if freq.get(part):
                        yield part
        yield word


def search_text(text: str) -> str:
    """`tokens(text)` space-joined: what the search column stores and what a query is cut into."""
    return " ".join(tokens(text))


def document_tokens(title: str, content: str) -> list[str]:
    """A suggestion's words for the similarity index: its title counts twice (the title names
    the matter; the content adds the circumstances)."""
    head = tokens(title)
    return head + head + tokens(content)


TextOrTokens = str | Sequence[str]


def _as_tokens(value: TextOrTokens) -> Sequence[str]:
    return tokens(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class MergeGroup:
    """A proposed 并案: `seed` (the earliest) and the others, each with its similarity to it."""

    seed: Hashable
    members: tuple[tuple[Hashable, float], ...]

    @property
    def ids(self) -> tuple[Hashable, ...]:
        return (self.seed, *(m for m, _ in self.members))


class SimilarityIndex:
    """TF-IDF cosine similarity over an inverted index of tokens.

    `add(id, text_or_tokens)` documents (a string is cut with `tokens`; the stored search
    column can be passed as `column.split()` to skip segmentation), then `similar(text, k)`.
    Weights: (1 + ln tf) · ln(1 + N / df). Document norms are computed on the first query after
    additions (one pass over the postings).

    Query pruning: the query's `max_query_words` strongest words are read rarest first; words
    in more than `max_df` of the documents are ignored (they say nothing about which matter it
    is); once `max_candidates` documents hold a partial score, further words only add to those
    documents (a document that shares none of the query's rarer words cannot be among the most
    similar anyway). Scores of the documents returned are exact cosines over the words read.
    """

    def __init__(
        self, *, max_df: float = 0.1, max_candidates: int = 5_000, max_query_words: int = 32
    ) -> None:
        self.max_df = max_df
        self.max_candidates = max_candidates
        self.max_query_words = max_query_words
        self._ids: list[Hashable] = []
        self._ordinal: dict[Hashable, int] = {}
        self._postings: dict[str, tuple[array, array]] = {}  # word → (ordinals, tf)
        self._norms = array("d")
        self._idf: dict[str, float] = {}
        self._dirty = False

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._ordinal

    def add(self, doc_id: Hashable, value: TextOrTokens) -> None:
        if doc_id in self._ordinal:
            raise ValueError(f"{doc_id!r} is already in the index")
        ordinal = len(self._ids)
        self._ids.append(doc_id)
        self._ordinal[doc_id] = ordinal
        postings = self._postings
        for word, tf in Counter(_as_tokens(value)).items():
            entry = postings.get(word)
            if entry is None:
                entry = postings[word] = (array("l"), array("B"))
            entry[0].append(ordinal)
            entry[1].append(min(tf, 255))
        self._dirty = True

    def add_many(self, items: Iterable[tuple[Hashable, TextOrTokens]]) -> None:
        for doc_id, value in items:
            self.add(doc_id, value)

    def _prepare(self) -> None:
        if not self._dirty:
            return
        n = len(self._ids)
        norms = [0.0] * n
        idf: dict[str, float] = {}
        log = math.log
        for word, (ordinals, tfs) in self._postings.items():
            w = log(1.0 + n / len(ordinals))
            idf[word] = w
            w2 = w * w
            for ordinal, tf in zip(ordinals, tfs, strict=True):
                if tf == 1:
                    norms[ordinal] += w2
                else:
                    x = (1.0 + log(tf)) * w
                    norms[ordinal] += x * x
        self._norms = array("d", (math.sqrt(v) for v in norms))
        self._idf = idf
        self._dirty = False

    def _query_weights(self, words: Sequence[str]) -> dict[str, float]:
        weights: dict[str, float] = {}
        for word, tf in Counter(words).items():
            idf = self._idf.get(word)
            if idf is not None:
                weights[word] = (1.0 + math.log(tf)) * idf
        return weights

    def similar(
        self, value: TextOrTokens, k: int = 10, *, exclude: Iterable[Hashable] = ()
    ) -> list[tuple[Hashable, float]]:
        """The `k` documents most similar to `value`, best first, as (id, cosine in 0…1)."""
        self._prepare()
        n = len(self._ids)
        if not n or k <= 0:
            return []
        weights = self._query_weights(_as_tokens(value))
        if not weights:
            return []
        q_norm = math.sqrt(sum(w * w for w in weights.values()))
        idf = self._idf
        limit = max(1, int(self.max_df * n)) if n >= 50 else n
        # The query's strongest words, read rarest first.
        words = sorted(weights, key=lambda w: -weights[w] * idf[w])[: self.max_query_words]
        words.sort(key=lambda w: (len(self._postings[w][0]), w))
        scores: dict[int, float] = {}
        log = math.log
        for word in words:
            ordinals, tfs = self._postings[word]
            size = len(ordinals)
            if size > limit:
                break  # this word and the rest are in too many documents to tell them apart
            wq = weights[word] * idf[word]
            if len(scores) < self.max_candidates:
                # Still gathering candidates: every document with this word is one.
                get = scores.get
                for ordinal, tf in zip(ordinals, tfs, strict=True):
                    scores[ordinal] = get(ordinal, 0.0) + (wq if tf == 1 else wq * (1 + log(tf)))
            elif size <= 4 * len(scores):
                for ordinal, tf in zip(ordinals, tfs, strict=True):
                    if ordinal in scores:
                        scores[ordinal] += wq if tf == 1 else wq * (1 + log(tf))
            else:
                # A long list and fewer candidates: look each candidate up in it.
                for ordinal in scores:
                    at = bisect_left(ordinals, ordinal)
                    if at < size and ordinals[at] == ordinal:
                        tf = tfs[at]
                        scores[ordinal] += wq if tf == 1 else wq * (1 + log(tf))
        excluded = {self._ordinal[e] for e in exclude if e in self._ordinal}
        norms = self._norms
        best = heapq.nlargest(
            k,
            (
                (score / (q_norm * norms[o]), -o)
                for o, score in scores.items()
                if o not in excluded and norms[o] > 0
            ),
        )
        return [(self._ids[-neg], min(1.0, round(s, 6))) for s, neg in best]

    def document_frequency(self, word: str) -> int:
        entry = self._postings.get(word)
        return len(entry[0]) if entry else 0

    def rarest(self, value: TextOrTokens, n: int) -> list[str]:
        """The `n` distinct words of `value` in the fewest documents (unknown ones first)."""
        words = set(_as_tokens(value))
        return sorted(words, key=lambda w: (self.document_frequency(w), w))[:n]

    def cosine(self, a: TextOrTokens, b: TextOrTokens) -> float:
        """The cosine of two texts weighted with this index's IDF (a word it has never seen
        weighs as if it were in one document): to score documents found elsewhere."""
        n = max(len(self._ids), 1)

        def weights(value: TextOrTokens) -> dict[str, float]:
            return {
                w: (1.0 + math.log(tf)) * math.log(1.0 + n / max(self.document_frequency(w), 1))
                for w, tf in Counter(_as_tokens(value)).items()
            }

        wa, wb = weights(a), weights(b)
        dot = math.fsum(v * wb[w] for w, v in wa.items() if w in wb)
        if not dot:
            return 0.0
        na = math.sqrt(math.fsum(v * v for v in wa.values()))
        nb = math.sqrt(math.fsum(v * v for v in wb.values()))
        return min(1.0, round(dot / (na * nb), 6))

    def similar_to(self, doc_id: Hashable, k: int = 10) -> list[tuple[Hashable, float]]:
        """The `k` documents most similar to an indexed one (itself left out)."""
        return self.similar(self._tokens_of(doc_id), k, exclude=(doc_id,))

    def _tokens_of(self, doc_id: Hashable) -> list[str]:
        ordinal = self._ordinal[doc_id]
        words: list[str] = []
        for word, (ordinals, tfs) in self._postings.items():
            at = bisect_left(ordinals, ordinal)
            if at < len(ordinals) and ordinals[at] == ordinal:
                words.extend([word] * tfs[at])
        return words


def groups(
    items: Iterable[tuple[Hashable, TextOrTokens]],
    threshold: float = 0.5,
    *,
    max_group: int = 20,
) -> list[MergeGroup]:
    """Proposed merge groups (并案) among `items`, for staff to decide.

    Items are taken in the order given (pass them oldest first): each item not yet grouped
    seeds a group of the later-or-earlier items not yet grouped whose similarity to it is at
    least `threshold`. Every member is similar to its seed itself — no chains where A is like B,
    B like C and A nothing like C. Groups of one are left out; the largest groups come first.
    """
    pairs = [(doc_id, list(_as_tokens(value))) for doc_id, value in items]
    index = SimilarityIndex(max_df=1.0)
    for doc_id, words in pairs:
        index.add(doc_id, words)
    taken: set[Hashable] = set()
    found: list[MergeGroup] = []
    for doc_id, words in pairs:
        if doc_id in taken:
            continue
        near = [
            (other, score)
            for other, score in index.similar(words, max_group, exclude=(doc_id,))
            if score >= threshold and other not in taken
        ]
        if not near:
            continue
        taken.add(doc_id)
        taken.update(other for other, _ in near)
        found.append(MergeGroup(seed=doc_id, members=tuple(near)))
    found.sort(key=lambda g: -len(g.members))
    return found
