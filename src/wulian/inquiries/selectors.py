"""Reads of special inquiries, scoped by access."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.deadlines.models import Deadline
from wulian.core.rectification.choices import RectificationState
from wulian.core.rectification.models import Finding
from wulian.inquiries.choices import DEADLINE_OPINION, InquiryState
from wulian.inquiries.models import Inquiry, Question


def inquiry_list(*, actor: Actor) -> QuerySet:
    qs = Inquiry.objects.select_related("organiser").order_by("-id")
    return access.scope(actor, "inquiries.inquiry.view", qs)


def questions(*, actor: Actor, inquiry: Inquiry) -> QuerySet:
    qs = Question.objects.filter(inquiry=inquiry).select_related("unit").order_by("position")
    return access.scope(actor, "inquiries.question.view", qs)


# --- Figures ----------------------------------------------------------------------------------


@dataclass
class FigureRow:
    inquiry_id: int
    title: str
    state: str
    values: dict[str, int] = field(default_factory=dict)


FIGURE_FIELDS = (
    "questions",
    "answered",
    "commitments",
    "rectifications",
    "rectifications_closed",
    "opinion_on_time",
    "looked_back",
)


@dataclass
class Figures:
    year: int
    rows: list[FigureRow]
    total: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "inquiries": len(self.rows),
            "total": self.total,
            "rows": [
                {"inquiry": r.inquiry_id, "title": r.title, "state": r.state, "values": r.values}
                for r in self.rows
            ],
        }


def figures(*, actor: Actor | None, year: int) -> Figures:
    """A year's inquiries: questions asked and answered, commitments (findings) and their
    rectifications closed, the 审议意见 sent within its 10 working days, 回头看 done — per
    inquiry, as `actor` may see them (None: every record, for the command line). The same
    number of queries whatever the number of inquiries (six for a desk)."""
    inquiries = Inquiry.objects.filter(year=year).order_by("id")
    qs = Question.objects.filter(inquiry__year=year)
    findings = Finding.objects.filter(
        content_type=ContentType.objects.get_for_model(Question),
        object_id__in=qs.values("pk"),
    )
    if actor is not None:
        access.require(actor, "inquiries.inquiry.view")
        inquiries = access.scope(actor, "inquiries.inquiry.view", inquiries)
        qs = access.scope(actor, "inquiries.question.view", qs)
        findings = access.scope(actor, "rectification.finding.view", findings).filter(
            object_id__in=qs.values("pk")
        )
    rows = {
        i.pk: FigureRow(i.pk, i.title, i.get_state_display(), dict.fromkeys(FIGURE_FIELDS, 0))
        for i in inquiries
    }
    owner = dict(qs.filter(inquiry_id__in=rows).values_list("pk", "inquiry_id"))
    for q_id, answered in qs.filter(inquiry_id__in=rows).values_list("pk", "answered_at"):
        values = rows[owner[q_id]].values
        values["questions"] += 1
        values["answered"] += answered is not None
    for q_id, n, closed, all_rect in (
        findings.values("object_id")
        .annotate(
            n=Count("pk", distinct=True),
            closed=Count(
                "rectifications",
                filter=Q(rectifications__state=RectificationState.CLOSED),
                distinct=True,
            ),
            all_rect=Count("rectifications", distinct=True),
        )
        .values_list("object_id", "n", "closed", "all_rect")
    ):
        if q_id in owner:
            values = rows[owner[q_id]].values
            values["commitments"] += n
            values["rectifications"] += all_rect
            values["rectifications_closed"] += closed
    due = dict(
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Inquiry),
            object_id__in=list(rows),
            kind=DEADLINE_OPINION,
        ).values_list("object_id", "due_at")
    )
    for i in inquiries.filter(pk__in=list(rows)).values("pk", "opinion_sent_at", "state"):
        values = rows[i["pk"]].values
        sent, limit = i["opinion_sent_at"], due.get(i["pk"])
        values["opinion_on_time"] = int(bool(sent and limit and sent <= limit))
        values["looked_back"] = int(i["state"] == InquiryState.LOOKED_BACK)
    total = {f: sum(r.values[f] for r in rows.values()) for f in FIGURE_FIELDS}
    return Figures(year=year, rows=list(rows.values()), total=total)


def years(*, actor: Actor) -> list[int]:
    return sorted(
        set(inquiry_list(actor=actor).order_by().values_list("year", flat=True)), reverse=True
    )
