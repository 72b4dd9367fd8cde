"""Reads of deputies' suggestions: scoped in the database by the access rules, with the joins
a page needs so that a list costs the same number of queries for 20 rows as for 100."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import QueryDict

from wulian.core import access, compiled, keyset
from wulian.core.access import Actor
from wulian.core.deadlines.choices import Decision
from wulian.core.deadlines.models import Deadline, ExtensionRequest
from wulian.core.models import AuditEvent, Person
from wulian.suggestions.choices import (
    ACTIVE_ASSIGNMENT,
    REPLY_DEADLINES,
    AssignmentRole,
    BatchState,
    SupervisionState,
)
from wulian.suggestions.filters import PRIVATE_FILTERS, SuggestionFilter
from wulian.suggestions.models import (
    Assignment,
    AssignmentBatch,
    Campaign,
    CampaignOpinion,
    Contact,
    CoSigner,
    CoUnitOpinion,
    OpinionWaiver,
    Reply,
    Suggestion,
    SupervisionOrder,
    Verdict,
)
from wulian.suggestions.policies import unit_org_ids, unit_roles

LIST_FIELDS = (
    "id",
    "session__name",
    "session__year",
    "number",
    "title",
    "category",
    "raised_during",
    "status",
    "lead_deputy__name",
    "lead_unit__name",
    "lead_unit__short_name",
    "submitted_at",
    "assigned_at",
    "contact_due_at",
    "first_contact_at",
    "reply_due_at",
    "replied_at",
    "reply_round",
    "reply_category",
    "verdict",
    "is_key",
    "public",
    "version",
)


def visible_filters(actor: Actor, filters: Mapping[str, Any] | None) -> Any:
    """The filters as given, without the ones the actor may not use (the verdict filter for
    a person who may not see verdicts)."""
    data = filters.copy() if isinstance(filters, QueryDict) else dict(filters or {})
    if not access.can(actor, "suggestions.verdict.view"):
        for name in PRIVATE_FILTERS:
            data.pop(name, None)
    return data


def suggestion_list(
    *,
    actor: Actor,
    filters: Mapping[str, Any] | None = None,
    filterset: SuggestionFilter | None = None,
) -> QuerySet:
    """代表建议台账: every suggestion the actor may see, newest first (keyset pages on `-id`),
    filtered by the shared FilterSet; session, lead deputy and lead unit joined in the same
    query; only the columns a row shows. A view that has validated the FilterSet of
    `visible_filters(actor, …)` for its form passes it (`filterset=`): its filters are applied
    to the actor's rows, without a second FilterSet validating (and looking up) them again."""
    qs = access.scope(actor, "suggestions.suggestion.view", Suggestion.objects.all())
    if filterset is None:
        qs = SuggestionFilter(visible_filters(actor, filters), queryset=qs).qs
    else:
        qs = filterset.filter_queryset(qs)
    return (
        qs.select_related("session", "lead_deputy", "lead_unit").only(*LIST_FIELDS).order_by("-id")
    )


# What a row of the ledger shows (suggestion_ui.suggestion_rows), read as tuples.
LEDGER_COLUMNS = (
    ("pk", "id"),
    ("session_name", "session__name"),
    ("number", "number"),
    ("title", "title"),
    ("category", "category"),
    ("status", "status"),
    ("lead_deputy_name", "lead_deputy__name"),
    ("lead_unit_id", "lead_unit_id"),
    ("lead_unit_name", "lead_unit__name"),
    ("lead_unit_short_name", "lead_unit__short_name"),
    ("contact_due_at", "contact_due_at"),
    ("first_contact_at", "first_contact_at"),
    ("reply_due_at", "reply_due_at"),
    ("reply_category", "reply_category"),
    ("verdict", "verdict"),
    ("is_key", "is_key"),
)


class LedgerRow(keyset.TupleRow):
    """A ledger row (`suggestion_ui.suggestion_rows`): the overdue flags are the model's own
    properties, read on these attributes; `_meta` lets `ui.choice_label` read the choices."""

    COLUMNS = LEDGER_COLUMNS
    __slots__ = keyset.slots(LEDGER_COLUMNS)
    _meta = Suggestion._meta
    contact_overdue = Suggestion.contact_overdue
    reply_overdue = Suggestion.reply_overdue

    @property
    def lead_unit_display_name(self) -> str:
        """`Organisation.display_name`: the short name, else the name."""
        return self.lead_unit_short_name or self.lead_unit_name


def ledger_rows(qs: QuerySet) -> QuerySet:
    """`suggestion_list(…)` as the ledger's rows (`LedgerRow`s, one tuple each)."""
    return keyset.tuple_rows(qs, LedgerRow)


def suggestion_detail(*, actor: Actor, suggestion_id: int) -> Suggestion:
    """The suggestion with what its page shows of it; `s.submitter` is the person whose
    account submitted it (None if it was imported), to show "submitted on the deputy's behalf".

    Only the four direct relations are joined. The key-suggestion leader and the merge primary
    are read when there is one (most suggestions have neither); the submitter's person is one
    indexed read: through the account (a reverse one-to-one) PostgreSQL's estimate grew to
    10,000 rows, and it planned and hashed whole tables for the joins after it (at 1,000,000:
    this read 5.7 → 1.7 ms)."""
    found = compiled.objects(
        "suggestions.detail",
        lambda pk: Suggestion.objects.select_related(
            "session", "office", "lead_deputy", "lead_unit"
        ).filter(pk=pk),
        pk=suggestion_id,
    )
    if not found:
        raise Suggestion.DoesNotExist
    s = found[0]
    # The two relations the page and the access rules read, as `prefetch_related` leaves them
    # (each row's `suggestion` set; the related manager's own queryset holding the rows).
    _prefetched(
        s,
        "cosigners",
        compiled.objects(
            "suggestions.detail.cosigners",
            lambda pk: CoSigner.objects.select_related("person").filter(suggestion_id=pk),
            pk=s.pk,
        ),
    )
    _prefetched(
        s,
        "assignments",
        compiled.objects(
            "suggestions.detail.assignments",
            lambda pk: (
                Assignment.objects.select_related("unit", "batch")
                .filter(suggestion_id=pk)
                .order_by("-role", "id")
            ),
            pk=s.pk,
        ),
    )
    access.require(actor, "suggestions.suggestion.view", s)
    # Most deputies submit their own: the lead deputy (joined above) is then the submitter.
    if s.submitted_by_id is None:
        s.submitter = None
    elif s.lead_deputy.user_id == s.submitted_by_id:
        s.submitter = s.lead_deputy
    else:
        people = compiled.objects(
            "suggestions.detail.submitter",
            lambda user: Person.objects.filter(user_id=user).only("id", "name")[:1],
            user=s.submitted_by_id,
        )
        s.submitter = people[0] if people else None
    return s


def _prefetched(instance: Any, name: str, rows: list[Any]) -> None:
    """`rows` as `prefetch_related(name)` leaves them on `instance` (a reverse foreign key):
    each row's own relation to `instance` cached, and the related manager's queryset — which
    a later `.filter()` narrows from — holding them."""
    manager = getattr(instance, name)
    remote = manager.field
    for row in rows:
        remote.set_cached_value(row, instance)
    qs = manager.get_queryset()
    qs._result_cache = rows
    qs._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = qs


@dataclass
class Handling:
    """What the suggestion page shows of the handling, each part only to those who may see it."""

    assignments: list[Assignment] = field(default_factory=list)
    my_assignments: list[Assignment] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    opinions: list[CoUnitOpinion] = field(default_factory=list)
    waivers: list[OpinionWaiver] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    reply_files: dict[int, list[Any]] = field(default_factory=dict)
    files: list[Any] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    orders: list[SupervisionOrder] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    extensions: list[ExtensionRequest] = field(default_factory=list)
    activities: list[Any] = field(default_factory=list)
    may_see_verdicts: bool = False
    lead_role: bool = False
    co_role: bool = False


def _co_unit_part(model: Any, part: str, pk: int, units: list[int] | None = None) -> list[Any]:
    """A suggestion's co-unit opinions or waivers by round: all of them, or (`units`) those of
    the actor's own co-assignments — each a statement built once (core.compiled)."""
    if units is None:
        return compiled.objects(
            f"suggestions.handling.{part}",
            lambda pk: (
                model.objects.filter(suggestion_id=pk)
                .select_related("assignment__unit")
                .order_by("round", "id")
            ),
            pk=pk,
        )
    return compiled.objects(
        f"suggestions.handling.{part}.units",
        lambda pk, units: (
            model.objects.filter(suggestion_id=pk, assignment__unit_id__in=units)
            .select_related("assignment__unit")
            .order_by("round", "id")
        ),
        pk=pk,
        units=units,
    )


def handling(*, actor: Actor, suggestion: Suggestion) -> Handling:
    """The parts of the suggestion page below its text. A co-unit sees its own assignment, its
    opinion and the reply — not the lead unit's contacts with the deputy nor other co-units'
    opinions; a unit never sees who rated what. Who recorded each part is on the timeline, not
    joined here (each join through an account to its person cost ~1 ms at 1,000,000)."""
    from wulian.core.activities.models import Activity, ActivityRecordLink
    from wulian.core.attachments.models import Attachment

    actor = access.as_actor(actor)
    mine = unit_org_ids(actor)
    sees_all = access.can(actor, "suggestions.verdict.view") and not (
        actor.person_id is not None and suggestion.lead_deputy_id == actor.person_id
    )
    assignments = list(suggestion.assignments.all())
    by_id = {a.pk: a for a in assignments}
    for a in assignments:  # a co-unit's send-back settled by another unit (no query)
        a.replaced_by = by_id.get(a.replacement_id)
    roles = {a.role for a in assignments if a.unit_id in mine and a.status in ACTIVE_ASSIGNMENT}
    if suggestion.merged_into_id is not None:  # 并案: the primary's units handle it
        roles = unit_roles(actor, suggestion)
    h = Handling(
        assignments=assignments,
        my_assignments=[a for a in assignments if a.unit_id in mine],
        lead_role=AssignmentRole.LEAD in roles,
        co_role=AssignmentRole.CO in roles,
        may_see_verdicts=access.can(actor, "suggestions.verdict.view", suggestion),
    )
    own = actor.person_id is not None and (
        suggestion.lead_deputy_id == actor.person_id
        or any(c.person_id == actor.person_id for c in suggestion.cosigners.all())
    )
    # A part the suggestion's own records make empty is not read (each read is ~0.3–0.5 ms of
    # the ORM's building): a contact is recorded on the lead assignment (a merged suggestion's:
    # its primary's), a co-unit's opinion on its own co-assignment, a verdict on the
    # suggestion's reply (services.handling, services.verdict).
    has_co = any(a.role == AssignmentRole.CO for a in assignments)
    # Each part is a statement the ORM builds once per process (core.compiled): its values
    # (the suggestion, the actor's units) are parameters; a part that narrows to the actor's
    # units is its own statement.
    pk = suggestion.pk
    units = sorted(mine)
    if (sees_all or h.lead_role or own) and (assignments or suggestion.merged_into_id):
        h.contacts = compiled.objects(
            "suggestions.handling.contacts",
            lambda pk: (
                Contact.objects.filter(suggestion_id=pk)
                .select_related("deputy", "assignment__unit")
                .order_by("contacted_at", "id")
            ),
            pk=pk,
        )
    if has_co and (sees_all or h.lead_role):
        h.opinions = _co_unit_part(CoUnitOpinion, "opinions", pk)
        h.waivers = _co_unit_part(OpinionWaiver, "waivers", pk)
    elif has_co and h.co_role:
        h.opinions = _co_unit_part(CoUnitOpinion, "opinions", pk, units)
        h.waivers = _co_unit_part(OpinionWaiver, "waivers", pk, units)
    h.replies = compiled.objects(
        "suggestions.handling.replies",
        lambda pk: Reply.objects.filter(suggestion_id=pk).select_related("unit").order_by("round"),
        pk=pk,
    )
    # The suggestion's files and its replies' files in one read.
    reply_type = ContentType.objects.get_for_model(Reply).pk
    ct = ContentType.objects.get_for_model(Suggestion).pk
    h.reply_files = {}
    for att in compiled.objects(
        "suggestions.handling.files",
        lambda ct, pk, reply_type, replies: (
            Attachment.objects.filter(removed_at__isnull=True)
            .filter(
                Q(content_type_id=ct, object_id=pk)
                | Q(content_type_id=reply_type, object_id__in=replies)
            )
            .order_by("uploaded_at", "id")
        ),
        ct=ct,
        pk=pk,
        reply_type=reply_type,
        replies=[r.pk for r in h.replies],
    ):
        if att.content_type_id == reply_type:
            h.reply_files.setdefault(att.object_id, []).append(att)
        else:
            h.files.append(att)
    for r in h.replies:
        r.attached = h.reply_files.get(r.pk, [])
    if h.may_see_verdicts and h.replies:
        h.verdicts = compiled.objects(
            "suggestions.handling.verdicts",
            lambda pk: (
                Verdict.objects.filter(suggestion_id=pk)
                .select_related("reply", "deputy")
                .order_by("given_at", "id")
            ),
            pk=pk,
        )
    # An order is addressed to one unit: the supervising side and the suggestion's own deputies
    # see every order; anyone else those the order's rule lets them see (the unit it is
    # addressed to; the CDI once it is escalated).
    h.orders = compiled.objects(
        "suggestions.handling.orders",
        lambda pk: (
            SupervisionOrder.objects.filter(suggestion_id=pk)
            .select_related("issued_by_org", "to_unit")
            .order_by("-issued_at", "-id")
        ),
        pk=pk,
    )
    if not (sees_all or own):
        h.orders = [
            o for o in h.orders if access.can(actor, "suggestions.supervisionorder.view", o)
        ]
    h.deadlines = compiled.objects(
        "suggestions.handling.deadlines",
        lambda ct, pk: Deadline.objects.filter(content_type_id=ct, object_id=pk).order_by(
            "start", "id"
        ),
        ct=ct,
        pk=pk,
    )
    if h.deadlines:
        h.extensions = compiled.objects(
            "suggestions.handling.extensions",
            lambda deadlines: ExtensionRequest.objects.filter(deadline_id__in=deadlines).order_by(
                "-requested_at", "-id"
            ),
            deadlines=[d.pk for d in h.deadlines],
        )
    h.activities = [
        a
        for a in compiled.objects(
            "suggestions.handling.activities",
            lambda ct, pk: (
                Activity.objects.filter(
                    pk__in=ActivityRecordLink.objects.filter(
                        content_type_id=ct, object_id=pk
                    ).values("activity_id")
                )
                .select_related("organiser")
                .order_by("-starts_at")
            ),
            ct=ct,
            pk=pk,
        )
        if access.can(actor, "activities.activity.view", a)
    ]
    return h


def reply_files(replies: list[Reply]) -> dict[int, list[Any]]:
    """The attachments (not removed) of these replies, by reply id, in upload order (one
    query). Seen by whoever sees the reply's suggestion (`suggestions.reply.view`); a merged
    suggestion's reply carries its own copies of the primary reply's files."""
    from wulian.core.attachments.models import Attachment

    found: dict[int, list[Any]] = {}
    if not replies:
        return found
    for att in Attachment.objects.filter(
        removed_at__isnull=True,
        content_type=ContentType.objects.get_for_model(Reply),
        object_id__in=[r.pk for r in replies],
    ).order_by("uploaded_at", "id"):
        found.setdefault(att.object_id, []).append(att)
    return found


def reply_file(*, suggestion: Suggestion, attachment_id: int) -> Any | None:
    """An attachment of one of the suggestion's replies (removed ones included: the download
    says they are gone), or None."""
    from wulian.core.attachments.models import Attachment

    return Attachment.objects.filter(
        pk=attachment_id,
        content_type=ContentType.objects.get_for_model(Reply),
        object_id__in=Reply.objects.filter(suggestion=suggestion).values("pk"),
    ).first()


def pending_extension(h: Handling) -> ExtensionRequest | None:
    """The request for more time to reply or re-reply that waits for the office (other
    deadlines' requests, e.g. on the verdict clock, go through the deadline's own page)."""
    asked = {d.pk for d in h.deadlines if d.kind in REPLY_DEADLINES}
    return next(
        (e for e in h.extensions if e.decision == Decision.PENDING and e.deadline_id in asked),
        None,
    )


# The audit events whose details a person who may not see verdicts does not get.
PRIVATE_EVENTS = frozenset({"suggestions.verdict.given"})


@dataclass(frozen=True)
class Event:
    at: Any
    actor_label: str
    action: str
    after: str
    after_data: Any
    # For the history in words (core.history) and its 技术详情.
    actor_id: int | None = None
    organisation_id_at_time: int | None = None
    seq: int = 0
    outcome: str = ""
    hash: str = ""


def suggestion_timeline(*, actor: Actor, suggestion: Suggestion, limit: int = 100) -> list[Event]:
    """The trail of the suggestion and of its assignments (receipt deadlines), newest first.
    The details of a verdict are left out for those who may not see verdicts."""
    assignment_ids = [str(a.pk) for a in suggestion.assignments.all()]

    def build(pk: str, assignments: list[str]) -> QuerySet:
        where = Q(target_type="suggestions.suggestion", target_id=pk)
        if assignments:
            where |= Q(target_type="suggestions.assignment", target_id__in=assignments)
        return AuditEvent.objects.filter(where).order_by("-seq")[:limit]

    may = access.can(actor, "suggestions.verdict.view", suggestion)
    events = compiled.objects(
        f"suggestions.timeline.{limit}", build, pk=str(suggestion.pk), assignments=assignment_ids
    )
    out = []
    for ev in events:
        hidden = ev.action in PRIVATE_EVENTS and not may
        data = None if hidden else _readable(ev.after_data)
        out.append(
            Event(
                at=ev.at,
                actor_label=ev.actor_label,
                action=ev.action,
                after="" if hidden else ev.after,
                after_data=data,
                actor_id=ev.actor_id,
                organisation_id_at_time=ev.organisation_id_at_time,
                seq=ev.seq,
                outcome=ev.outcome,
                hash=ev.hash,
            )
        )
    return out


def _readable(data: Any) -> Any:
    """What a page shows of an event's data: the digests (`*_sm3`) stay in the audit trail."""
    if not isinstance(data, dict):
        return data
    return {k: v for k, v in data.items() if not k.endswith("_sm3")}


def batch_list(*, actor: Actor) -> QuerySet:
    qs = access.scope(actor, "suggestions.batch.view", AssignmentBatch.objects.all())
    return qs.select_related("proposed_org", "confirmed_org", "proposed_by__person").order_by("-id")


def batch_detail(*, actor: Actor, batch_id: int) -> tuple[AssignmentBatch, list[dict[str, Any]]]:
    """A batch and its rows: the suggestion, its lead unit and co-units (two more queries)."""
    from wulian.core.models import Organisation

    batch = AssignmentBatch.objects.select_related(
        "proposed_org",
        "confirmed_org",
        "proposed_by__person",
        "confirmed_by__person",
        "consultation",
    ).get(pk=batch_id)
    access.require(actor, "suggestions.batch.view", batch)
    ids = [int(i["suggestion"]) for i in batch.items]
    suggestions = Suggestion.objects.select_related("session").in_bulk(ids)
    org_ids = {i["lead"] for i in batch.items} | {c for i in batch.items for c in i["co"]}
    orgs = Organisation.objects.in_bulk(list(org_ids))
    rows = [
        {
            "suggestion": suggestions.get(int(i["suggestion"])),
            "version": i["version"],
            "lead": orgs.get(i["lead"]),
            "co": [orgs.get(c) for c in i["co"]],
        }
        for i in batch.items
    ]
    return batch, rows


def pending_suggestion_ids(exclude_batch: int | None = None) -> set[int]:
    """Suggestions already in a batch waiting for the other side's confirmation."""
    ids: set[int] = set()
    qs = AssignmentBatch.objects.filter(state=BatchState.PROPOSED)
    if exclude_batch is not None:
        qs = qs.exclude(pk=exclude_batch)
    for items in qs.values_list("items", flat=True):
        ids.update(int(i["suggestion"]) for i in items)
    return ids


def proposable(
    *, actor: Actor, filters: Mapping[str, Any] | None = None, limit: int = 500
) -> list[Suggestion]:
    """Suggestions waiting for a joint assignment (accepted, or sent back) that are not in a
    batch waiting for confirmation."""
    pending = pending_suggestion_ids()
    qs = suggestion_list(actor=actor, filters=filters).filter(status__in=["accepted", "sent_back"])
    return [s for s in qs[: limit + len(pending)] if s.pk not in pending][:limit]


def campaign_list(*, actor: Actor) -> QuerySet:
    from django.db.models import Count

    qs = access.scope(actor, "suggestions.campaign.view", Campaign.objects.all())
    return (
        qs.select_related("organiser")
        .annotate(
            collected=Count("opinions"),
            completed=Count("opinions", filter=Q(opinions__state="completed")),
        )
        .order_by("-year", "-id")
    )


def campaign_opinions(*, actor: Actor, campaign: Campaign) -> QuerySet:
    qs = access.scope(
        actor,
        "suggestions.campaignopinion.view",
        CampaignOpinion.objects.filter(campaign=campaign),
    )
    return qs.select_related("collected_by", "unit").order_by("-id")


def public_list(*, filters: Mapping[str, Any] | None = None) -> QuerySet:
    """Answered suggestions published with approved texts, for the page without sign-in. The
    search reads only the approved texts (`search.matching(..., public=True)`), and the rows
    carry no original title or content."""
    qs = Suggestion.objects.filter(public=True, status__in=["answered", "closed"]).exclude(
        public_title=""
    )
    q = (filters or {}).get("q") or ""
    if q:
        from wulian.suggestions import search

        qs = search.matching(qs, q, public=True)
    return (
        qs.select_related("session", "lead_unit")
        .only(
            "id",
            "session__name",
            "number",
            "public_title",
            "category",
            "status",
            "lead_unit__name",
            "lead_unit__short_name",
            "reply_category",
            "published_at",
            "replied_at",
        )
        .order_by("-id")
    )


def public_replies(*, suggestion_id: int) -> list[Reply]:
    """The replies of a published suggestion whose text was approved for the public page."""
    return list(
        Reply.objects.filter(suggestion_id=suggestion_id)
        .exclude(published_text="")
        .select_related("unit")
        .only("id", "round", "category", "sent_at", "published_text", "unit__name")
        .order_by("round")
    )


@dataclass
class PublicText:
    """One text of a publication: what the approver starts from and what the public sees."""

    field: str
    label: str
    original: str  # the unit's or the deputy's text (for the approver only)
    proposed: str  # the form's initial value: the approved text, else the original redacted
    allowed: bool = True  # False: the unit wrote no public text for this reply


@dataclass
class Publication:
    suggestion: Suggestion
    names: set[str]
    texts: list[PublicText]

    def initial(self) -> dict[str, str]:
        return {t.field: t.proposed for t in self.texts}


def publication(*, suggestion: Suggestion) -> Publication:
    """What the publish page starts from: each text the public page may show, pre-filled with
    the approved text of a published suggestion, else the original after automatic
    redaction. The names are those redaction masks (`public_names`)."""
    from django.utils.translation import gettext as _

    from wulian.suggestions import redact

    s = suggestion
    names = public_names(suggestion_id=s.pk)
    approved = s.public and bool(s.public_title)
    texts = [
        PublicText(
            "title",
            _("公开标题"),
            s.title,
            s.public_title if approved else redact.redact(s.title, names),
        ),
        PublicText(
            "content",
            _("公开内容"),
            s.content,
            s.public_content if approved else redact.redact(s.content, names),
        ),
    ]
    for r in Reply.objects.filter(suggestion=s).order_by("round"):
        texts.append(
            PublicText(
                f"reply_{r.round}",
                _("第 %(n)d 次答复的公开文本") % {"n": r.round},
                r.public_text,
                r.published_text if approved else redact.redact(r.public_text, names),
                allowed=bool(r.public_text),
            )
        )
    return Publication(s, names, texts)


def public_names(*, suggestion_id: int) -> set[str]:
    """The names of the people known to a suggestion (the lead deputy, the co-signers, the
    deputies contacted, the reply signers and senders, the contact recorders): masked on the
    public page wherever they appear."""
    return public_names_for(suggestion_ids=[suggestion_id]).get(suggestion_id, set())


def public_names_for(*, suggestion_ids: list[int]) -> dict[int, set[str]]:
    """`public_names` of several suggestions (a page of the public list): four queries."""
    names: dict[int, set[str]] = {i: set() for i in suggestion_ids}
    if not suggestion_ids:
        return names
    rows: list[tuple[Any, ...]] = [
        *Suggestion.objects.filter(pk__in=suggestion_ids).values_list("pk", "lead_deputy__name"),
        *CoSigner.objects.filter(suggestion_id__in=suggestion_ids).values_list(
            "suggestion_id", "person__name"
        ),
        *Contact.objects.filter(suggestion_id__in=suggestion_ids).values_list(
            "suggestion_id", "deputy__name", "recorded_by__person__name"
        ),
        *Reply.objects.filter(suggestion_id__in=suggestion_ids).values_list(
            "suggestion_id", "signer", "sent_by__person__name"
        ),
    ]
    for pk, *found in rows:
        names[pk] |= {n for n in found if n}
    return names


def live_orders(*, suggestion: Suggestion) -> list[SupervisionOrder]:
    return list(
        SupervisionOrder.objects.filter(
            suggestion=suggestion,
            state__in=[SupervisionState.ISSUED, SupervisionState.RESPONDED],
        )
    )


def proposed_batches_containing(suggestion: Suggestion) -> list[AssignmentBatch]:
    return [
        b
        for b in AssignmentBatch.objects.filter(state=BatchState.PROPOSED)
        if any(int(i["suggestion"]) == suggestion.pk for i in b.items)
    ]
