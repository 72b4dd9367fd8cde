"""Suggestions in a given state, written straight to the tables, for tests of reads (figures,
documents, analytics). The lifecycle's own tests drive the services; these only need rows."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from wulian.core.models import Organisation, Person
from wulian.suggestions.choices import (
    AssignmentRole,
    AssignmentStatus,
    BatchState,
    Category,
    ContactMethod,
    RaisedDuring,
    SuggestionStatus,
)
from wulian.suggestions.models import (
    Assignment,
    AssignmentBatch,
    CongressSession,
    Contact,
    Reply,
    Suggestion,
    Verdict,
)
from wulian.suggestions.similarity import search_text

S = SuggestionStatus


def session(personas: Any, year: int, *, name: str | None = None) -> CongressSession:
    # The same session when asked twice (the crawl test builds every route row's records).
    found, _created = CongressSession.objects.get_or_create(
        name=name or f"市十五届人大{year - 2021}次会议",
        defaults={
            "year": year,
            "opens_on": date(year, 1, 10),
            "closes_on": date(year, 1, 14),
            "office": personas.orgs["congress_body"],
        },
    )
    return found


def deputy_person(personas: Any) -> Person:
    return personas.deputy.person


class Builder:
    """`suggestion(stage=…)` rows with the columns the services would have written."""

    def __init__(self, personas: Any, sess: CongressSession) -> None:
        self.p = personas
        self.session = sess
        self.clerk = personas.congress_clerk
        self.number = Suggestion.objects.filter(session=sess).count()
        self.batch: AssignmentBatch | None = None

    def _batch(self) -> AssignmentBatch:
        if self.batch is None:
            self.batch = AssignmentBatch.objects.create(
                state=BatchState.ISSUED,
                proposed_org=self.p.orgs["congress_body"],
                proposed_by=self.clerk,
                proposed_at=self.at(20),
                confirmed_org=self.p.orgs["gov_office"],
                confirmed_by=self.p.gov_supervisor,
                confirmed_at=self.at(21),
            )
        return self.batch

    def at(self, day: int, hours: float = 0) -> datetime:
        base = timezone.make_aware(datetime(self.session.year, 1, 1, 9, 0))
        return base + timedelta(days=day, hours=hours)

    def suggestion(
        self,
        *,
        stage: str = "submitted",
        unit: Organisation | None = None,
        co_units: tuple[Organisation, ...] = (),
        contact_hours: float | None = None,
        reply_on_time: bool = True,
        category: str = "A",
        verdict: str = "",
        title: str = "关于老旧小区加装电梯的建议",
        content: str = "老旧小区没有电梯，老人上下楼难。建议简化审批，加大补贴。",
        lead_deputy: Person | None = None,
        public: bool = False,
    ) -> Suggestion:
        """stage: submitted, not_accepted, accepted, assigned, received, contacted, answered,
        rated (each includes the ones before it)."""
        order = ["submitted", "accepted", "assigned", "received", "contacted", "answered", "rated"]
        self.number += 1
        s = Suggestion.objects.create(
            session=self.session,
            number=self.number,
            title=title,
            content=content,
            category=Category.URBAN_RURAL,
            raised_during=RaisedDuring.SESSION,
            lead_deputy=lead_deputy or self.p.deputy.person,
            office=self.p.orgs["congress_body"],
            submitted_by=self.clerk,
            submitted_at=self.at(10),
            search_tokens=search_text(f"{title}\n{content}"),
            public=public,
        )
        if stage == "not_accepted":
            s.status = S.NOT_ACCEPTED
            s.reviewed_at = self.at(15)
            s.not_accepted_reason = "personal_matter"
            s.save()
            return s
        level = order.index(stage)
        fields: dict[str, Any] = {"status": S.SUBMITTED}
        if level >= 1:
            fields.update(status=S.ACCEPTED, reviewed_at=self.at(15), reviewed_by=self.clerk)
        lead: Assignment | None = None
        if level >= 2:
            assert unit is not None
            fields.update(status=S.ASSIGNED, assigned_at=self.at(21), lead_unit=unit)
            fields["reply_due_at"] = self.at(21 + 91)
            lead = Assignment.objects.create(
                suggestion=s,
                unit=unit,
                role=AssignmentRole.LEAD,
                batch=self._batch(),
                assigned_at=self.at(21),
                assigned_by=self.p.gov_supervisor,
                respond_by=self.at(28),
            )
            for co in co_units:
                Assignment.objects.create(
                    suggestion=s,
                    unit=co,
                    role=AssignmentRole.CO,
                    batch=self._batch(),
                    assigned_at=self.at(21),
                    assigned_by=self.p.gov_supervisor,
                    respond_by=self.at(28),
                )
        if level >= 3:
            assert lead is not None
            lead.status = AssignmentStatus.RECEIVED
            lead.received_at = self.at(22)
            lead.save()
            fields.update(
                status=S.HANDLING,
                received_at=self.at(22),
                contact_due_at=self.at(22, 48),
            )
        if level >= 4:
            assert lead is not None
            contacted = self.at(22, contact_hours if contact_hours is not None else 5)
            Contact.objects.create(
                suggestion=s,
                assignment=lead,
                method=ContactMethod.PHONE,
                contacted_at=contacted,
                deputy=s.lead_deputy,
                agreed="电话沟通，代表同意分批实施。",
                recorded_by=self.clerk,
                recorded_at=contacted,
            )
            fields["first_contact_at"] = contacted
        if level >= 5:
            assert unit is not None
            sent = self.at(60 if reply_on_time else 130)
            reply = Reply.objects.create(
                suggestion=s,
                round=1,
                unit=unit,
                category=category,
                signer="张局长",
                text="经研究，已将该小区纳入今年加装电梯计划，补贴标准提高到每台20万元。",
                public_text="已纳入今年加装电梯计划。",
                sent_at=sent,
                sent_by=self.clerk,
                on_time=reply_on_time,
            )
            fields.update(
                status=S.ANSWERED,
                replied_at=sent,
                reply_round=1,
                reply_category=category,
                first_reply_on_time=reply_on_time,
            )
            if level >= 6 and verdict:
                Verdict.objects.create(
                    suggestion=s,
                    reply=reply,
                    deputy=s.lead_deputy,
                    on_attitude=verdict,
                    on_result=verdict,
                    overall=verdict,
                    given_at=self.at(70),
                    recorded_by=self.clerk,
                )
                fields.update(
                    verdict=verdict,
                    verdict_at=self.at(70),
                    status=S.CLOSED if verdict != "unsatisfied" else S.REOPENED,
                )
        Suggestion.objects.filter(pk=s.pk).update(**fields)
        s.refresh_from_db()
        return s


def supervision_order(personas: Any, s: Suggestion, *, kind: str = "overdue") -> Any:
    from wulian.suggestions.models import SupervisionOrder

    return SupervisionOrder.objects.create(
        suggestion=s,
        kind=kind,
        issued_by_org=personas.orgs["gov_office"],
        issued_by=personas.gov_supervisor,
        issued_at=timezone.now(),
        to_unit=s.lead_unit,
        requirements="请于十个工作日内报告办理进展，并与代表当面沟通。",
        due_at=timezone.now() + timedelta(days=14),
    )


# Route-matrix rows (tests/suggestions/routes.py): unit A leads, unit B co-handles, the deputy
# persona leads the suggestion.


def _built(personas: Any, stage: str) -> Suggestion:
    b = Builder(personas, session(personas, 2026, name="市十五届人大五次会议"))
    return b.suggestion(
        stage=stage, unit=personas.orgs["unit_a"], co_units=(personas.orgs["unit_b"],)
    )


def assigned_kwargs(personas: Any) -> dict[str, Any]:
    return {"pk": _built(personas, "received").pk}


def answered_kwargs(personas: Any) -> dict[str, Any]:
    return {"pk": _built(personas, "answered").pk}


def order_kwargs(personas: Any) -> dict[str, Any]:
    return {"pk": supervision_order(personas, _built(personas, "contacted")).pk}
