"""Concentrated opinions (代表反映比较集中的建议、批评和意见): clusters of similar suggestions and
station opinions (三进三促 and other campaigns' collected opinions) raised by several deputies.

Source: the Huangshi article [CN1] (《探索“五联”工作机制》, 楚天主人 2024 No. 9): "对于办理人大代表
议案建议中存在的突出问题以及人大代表反映比较集中的建议、批评和意见，市人大常委会将及时向市纪委
通报，并将其中可能存在的违纪违法问题转交市纪委研究处理". The article sets no number: what counts
as "比较集中" is local (`SUGGESTION_CONCENTRATION_MIN_DEPUTIES` different deputies, default 3;
members similar to the cluster's first one at least `SUGGESTION_CONCENTRATION_SIMILARITY`/100,
default 0.35, on the app's TF-IDF similarity, `similarity.groups`).

A cluster is read, never stored: this module computes the year's clusters for the congress
office's list; the 通报 (services.concentration) stores the record of what was reported. A
cluster's `seed` (its first member, "s<id>" or "o<id>") names it: suggestions come before
opinions and older before newer, so a cluster keeps its seed as members join it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, Sum

from wulian.core.crypto import sm3_hex
from wulian.suggestions import similarity
from wulian.suggestions.choices import SuggestionStatus
from wulian.suggestions.models import (
    CampaignOpinion,
    ConcentrationReport,
    CoSigner,
    Suggestion,
)

# Suggestions that count: accepted as suggestions (not refused, withdrawn or handled as letters).
NOT_COUNTED = (
    SuggestionStatus.SUBMITTED,
    SuggestionStatus.NOT_ACCEPTED,
    SuggestionStatus.AS_LETTER,
    SuggestionStatus.WITHDRAWN,
)
MAX_CLUSTER = 50
CACHE_SECONDS = 3600


@dataclass
class Member:
    key: str  # "s12" / "o7"
    kind: str  # "suggestion" / "opinion"
    pk: int
    title: str
    url: str
    deputies: frozenset[int]
    score: float = 1.0
    words: list[str] = field(default_factory=list, repr=False)


@dataclass
class Cluster:
    seed: str
    members: list[Member]
    deputies: frozenset[int]
    report: ConcentrationReport | None = None
    subject: str = ""
    suggestion_ids: list[int] = field(default_factory=list)
    opinion_ids: list[int] = field(default_factory=list)

    @property
    def deputy_count(self) -> int:
        return len(self.deputies)


def _items(year: int) -> list[Member]:
    suggestions = (
        Suggestion.objects.filter(session__year=year)
        .exclude(status__in=NOT_COUNTED)
        .only("id", "title", "lead_deputy_id", "search_tokens", "submitted_at", "status")
        .prefetch_related(
            Prefetch("cosigners", queryset=CoSigner.objects.only("suggestion_id", "person_id"))
        )
        .order_by("submitted_at", "id")
    )
    members: list[Member] = []
    for s in suggestions:
        key = f"s{s.pk}"
        members.append(
            Member(
                key=key,
                kind="suggestion",
                pk=s.pk,
                title=s.title,
                url=s.get_absolute_url(),
                deputies=frozenset({s.lead_deputy_id, *(c.person_id for c in s.cosigners.all())}),
                words=s.search_tokens.split(),
            )
        )
    opinions = (
        CampaignOpinion.objects.filter(campaign__year=year)
        .only("id", "content", "collected_by_id", "campaign_id", "number")
        .order_by("collected_on", "id")
    )
    for o in opinions:
        key = f"o{o.pk}"
        members.append(
            Member(
                key=key,
                kind="opinion",
                pk=o.pk,
                title=o.content[:60],
                url=o.get_absolute_url(),
                deputies=frozenset({o.collected_by_id}),
                words=similarity.tokens(o.content),
            )
        )
    return members


def _fingerprint(year: int) -> str:
    """What the clusters depend on, read cheaply: the year's suggestions and opinions (how
    many, the newest change) and the two settings."""
    s = Suggestion.objects.filter(session__year=year).aggregate(
        n=Count("id"), top=Max("id"), total=Sum("id"), changed=Max("updated_at")
    )
    o = CampaignOpinion.objects.filter(campaign__year=year).aggregate(
        n=Count("id"), top=Max("id"), total=Sum("id"), changed=Max("updated_at")
    )
    return "|".join(
        str(x)
        for x in (
            year,
            *s.values(),
            *o.values(),
            settings.SUGGESTION_CONCENTRATION_MIN_DEPUTIES,
            settings.SUGGESTION_CONCENTRATION_SIMILARITY,
        )
    )


def clusters(year: int) -> list[Cluster]:
    """The year's concentrated clusters, largest first: at least two members, raised by at
    least SUGGESTION_CONCENTRATION_MIN_DEPUTIES different deputies; each with its 通报 if one
    was made. Finding them segments and compares the year's texts (seconds for a year of a
    thousand), so they are kept in the cache while nothing they depend on changed."""
    key = "suggestions:concentration:" + sm3_hex(_fingerprint(year).encode())
    found = cache.get(key)
    if found is None:
        found = _find(year)
        cache.set(key, found, CACHE_SECONDS)
    reports = {
        r.seed: r for r in ConcentrationReport.objects.filter(seed__in=[c.seed for c in found])
    }
    for c in found:
        c.report = reports.get(c.seed)
    return found


def _find(year: int) -> list[Cluster]:
    members = _items(year)
    by_key = {m.key: m for m in members}
    threshold = settings.SUGGESTION_CONCENTRATION_SIMILARITY / 100
    found: list[Cluster] = []
    for group in similarity.groups(
        ((m.key, m.words) for m in members),
        threshold,
        max_group=MAX_CLUSTER,
    ):
        seed = by_key[str(group.seed)]
        rest = []
        for key, score in group.members:
            m = by_key[str(key)]
            m.score = score
            rest.append(m)
        cluster_members = [seed, *rest]
        deputies = frozenset().union(*(m.deputies for m in cluster_members))
        if len(deputies) < settings.SUGGESTION_CONCENTRATION_MIN_DEPUTIES:
            continue
        found.append(
            Cluster(
                seed=seed.key,
                members=cluster_members,
                deputies=deputies,
                subject=seed.title[:200],
                suggestion_ids=[m.pk for m in cluster_members if m.kind == "suggestion"],
                opinion_ids=[m.pk for m in cluster_members if m.kind == "opinion"],
            )
        )
    found.sort(key=lambda c: (-c.deputy_count, -len(c.members), c.seed))
    return found


def cluster(year: int, seed: str) -> Cluster | None:
    return next((c for c in clusters(year) if c.seed == seed), None)


@dataclass(frozen=True)
class YearCounts:
    """The year's figures (shown beside the other figures): clusters found, and reported."""

    clusters: int
    reported: int


def year_counts(year: int) -> YearCounts:
    found = clusters(year)
    return YearCounts(
        clusters=len(found),
        reported=ConcentrationReport.objects.filter(year=year).count(),
    )
