"""Reads of the public portal: only what is public, with no one's personal data.

What each section shows and who decided it is public (docs/adr/0032-public-portal.md):
- suggestions: those congress staff approved for publication, answered or closed
  (`suggestions.selectors.public_list`, the approved texts only);
- livelihood: the projects of each year whose cycle is past the vote
  (`livelihood.selectors.public_projects`);
- stations: the coming events (`stations.selectors.public_notices`);
- inquiries: nothing marks an inquiry public, so those whose meeting was held and whose 审议意见
  was sent (state 审议意见已送达) — the topic, the organiser, the dates, the opinion's text and
  the commitments the answering units made, each with its unit and whether it was kept. Never a
  question's asker or the official who answered (names), nor a question's text or answer; the
  opinion and the commitments pass through `suggestions.redact` with the inquiry's names.

Every read here takes a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from wulian.core.choices import Sensitivity
from wulian.core.rectification.choices import RectificationState
from wulian.core.rectification.models import Finding, Rectification
from wulian.inquiries.choices import InquiryState
from wulian.inquiries.models import Inquiry, Question
from wulian.livelihood.choices import NOT_YET_PUBLIC
from wulian.livelihood.models import Cycle
from wulian.suggestions import redact

# Findings above this are never shown (a sensitive finding's title may point at a person).
PUBLIC_SENSITIVITY = (Sensitivity.PUBLIC, Sensitivity.INTERNAL)
# The inquiries page shows the latest ones (a city holds a few a year).
INQUIRY_LIMIT = 50


@dataclass(frozen=True)
class LivelihoodYear:
    year: int
    title: str
    projects: int


@dataclass(frozen=True)
class Home:
    suggestions: int
    livelihood: list[LivelihoodYear]
    notices: int
    inquiries: int
    commitments: int
    kept: int


@dataclass(frozen=True)
class Commitment:
    title: str
    unit: str
    state: str  # RectificationState
    state_label: str
    planned: date | None
    closed: date | None

    @property
    def kept(self) -> bool:
        return self.state == RectificationState.CLOSED


@dataclass
class PublicInquiry:
    pk: int
    year: int
    title: str
    organiser: str
    held_on: date | None
    opinion_sent_on: date | None
    opinion: str
    units: list[str] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)

    @property
    def kept(self) -> int:
        return sum(1 for c in self.commitments if c.kept)


def livelihood_years() -> list[LivelihoodYear]:
    """The years whose livelihood projects are public, newest first (one query)."""
    rows = (
        Cycle.objects.exclude(state__in=NOT_YET_PUBLIC)
        .annotate(n=Count("projects"))
        .order_by("-year")
        .values_list("year", "title", "n")
    )
    return [LivelihoodYear(year, title, n) for year, title, n in rows]


def _published_inquiries() -> Q:
    return Q(state=InquiryState.OPINION_SENT, held_on__isnull=False)


def _commitments_of(question_ids: list[int]) -> dict[int, list[Rectification]]:
    """The rectifications of the findings raised on these questions, by question (two
    queries): only findings of a public or internal grade."""
    found: dict[int, list[Rectification]] = defaultdict(list)
    if not question_ids:
        return found
    findings = (
        Finding.objects.filter(
            content_type=ContentType.objects.get_for_model(Question),
            object_id__in=question_ids,
            sensitivity__in=PUBLIC_SENSITIVITY,
        )
        .only("id", "object_id", "title")
        .prefetch_related(
            Prefetch(
                "rectifications",
                queryset=Rectification.objects.select_related("responsible_org")
                .only(
                    "id",
                    "finding_id",
                    "state",
                    "planned_completion",
                    "closed_at",
                    "responsible_org__name",
                )
                .order_by("id"),
            )
        )
        .order_by("id")
    )
    for f in findings:
        for r in f.rectifications.all():
            r.public_title = f.title
            found[f.object_id].append(r)
    return found


def public_inquiries(*, limit: int = INQUIRY_LIMIT) -> list[PublicInquiry]:
    """The inquiries whose 审议意见 was sent, newest first, each with its answering units and
    its commitments (four queries, whatever the number)."""
    inquiries = list(
        Inquiry.objects.filter(_published_inquiries())
        .select_related("organiser")
        .only(
            "id",
            "year",
            "title",
            "held_on",
            "opinion_sent_at",
            "opinion_text",
            "organiser__name",
        )
        .order_by("-held_on", "-id")[:limit]
    )
    by_id = {i.pk: i for i in inquiries}
    names: dict[int, set[str]] = defaultdict(set)
    units: dict[int, list[str]] = defaultdict(list)
    questions: dict[int, list[int]] = defaultdict(list)
    for qid, inquiry_id, asker, official, unit in (
        Question.objects.filter(inquiry_id__in=list(by_id))
        .order_by("inquiry_id", "position")
        .values_list("id", "inquiry_id", "asker", "official", "unit__name")
    ):
        questions[inquiry_id].append(qid)
        names[inquiry_id] |= {n for n in (asker, official) if n}
        if unit not in units[inquiry_id]:
            units[inquiry_id].append(unit)
    commitments = _commitments_of([q for ids in questions.values() for q in ids])
    out = []
    for i in inquiries:
        own = names[i.pk]
        public = PublicInquiry(
            pk=i.pk,
            year=i.year,
            title=redact.redact(i.title, own),
            organiser=i.organiser.name,
            held_on=i.held_on,
            opinion_sent_on=(timezone.localdate(i.opinion_sent_at) if i.opinion_sent_at else None),
            opinion=redact.redact(i.opinion_text, own),
            units=units[i.pk],
        )
        for qid in questions[i.pk]:
            for r in commitments.get(qid, ()):
                public.commitments.append(
                    Commitment(
                        title=redact.redact(r.public_title, own),
                        unit=r.responsible_org.name,
                        state=r.state,
                        state_label=r.get_state_display(),
                        planned=r.planned_completion,
                        closed=timezone.localdate(r.closed_at) if r.closed_at else None,
                    )
                )
        out.append(public)
    return out


def home() -> Home:
    """The portal's home: how much each section holds (a fixed number of queries)."""
    from wulian.stations import selectors as station_selectors
    from wulian.suggestions import selectors as suggestion_selectors

    inquiries = Inquiry.objects.filter(_published_inquiries())
    rectifications = Rectification.objects.filter(
        finding__content_type=ContentType.objects.get_for_model(Question),
        finding__object_id__in=Question.objects.filter(inquiry__in=inquiries).values("id"),
        finding__sensitivity__in=PUBLIC_SENSITIVITY,
    ).aggregate(
        total=Count("id"),
        kept=Count("id", filter=Q(state=RectificationState.CLOSED)),
    )
    return Home(
        suggestions=suggestion_selectors.public_list().count(),
        livelihood=livelihood_years(),
        notices=len(station_selectors.public_notices()),
        inquiries=inquiries.count(),
        commitments=rectifications["total"],
        kept=rectifications["kept"],
    )
