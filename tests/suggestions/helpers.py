"""Suggestions for tests.

- `make_suggestion(p, status)`: built directly in a state (for pages, the route and policy
  matrices): a session of the congress working body, the deputy persona leading, unit A as lead
  unit and unit B as co-unit once assigned.
- `walk(p, status)`: the same through the services, step by step (for service tests and the
  scenario), so that deadlines, audit events and notifications are the real ones.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from tests.factories import account
from tests.personas import Personas
from wulian.core.choices import Role
from wulian.core.models import Person
from wulian.suggestions import services
from wulian.suggestions.choices import (
    AssignmentRole,
    AssignmentStatus,
    BatchState,
    Category,
    ContactMethod,
    RaisedDuring,
    ReplyCategory,
    Satisfaction,
    SuggestionStatus,
)
from wulian.suggestions.models import (
    Assignment,
    AssignmentBatch,
    CongressSession,
    CoSigner,
    Reply,
    Suggestion,
    Verdict,
)

# A Monday in a year the installed chinesecalendar covers.
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
S = SuggestionStatus
ORDER = [
    S.SUBMITTED,
    S.ACCEPTED,
    S.ASSIGNED,
    S.HANDLING,
    S.ANSWERED,
    S.CLOSED,
]
TITLE = "关于老旧小区加装电梯的建议"
CONTENT = "老旧小区多为六七层楼房，没有电梯，老年人上下楼十分困难。建议简化审批流程，提高补贴标准。"


def make_session(p: Personas, **over: Any) -> CongressSession:
    name = over.pop("name", "市十五届人大二次会议")
    values = {
        "year": 2026,
        "opens_on": date(2026, 1, 10),
        "closes_on": date(2026, 1, 14),
        "office": p.orgs["congress_body"],
        "is_current": True,
        **over,
    }
    session, _created = CongressSession.objects.get_or_create(name=name, defaults=values)
    return session


def deputy(p: Personas) -> Person:
    return p.users["deputy"].person


def co_signer(p: Personas) -> Any:
    """A second deputy (of the liaison station) who co-signs, with an account."""
    user = account(p.orgs["station"], Role.DEPUTY, username="deputy_2", name="李代表")
    return user


def make_suggestion(
    p: Personas,
    status: str = S.SUBMITTED,
    *,
    lead: str = "unit_a",
    co: tuple[str, ...] = ("unit_b",),
    number: int | None = None,
    **fields: Any,
) -> Suggestion:
    """A suggestion already in `status`, with the assignments that status implies."""
    session = make_session(p)
    now = timezone.now()
    values: dict[str, Any] = {
        "session": session,
        "number": number or (Suggestion.objects.filter(session=session).count() + 1),
        "title": TITLE,
        "content": CONTENT,
        "category": Category.URBAN_RURAL,
        "raised_during": RaisedDuring.RECESS,
        "lead_deputy": deputy(p),
        "office": p.orgs["congress_body"],
        "submitted_by": p.users["deputy"],
        "submitted_at": now,
        "status": status,
    }
    reached = ORDER.index(status) if status in ORDER else None
    if status in (S.REOPENED,):
        reached = ORDER.index(S.ANSWERED)
    if status in (S.NOT_ACCEPTED,):
        values.setdefault("not_accepted_reason", "no_substance")
    if reached is not None and reached >= ORDER.index(S.ASSIGNED):
        values.update(
            assigned_at=now,
            lead_unit=p.orgs[lead],
            reply_due_at=now + timedelta(days=90),
        )
    if reached is not None and reached >= ORDER.index(S.HANDLING):
        values.update(
            received_at=now, contact_due_at=now + timedelta(hours=48), first_contact_at=now
        )
    if reached is not None and reached >= ORDER.index(S.ANSWERED):
        values.update(replied_at=now, reply_round=1, reply_category=ReplyCategory.A)
    if status == S.CLOSED:
        values.update(verdict=Satisfaction.SATISFIED, verdict_at=now, closed_at=now)
    values.update(fields)
    from wulian.suggestions import search

    values.setdefault("search_tokens", search.tokens_for(values["title"], values["content"]))
    if values.get("public"):
        # Published as if a person had approved the original texts unchanged (the worst case
        # for the second line): the reply's approved text is its public text (`approve`).
        values.setdefault("public_title", values["title"])
        values.setdefault("public_content", values["content"])
        values.setdefault("published_at", now)
        values.setdefault("public_approved_at", now)
    s = Suggestion.objects.create(**values)
    if reached is not None and reached >= ORDER.index(S.ASSIGNED):
        batch = AssignmentBatch.objects.create(
            proposed_org=p.orgs["congress_body"],
            proposed_by=p.users["congress_clerk"],
            proposed_at=now,
            items=[],
            state=BatchState.ISSUED,
            confirmed_org=p.orgs["gov_office"],
            confirmed_by=p.users["gov_supervisor"],
            confirmed_at=now,
        )
        received = reached >= ORDER.index(S.HANDLING)
        for org, role in [(lead, AssignmentRole.LEAD)] + [(c, AssignmentRole.CO) for c in co]:
            Assignment.objects.create(
                suggestion=s,
                unit=p.orgs[org],
                role=role,
                batch=batch,
                assigned_at=now,
                assigned_by=p.users["gov_supervisor"],
                respond_by=now + timedelta(days=7),
                status=AssignmentStatus.RECEIVED if received else AssignmentStatus.ASSIGNED,
                received_at=now if received else None,
            )
    if reached is not None and reached >= ORDER.index(S.ANSWERED):
        reply = Reply.objects.create(
            suggestion=s,
            round=1,
            unit=p.orgs[lead],
            category=ReplyCategory.A,
            signer="张局长",
            text="经研究，已将老旧小区加装电梯纳入年度计划。",
            public_text="经研究，已将老旧小区加装电梯纳入年度计划。",
            published_text="经研究，已将老旧小区加装电梯纳入年度计划。" if s.public else "",
            sent_at=now,
            sent_by=p.users[lead],
        )
        if status == S.CLOSED:
            Verdict.objects.create(
                suggestion=s,
                reply=reply,
                deputy=s.lead_deputy,
                on_attitude=Satisfaction.SATISFIED,
                on_result=Satisfaction.SATISFIED,
                overall=Satisfaction.SATISFIED,
                given_at=now,
                recorded_by=p.users["deputy"],
            )
    return s


def approve(s: Suggestion, *, title: str, content: str = "", reply: str = "") -> Suggestion:
    """Mark `s` published with these approved texts directly (for pages; the service's own
    tests go through `services.suggestion_publish`), its public search column included."""
    from wulian.suggestions import redact, search, selectors

    names = selectors.public_names(suggestion_id=s.pk)
    Reply.objects.filter(suggestion=s, round=1).update(published_text=reply)
    Suggestion.objects.filter(pk=s.pk).update(
        public=True,
        published_at=timezone.now(),
        public_title=title,
        public_content=content,
        public_approved_at=timezone.now(),
        public_search_tokens=search.public_tokens_for(
            *(redact.redact(t, names) for t in (title, content, reply))
        ),
    )
    return Suggestion.objects.get(pk=s.pk)


def add_co_signer(s: Suggestion, person: Person) -> None:
    CoSigner.objects.create(suggestion=s, person=person, position=1)


# --- Through the services ----------------------------------------------------------------------


def submit(p: Personas, **data: Any) -> Suggestion:
    make_session(p)
    return services.suggestion_submit(
        actor=p.users["deputy"],
        data={"title": TITLE, "content": CONTENT, "category": Category.URBAN_RURAL, **data},
    )


def v(s: Suggestion) -> int:
    return Suggestion.objects.get(pk=s.pk).version


def walk(p: Personas, status: str, *, co: tuple[str, ...] = ("unit_b",), **data: Any) -> Suggestion:
    """Submit as the deputy and take the suggestion through the services up to `status`:
    accepted by the clerk, proposed by the clerk with unit A leading, confirmed by the
    supervision office, received by the units, the deputy contacted, co-units' opinions,
    replied (A), rated 满意."""
    s = submit(p, **data)
    if status == S.SUBMITTED:
        return s
    services.suggestion_accept(actor=p.users["congress_clerk"], suggestion_id=s.pk, version=v(s))
    if status == S.ACCEPTED:
        return _fresh(s)
    batch = services.batch_propose(
        actor=p.users["congress_clerk"],
        items=[
            {
                "suggestion_id": s.pk,
                "version": v(s),
                "lead_unit_id": p.orgs["unit_a"].pk,
                "co_unit_ids": [p.orgs[c].pk for c in co],
            }
        ],
    )
    services.batch_confirm(
        actor=p.users["gov_supervisor"], batch_id=batch.pk, version=batch.version
    )
    if status == S.ASSIGNED:
        return _fresh(s)
    for a in Assignment.objects.filter(suggestion=s).order_by("-role"):
        user = p.users["unit_a"] if a.unit == p.orgs["unit_a"] else p.users[_persona_of(p, a)]
        services.assignment_receive(actor=user, assignment_id=a.pk, version=a.version)
    services.contact_record(
        actor=p.users["unit_a"],
        suggestion_id=s.pk,
        method=ContactMethod.PHONE,
        contacted_at=timezone.now(),
        agreed="电话联系代表，介绍办理思路，代表同意。",
    )
    for c in co:
        services.opinion_give(
            actor=p.users[c], suggestion_id=s.pk, text="会办意见：同意主办单位的办理方案。"
        )
    if status == S.HANDLING:
        return _fresh(s)
    services.reply_send(
        actor=p.users["unit_a"],
        suggestion_id=s.pk,
        version=v(s),
        category=ReplyCategory.A,
        signer="张局长",
        text="经研究，已将老旧小区加装电梯纳入年度计划，补贴标准提高到每台15万元。",
        public_text="已将老旧小区加装电梯纳入年度计划，补贴标准提高。",
    )
    if status == S.ANSWERED:
        return _fresh(s)
    services.verdict_give(
        actor=p.users["deputy"],
        suggestion_id=s.pk,
        version=v(s),
        on_attitude=Satisfaction.SATISFIED,
        on_result=Satisfaction.SATISFIED,
    )
    return _fresh(s)


def _persona_of(p: Personas, a: Assignment) -> str:
    return next(name for name, org in p.orgs.items() if org.pk == a.unit_id and name in p.users)


def _fresh(s: Suggestion) -> Suggestion:
    return Suggestion.objects.get(pk=s.pk)


# --- Route-matrix rows ---------------------------------------------------------------------------


def _pk(status: str, **kw: Any):
    return lambda p: {"pk": make_suggestion(p, status, **kw).pk}


submitted_kwargs = _pk(S.SUBMITTED)
accepted_kwargs = _pk(S.ACCEPTED)
handling_kwargs = _pk(S.HANDLING)
answered_kwargs = _pk(S.ANSWERED)


def assignment_kwargs(p: Personas) -> dict[str, Any]:
    s = make_suggestion(p, S.ASSIGNED)
    return {"pk": s.assignments.get(unit=p.orgs["unit_a"]).pk}


def co_assignment_kwargs(p: Personas) -> dict[str, Any]:
    """Unit B's co-assignment of a suggestion just assigned (its opinion not yet given)."""
    s = make_suggestion(p, S.ASSIGNED)
    return {"pk": s.assignments.get(unit=p.orgs["unit_b"]).pk}


def reply_file_kwargs(p: Personas) -> dict[str, Any]:
    """An answered suggestion whose reply carries one file (stored under MEDIA_ROOT)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from wulian.core.attachments.models import Attachment
    from wulian.core.crypto import sm3_hex
    from wulian.core.records import reference

    s = make_suggestion(p, S.ANSWERED)
    content = b"%PDF-1.4\n%%EOF\n"
    name = default_storage.save("attachments/2026/06/reply-letter.pdf", ContentFile(content))
    att = Attachment.objects.create(
        **reference(s.replies.get()),
        original_name="答复函.pdf",
        storage_name=name,
        size=len(content),
        media_type="application/pdf",
        file_type="pdf",
        sm3=sm3_hex(content),
        uploaded_by=p.users["unit_a"],
        uploaded_at=timezone.now(),
    )
    return {"pk": s.pk, "attachment_id": att.pk}


def make_reply_deadline(p: Personas, s: Suggestion) -> Any:
    from wulian.core.deadlines.models import Deadline
    from wulian.core.records import reference
    from wulian.suggestions.choices import DEADLINE_REPLY

    now = timezone.now()
    return Deadline.objects.create(
        **reference(s),
        kind=DEADLINE_REPLY,
        title="答复代表建议",
        manage_action="suggestions.suggestion.clock",
        assigner_org=p.orgs["congress_body"],
        responsible_org=p.orgs["unit_a"],
        rule_kind="months",
        rule_amount=3,
        start=now,
        due_at=now + timedelta(days=90),
        original_due_at=now + timedelta(days=90),
        escalate_at=now + timedelta(days=90),
    )


def extension_suggestion_kwargs(p: Personas) -> dict[str, Any]:
    from wulian.core.deadlines.models import ExtensionRequest

    s = make_suggestion(p, S.HANDLING)
    d = make_reply_deadline(p, s)
    ExtensionRequest.objects.create(
        deadline=d,
        requested_by=p.users["unit_a"],
        due_before=d.due_at,
        new_due_at=d.due_at + timedelta(days=30),
        reason="需协调资金",
    )
    return {"pk": s.pk}


def make_order(p: Personas, **over: Any) -> Any:
    from wulian.suggestions.choices import SupervisionKind
    from wulian.suggestions.models import SupervisionOrder

    s = make_suggestion(p, S.HANDLING)
    values = {
        "suggestion": s,
        "kind": SupervisionKind.OVERDUE,
        "issued_by_org": p.orgs["congress_body"],
        "issued_by": p.users["congress_clerk"],
        "issued_at": timezone.now(),
        "to_unit": p.orgs["unit_a"],
        "requirements": "请说明逾期原因并尽快答复。",
        "due_at": timezone.now() + timedelta(days=10),
        **over,
    }
    return SupervisionOrder.objects.create(**values)


def order_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_order(p).pk}


def responded_order_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_order(p, state="responded", response="已答复代表。").pk}


def make_batch(p: Personas) -> AssignmentBatch:
    s = make_suggestion(p, S.ACCEPTED)
    return AssignmentBatch.objects.create(
        proposed_org=p.orgs["congress_body"],
        proposed_by=p.users["congress_clerk"],
        proposed_at=timezone.now(),
        items=[{"suggestion": s.pk, "version": s.version, "lead": p.orgs["unit_a"].pk, "co": []}],
    )


def batch_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_batch(p).pk}


def make_campaign(p: Personas) -> Any:
    from wulian.suggestions.models import Campaign

    return Campaign.objects.get_or_create(
        name="三进三促",
        year=2026,
        defaults={
            "organiser": p.orgs["congress_body"],
            "starts_on": date(2026, 3, 1),
            "created_by": p.users["congress_clerk"],
        },
    )[0]


def make_opinion(p: Personas, **over: Any) -> Any:
    from wulian.suggestions.models import CampaignOpinion

    campaign = make_campaign(p)
    values = {
        "campaign": campaign,
        "number": CampaignOpinion.objects.filter(campaign=campaign).count() + 1,
        "content": "村里饮水管网老化，夏天经常停水。",
        "collected_by": deputy(p),
        "collected_on": date(2026, 3, 5),
        "registered_by": p.users["deputy"],
        "registered_at": timezone.now(),
        **over,
    }
    return CampaignOpinion.objects.create(**values)


def campaign_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_campaign(p).pk}


def opinion_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_opinion(p).pk}


def assigned_opinion_kwargs(p: Personas) -> dict[str, Any]:
    return {
        "pk": make_opinion(
            p,
            state="assigned",
            unit=p.orgs["unit_a"],
            assigned_at=timezone.now(),
            assigned_by=p.users["congress_clerk"],
        ).pk
    }


def reassign(s: Suggestion) -> Suggestion:
    """After 不满意 the congress office reassigns (重新交办): the re-reply clock starts (the
    persona congress_clerk)."""
    from wulian.accounts.models import User

    clerk = User.objects.get(username="congress_clerk")
    return services.suggestion_reassign(
        actor=clerk, suggestion_id=s.pk, version=Suggestion.objects.get(pk=s.pk).version
    )


def make_report(p: Personas, *, implicates: bool = False, **data: Any) -> Any:
    """A 集中反映通报 of one suggestion's cluster, as the service stores it (seed its own)."""
    from wulian.suggestions.models import ConcentrationReport

    s = make_suggestion(p, S.HANDLING)
    values = {
        "seed": f"s{s.pk}",
        "year": s.session.year,
        "subject": s.title,
        "summary": "多名代表反映加装电梯补贴不到位。",
        "implicates": implicates,
        "implication_note": "补贴资金可能被挪用。" if implicates else "",
        "suggestion_ids": [s.pk],
        "opinion_ids": [],
        "deputy_count": 3,
        "sending_org": p.orgs["congress_body"],
        "receiving_org": p.orgs["cdi"],
        "sent_by": p.users["congress_clerk"],
        "sent_at": timezone.now(),
        **data,
    }
    return ConcentrationReport.objects.create(**values)


def report_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_report(p).pk}
