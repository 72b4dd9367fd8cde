"""Replacing (or dropping) a co-unit that sent its assignment back (会办单位退回), while the lead
unit keeps handling: `services.co_unit_replace`, its page form and its API endpoint — the
success paths (the new co-unit's assignment and receipt deadline, one audit event, who is told)
and each refusal."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory
from tests.suggestions.helpers import v, walk
from wulian.core import access, records
from wulian.core.deadlines.choices import DeadlineState
from wulian.core.deadlines.models import Deadline
from wulian.core.errors import (
    AccessDenied,
    ConcurrentEdit,
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import AuditEvent
from wulian.core.notifications.models import OutboxMessage
from wulian.suggestions import services
from wulian.suggestions.choices import DEADLINE_RECEIPT, AssignmentRole, AssignmentStatus
from wulian.suggestions.choices import SuggestionStatus as S
from wulian.suggestions.models import Assignment, Suggestion

pytestmark = pytest.mark.django_db

CODES = ("suggestions.co_unit.replaced", "suggestions.co_unit.dropped")


def events(code: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=code).order_by("seq"))


def recipients(kind: str) -> set[str]:
    return set(
        OutboxMessage.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def sent_back_co_unit(p: Any, status: str = S.ASSIGNED) -> tuple[Suggestion, Assignment]:
    """Unit A leads, unit B co-handles; unit B sends its assignment back."""
    s = walk(p, S.ASSIGNED)
    co = Assignment.objects.get(suggestion=s, role=AssignmentRole.CO)
    services.assignment_send_back(
        actor=p.unit_b, assignment_id=co.pk, version=co.version, reason="不属于本单位职责。"
    )
    if status == S.HANDLING:
        lead = Assignment.objects.get(suggestion=s, role=AssignmentRole.LEAD)
        services.assignment_receive(actor=p.unit_a, assignment_id=lead.pk, version=lead.version)
    return Suggestion.objects.get(pk=s.pk), Assignment.objects.get(pk=co.pk)


def replace(p: Any, s: Suggestion, a: Assignment, unit: Any, who: str = "congress_clerk", **kw):
    return services.co_unit_replace(
        actor=p.users[who],
        suggestion_id=kw.pop("suggestion_id", s.pk),
        assignment_id=a.pk,
        unit_id=None if unit is None else unit.pk,
        version=kw.pop("version", Assignment.objects.get(pk=a.pk).version),
    )


# --- Success ------------------------------------------------------------------------------------


def test_the_congress_office_replaces_a_sent_back_co_unit_and_the_lead_unit_keeps_handling(
    personas,
):
    p = personas
    s, sent = sent_back_co_unit(p, S.HANDLING)
    court = p.orgs["court"]
    lead_before = Assignment.objects.get(suggestion=s, role=AssignmentRole.LEAD)
    OutboxMessage.objects.all().delete()

    settled = replace(p, s, sent, court)

    new = settled.replacement
    assert settled.pk == sent.pk and settled.settled_at is not None
    assert settled.version == sent.version + 1
    assert settled.status == AssignmentStatus.SENT_BACK
    assert (new.unit, new.role, new.status) == (court, AssignmentRole.CO, AssignmentStatus.ASSIGNED)
    assert new.batch_id == sent.batch_id and new.assigned_by == p.congress_clerk
    # Its receipt deadline, as the joint assignment opens one for each unit.
    receipt = Deadline.objects.get(**records.reference(new), kind=DEADLINE_RECEIPT)
    assert receipt.state == DeadlineState.OPEN and receipt.responsible_org == court
    assert receipt.due_at == new.respond_by
    # The lead unit and the suggestion are untouched.
    fresh = Suggestion.objects.get(pk=s.pk)
    assert (fresh.status, fresh.lead_unit_id, fresh.version) == (
        S.HANDLING,
        p.orgs["unit_a"].pk,
        s.version,
    )
    lead = Assignment.objects.get(pk=lead_before.pk)
    assert (lead.status, lead.version) == (AssignmentStatus.RECEIVED, lead_before.version)
    # One audit event on the suggestion.
    [event] = events("suggestions.co_unit.replaced")
    assert not events("suggestions.co_unit.dropped")
    assert (event.target_type, event.target_id) == ("suggestions.suggestion", str(s.pk))
    assert event.actor_id == p.congress_clerk.pk
    assert event.before_data == {"co_units": []}
    assert event.after_data["co_units"] == [court.pk]
    assert event.after_data["sent_back_assignment"] == sent.pk
    assert event.after_data["sent_back_unit"] == p.orgs["unit_b"].pk
    assert event.after_data["unit"] == court.pk
    assert event.after_data["assignment"] == new.pk
    # The new unit is told to receive or send back; the lead unit and the supervision office
    # are told of the change.
    assert recipients("suggestions.suggestion.assigned") == {"court_clerk"}
    assert recipients("suggestions.co_unit.replaced") == {"unit_a", "gov_supervisor"}
    # The new co-unit sees the suggestion and works on it; the one that sent it back does not.
    assert access.can(p.court_clerk, "suggestions.suggestion.view", fresh)
    assert not access.can(p.unit_b, "suggestions.suggestion.view", fresh)
    assert [a.unit for a in services.missing_opinions(fresh)] == [court]
    services.assignment_receive(actor=p.court_clerk, assignment_id=new.pk, version=new.version)
    services.opinion_give(actor=p.court_clerk, suggestion_id=s.pk, text="同意主办单位意见。")
    assert services.missing_opinions(fresh) == []


def test_the_congress_office_drops_a_sent_back_co_unit(personas):
    p = personas
    s, sent = sent_back_co_unit(p)
    OutboxMessage.objects.all().delete()

    settled = replace(p, s, sent, None)

    assert settled.settled_at is not None and settled.replacement is None
    assert Assignment.objects.filter(suggestion=s).count() == 2
    [event] = events("suggestions.co_unit.dropped")
    assert not events("suggestions.co_unit.replaced")
    assert event.after_data["unit"] is None and event.after_data["assignment"] is None
    assert event.after_data["co_units"] == []
    assert recipients("suggestions.co_unit.dropped") == {"unit_a", "gov_supervisor"}
    assert not recipients("suggestions.suggestion.assigned")
    assert Suggestion.objects.get(pk=s.pk).status == S.ASSIGNED


def test_the_unsettled_send_back_waits_in_the_congress_offices_todos(personas):
    from wulian.core.access import actor_for
    from wulian.suggestions.todos import suggestion_todos

    p = personas
    s, sent = sent_back_co_unit(p)

    def todos(user: Any) -> list[Any]:
        return [
            i for i in suggestion_todos(actor_for(user)) if "请更换或不再指定会办单位" in i.title
        ]

    [item] = todos(p.congress_clerk)
    assert "市司法局" in item.title and item.url.endswith(f"#replace-{sent.pk}")
    assert not todos(p.gov_supervisor) and not todos(p.unit_a)
    replace(p, s, sent, None)
    assert not todos(p.congress_clerk)


# --- Refusals -----------------------------------------------------------------------------------


def _refused(p: Any, exc_type: type, s: Suggestion, a: Assignment, unit: Any, **kw) -> Any:
    count = Assignment.objects.count()
    with pytest.raises(exc_type) as exc:
        replace(p, s, a, unit, **kw)
    assert Assignment.objects.count() == count
    assert not any(events(code) for code in CODES)
    fresh = Assignment.objects.get(pk=a.pk)
    assert fresh.settled_at is None and fresh.replacement_id is None
    return exc.value


@pytest.mark.parametrize("who", ["gov_supervisor", "unit_a", "unit_b", "deputy", "stationed"])
def test_only_congress_staff_replace(personas, who):
    p = personas
    s, sent = sent_back_co_unit(p)
    _refused(p, AccessDenied, s, sent, p.orgs["court"], who=who)


def test_a_co_unit_that_did_not_send_back_is_not_replaced(personas):
    p = personas
    s = walk(p, S.ASSIGNED)
    co = Assignment.objects.get(suggestion=s, role=AssignmentRole.CO)
    _refused(p, TransitionNotAllowed, s, co, p.orgs["court"])


def test_a_lead_units_send_back_goes_through_a_new_joint_assignment(personas):
    p = personas
    s = walk(p, S.ASSIGNED)
    lead = Assignment.objects.get(suggestion=s, role=AssignmentRole.LEAD)
    services.assignment_send_back(
        actor=p.unit_a, assignment_id=lead.pk, version=lead.version, reason="不属于本单位。"
    )
    _refused(p, TransitionNotAllowed, s, lead, p.orgs["court"])


def test_a_send_back_is_settled_once(personas):
    p = personas
    s, sent = sent_back_co_unit(p)
    replace(p, s, sent, p.orgs["court"])
    with pytest.raises(TransitionNotAllowed):
        replace(p, s, sent, None)
    assert len(events("suggestions.co_unit.replaced")) == 1
    assert not events("suggestions.co_unit.dropped")


@pytest.mark.parametrize("unit", ["unit_a", "unit_b"])
def test_a_unit_already_on_the_suggestion_or_the_one_that_sent_it_back_is_refused(personas, unit):
    p = personas
    s, sent = sent_back_co_unit(p)
    exc = _refused(p, RuleViolation, s, sent, p.orgs[unit])
    assert p.orgs[unit].name in exc.message


def test_an_inactive_unit_or_a_supervising_body_is_refused(personas):
    p = personas
    s, sent = sent_back_co_unit(p)
    closed = OrganisationFactory(code="ZF-OLD", name="已撤销局", is_active=False)
    exc = _refused(p, ValidationFailed, s, sent, closed)
    assert "unit" in exc.field_errors
    _refused(p, ValidationFailed, s, sent, p.orgs["gov_office"])


def test_a_stale_version_is_refused(personas):
    p = personas
    s, sent = sent_back_co_unit(p)
    _refused(p, ConcurrentEdit, s, sent, p.orgs["court"], version=sent.version - 1)


def test_no_replacement_once_the_suggestion_is_no_longer_handled(personas):
    p = personas
    s, sent = sent_back_co_unit(p)
    services.suggestion_withdraw(
        actor=p.deputy, suggestion_id=s.pk, version=v(s), statement="书面撤回。"
    )
    _refused(p, TransitionNotAllowed, s, sent, p.orgs["court"])


def test_the_assignment_must_be_the_suggestions(personas):
    p = personas
    s, sent = sent_back_co_unit(p)
    other = walk(p, S.ACCEPTED)
    _refused(p, ValidationFailed, s, sent, p.orgs["court"], suggestion_id=other.pk)


# --- The page and the API -----------------------------------------------------------------------


def test_the_form_next_to_the_sent_back_co_unit(personas, client_of):
    p = personas
    s, sent = sent_back_co_unit(p)
    url = reverse("suggestions:assignment_replace", args=[sent.pk])
    clerk = client_of(p.congress_clerk)
    page = clerk.get(s.get_absolute_url()).content.decode()
    assert url in page and f'id="replace-{sent.pk}"' in page
    for who in ("gov_supervisor", "unit_a"):
        assert url not in client_of(p.users[who]).get(s.get_absolute_url()).content.decode()
    # Neither a unit nor "drop": the form says what to do, nothing changes.
    r = clerk.post(url, {f"r{sent.pk}-version": sent.version})
    assert r.status_code == 400
    assert "请选择接替会办的单位" in r.content.decode()
    # The unit that sent it back: the service's refusal is shown on the form.
    r = clerk.post(
        url, {f"r{sent.pk}-version": sent.version, f"r{sent.pk}-unit": p.orgs["unit_b"].pk}
    )
    assert r.status_code == 409
    assert "市司法局”已退回该建议" in r.content.decode()
    r = clerk.post(
        url, {f"r{sent.pk}-version": sent.version, f"r{sent.pk}-unit": p.orgs["court"].pk}
    )
    assert r.status_code == 302
    new = Assignment.objects.get(pk=sent.pk).replacement
    assert new.unit == p.orgs["court"]
    page = clerk.get(s.get_absolute_url()).content.decode()
    assert url not in page and "已改由市中院会办" in page
    # Those who see the suggestion but may not replace get a 403.
    r = client_of(p.unit_a).post(url, {f"r{sent.pk}-version": 9, f"r{sent.pk}-drop": "on"})
    assert r.status_code == 403


def test_a_stale_page_form_is_refused_with_the_message(personas, client_of):
    p = personas
    _s, sent = sent_back_co_unit(p)
    url = reverse("suggestions:assignment_replace", args=[sent.pk])
    r = client_of(p.congress_clerk).post(
        url, {f"r{sent.pk}-version": sent.version - 1, f"r{sent.pk}-drop": "on"}
    )
    assert r.status_code == 409
    assert Assignment.objects.get(pk=sent.pk).settled_at is None


def test_the_api_replaces_or_drops(personas, client_of):
    p = personas
    s, sent = sent_back_co_unit(p)
    url = reverse("suggestions_api:assignment-replace", args=[sent.pk])
    clerk = client_of(p.congress_clerk)
    r = clerk.post(url, {"version": sent.version}, content_type="application/json")
    assert r.status_code == 400 and "unit" in r.json()["errors"]
    r = client_of(p.gov_supervisor).post(
        url, {"version": sent.version, "drop": True}, content_type="application/json"
    )
    assert r.status_code == 403
    r = clerk.post(
        url, {"version": sent.version - 1, "drop": True}, content_type="application/json"
    )
    assert r.status_code == 409
    r = clerk.post(
        url,
        {"version": sent.version, "unit": p.orgs["court"].pk},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    new = Assignment.objects.get(suggestion=s, unit=p.orgs["court"])
    assert body["id"] == sent.pk and body["replacement"] == new.pk and body["settled_at"]
    r = clerk.post(url, {"version": body["version"], "drop": True}, content_type="application/json")
    assert r.status_code == 409  # already settled


def test_the_api_drops(personas, client_of):
    p = personas
    _s, sent = sent_back_co_unit(p)
    r = client_of(p.congress_clerk).post(
        reverse("suggestions_api:assignment-replace", args=[sent.pk]),
        {"version": sent.version, "drop": True},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["replacement"] is None and r.json()["settled_at"]
    assert len(events("suggestions.co_unit.dropped")) == 1


def test_a_co_unit_does_not_see_a_supervision_order_to_the_lead_unit(personas) -> None:
    """A supervision order (督办通知) is addressed to one unit: the suggestion's page shows it to
    that unit, the supervising side and the suggestion's own deputy — not to a co-unit, which
    the order's rule (`suggestions.supervisionorder.view`) refuses."""
    from tests.personas import client_for
    from tests.suggestions.helpers import make_order

    order = make_order(personas, requirements="请说明逾期原因，十日内报送。")
    assert order.suggestion.assignments.filter(unit=personas.orgs["unit_b"]).exists()
    url = reverse("suggestions:suggestion_detail", args=[order.suggestion_id])
    for persona, sees in (
        ("unit_a", True),
        ("congress_clerk", True),
        ("deputy", True),
        ("unit_b", False),
    ):
        page = client_for(getattr(personas, persona)).get(url)
        assert page.status_code == 200, persona
        assert ("请说明逾期原因，十日内报送。" in page.content.decode()) is sees, persona
        assert access.can(
            access.actor_for(getattr(personas, persona)),
            "suggestions.supervisionorder.view",
            order,
        ) is (persona in ("unit_a", "congress_clerk")), persona
