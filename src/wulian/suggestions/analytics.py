"""Selectors for the assignment page: suggestions like this one (并案 candidates) and the units
likely to handle it, learnt from past assignments. Reads only: a merge or an assignment is
decided by staff through the lifecycle's services.

- `similar_for(actor=, suggestion=)`: the most similar suggestions of the same session that the
  actor may see and that could take it in (accepted or later, not merged elsewhere).
- `merge_proposals(actor=, session_id=)`: proposed merge groups among the session's suggestions
  waiting to be assigned.
- `proposals_for(actor=, suggestion=)`: the top three lead units with a confidence and the past
  suggestions behind each.

Both indexes read the stored `search_tokens` column (title and content) plus the title's words
once more (as `similarity.document_tokens`: the title names the matter), and are kept per
process: the session's index is rebuilt when one of its suggestions changes; the history index
only adds the assignments received since it was built, and holds the newest
`SUGGESTION_PROPOSAL_HISTORY` (default 20,000) lead assignments that the unit accepted.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

from wulian.core import access
from wulian.core.models import Organisation
from wulian.suggestions.choices import AssignmentRole, AssignmentStatus, SuggestionStatus
from wulian.suggestions.models import Assignment, Suggestion
from wulian.suggestions.proposals import Evaluation, UnitProposer, score
from wulian.suggestions.similarity import SimilarityIndex, groups, tokens

S = SuggestionStatus
# Suggestions another can be merged into: accepted and not ended.
MERGEABLE = (S.ACCEPTED, S.ASSIGNED, S.SENT_BACK, S.HANDLING, S.ANSWERED, S.REOPENED, S.CLOSED)
WAITING = (S.ACCEPTED, S.SENT_BACK)
DEFAULT_THRESHOLD = 0.3


@dataclass(frozen=True)
class SimilarSuggestion:
    id: int
    number: int
    title: str
    status: str
    lead_unit: str
    score: float

    @property
    def url(self) -> str:
        from django.urls import reverse

        return reverse("suggestions:suggestion_detail", args=[self.id])


@dataclass(frozen=True)
class UnitProposal:
    unit_id: int
    unit: str
    confidence: float
    examples: tuple[int, ...]  # suggestion ids, most similar first


@dataclass(frozen=True)
class MergeProposal:
    seed: int
    members: tuple[tuple[int, float], ...]  # (suggestion id, similarity to the seed)


# --- the session's index ------------------------------------------------------------------------

_lock = threading.Lock()
_sessions: OrderedDict[int, tuple[tuple, SimilarityIndex]] = OrderedDict()
_SESSIONS_KEPT = 4


@lru_cache(maxsize=50_000)
def _title_words(title: str) -> tuple[str, ...]:
    return tuple(tokens(title))


def words_of(title: str, search_tokens: str) -> list[str]:
    """A suggestion's words for the indexes: the stored search words, the title's once more
    (titles segmented once per process: a rebuilt index does not cut them again)."""
    return [*_title_words(title), *search_tokens.split()]


def _session_index(session_id: int) -> SimilarityIndex:
    """The index of the session's mergeable suggestions, rebuilt when any of them changed."""
    rows = Suggestion.objects.filter(session_id=session_id, status__in=MERGEABLE).filter(
        merged_into__isnull=True
    )
    stamp = rows.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    key = (stamp["n"], stamp["last"], stamp["top"])
    with _lock:
        cached = _sessions.get(session_id)
        if cached and cached[0] == key:
            _sessions.move_to_end(session_id)
            return cached[1]
    index = SimilarityIndex()
    for pk, title, words in (
        rows.order_by("id").values_list("id", "title", "search_tokens").iterator(2000)
    ):
        index.add(pk, words_of(title, words))
    with _lock:
        _sessions[session_id] = (key, index)
        _sessions.move_to_end(session_id)
        while len(_sessions) > _SESSIONS_KEPT:
            _sessions.popitem(last=False)
    return index


def similar_for(
    *, actor: Any, suggestion: Suggestion, k: int = 5, threshold: float = DEFAULT_THRESHOLD
) -> list[SimilarSuggestion]:
    """Up to `k` suggestions of the same session at least `threshold` similar, best first."""
    who = access.require(actor, "suggestions.suggestion.view", suggestion)
    index = _session_index(suggestion.session_id)
    near = [
        (pk, score)
        for pk, score in index.similar(
            words_of(suggestion.title, suggestion.search_tokens), k * 3, exclude=[suggestion.pk]
        )
        if score >= threshold
    ]
    if not near:
        return []
    visible = access.scope(
        who,
        "suggestions.suggestion.view",
        Suggestion.objects.filter(pk__in=[pk for pk, _ in near]),
    )
    found = {
        row["id"]: row
        for row in visible.values("id", "number", "title", "status", "lead_unit__name")
    }
    return [
        SimilarSuggestion(
            id=pk,
            number=found[pk]["number"],
            title=found[pk]["title"],
            status=found[pk]["status"],
            lead_unit=found[pk]["lead_unit__name"] or "",
            score=score,
        )
        for pk, score in near
        if pk in found
    ][:k]


def merge_proposals(
    *, actor: Any, session_id: int, threshold: float = DEFAULT_THRESHOLD
) -> list[MergeProposal]:
    """Groups of the session's suggestions waiting for assignment that say the same thing; the
    earliest of each group is the one the others would be merged into."""
    access.require(actor, "suggestions.suggestion.assign")
    rows = (
        Suggestion.objects.filter(session_id=session_id, status__in=WAITING)
        .filter(merged_into__isnull=True)
        .order_by("number", "id")
        .values_list("id", "title", "search_tokens")
    )
    found = groups(((pk, words_of(title, words)) for pk, title, words in rows), threshold)
    return [MergeProposal(seed=g.seed, members=g.members) for g in found]  # type: ignore[arg-type]


# --- the history of assignments -----------------------------------------------------------------


class _History:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.proposer: UnitProposer | None = None
        self.last_assignment = 0
        self.units: dict[int, str] = {}

    def reset(self) -> None:
        with self.lock:
            self.proposer = None
            self.last_assignment = 0
            self.units = {}


_history = _History()


def _history_size() -> int:
    return int(getattr(settings, "SUGGESTION_PROPOSAL_HISTORY", 20_000))


def _learnt() -> Any:
    """Lead assignments the unit received (not sent back): what a good proposal looks like."""
    return Assignment.objects.filter(
        role=AssignmentRole.LEAD,
        status__in=(AssignmentStatus.RECEIVED, AssignmentStatus.ENDED),
        received_at__isnull=False,
    )


def _proposer() -> tuple[UnitProposer, dict[int, str]]:
    with _history.lock:
        if _history.proposer is None or len(_history.proposer) > 2 * _history_size():
            _history.proposer = UnitProposer()
            newest = (
                _learnt()
                .order_by("-id")
                .values_list("id", flat=True)[_history_size() : _history_size() + 1]
            )
            _history.last_assignment = newest[0] if newest else 0
        rows = list(
            _learnt()
            .filter(id__gt=_history.last_assignment)
            .order_by("id")
            .values_list(
                "id",
                "suggestion_id",
                "unit_id",
                "unit__name",
                "suggestion__title",
                "suggestion__search_tokens",
            )
        )
        for assignment_id, suggestion_id, unit_id, unit_name, title, words in rows:
            _history.proposer.add(words_of(title, words), unit_id, ref=suggestion_id)
            _history.units[unit_id] = unit_name
            _history.last_assignment = assignment_id
        return _history.proposer, dict(_history.units)


# Older history, looked up in the search index by the suggestion's rarest words (the place, the
# specific matter): a pair of them first, then fewer, until a few past suggestions are found.
LOOKUPS = ((0, 1), (0, 2), (1, 2), (0,))
LOOKUP_LIMIT = 60


def _older(
    proposer: UnitProposer,
    words: list[str],
    *,
    exclude: int | None,
    before_assignment: int | None = None,
) -> list[tuple[int, int, list[str]]]:
    """Past suggestions beyond the in-memory window that share the rarest words: (suggestion
    id, the unit that led it, its words), newest first."""
    from django.db.models import Exists, OuterRef, Subquery

    from wulian.suggestions import search

    learnt = _learnt()
    if before_assignment is not None:
        learnt = learnt.filter(id__lt=before_assignment)
    rare = proposer.rarest(words, 3)
    base = (
        Suggestion.objects.filter(Exists(learnt.filter(suggestion=OuterRef("pk"))))
        .exclude(pk=exclude)
        .annotate(
            led_by=Subquery(
                learnt.filter(suggestion=OuterRef("pk")).order_by("-id").values("unit_id")[:1]
            )
        )
    )
    found: dict[int, tuple[int, int, list[str]]] = {}
    for lookup in LOOKUPS:
        chosen = [rare[i] for i in lookup if i < len(rare)]
        if len(chosen) < len(lookup):
            continue
        rows = (
            search.matching(base, " ".join(chosen))
            .order_by("-id")
            .values_list("id", "led_by", "title", "search_tokens")[:LOOKUP_LIMIT]
        )
        for pk, unit, title, w in rows:
            found.setdefault(pk, (pk, unit, words_of(title, w)))
        if len(found) >= 3:
            break
    return list(found.values())


def proposals_for(*, actor: Any, suggestion: Suggestion, k: int = 3) -> list[UnitProposal]:
    """The `k` likeliest lead units for `suggestion`: its nearest among the newest
    SUGGESTION_PROPOSAL_HISTORY lead assignments (in memory) and among older ones that share
    its rarest words (the search index), voting by similarity."""
    access.require(actor, "suggestions.suggestion.assign", suggestion)
    proposer, names = _proposer()
    words = words_of(suggestion.title, suggestion.search_tokens)
    more = _older(proposer, words, exclude=suggestion.pk)
    found = proposer.propose(words, k + 1, more=more)
    missing = {int(p.unit) for p in found} - set(names)  # type: ignore[call-overload]
    if missing:
        names.update(Organisation.objects.filter(pk__in=missing).values_list("pk", "name"))
    result = []
    for p in found:
        examples = tuple(e for e in p.examples if e != suggestion.pk)
        if not examples:
            continue  # only itself (an earlier assignment of this very suggestion)
        result.append(
            UnitProposal(
                unit_id=int(p.unit),  # type: ignore[call-overload]
                unit=names.get(int(p.unit), ""),  # type: ignore[call-overload]
                confidence=p.confidence,
                examples=examples,
            )
        )
    return result[:k]


# At most this many suggestions of a page get a proposal (each costs a few index lookups); the
# others say so and link to their own page, where theirs is shown.
ADVICE_LIMIT = 40


@dataclass(frozen=True)
class PastExample:
    id: int
    label: str  # "2025年 第12号 关于…的建议"
    url: str


@dataclass(frozen=True)
class LeadAdvice:
    """Where the lead unit is chosen: the proposals, each with the past suggestions behind it
    (linked), or the sentence saying why there is none yet."""

    proposals: tuple[tuple[UnitProposal, tuple[PastExample, ...]], ...] = ()
    reason: str = ""


def lead_unit_advice(
    *, actor: Any, suggestions: list[Suggestion], k: int = 3, examples: int = 3
) -> dict[int, LeadAdvice]:
    """{suggestion id: LeadAdvice} for the first ADVICE_LIMIT `suggestions` (the proposals of
    `proposals_for`, with their examples' numbers and titles read in one query)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    if not suggestions or not access.can(actor, "suggestions.suggestion.assign"):
        return {}
    found = {
        s.pk: proposals_for(actor=actor, suggestion=s, k=k) for s in suggestions[:ADVICE_LIMIT]
    }
    wanted = {e for props in found.values() for p in props for e in p.examples[:examples]}
    rows = access.scope(
        actor, "suggestions.suggestion.view", Suggestion.objects.filter(pk__in=wanted)
    ).values_list("pk", "number", "title", "session__year")
    past = {
        pk: PastExample(
            pk,
            _("%(year)d年 第%(n)d号 %(title)s") % {"year": year, "n": number, "title": title},
            reverse("suggestions:suggestion_detail", args=[pk]),
        )
        for pk, number, title, year in rows
    }
    history = len(_proposer()[0])
    out: dict[int, LeadAdvice] = {}
    for s in suggestions:
        if s.pk not in found:
            out[s.pk] = LeadAdvice(
                reason=_("本页只为前 %(n)d 件建议提议主办单位，请打开该建议查看。")
                % {"n": ADVICE_LIMIT}
            )
            continue
        props = tuple(
            (p, tuple(past[e] for e in p.examples[:examples] if e in past)) for p in found[s.pk]
        )
        if props:
            out[s.pk] = LeadAdvice(proposals=props)
        elif not history:
            out[s.pk] = LeadAdvice(
                reason=_(
                    "暂无提议：还没有承办单位签收过主办的建议，系统无从学习。单位签收主办交办后，"
                    "相似的新建议就会得到提议。"
                )
            )
        else:
            out[s.pk] = LeadAdvice(
                reason=_(
                    "暂无提议：在已签收的 %(n)d 件主办交办中，没有与本建议足够相似的建议。"
                    "请按职责选择主办单位。"
                )
                % {"n": history}
            )
    return out


def evaluate_held_out(held_out: int) -> Evaluation:
    """The proposals as `proposals_for` makes them, for the newest `held_out` lead assignments
    the units received, each proposed from what came before it: the in-memory window of the
    SUGGESTION_PROPOSAL_HISTORY assignments before them and the older ones in the search index
    (for the bench)."""
    newest = list(
        _learnt()
        .order_by("-id")
        .values_list(
            "id", "suggestion_id", "unit_id", "suggestion__title", "suggestion__search_tokens"
        )[: _history_size() + held_out]
    )
    newest.reverse()
    window, held = newest[:-held_out], newest[-held_out:]
    if not window or not held:
        raise ValueError("too little history to hold part of it out")
    proposer = UnitProposer()
    for _aid, sid, unit, title, words in window:
        proposer.add(words_of(title, words), unit, ref=sid)
    cutoff = held[0][0]
    outcomes = []
    for _aid, sid, unit, title, words in held:
        tokens_ = words_of(title, words)
        more = _older(proposer, tokens_, exclude=sid, before_assignment=cutoff)
        outcomes.append(([p.unit for p in proposer.propose(tokens_, 3, more=more)], unit))
    return score(outcomes, trained_on=len(window))


def reset() -> None:
    """Forget the per-process indexes (tests; after a bulk import)."""
    with _lock:
        _sessions.clear()
    _history.reset()
