"""Reads of 联商, each scoped by access: the register, a matter with the records linked to it
(only those the reader may see), the yearly calendar of both sides' plans, the joint meetings,
analyses, and the figures per year with the records behind each number."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wulian.consultation.choices import JOINT_KINDS, SIDE_KINDS, ItemStatus, Side
from wulian.consultation.filters import AnalysisFilter, MatterFilter
from wulian.consultation.models import (
    Analysis,
    AuditItem,
    Inspection,
    InspectionFinding,
    Matter,
    MatterLink,
)
from wulian.consultation.policies import can_view_record
from wulian.core import access
from wulian.core.access import Actor
from wulian.core.opinions.policies import manager_org_ids as opinion_managers

BOTH_SIDES = sorted(SIDE_KINDS[Side.CONGRESS] | SIDE_KINDS[Side.CDI])

# The figures as the platform's whole, for the operator's command line (`wulian figures
# consultation`): no person's scope.
SYSTEM: Any = object()


def _scope(actor: Any, action: str, qs: QuerySet) -> QuerySet:
    return qs if actor is SYSTEM else access.scope(actor, action, qs)


def matter_list(*, actor: Actor, filters: Any = None) -> QuerySet:
    """The register: every matter the actor sees, newest year first, in one query."""
    qs = access.scope(actor, "consultation.matter.view", Matter.objects.all())
    qs = MatterFilter(filters or {}, queryset=qs).qs
    return qs.select_related("owner_org").order_by("-id")


def matter_detail(*, actor: Actor, matter_id: int) -> Matter:
    matter = Matter.objects.select_related("owner_org", "parent", "created_by").get(pk=matter_id)
    access.require(actor, "consultation.matter.view", matter)
    return matter


def linked_records(*, actor: Actor, matter: Matter) -> list[tuple[MatterLink, Any]]:
    """The records linked to the matter that the actor may see; one the actor may not see is
    left out altogether (not shown as withheld: the register is read by both sides)."""
    links = list(matter.links.select_related("content_type").order_by("id"))
    by_type: dict[int, list[int]] = defaultdict(list)
    for link in links:
        by_type[link.content_type_id].append(link.object_id)
    found: dict[tuple[int, int], Any] = {}
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for obj in model._default_manager.filter(pk__in=ids):
            found[(type_id, obj.pk)] = obj
    out = []
    for link in links:
        obj = found.get((link.content_type_id, link.object_id))
        if obj is not None and can_view_record(actor, obj):
            out.append((link, obj))
    return out


def link_label(link: MatterLink, record: Any) -> str:
    """ "会议或活动：2024年第二季度联席会议" — a linked record as the matter's page names it."""
    from wulian.consultation.choices import LINKABLE

    model = f"{link.content_type.app_label}.{link.content_type.model}"
    kind = next((str(label) for _v, label, m in LINKABLE if m == model), model)
    return f"{kind}：{record}"


def inspectable() -> QuerySet:
    """The organisations a law-enforcement inspection may inspect (all but the two sides)."""
    from wulian.core.models import Organisation

    return (
        Organisation.objects.filter(is_active=True)
        .exclude(kind__in=BOTH_SIDES)
        .order_by("sort_order", "code")
    )


def inspected_departments(matter: Matter) -> QuerySet:
    from wulian.core.models import Organisation

    return Organisation.objects.filter(
        pk__in=Inspection.departments.through.objects.filter(inspection__matter=matter).values(
            "organisation_id"
        )
    ).order_by("sort_order", "code")


def open_inspection_rows(matter: Matter) -> QuerySet:
    """The inspection's problems not yet handed on as rectifications."""
    return (
        InspectionFinding.objects.filter(inspection__matter=matter, finding__isnull=True)
        .select_related("department")
        .order_by("id")
    )


def inspection(*, actor: Actor, matter: Matter) -> Inspection | None:
    """The matter's inspection with its departments and its problems (each with the state of
    the rectification it became, where the reader may see it); a constant number of queries."""
    from django.db.models import Prefetch

    from wulian.core.rectification.models import Rectification

    found = (
        Inspection.objects.filter(matter=matter)
        .prefetch_related(
            "departments",
            Prefetch(
                "findings",
                queryset=InspectionFinding.objects.select_related("department").order_by("id"),
            ),
        )
        .first()
    )
    if found is None:
        return None
    finding_ids = [r.finding_id for r in found.findings.all() if r.finding_id]
    rects = {
        r.finding_id: r
        for r in access.scope(
            actor,
            "rectification.rectification.view",
            Rectification.objects.filter(finding_id__in=finding_ids),
        )
    }
    for row in found.findings.all():
        row.rectification = rects.get(row.finding_id)
    return found


def matter_timeline(*, matter: Matter) -> list[Any]:
    """What happened to the matter (its audit events, newest first, the latest 50): shown in
    words by the shared timeline (the keys described in labels.fields). A linked record is
    named there by its kind only, never its title (the reader may not see it)."""
    from wulian.core.models import AuditEvent

    qs = AuditEvent.objects.filter(target_type="consultation.matter", target_id=str(matter.pk))
    return list(qs.order_by("-seq")[:50])


def parents(actor: Actor, matter: Matter | None = None) -> QuerySet:
    """The matters a matter may be taken in step with (those without a parent of their own)."""
    qs = access.scope(actor, "consultation.matter.view", Matter.objects.filter(parent=None))
    return qs.exclude(pk=matter.pk) if matter is not None else qs


def children(*, actor: Actor, matter: Matter) -> QuerySet:
    """The matters taken in step with this one (a campaign's congress actions)."""
    return access.scope(actor, "consultation.matter.view", matter.children.all()).select_related(
        "owner_org"
    )


@dataclass
class CalendarMonth:
    month: int
    congress: list[tuple[int, str]] = field(default_factory=list)  # (matter id, title)
    cdi: list[tuple[int, str]] = field(default_factory=list)


def calendar(*, actor: Actor, year: int) -> list[CalendarMonth]:
    """Both sides' matters of a year by the month each starts: one query of the four columns
    the calendar shows (a year of both sides is some hundreds of matters)."""
    months = [CalendarMonth(m) for m in range(1, 13)]
    qs = access.scope(actor, "consultation.matter.view", Matter.objects.filter(year=year))
    rows = qs.order_by("starts_on", "id").values_list("pk", "title", "side", "starts_on")
    for pk, title, side, starts_on in rows:
        month = months[starts_on.month - 1] if starts_on.year == year else months[0]
        (month.congress if side == Side.CONGRESS else month.cdi).append((pk, title))
    return months


def analysis_list(*, actor: Actor, filters: Any = None) -> QuerySet:
    qs = access.scope(actor, "consultation.analysis.view", Analysis.objects.all())
    qs = AnalysisFilter(filters or {}, queryset=qs).qs
    return (
        qs.select_related("lead_org", "partner_org")
        .annotate(
            n_items=Count("items", distinct=True),
            n_rectified=Count("items", filter=Q(items__status=ItemStatus.RECTIFIED), distinct=True),
        )
        .order_by("-id")
    )


def analysis_detail(*, actor: Actor, analysis_id: int) -> Analysis:
    analysis = Analysis.objects.select_related("lead_org", "partner_org", "matter").get(
        pk=analysis_id
    )
    access.require(actor, "consultation.analysis.view", analysis)
    return analysis


def analysis_counts(analysis: Analysis) -> dict[str, Any]:
    """The imported rows by status and their amounts (one query)."""
    rows = {
        r["status"]: r
        for r in analysis.items.values("status").annotate(n=Count("id")).order_by("status")
    }
    total = sum(r["n"] for r in rows.values())
    done = rows.get(ItemStatus.RECTIFIED, {}).get("n", 0)
    return {
        "total": total,
        "by_status": [(s.label, rows.get(s.value, {}).get("n", 0)) for s in ItemStatus],
        "rate": _rate(done, total),
    }


def analysis_items(*, analysis: Analysis, after: int | None, per_page: int = 50) -> Any:
    """One page of the analysis' imported rows (the budget extract's lines for 预决算) in the
    order imported (batch, row: the ids of a batch follow its rows), keyset-paged forwards
    from `after` (an id): the same cost on the first page and the four-hundredth of a
    20,000-row list."""
    from wulian.core.keyset import KeysetPage

    rows_of = analysis.budget_lines if analysis.subject == "budget" else analysis.items
    qs = rows_of.order_by("id")
    if after is not None:
        qs = qs.filter(id__gt=after)
    rows = list(qs[: per_page + 1])
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    return KeysetPage(
        object_list=rows,
        has_next=has_next,
        next_after=rows[-1].pk if has_next else None,
        is_first=after is None,
    )


def budget_counts(analysis: Analysis) -> dict[str, Any]:
    """The budget extract's lines, their sums and the flagged ones (one query)."""
    from django.db.models import Sum

    from wulian.consultation.models import BudgetLine

    sums = BudgetLine.objects.filter(analysis=analysis).aggregate(
        total=Count("id"),
        low=Count("id", filter=Q(warning="low")),
        over=Count("id", filter=Q(warning="over")),
        executed=Sum("executed"),
    )
    return sums


def clues_from(*, actor: Actor, analysis: Analysis) -> list[Any]:
    """Clues drafted from the analysis, only those the actor may see (the clues' rules)."""
    from wulian.core.clues.models import Clue

    qs = Clue.objects.filter(
        source_type=ContentType.objects.get_for_model(Analysis), source_id=analysis.pk
    )
    return list(access.scope(actor, "clues.clue.view", qs).order_by("id"))


def joint_meetings(*, actor: Actor, year: int | None = None) -> QuerySet:
    """The two sides' joint meetings and 会商会审 the actor sees, newest first."""
    from wulian.core.activities.models import Activity

    qs = _scope(
        actor, "activities.activity.view", Activity.objects.filter(kind__in=sorted(JOINT_KINDS))
    )
    if year:
        qs = qs.filter(starts_at__year=year)
    return qs.select_related("organiser").order_by("-starts_at", "-id")


# --- Figures --------------------------------------------------------------------------------


def _rate(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


@dataclass(frozen=True)
class Figure:
    key: str
    label: Any
    value: int
    of: int | None = None  # the whole a rate is of
    year: int | None = None
    suppressed: bool = False  # a split too small to show outside the drafting side

    @property
    def rate(self) -> str:
        if self.suppressed:
            return str(_("不公开"))
        return _rate(self.value, self.of) if self.of is not None else ""

    @property
    def url(self) -> str:
        what = LISTED_AS.get(self.key, self.key)
        query = f"?what={what}" + (f"&year={self.year}" if self.year else "")
        return reverse("consultation:figure_records") + query


# Figures whose records are listed as those of another: an opinion's disposition is read on its
# round's page (whose rules decide who sees which comment), a receipt on its bulletin's, an
# imported row on its analysis'.
LISTED_AS = {"comments": "rounds", "receipts": "bulletins", "items": "analyses"}

FIGURE_LABELS = {
    "meetings": _("召开联席会议、会商会审"),
    "actions": _("议定事项按期办结"),
    "rounds": _("相互征求意见"),
    "comments": _("意见采纳"),
    "bulletins": _("印发通报"),
    "receipts": _("通报签收"),
    "analyses": _("联合研判"),
    "findings": _("研判和协同监督发现问题"),
    "rectifications": _("整改销号"),
    "items": _("审计整改清单已整改"),
}


# A set of records behind a figure is read as its ids when it has at most this many (a city's
# joint meetings, rounds, bulletins, analyses and their findings over ten years: tens to
# hundreds): the figures that nest it then compile and run a short IN list instead of the
# scoped query again and again (the ORM's compiling of nested subqueries was most of the
# figures page's time). A larger set stays a subquery.
FEW = 2000


def _few(qs: QuerySet) -> Any:
    """`qs`'s ids as a list when there are at most FEW, else the subquery of its ids."""
    ids = list(qs.order_by().values_list("pk", flat=True)[: FEW + 1])
    return ids if len(ids) <= FEW else qs.values("pk")


def _count(ids: Any) -> int:
    return len(ids) if isinstance(ids, list) else ids.count()


def figure_queries(*, actor: Actor, year: int | None) -> dict[str, QuerySet]:
    """The records behind each figure, scoped by each record's own rules."""
    return {key: qs for key, (qs, _ids) in _figure_sets(actor=actor, year=year).items()}


def _figure_sets(*, actor: Actor, year: int | None) -> dict[str, tuple[QuerySet, Any]]:
    """Each figure's records (a queryset) and, for those that other figures nest, their ids
    (read once, see FEW)."""
    from wulian.core.activities.choices import ActivityState
    from wulian.core.activities.models import ActionItem, Activity
    from wulian.core.bulletins.choices import BulletinState
    from wulian.core.bulletins.models import Bulletin, BulletinRecipient
    from wulian.core.opinions.models import Comment, OpinionRound
    from wulian.core.rectification.models import Finding, Rectification

    def by_year(qs: QuerySet, field_name: str) -> QuerySet:
        return qs.filter(**{field_name: year}) if year else qs

    def kept(qs: QuerySet) -> tuple[QuerySet, Any]:
        ids = _few(qs)
        return (qs.model._default_manager.filter(pk__in=ids) if isinstance(ids, list) else qs), ids

    meetings, meeting_ids = kept(
        by_year(joint_meetings(actor=actor), "starts_at__year").filter(state=ActivityState.HELD)
    )
    actions = _scope(
        actor,
        "activities.actionitem.view",
        ActionItem.objects.filter(decision__meeting__activity__in=meeting_ids),
    )
    rounds, round_ids = kept(
        by_year(
            _scope(
                actor,
                "opinions.round.view",
                OpinionRound.objects.filter(drafter__kind__in=BOTH_SIDES).exclude(state="draft"),
            ),
            "year",
        )
    )
    bulletins, bulletin_ids = kept(
        by_year(
            _scope(
                actor,
                "bulletins.bulletin.view",
                Bulletin.objects.filter(issuer__kind__in=BOTH_SIDES, state=BulletinState.ISSUED),
            ),
            "year",
        )
    )
    analyses, analysis_ids = kept(
        by_year(_scope(actor, "consultation.analysis.view", Analysis.objects.all()), "year")
    )
    # The coordinated topics' findings too: those on the activities linked to the year's
    # matters (a law-enforcement inspection's), besides those of the year's analyses, and
    # those of the year's law-enforcement inspections (about their matters). Findings about
    # matters and linked activities are few: read first, then kept to the visible matters.
    activity_type = ContentType.objects.get_for_model(Activity)
    matter_type = ContentType.objects.get_for_model(Matter)
    analysis_type = ContentType.objects.get_for_model(Analysis)
    matters = by_year(_scope(actor, "consultation.matter.view", Matter.objects.all()), "year")
    about_matters = Finding.objects.filter(content_type=matter_type).values("object_id")
    linked = MatterLink.objects.filter(content_type=activity_type, matter__in=matters).values(
        "object_id"
    )
    findings, finding_ids = kept(
        _scope(
            actor,
            "rectification.finding.view",
            Finding.objects.filter(
                Q(content_type=analysis_type, object_id__in=analysis_ids)
                | Q(content_type=activity_type, object_id__in=linked)
                | Q(
                    content_type=matter_type,
                    object_id__in=matters.filter(pk__in=about_matters).values("pk"),
                )
            ),
        )
    )
    return {
        "meetings": (meetings, meeting_ids),
        "actions": (actions, None),
        "rounds": (rounds, round_ids),
        "comments": (
            Comment.objects.filter(round__in=round_ids).exclude(disposition=""),
            None,
        ),
        "bulletins": (bulletins, bulletin_ids),
        "receipts": (BulletinRecipient.objects.filter(bulletin__in=bulletin_ids), None),
        "analyses": (analyses, analysis_ids),
        "findings": (findings, finding_ids),
        "rectifications": (
            _scope(
                actor,
                "rectification.rectification.view",
                Rectification.objects.filter(finding__in=finding_ids),
            ),
            None,
        ),
        "items": (AuditItem.objects.filter(analysis__in=analysis_ids), None),
    }


def figures(*, actor: Actor, year: int | None = None) -> list[Figure]:
    """联商 in numbers for a year (all years when None): one count query per figure."""
    from wulian.core.activities.choices import ActionState
    from wulian.core.opinions.choices import Disposition
    from wulian.core.rectification.choices import RectificationState

    if actor is not SYSTEM:
        actor = access.as_actor(actor)
        if not access.can(actor, "consultation.figures.view"):
            return []
    sets = _figure_sets(actor=actor, year=year)
    q = {key: qs for key, (qs, _ids) in sets.items()}
    counted = {key: _count(ids) for key, (_qs, ids) in sets.items() if ids is not None}
    actions = q["actions"].aggregate(
        total=Count("id"),
        on_time=Count("id", filter=Q(state=ActionState.DONE, reported_at__lte=F("due_at"))),
    )
    comments = q["comments"].aggregate(
        commenters=Count("invitee_id", distinct=True),
        total=Count("id"),
        adopted=Count("id", filter=Q(disposition__in=[Disposition.ADOPTED, Disposition.PARTLY])),
    )
    receipts = q["receipts"].aggregate(
        total=Count("id"), signed=Count("id", filter=Q(signed_at__isnull=False))
    )
    rects = q["rectifications"].aggregate(
        total=Count("id"), closed=Count("id", filter=Q(state=RectificationState.CLOSED))
    )
    items = q["items"].aggregate(
        total=Count("id"), done=Count("id", filter=Q(status=ItemStatus.RECTIFIED))
    )

    def f(key: str, value: int, of: int | None = None, hidden: bool = False) -> Figure:
        return Figure(
            key=key, label=FIGURE_LABELS[key], value=value, of=of, year=year, suppressed=hidden
        )

    # As the opinions' own figures (ADR 0024): outside the drafting side, a split over fewer
    # than OPINION_FIGURES_MIN_COMMENTERS commenters is that commenter's answer.
    others = (
        actor is not SYSTEM
        and counted["rounds"] > 0
        and q["rounds"].exclude(drafter_id__in=opinion_managers(actor)).exists()
    )
    small = comments["commenters"] < settings.OPINION_FIGURES_MIN_COMMENTERS

    return [
        f("meetings", counted["meetings"]),
        f("actions", actions["on_time"], actions["total"]),
        f("rounds", counted["rounds"]),
        f("comments", comments["adopted"], comments["total"], hidden=others and small),
        f("bulletins", counted["bulletins"]),
        f("receipts", receipts["signed"], receipts["total"]),
        f("analyses", counted["analyses"]),
        f("findings", counted["findings"]),
        f("rectifications", rects["closed"], rects["total"]),
        f("items", items["done"], items["total"]),
    ]
