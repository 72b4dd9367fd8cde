"""Residents' opinions: taken quickly with consent, and their four ways."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection

from tests.stations import helpers as h
from wulian.core.deadlines import workcalendar
from wulian.core.deadlines.choices import DeadlineState
from wulian.core.deadlines.models import Deadline
from wulian.core.errors import AccessDenied, ConcurrentEdit, TransitionNotAllowed, ValidationFailed
from wulian.core.models import AuditEvent
from wulian.stations import selectors, services
from wulian.stations.choices import REPLY_WORKING_DAYS, Disposition, Elsewhere
from wulian.stations.models import Opinion, Tally
from wulian.suggestions.models import CongressSession

pytestmark = pytest.mark.django_db


def test_an_opinion_is_recorded_with_consent_and_its_phone_encrypted(p):
    o = h.opinion(p)
    assert o.disposition == Disposition.OPEN and o.year == 2026
    with connection.cursor() as cursor:
        cursor.execute("SELECT resident_phone FROM stations_opinion WHERE id = %s", [o.pk])
        raw = cursor.fetchone()[0]
    assert "13800001111" not in str(raw)
    assert Opinion.objects.get(pk=o.pk).resident_phone == "13800001111"
    assert Tally.objects.get(station=o.station, year=2026).opinions == 1
    event = AuditEvent.objects.get(action="stations.opinion.recorded")
    assert "13800001111" not in str(event.body)


def test_no_phone_without_consent_and_nothing_saved(p):
    e = h.event(p)
    with pytest.raises(ValidationFailed) as exc:
        h.opinion(p, e, consent=False)
    assert "consent" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        h.opinion(p, e, topic="", content="")
    assert {"topic", "content"} <= set(exc.value.field_errors)
    assert not Opinion.objects.exists() and not Tally.objects.exists()


def test_only_the_stations_deputies_or_congress_staff_take_opinions(p):
    e = h.event(p)
    for who in (p.unit_a, p.cdi_officer, p.cdi_clue, p.sysadmin):
        with pytest.raises(AccessDenied):
            h.opinion(p, e) if False else services.opinion_record(
                actor=who, event_id=e.pk, topic="x", content="y"
            )
    later = h.event(p, day=h.future(4))
    with pytest.raises(ValidationFailed):
        h.opinion(p, later)


def test_handed_to_a_department_it_has_fifteen_working_days_and_the_reply_comes_back(p):
    o = h.handed(p)
    assert o.disposition == Disposition.HANDED and o.department == p.orgs["unit_a"]
    d = Deadline.objects.get(kind="station_opinion_reply")
    assert d.responsible_org == p.orgs["unit_a"]
    due_day = workcalendar.add_working_days(h.NOW.date(), REPLY_WORKING_DAYS)
    assert d.due_at.astimezone(h.NOW.tzinfo).date() == due_day
    assert list(d.escalate_to.all()) == [p.orgs["congress_body"]]
    # the department sees it, unit B does not
    assert selectors.opinion_list(actor=p.unit_a).filter(pk=o.pk).exists()
    assert not selectors.opinion_list(actor=p.unit_b).filter(pk=o.pk).exists()
    with pytest.raises(AccessDenied):
        services.opinion_reply(actor=p.unit_b, opinion_id=o.pk, version=o.version, reply="x")
    with time_machine.travel(h.NOW + timedelta(days=7), tick=True):
        o = services.opinion_reply(
            actor=p.unit_a, opinion_id=o.pk, version=o.version, reply="已列入今年加装电梯计划。"
        )
    assert o.disposition == Disposition.REPLIED and o.replied_on_time is True
    d.refresh_from_db()
    assert d.state == DeadlineState.MET
    tally = Tally.objects.get(station=o.station, year=2026)
    assert (tally.handed, tally.replied_on_time, tally.replied_late) == (1, 1, 0)
    # the station sees the reply
    assert selectors.opinion_list(actor=p.deputy).get(pk=o.pk).reply.startswith("已列入")


def test_a_late_reply_is_counted_late(p):
    o = h.handed(p)
    with time_machine.travel(h.NOW + timedelta(days=40), tick=True):
        o = services.opinion_reply(actor=p.unit_a, opinion_id=o.pk, version=o.version, reply="晚")
    assert o.replied_on_time is False
    assert Tally.objects.get(station=o.station, year=2026).replied_late == 1


def test_answer_decline_and_their_refusals(p):
    o = h.opinion(p)
    o = services.opinion_answer(
        actor=p.deputy, opinion_id=o.pk, version=o.version, answer="已当场解释政策。"
    )
    assert o.disposition == Disposition.ANSWERED
    with pytest.raises(TransitionNotAllowed):
        services.opinion_answer(actor=p.deputy, opinion_id=o.pk, version=o.version, answer="再")
    with pytest.raises(ConcurrentEdit):
        services.opinion_answer(actor=p.deputy, opinion_id=o.pk, version=1, answer="再")
    o2 = h.opinion(p, topic="劳动合同纠纷", content="公司拖欠工资")
    with pytest.raises(ValidationFailed):
        services.opinion_decline(
            actor=p.deputy, opinion_id=o2.pk, version=o2.version, elsewhere="nowhere", answer="x"
        )
    with pytest.raises(AccessDenied):
        services.opinion_decline(
            actor=p.unit_a,
            opinion_id=o2.pk,
            version=o2.version,
            elsewhere=Elsewhere.ARBITRATION,
            answer="x",
        )
    o2 = services.opinion_decline(
        actor=p.deputy,
        opinion_id=o2.pk,
        version=o2.version,
        elsewhere=Elsewhere.ARBITRATION,
        answer="请向劳动人事争议仲裁委员会申请仲裁。",
    )
    assert o2.disposition == Disposition.DECLINED and o2.elsewhere == Elsewhere.ARBITRATION
    tally = Tally.objects.get(station=o.station, year=2026)
    assert (tally.opinions, tally.answered, tally.declined) == (2, 1, 1)


def test_hand_refusals(p):
    o = h.opinion(p)
    with pytest.raises(ValidationFailed) as exc:
        services.opinion_hand(
            actor=p.deputy, opinion_id=o.pk, version=o.version, department_id=p.orgs["station"].pk
        )
    assert "department" in exc.value.field_errors
    assert not Deadline.objects.exists()


def test_the_deputy_raises_it_as_his_own_suggestion_linked(p):
    CongressSession.objects.create(
        name="十五届五次",
        year=2026,
        opens_on=h.NOW.date() - timedelta(days=200),
        closes_on=h.NOW.date() - timedelta(days=195),
        office=p.orgs["congress_body"],
        is_current=True,
    )
    o = h.opinion(p)
    with pytest.raises(AccessDenied):
        services.opinion_raise(
            actor=p.congress_clerk,
            opinion_id=o.pk,
            version=o.version,
            title="t",
            content="c",
            category="urban_rural",
        )
    o = services.opinion_raise(
        actor=p.deputy,
        opinion_id=o.pk,
        version=o.version,
        title="关于加快老旧小区加装电梯的建议",
        content="多个联络站群众反映……",
        category="urban_rural",
    )
    assert o.disposition == Disposition.RAISED
    assert o.suggestion.lead_deputy == p.deputy.person
    assert o.suggestion.title == "关于加快老旧小区加装电梯的建议"
    assert Tally.objects.get(station=o.station, year=2026).raised == 1


def test_opinions_about_one_matter_at_several_stations_show_as_one_topic(p):
    from tests.factories import OrganisationFactory
    from wulian.core.choices import OrgKind
    from wulian.stations.models import Duty, Event, Station

    e = h.event(p)
    other_org = OrganisationFactory(kind=OrgKind.LIAISON_STATION, name="另一联络站")
    other = Station.objects.create(organisation=other_org, district="daye", address="大冶")
    Duty.objects.create(station=other, person=p.deputy.person, role="deputy")
    e2 = Event.objects.create(
        station=other, kind="tuesday", date=h.NOW.date(), starts_at="09:00", place="x"
    )
    h.opinion(p, e, topic="老旧小区加装电梯", content="老旧小区加装电梯难，希望政府补贴")
    services.opinion_record(
        actor=p.congress_clerk,
        event_id=e2.pk,
        topic="加装电梯",
        content="我们老旧小区也想加装电梯，补贴政策不清楚",
    )
    h.opinion(p, e, topic="文明养犬", content="小区遛狗不牵绳，犬只扰民", resident_phone="")
    groups = selectors.topic_groups(actor=p.congress_clerk, year=2026)
    assert len(groups) == 1
    assert groups[0].stations == 2 and groups[0].opinions == 2
